"""Text and JSON renderings of the fault catalog for `diagnose list`."""
from bugs import FAULTS, Kind
from diagnose.engine.remedies import family_label, is_caution


def family_of(fault):
    """The engine's family of a catalogued fault ('checklist 4', 'other', 'checklist 5 (caution)' when the engine
    words it as a caution); '-' for an equivalent mutant."""
    if fault.kind == Kind.EQUIVALENT:
        return "-"
    return family_label(fault.id) + (" (caution)" if is_caution(fault.id) else "")


def catalog_dict():
    """`{"faults": [...]}` with each record's public fields and the engine's family of it."""
    return {"faults": [{**fault.to_dict(), "family": family_of(fault)} for fault in FAULTS]}


def catalog_table():
    """The catalog as an aligned text table: id, kind, family, title."""
    rows = [("id", "kind", "family", "title")] + [(f.id, f.kind.value, family_of(f), f.title) for f in FAULTS]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:<{widths[2]}}  {d}" for a, b, c, d in rows)


def catalog_markdown():
    """The README's catalog table, generated from the records so it cannot go stale."""
    lines = ["| id | kind | title | what a person sees |", "|---|---|---|---|"]
    for f in FAULTS:
        lines.append(f"| `{f.id}` | {f.kind.value} | {f.title} | {f.symptom} |")
    return "\n".join(lines)
