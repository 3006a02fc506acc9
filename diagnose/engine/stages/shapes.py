"""Stage 1, shapes and types: the first thing to compare when a check fails.

Everything the subject returned is looked at before any number is trusted: the loss must
be a finite real scalar and equal the net's mean cross-entropy on the probe (else a
forward fault is named), and each gradient must be a real floating array of its param's
shape with finite values. Output no later stage can use is named here, with what it was.
"""
import numpy as np

from core import PARAM_KEYS, family
from diagnose.engine.member import loss_words
from diagnose.engine.findings import Finding, Stage
from diagnose.engine.stages.context import Halt

S = Stage.SHAPES


def low_precision(dtype):
    """A floating dtype narrower than float64 (float32, float16): finite differences drown in it."""
    return np.issubdtype(dtype, np.floating) and np.finfo(dtype).bits < 64


def normalise(name, g, param, N):
    """(gradient in the param's shape or None, fault id or None) for one returned gradient."""
    want = param.shape
    if g.shape == want:
        return g, None
    if param.ndim == 2 and g.shape == want[::-1]:
        return g.T, f"d{name}_transposed"
    if param.ndim == 1 and g.shape == (1, param.size):
        return g.reshape(want), f"d{name}_keepdims"
    if param.ndim == 1 and g.shape == (N,):
        return None, f"d{name}_wrong_axis"
    if param.ndim == 1 and g.shape == ():
        return (g.reshape(want) if param.size == 1 else None), f"d{name}_scalar"
    return None, "shape_mismatch"


def shape_meaning(fault, name, g, param):
    """Why a gradient of this shape comes out, in a person's words."""
    if fault.endswith("_transposed"):
        return f"the transpose of {name}'s {param.shape}: a product in the wrong order (dZ.T @ input)"
    if fault.endswith("_keepdims"):
        return (f"a sum with keepdims=True leaves shape {g.shape}; the in-place update "
                f"`{name} -= lr * d{name}` then fails to broadcast")
    if fault.endswith("_scalar"):
        return (f"a sum over every axis gives one number; `{name} -= lr * d{name}` then adds it to every entry "
                "without an error")
    if fault.endswith("_wrong_axis"):
        return "length N: summed over axis 1 (the units) instead of axis 0 (the batch)"
    return f"expected {param.shape}"


def describe(value):
    """A short, true description of a Python value: 'None', "a str ('abc')", 'a float (0.5)'."""
    if value is None:
        return "None"
    text = repr(value)
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"a {type(value).__name__} ({text})"


# -- the loss -------------------------------------------------------------------------------

def loss_value(ctx):
    """The subject's loss as a float, or a finding that names why it is unusable (then Halt)."""
    raw = ctx.loss
    loss = np.asarray(raw) if isinstance(raw, (int, float, complex, np.generic, np.ndarray)) else None
    if loss is not None and np.iscomplexobj(loss) and loss.ndim == 0:
        return None, Finding(S, False, f"the loss is {complex(loss)!r}, a complex number ({loss.dtype})",
                             "a complex loss has no gradient check: some array in forward is complex", "loss_complex")
    if loss is not None and loss.ndim > 0 and loss.size == 1 and np.issubdtype(loss.dtype, np.number):
        ctx.loss_shape = loss.shape  # one number in an array: usable, a caution
        loss = loss.reshape(())
    if loss is None or loss.ndim != 0 or not np.issubdtype(loss.dtype, np.number):
        seen = f"the loss has shape {loss.shape} ({loss.dtype})" if loss is not None else f"the loss is {describe(raw)}"
        meaning = ("a dict where the loss should be: return the pair in the order (loss, grads)"
                   if isinstance(raw, dict) else "the loss must be one real number")
        return None, Finding(S, False, seen + ", not a real scalar", meaning, "loss_not_scalar")
    if not np.isfinite(loss):
        return None, Finding(S, False, f"the loss at a moderate probe is {float(loss)}",
                             "a division by zero or an overflow in the forward pass", "loss_nonfinite")
    ctx.loss_dtype = loss.dtype
    return float(loss), None


