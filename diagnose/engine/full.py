"""The exhaustive elementwise check behind `diagnose run --full`, and its heat map.

Every entry of every tensor gets its own central difference of the subject's own
loss: 2 forward calls per parameter (about 400,000 at 784-256-10), which is why
the engine does not work this way. It is for people who want the whole error
table, and it shows *where* the error sits: with W1 drawn inputs x hidden units,
a unit whose ReLU is wrong shows as a column.
"""
from dataclasses import dataclass

import numpy as np

from core import PARAM_KEYS, rel_errors
from diagnose.engine.stages.shapes import normalise
from diagnose.engine.subject import Subject, SubjectFailed

H_STEP = 1e-5  # float64 central difference: truncation ~h^2, rounding ~1e-16 / h
STAGE = "full check"
RAMP = " .:-=+*#%@"  # one character per decade of relative error, best to worst
EDGES = 10.0 ** np.arange(-9, 0)  # ' ' < 1e-9 <= '.' < 1e-8 ... '%' < 1e-1 <= '@'
NOT_FINITE = "!"
MAX_ROWS, MAX_COLS = 60, 120  # larger tensors are max-pooled in blocks to fit a terminal
AXES = {  # (what the rows are, what the columns are)
    "W1": ("inputs", "hidden units"),
    "b1": (None, "hidden units"),
    "W2": ("hidden units", "classes"),
    "b2": (None, "classes"),
}


@dataclass(frozen=True)
class TensorErrors:
    """The full check of one tensor: analytic (in the param's shape, or None) and numeric gradients."""

    name: str
    numeric: np.ndarray
    analytic: np.ndarray | None
    note: str = ""

    @property
    def errors(self):
        """Per-entry |a - n| / max(1e-8, |a| + |n|); None when the analytic gradient is unusable."""
        return None if self.analytic is None else rel_errors(self.analytic, self.numeric)

    @property
    def worst(self):
        """(index, relative error) of the worst entry; a non-finite error counts as the worst."""
        err = self.errors
        if err is None:
            return None, None
        flat = np.where(np.isfinite(err), err, np.inf)
        idx = np.unravel_index(int(np.argmax(flat)), err.shape)
        return tuple(int(i) for i in idx), float(err[idx])

    def to_dict(self):
        """JSON-ready: the worst entry, its position and its two numbers (None where not finite)."""
        idx, worst = self.worst
        at = (lambda a: None) if idx is None else (lambda a: finite_or_none(a[idx]))
        return {
            "tensor": self.name,
            "shape": list(self.numeric.shape),
            "max_rel_error": finite_or_none(worst),
            "worst_index": None if idx is None else list(idx),
            "analytic": at(self.analytic),
            "numeric": at(self.numeric),
            "note": self.note,
        }


def finite_or_none(x):
    """float(x), or None for nan, inf and None: JSON has no nan."""
    return float(x) if x is not None and np.isfinite(x) else None


@dataclass(frozen=True)
class FullCheck:
    """Every tensor's elementwise check, with the forward calls it took; `failure` if the subject raised."""

    tensors: tuple
    h: float
    forward_calls: int
    failure: str | None = None

    def to_dict(self):
        return {"h": self.h, "forward_calls": self.forward_calls, "tensors": [t.to_dict() for t in self.tensors],
                "failure": self.failure}

    def _repr_html_(self):
        """Jupyter shows the check as SVG heat maps."""
        from diagnose.engine.html import full_html
        return full_html(self)


def n_params(probe):
    """Number of scalar parameters: the central differences a full check takes, halved."""
    return sum(p.size for p in probe.params.values())


