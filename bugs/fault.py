"""A fault is data: a frozen record naming one exact text replacement in the core."""
import enum
from dataclasses import dataclass


class Kind(str, enum.Enum):
    """Where a fault comes from; `equivalent` mutants are negative controls."""

    CHECKLIST = "checklist"
    EXTENDED = "extended"
    EQUIVALENT = "equivalent"


@dataclass(frozen=True)
class Fault:
    """One mistake people make, as the text it replaces in one function of the core's source.

    `find` must occur exactly once in `function`'s source; `replace` stands in for it.
    `symptom` says what a person sees; `fix` is the correct code. `net` is the member of the
    family the mistake is made in; `source` the module whose text is replaced: `core.net`,
    or `core.family` set to compute `net` (a member fault).
    """

    id: str
    kind: Kind
    title: str
    function: str
    find: str
    replace: str
    symptom: str
    fix: str
    checklist_item: int | None = None
    note: str = ""
    net: str = "relu,softmax_ce"
    source: str = "core.net"

    def to_dict(self):
        """The record as plain JSON-ready data."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "title": self.title,
            "function": self.function,
            "symptom": self.symptom,
            "fix": self.fix,
            "checklist_item": self.checklist_item,
            "net": self.net,
        }