def log_softmax(Z, axis):
    """log softmax(Z) along `axis`, max-shifted along the same axis."""
    shifted = Z - Z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def forward_patterns(probe):
    """[(fault id, what it looks like, the loss it gives on the probe)] for known forward mistakes."""
    if probe.net.head != "softmax_ce":
        return member_patterns(probe)
    N = probe.X.shape[0]
    P, y, Z2 = probe.P, probe.y, probe.Z2
    rows = Z2 - Z2.max(axis=1, keepdims=True)  # shifted per row, as usual
    col_normalised = rows - np.log(np.exp(rows).sum(axis=0, keepdims=True))  # ... then normalised per column
    pairs = -np.mean(np.log(P[:, y]))  # what P[np.arange(N), y] gives when y has shape (N, 1)
    axis0 = "it equals the cross-entropy of a softmax normalised over axis 0 (the batch)"
    return [
        ("labels_n1", "it equals the mean of -log P[i, y_j] over all N x N pairs", pairs),
        ("labels_n1", "it equals the sum of -log P[i, y_j] over all N x N pairs, divided by N", N * pairs),
        ("softmax_wrong_axis", axis0, -np.mean(log_softmax(Z2, 0)[np.arange(N), y])),
        ("softmax_wrong_axis", axis0 + ", after a shift by each row's max", -np.mean(col_normalised[np.arange(N), y])),
    ]


def member_patterns(probe):
    """The known forward mistakes of a sigmoid head: binary cross-entropy without its (1 - y) term, and the
    (N, 1) output against (N,) labels, which broadcast to an (N, N) loss."""
    if probe.net.head != "sigmoid_bce":
        return []
    y, z = probe.y, probe.Z2[:, 0]
    N = len(y)
    scale = family.convention_scale(probe.net.convention, N, 1)
    pairs = np.mean(np.logaddexp(0, z)) - np.mean(y) * np.mean(z)  # mean over i, j of log(1 + e^z_i) - y_j z_i
    pairs_words = "it equals the binary cross-entropy of every output s_i against every label y_j (an N x N array)"
    return [("bce_no_one_minus_y", "it equals the binary cross-entropy without its (1 - y) log(1 - s) term",
             scale * np.sum(y * np.logaddexp(0, -z))),  # -sum y log s(z)
            ("bce_labels_broadcast", pairs_words + ", averaged", pairs),
            ("bce_labels_broadcast", pairs_words + ", summed", N * N * pairs)]


def log_eps_of(probe, loss):
    """The epsilon e with loss = -mean log(p_y + e), when e is a round 1, 2 or 5 x 10^-k in [1e-9, 1e-3]; else None.

    An epsilon inside the log lowers the loss a little; solving for it, and asking for a
    round value people write, tells it apart from a loss that is wrong in another way.
    """
    N = probe.X.shape[0]
    p_y = probe.P[np.arange(N), probe.y]
    lo, hi = -16.0, -1.0  # log10 of epsilon; -mean log(p_y + e) falls as e grows
    if not -np.mean(np.log(p_y + 10**hi)) <= loss < probe.loss:
        return None
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if -np.mean(np.log(p_y + 10**mid)) > loss else (lo, mid)
    eps = 10 ** ((lo + hi) / 2)
    mantissa = eps / 10 ** np.floor(np.log10(eps))
    round_value = any(abs(mantissa - m) < 1e-3 * m for m in (1, 2, 5, 10))
    return float(eps) if round_value and 1e-9 * 0.999 <= eps <= 1e-3 * 1.001 else None


PATTERN_MEANINGS = {
    "bce_labels_broadcast": "the output of shape (N, 1) and the labels of shape (N,) broadcast to (N, N)",
    "bce_no_one_minus_y": "the examples with y = 0 add nothing to the loss: -[y log s + (1 - y) log(1 - s)] "
                          "has two terms",
    "labels_n1": "the labels broadcast as an (N, 1) column",
    "softmax_wrong_axis": "softmax sums over the batch instead of over the classes of each row",
}


def check_loss(ctx):
    """The loss is a finite real scalar; compare it with the member's loss (the mean cross-entropy by default)."""
    loss, unusable = loss_value(ctx)
    if unusable:
        return [unusable]
    findings = [] if ctx.loss_shape is None else [
        Finding(S, True, f"the loss is an array of shape {ctx.loss_shape} holding one number",
                "usable, but `loss < best` or a print of it gives an array: return a float", caution="loss_shape")]
    return findings + compare_loss(ctx, loss)


