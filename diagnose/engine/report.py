"""The Report: what the engine observed and concluded; text and JSON come from this one object."""
from dataclasses import dataclass, replace

from diagnose.engine.findings import ERROR, HEALTHY, UNKNOWN, Caution, Failure, Finding, Stage, TensorCheck
from diagnose.engine.remedies import BACKWARD, FORWARD, TERMS as KNOWN, family_label, remedy, term
from diagnose.engine.render import render_report


def conclude(findings, failure=None):
    """(verdict, faults, cautions, first failing stage) from the findings, in stage order.

    The verdict is the first fault; `healthy` when there is none, even with cautions;
    `unknown` when a stage failed without naming a fault; `error` when the subject failed.
    """
    faults = tuple(dict.fromkeys(f.fault for f in findings if f.fault and not f.passed))
    cautions = {}
    for f in findings:
        if f.caution and f.caution not in cautions:
            title, fix = remedy(f.caution)  # the Report words it for its member
            cautions[f.caution] = Caution(f.caution, title, f.observed, fix)
    failed = {f.stage for f in findings if not f.passed}
    stage = next((s.value for s in Stage if s in failed), None)
    if failure:
        return ERROR, faults, tuple(cautions.values()), failure.stage
    verdict = faults[0] if faults else (UNKNOWN if failed else HEALTHY)
    return verdict, faults, tuple(cautions.values()), stage


@dataclass(frozen=True, repr=False)
class Report:
    """What the engine observed and concluded about one subject."""

    verdict: str
    faults: tuple
    stage: str | None
    findings: tuple
    checks: tuple
    forward_calls: int
    shape: tuple
    seed: int
    skipped: tuple = ()
    failure: Failure | None = None
    notes: tuple = ()
    net: str | None = None  # the member of the net family judged, e.g. "tanh,sigmoid_bce" (core.family spec)
    net_basis: str = ""  # "recognised from the loss", "given", "gradients", "nearest" or "default"
    cautions: tuple = ()  # Caution records: right on ordinary inputs, but fragile; never change the verdict
    functions: tuple = (FORWARD, BACKWARD)  # the subject's own names for its forward and backward parts

    def __post_init__(self):
        """Each caution worded for the member judged, however the report was assembled (conclude, a rebuild)."""
        worded = tuple(replace(c, title=remedy(c.id, self.net)[0], fix=remedy(c.id, self.net)[1])
                       if c.id in KNOWN else c for c in self.cautions)
        object.__setattr__(self, "cautions", worded)

    def function_of(self, fault_id):
        """The subject's function a fault or caution is in (its forward or its backward part)."""
        return self.functions[0] if term(fault_id).where == FORWARD else self.functions[1]

    @property
    def errors(self):
        """{tensor: relative error} from the gradient check."""
        return {c.name: c.rel_error for c in self.checks}

    @property
    def ratios(self):
        """{tensor: analytic / numeric} where that ratio is one constant, else None."""
        return {c.name: (c.ratio if c.constant else None) for c in self.checks}

    @property
    def evidence(self):
        """Findings as sentences, in the order a person would say them in an interview."""
        return tuple(f"{f.observed}{': ' + f.meaning if f.meaning else ''}" for f in self.findings if not f.passed)

    @property
    def fix(self):
        """How to fix every fault found, one line each."""
        return "\n".join(f"{fault}: {remedy(fault, self.net)[1]}" for fault in self.faults)

    @property
    def blame(self):
        """Where the verdict's fault is: {"function": ..., "tensors": [...]} ([] = not one tensor), else None."""
        if not self.faults:
            return None
        fault = self.faults[0]
        return {"function": self.function_of(fault), "tensors": list(self.tensors_of(fault))}

    def tensors_of(self, fault):
        """The tensors the findings naming `fault` are about; () when they are not about some of them."""
        return tuple(dict.fromkeys(t for f in self.findings if f.fault == fault for t in f.tensors))

    def to_dict(self):
        N, D, H, C = self.shape
        return {
            "verdict": self.verdict,
            "faults": list(self.faults),
            "family": family_label(self.faults[0]) if self.faults else None,
            "families": {fault: family_label(fault) for fault in self.faults},
            "blame": self.blame,
            "cautions": [c.to_dict() for c in self.cautions],
            "functions": list(self.functions),
            "stage": self.stage,
            "errors": self.errors,
            "ratios": self.ratios,
            "evidence": list(self.evidence),
            "fix": self.fix,
            "forward_calls": self.forward_calls,
            "probe": {"seed": self.seed, "N": N, "D": D, "H": H, "C": C},
            "findings": [f.to_dict() for f in self.findings],
            "checks": [c.to_dict() for c in self.checks],
            "skipped": list(self.skipped),
            "notes": list(self.notes),
            "failure": self.failure.to_dict() if self.failure else None,
            "net": self.net,
            "net_basis": self.net_basis,
        }

    @classmethod
    def from_dict(cls, doc):
        """The Report that `to_dict` wrote: how `check` rebuilds a child process's report.

        The derived keys (errors, ratios, evidence, fix) are recomputed, not read.
        """
        probe = doc["probe"]
        return cls(
            verdict=doc["verdict"],
            faults=tuple(doc["faults"]),
            stage=doc["stage"],
            findings=tuple(Finding.from_dict(f) for f in doc["findings"]),
            checks=tuple(TensorCheck.from_dict(c) for c in doc["checks"]),
            forward_calls=doc["forward_calls"],
            shape=(probe["N"], probe["D"], probe["H"], probe["C"]),
            seed=probe["seed"],
            skipped=tuple(doc["skipped"]),
            failure=Failure.from_dict(doc["failure"]) if doc["failure"] else None,
            notes=tuple(doc["notes"]),
            net=doc.get("net"),
            net_basis=doc.get("net_basis", ""),
            cautions=tuple(Caution.from_dict(c) for c in doc.get("cautions", ())),
            functions=tuple(doc.get("functions", (FORWARD, BACKWARD))),
        )

    def text(self):
        """The full report for people: verdict, every stage's findings, the fix."""
        return render_report(self, reveal=True)

    def observations_text(self):
        """What was observed, without the verdict, the fault names or the fix (for drills)."""
        return render_report(self, reveal=False)

    def __repr__(self):
        """Short: the verdict, the faults and the first failing stage (the whole report is .text())."""
        return f"Report(verdict={self.verdict!r}, faults={self.faults!r}, stage={self.stage!r})"

    def _repr_html_(self):
        """Jupyter shows the report as a heading and tables."""
        from diagnose.engine.html import report_html  # html imports the full check: load it only when asked
        return report_html(self)