def numeric_gradients(subject, probe, h=H_STEP, progress=None):
    """{tensor: dL/dtheta} by central differences of every entry: exactly 2 forward calls per parameter.

    Each call gets fresh copies of the probe's data and params, with one entry moved by +-h.
    `progress(n)` hears of n more entries done, about 200 times in all; the subject's exceptions become SubjectFailed.
    """
    subject = Subject.of(subject)
    subject.stage = STAGE
    every, pending = max(1, n_params(probe) // 200), 0  # tell progress ~200 times, not once an entry
    numeric = {}
    for name in PARAM_KEYS:
        grad = np.zeros(probe.params[name].shape)
        for idx in np.ndindex(grad.shape):
            losses = []
            for step in (h, -h):
                params = probe.fresh_params()
                params[name][idx] += step
                losses.append(scalar_loss(subject.loss(probe.X.copy(), probe.y.copy(), params)))
            grad[idx] = (losses[0] - losses[1]) / (2 * h)  # (L(p + h) - L(p - h)) / 2h
            pending += 1
            if progress and pending == every:
                progress(pending)
                pending = 0
        numeric[name] = grad
    if progress and pending:
        progress(pending)
    return numeric


def scalar_loss(loss):
    """The loss as a float64; a loss that is no scalar number is the subject's failure."""
    try:
        value = np.asarray(loss, dtype=np.float64)
        if value.ndim == 0:
            return float(value)
    except (TypeError, ValueError):
        pass
    raise SubjectFailed(STAGE, "forward_loss", f"the loss must be a scalar number, got {type(loss).__name__} "
                        f"{getattr(loss, 'shape', '')}".rstrip(), ())


def analytic_gradients(subject, probe):
    """{tensor: (gradient in the param's shape or None, note)} from one forward and backward call."""
    subject = Subject.of(subject)
    subject.stage = STAGE
    _, grads, _ = subject.loss_and_grads(probe.X.copy(), probe.y.copy(), probe.fresh_params())
    grads = grads if isinstance(grads, dict) else {}
    out = {}
    for name in PARAM_KEYS:
        if name not in grads:
            out[name] = (None, "no gradient returned")
            continue
        g = np.asarray(grads[name])
        normal, fault = normalise(name, g, probe.params[name], probe.X.shape[0])
        if normal is None:
            out[name] = (None, f"gradient has shape {g.shape}, {name} has {probe.params[name].shape}: not compared")
        else:
            out[name] = (normal.astype(np.float64), f"compared after undoing {fault}" if fault else "")
    return out


def full_check(subject, probe, h=H_STEP, progress=None):
    """The exhaustive check: 1 forward call for the analytic gradients, then 2 per parameter.

    A subject that raises ends the check: the FullCheck then has no tensors and says why.
    """
    subject = Subject.of(subject)
    start = subject.forward_calls
    try:
        analytic = analytic_gradients(subject, probe)
        numeric = numeric_gradients(subject, probe, h, progress)
    except SubjectFailed as exc:
        return FullCheck((), h, subject.forward_calls - start, str(exc))
    tensors = tuple(TensorErrors(name, numeric[name], *analytic[name]) for name in PARAM_KEYS)
    return FullCheck(tensors, h, subject.forward_calls - start)


def bucket_chars(err):
    """One RAMP character per entry by log10 bucket of the relative error; NOT_FINITE for nan/inf."""
    err = np.asarray(err, dtype=np.float64)
    chars = np.array(list(RAMP))[np.searchsorted(EDGES, np.nan_to_num(err, nan=0.0), side="right")]
    return np.where(np.isfinite(err), chars, NOT_FINITE)


def downsample(err, max_rows=MAX_ROWS, max_cols=MAX_COLS):
    """(2-D error grid, block shape): max-pooled in blocks so a single bad entry stays visible."""
    grid = np.atleast_2d(np.asarray(err, dtype=np.float64))
    grid = np.where(np.isnan(grid), np.inf, grid)  # a nan must survive the max as the worst
    R, C = grid.shape
    br, bc = -(-R // max_rows), -(-C // max_cols)  # ceil division
    if (br, bc) == (1, 1):
        return grid, (1, 1)
    padded = np.full((-(-R // br) * br, -(-C // bc) * bc), -np.inf)
    padded[:R, :C] = grid
    blocks = padded.reshape(padded.shape[0] // br, br, padded.shape[1] // bc, bc)
    return blocks.max(axis=(1, 3)), (br, bc)


def heatmap(tensor):
    """Lines picturing one tensor's per-entry relative error, framed, with what rows and columns are."""
    shape = tensor.numeric.shape
    head = f"{tensor.name} {' x '.join(map(str, shape))}"
    err = tensor.errors
    if err is None:
        return [f"{head}: {tensor.note}"]
    idx, worst = tensor.worst
    head += (f": max relative error {worst:.1e} at {list(idx)} "
             f"(analytic {tensor.analytic[idx]:.4g}, numeric {tensor.numeric[idx]:.4g})")
    if tensor.note:
        head += f"; {tensor.note}"
    grid, (br, bc) = downsample(err)
    rows, cols = AXES.get(tensor.name, (None, "entries"))
    axes = (f"rows: {rows}, " if rows else "") + f"columns: {cols}"
    if (br, bc) != (1, 1):
        axes += f"; downsampled: each character is the worst of a {br} x {bc} block"
    chars = bucket_chars(grid)
    border = "+" + "-" * grid.shape[1] + "+"
    return [head, f"  ({axes})", "  " + border, *("  |" + "".join(row) + "|" for row in chars), "  " + border]


def legend():
    """What each character means."""
    parts = [f"'{RAMP[0]}' < {EDGES[0]:.0e}"]
    parts += [f"'{c}' < {hi:.0e}" for c, hi in zip(RAMP[1:-1], EDGES[1:])]
    parts += [f"'{RAMP[-1]}' >= {EDGES[-1]:.0e}", f"'{NOT_FINITE}' nan or inf"]
    return "relative error per entry: " + ", ".join(parts)


def render_full(check):
    """The whole full check for the terminal: the legend, then one heat map per tensor."""
    lines = [f"full elementwise check: {check.forward_calls} forward calls, h = {check.h:g}"]
    if check.failure:
        return "\n".join(lines + [f"stopped: {check.failure}"]) + "\n"
    lines.append(legend())
    for tensor in check.tensors:
        lines += ["", *heatmap(tensor)]
    return "\n".join(lines) + "\n"
