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
    """The catalog as an aligned text table: id, kind, family, member of the net family, title."""
    rows = [("id", "kind", "family", "net", "title")] + [(f.id, f.kind.value, family_of(f), f.net, f.title)
                                                         for f in FAULTS]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r[:4], widths)) + f"  {r[4]}" for r in rows)


def catalog_markdown(source="core.net"):
    """The README's catalog table of the faults made in `source`, generated from the records so it cannot go stale.

    Member faults (source "core.family") get a net column: the member they are made in.
    """
    faults = [f for f in FAULTS if f.source == source]
    if source == "core.net":
        lines = ["| id | kind | title | what a person sees |", "|---|---|---|---|"]
        lines += [f"| `{f.id}` | {f.kind.value} | {f.title} | {f.symptom} |" for f in faults]
    else:
        lines = ["| id | net | kind | title | what a person sees |", "|---|---|---|---|---|"]
        lines += [f"| `{f.id}` | {f.net} | {f.kind.value} | {f.title} | {f.symptom} |" for f in faults]
    return "\n".join(lines)
