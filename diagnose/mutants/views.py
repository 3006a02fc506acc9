"""Text and JSON renderings of the fault catalog for `diagnose list`."""
from bugs import FAULTS


def catalog_dict():
    """`{"faults": [...]}` with each record's public fields."""
    return {"faults": [fault.to_dict() for fault in FAULTS]}


def catalog_table():
    """The catalog as an aligned text table: id, kind, title."""
    rows = [("id", "kind", "title")] + [(f.id, f.kind.value, f.title) for f in FAULTS]
    w_id, w_kind = (max(len(r[i]) for r in rows) for i in (0, 1))
    return "\n".join(f"{a:<{w_id}}  {b:<{w_kind}}  {c}" for a, b, c in rows)


def catalog_markdown():
    """The README's catalog table, generated from the records so it cannot go stale."""
    lines = ["| id | kind | title | what a person sees |", "|---|---|---|---|"]
    for f in FAULTS:
        lines.append(f"| `{f.id}` | {f.kind.value} | {f.title} | {f.symptom} |")
    return "\n".join(lines)
