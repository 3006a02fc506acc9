"""Findings: the small frozen records each stage of the engine produces."""
import enum
from dataclasses import dataclass


class Stage(str, enum.Enum):
    """The engine's stages, in the order an expert checks them."""

    SHAPES = "shapes and types"
    PURITY = "purity"
    STABILITY = "stability"
    PRECISION = "precision"
    GRADCHECK = "gradient check"
    ISOLATION = "layer isolation"


HEALTHY, UNKNOWN, ERROR = "healthy", "unknown", "error"


@dataclass(frozen=True)
class Finding:
    """One observation of a stage: what was seen, what it means, the fault it names if any."""

    stage: Stage
    passed: bool
    observed: str
    meaning: str = ""
    fault: str | None = None
    caution: str | None = None  # the id of a caution: right on ordinary inputs, but fragile (passed stays True)
    tensors: tuple = ()  # the tensors the fault or caution is about, when it is about some and not all

    def to_dict(self):
        return {"stage": self.stage.value, "passed": self.passed, "observed": self.observed,
                "meaning": self.meaning, "fault": self.fault, "caution": self.caution, "tensors": list(self.tensors)}

    @classmethod
    def from_dict(cls, doc):
        """The Finding that `to_dict` wrote (a report comes back from a child process as JSON)."""
        return cls(Stage(doc["stage"]), doc["passed"], doc["observed"], doc["meaning"], doc["fault"],
                   doc.get("caution"), tuple(doc.get("tensors", ())))


@dataclass(frozen=True)
class Caution:
    """Code that is right on ordinary inputs but fragile or unusual: reported, yet not a fault."""

    id: str
    title: str
    evidence: str
    fix: str

    def to_dict(self):
        return {"id": self.id, "title": self.title, "evidence": self.evidence, "fix": self.fix}

    @classmethod
    def from_dict(cls, doc):
        """The Caution that `to_dict` wrote."""
        return cls(doc["id"], doc["title"], doc["evidence"], doc["fix"])


@dataclass(frozen=True)
class TensorCheck:
    """Gradient check of one tensor: relative error, ratio analytic/numeric, one sampled entry."""

    name: str
    rel_error: float | None
    ratio: float | None
    constant: bool
    index: tuple | None = None
    analytic: float | None = None
    numeric: float | None = None

    def to_dict(self):
        return {"tensor": self.name, "rel_error": self.rel_error, "ratio": self.ratio, "constant": self.constant,
                "index": list(self.index) if self.index is not None else None,
                "analytic": self.analytic, "numeric": self.numeric}

    @classmethod
    def from_dict(cls, doc):
        """The TensorCheck that `to_dict` wrote."""
        index = tuple(doc["index"]) if doc["index"] is not None else None
        return cls(doc["tensor"], doc["rel_error"], doc["ratio"], doc["constant"], index,
                   doc["analytic"], doc["numeric"])


@dataclass(frozen=True)
class Failure:
    """The subject's code raised, exited or returned something unusable."""

    stage: str
    call: str
    message: str
    trace: tuple = ()

    def to_dict(self):
        return {"stage": self.stage, "call": self.call, "message": self.message, "trace": list(self.trace)}

    @classmethod
    def from_dict(cls, doc):
        """The Failure that `to_dict` wrote."""
        return cls(doc["stage"], doc["call"], doc["message"], tuple(doc["trace"]))
