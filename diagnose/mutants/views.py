"""Text and JSON renderings of the fault catalog for `diagnose list`."""
from bugs import FAULTS


def catalog_dict():
    """`{"faults": [...]}` with each record's public fields."""
    return {"faults": [fault.to_dict() for fault in FAULTS]}


def catalog_table():
    """The catalog as an aligned text table: id, kind, member of the net family, title."""
    rows = [("id", "kind", "net", "title")] + [(f.id, f.kind.value, f.net, f.title) for f in FAULTS]
    w_id, w_kind, w_net = (max(len(r[i]) for r in rows) for i in (0, 1, 2))
    return "\n".join(f"{a:<{w_id}}  {b:<{w_kind}}  {n:<{w_net}}  {c}" for a, b, n, c in rows)


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