def compare_loss(ctx, loss):
    """The loss against the member's (the net's mean cross-entropy by default): equal, a sum, or a forward fault."""
    probe = ctx.probe
    ref, N = probe.loss, probe.X.shape[0]
    ctx.loss, ctx.loss_ratio = loss, loss / probe.mean_loss  # against the mean over N, whatever the convention
    tol = 1e-5  # an epsilon such as log(P + 1e-8) is no fault
    if low_precision(ctx.loss_dtype):  # float32: 1e-4; float16 rounds the loss itself to ~1e-3
        tol = max(1e-4, 10 * float(np.finfo(ctx.loss_dtype).eps))
    words = loss_words(probe.net)
    seen = f"the loss is {loss:.6g} where {words} of the net on the probe is {ref:.6g}"
    softmax_mean = probe.net.head == "softmax_ce" and probe.net.convention == "mean"
    eps = None if ctx.input_changes or not softmax_mean else log_eps_of(probe, loss)
    if eps:  # the gradient check then tolerates what the epsilon explains, and only that
        p_min = float(probe.P[np.arange(N), probe.y].min())
        ctx.eps_tol = 10 * eps / p_min  # the gradient moves by up to eps / p_y
        eps_caution = Finding(S, True, f"{seen}: it equals -mean log(p_y + {eps:.0e}), an epsilon inside the log",
                              f"right, but the epsilon moves the loss and its gradient by up to {eps / p_min:.0e} "
                              "relative", caution="log_eps")
    if abs(loss / ref - 1) < tol or eps:
        ctx.loss_is_net = True
        ctx.loss_summed = probe.net.convention.removeprefix("half_") == "sum"  # a sum (1/2 or not): the gradient check says of what
        kind = "a finite number" if ctx.loss_shape else "a finite scalar"
        if eps and eps / p_min >= 1e-5:  # an effect the gradient check can see: say where it comes from
            return [eps_caution]
        return [Finding(S, True, f"the loss {loss:.6g} is {kind} and equals {words}")]
    if probe.net.convention == "mean" and abs(ctx.loss_ratio - N) < N * tol:
        ctx.loss_summed = True
        return [Finding(S, True, f"{seen}: N = {N} times it, the sum over the batch (the gradient check "
                                 "tells whether the gradients are those of the sum)")]
    ratio = f" (ratio {loss / ref:.4f})"
    if ctx.input_changes:
        return [Finding(S, False, seen + ratio,
                        f"{ctx.subject.forward_name} edited its own inputs (see purity), so it computed another loss")]
    for fault, observed, pattern in forward_patterns(probe):
        if abs(loss / pattern - 1) < tol:
            return [Finding(S, False, f"{seen}; {observed}", PATTERN_MEANINGS[fault], fault)]
    seen += ratio
    match = ctx.loss_match
    if ctx.net_basis in ("gradients", "nearest", "default") and match is not None:
        seen += (f"; no member of the net family has this loss: the nearest is {match.net} ({match.net.describe()}) "
                 f"with {match.loss:.6g}, a relative difference of {match.distance:.1e}")
    return [Finding(S, False, seen, "the forward pass computes another loss; the gradient stages still check "
                                    "backward against this loss", "forward_wrong")]


# -- the gradients --------------------------------------------------------------------------

def check_container(grads):
    """([findings], the keys present) for the gradients' container."""
    if not isinstance(grads, dict):
        return [Finding(S, False, f"the gradients are {describe(grads)}, not a dict with keys "
                                  f"{', '.join(PARAM_KEYS)}", "backward must return one gradient per param by name",
                        "grads_not_dict")], []
    findings = []
    missing = [k for k in PARAM_KEYS if k not in grads]
    extra = [k for k in grads if k not in PARAM_KEYS]
    if missing:
        findings.append(Finding(S, False, f"the gradients lack {', '.join(missing)} (keys given: "
                                          f"{', '.join(map(str, grads)) or 'none'})",
                                "every param needs its gradient", "grads_missing", tensors=tuple(missing)))
    if extra:
        findings.append(Finding(S, True, f"the gradients carry extra keys {', '.join(map(str, extra))}, ignored"))
    return findings, [k for k in PARAM_KEYS if k in grads]


def as_array(raw):
    """(array, None) for a real floating array; else (None, (fault, what it is, what that means))."""
    g = raw if isinstance(raw, np.ndarray) else np.asarray(raw) if isinstance(raw, np.generic) else None  # np.sum
    if isinstance(raw, (list, tuple)):
        try:
            g = np.asarray(raw)
        except ValueError:  # a ragged list
            g = None
    if g is None or not (np.issubdtype(g.dtype, np.number) or g.dtype == bool):
        if isinstance(raw, np.ndarray):
            what = f"an array of dtype {raw.dtype}"
        elif isinstance(raw, (list, tuple)):
            what = f"a {type(raw).__name__} that is no rectangular array of numbers"
        else:
            what = describe(raw)
        return None, ("grad_not_array", f"{what}, not an array of numbers", "backward must return numpy arrays")
    if np.iscomplexobj(g):
        imag = float(np.abs(g.imag).max()) if g.size else 0.0
        return None, ("grad_complex", f"dtype {g.dtype} (largest imaginary part {imag:.3g})",
                      "a gradient must be real: some array in backward is complex")
    if not np.issubdtype(g.dtype, np.floating):
        return None, ("grad_integer", f"dtype {g.dtype}, not a floating dtype",
                      "an integer gradient holds whole numbers only: astype(int) or an integer array "
                      "(np.zeros(n, dtype=int)) drops every fraction")
    return g, None


