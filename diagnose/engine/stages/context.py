"""What the stages share: the probe, the subject, and what was observed of it so far."""
from dataclasses import dataclass, field

import numpy as np

from diagnose.engine.probe import Probe
from diagnose.engine.subject import Subject, SubjectFailed


class Halt(Exception):
    """Output no later stage can use: `findings` so far say why (a named fault); the rest is skipped."""

    def __init__(self, findings, reason):
        super().__init__(reason)
        self.findings, self.reason = findings, reason


@dataclass
class Context:
    """Mutable scratch space of one diagnosis; only the engine builds the frozen Report."""

    probe: Probe
    subject: Subject
    loss: float | None = None
    loss_dtype: np.dtype | None = None
    grads_raw: object = None
    grads: dict = field(default_factory=dict)  # normalised to the params' shapes; absent = unusable
    grads_dtypes: dict = field(default_factory=dict)
    snapshots: dict = field(default_factory=dict)  # "before"/"after"/"after_second": {path: array}
    grads_second: object = None
    low_precision: bool = False
    h: float = 1e-5  # finite-difference step
    tol: float = 1e-5  # gradient-check relative error that passes
    match_tol: float = 1e-6  # tolerance for exact identities (least squares, masks)
    loss_ratio: float | None = None  # subject loss / reference loss
    loss_is_net: bool = False  # the loss equals the net's mean cross-entropy on the probe
    eps_tol: float = 0.0  # relative error an epsilon inside the subject's log explains (0: none seen)
    loss_shape: tuple | None = None  # the shape of a one-number array loss
    loss_summed: bool = False  # the loss is N times the mean: a sum over the batch
    input_changes: list = field(default_factory=list)  # (path, how) of X, y, params edited by the forward pass
    checks: dict = field(default_factory=dict)  # tensor -> TensorCheck
    explained: dict = field(default_factory=dict)  # tensor -> fault id that accounts for its error
    scaled: dict = field(default_factory=dict)  # tensor -> the constant ratio it alone carries (stage 5)
    skipped: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    net_basis: str = "recognised from the loss"  # or "given", "gradients", "nearest", "default" (engine/recognise.py)
    loss_match: object = None  # member.Match: the member whose loss is nearest the subject's
    penalty: tuple | None = None  # (c, names): loss = the member's + c * sum of the named params squared

    def params_with(self, name=None, delta=None):
        """Fresh copies of the probe's params, with `delta` added to tensor `name`."""
        params = self.probe.fresh_params()
        if name is not None:
            params[name] = params[name] + delta
        return params

    def subject_loss(self, params, X=None, y=None):
        """The subject's loss at params (on the probe's data unless X, y given), as a float."""
        X = self.probe.X if X is None else X
        y = self.probe.y if y is None else y
        return self.as_loss(self.subject.loss(X.copy(), y.copy(), params))

    def as_loss(self, value):
        """A loss the subject returned, as a float; one that is no real number ends the diagnosis as its failure."""
        try:
            return float(np.asarray(value, dtype=np.float64).reshape(()))
        except (TypeError, ValueError):
            raise SubjectFailed(self.subject.stage, self.subject.forward_name,
                                f"returned a loss that is no real scalar: {type(value).__name__} "
                                f"{str(value)[:60]}", ()) from None

    @property
    def failing(self):
        """Tensors whose gradient check failed."""
        return [name for name, check in self.checks.items() if check.rel_error is None or check.rel_error > self.tol]

    @property
    def unexplained(self):
        """Failing tensors that no fault found so far accounts for."""
        return [name for name in self.failing if name not in self.explained]