def named(names, singular, plural):
    """'dW1 is' or 'dW1, db1 are'."""
    return f"{', '.join('d' + k for k in names)} {singular if len(names) == 1 else plural}"


def type_findings(unusable):
    """One finding per kind of unusable gradient: {name: (fault, what, meaning)} grouped by (fault, what)."""
    groups = {}
    for name, key in unusable.items():
        groups.setdefault(key, []).append(name)
    findings = []
    for (fault, what, meaning), names in groups.items():
        verb = ("is", "are") if fault == "grad_not_array" else ("has", "have")
        findings.append(Finding(S, False, f"{named(names, *verb)} {what}", meaning, fault, tensors=tuple(names)))
    return findings


def nonfinite_finding(bad):
    """One finding for the gradients that hold NaN or inf: 'every gradient is NaN' when that is what was seen."""
    if set(bad) == set(PARAM_KEYS) and all(np.isnan(g).all() for g in bad.values()):
        seen = "every gradient is NaN in every entry"
    else:
        seen = "; ".join(f"d{k} holds {int((~np.isfinite(g)).sum())} non-finite of {g.size} entries"
                         for k, g in bad.items())
    return Finding(S, False, seen + " at a moderate probe", "a division by zero, a log(0) or an overflow in backward",
                   "grads_nonfinite", tensors=tuple(bad))


def check_grads(ctx):
    """Findings on the gradients; the usable ones go to ctx.grads as float64 in the params' shapes."""
    findings, present = check_container(ctx.grads_raw)
    N = ctx.probe.X.shape[0]
    lists, unusable, nonfinite, skipped = [], {}, {}, []
    for name in present:
        raw, param = ctx.grads_raw[name], ctx.probe.params[name]
        g, why = as_array(raw)
        if why:
            unusable[name] = why
            continue
        if isinstance(raw, (list, tuple)):
            lists.append(name)
        ctx.grads_dtypes[name] = g.dtype
        normal, fault = normalise(name, g, param, N)
        if fault:
            findings.append(Finding(S, False, f"d{name} has shape {g.shape}, {name} has {param.shape}",
                                    shape_meaning(fault, name, g, param), fault, tensors=(name,)))
        if fault and normal is not None:  # the later stages judge the values: say that they saw them in the param's shape
            how = "transposed" if fault.endswith("_transposed") else "reshaped"
            ctx.notes.append(f"the later stages judge d{name} {how} to {name}'s shape {param.shape}")
        if normal is None:
            skipped.append(f"gradient check of {name}: its gradient has shape {g.shape}")
        elif not np.all(np.isfinite(normal)):
            nonfinite[name] = normal
        else:
            ctx.grads[name] = normal.astype(np.float64)
    findings += type_findings(unusable)
    skipped += [f"gradient check of {name}: d{name} is not a real floating array" for name in unusable]
    if nonfinite:
        findings.append(nonfinite_finding(nonfinite))
        skipped += [f"gradient check of {name}: d{name} is not finite" for name in nonfinite]
    if lists:
        findings.append(Finding(S, True, f"{named(lists, 'is a Python list', 'are Python lists')}",
                                "right values, but `W -= lr * dW` fails on a list: return numpy arrays",
                                caution="grads_as_lists", tensors=tuple(lists)))
    if ctx.grads:
        ctx.skipped += skipped  # with no usable gradient at all, the halt says it once
    return findings


def run(ctx):
    """The loss as a finite real scalar equal to the net's; keys, types, shapes and finiteness of the grads."""
    findings = check_loss(ctx)
    if not findings[-1].passed and findings[-1].fault in ("loss_complex", "loss_not_scalar", "loss_nonfinite"):
        raise Halt(findings, "the loss is unusable, so no difference of it can be taken")
    grads = check_grads(ctx)
    findings += grads
    if not ctx.grads:
        raise Halt(findings, "no gradient is a usable array of its param's shape")
    if low_precision(ctx.loss_dtype) or any(low_precision(dt) for dt in ctx.grads_dtypes.values()):
        ctx.match_tol = 1e-3  # float32 rounding: identities hold to ~1e-4 only
    if all(f.passed for f in grads) and len(ctx.grads) == len(PARAM_KEYS):
        findings.append(Finding(S, True, "the gradients have the params' keys and shapes and finite values"))
    return findings
