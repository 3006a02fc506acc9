"""Stage 1, shapes and types: the first thing to compare when a check fails."""
import numpy as np

from core import PARAM_KEYS, family
from diagnose.engine.member import loss_words
from diagnose.engine.findings import Finding, Stage
from diagnose.engine.stages.context import Stop

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
        return f"length N: summed over axis 1 (the units) instead of axis 0 (the batch)"
    return f"expected {param.shape}"


def check_grads_container(grads):
    """A dict with exactly the params' keys, else Stop."""
    if not isinstance(grads, dict):
        raise Stop(f"backward returned a {type(grads).__name__}; expected a dict with keys {', '.join(PARAM_KEYS)}")
    missing = [k for k in PARAM_KEYS if k not in grads]
    extra = [k for k in grads if k not in PARAM_KEYS]
    if missing:
        raise Stop(f"the gradients lack {', '.join(missing)}; expected keys {', '.join(PARAM_KEYS)}")
    return extra


def check_loss(ctx):
    """The loss is a finite scalar; compare it with the member's reference loss."""
    loss = np.asarray(ctx.loss)
    if loss.ndim != 0 or not np.issubdtype(loss.dtype, np.number):
        raise Stop(f"the loss must be a scalar, got {type(ctx.loss).__name__} of shape {loss.shape}")
    if not np.isfinite(loss):
        raise Stop(f"the loss at a moderate probe is {float(loss)}, expected a finite number")
    ctx.loss_dtype = loss.dtype
    probe = ctx.probe
    ref, N = probe.loss, probe.X.shape[0]
    ctx.loss_ratio = float(loss) / probe.mean_loss  # against the mean over N, whatever the convention
    tol = 1e-4 if low_precision(loss.dtype) else 1e-5  # an epsilon such as log(P + 1e-8) is no fault
    words = loss_words(probe.net)
    seen = f"the loss is {float(loss):.6g} where {words} of the probe is {ref:.6g}"
    if abs(float(loss) / ref - 1) < tol:
        return [Finding(S, True, f"the loss {float(loss):.6g} is a finite scalar and equals {words}")]
    if probe.net.convention == "mean" and abs(ctx.loss_ratio - N) < N * tol:
        return [Finding(S, False, f"{seen} (ratio {ctx.loss_ratio:.4f} = N)",
                        "the loss is summed over the batch, not averaged", "loss_summed")]
    for fault, what, wrong in wrong_losses(probe):
        if abs(float(loss) / wrong - 1) < tol:
            return [Finding(S, False, f"{seen}; it equals {what}", wrong_loss_meaning(fault), fault)]
    match = ctx.loss_match
    if ctx.net_basis in ("gradients", "nearest", "default") and match is not None:
        return [Finding(S, False, f"the loss {float(loss):.6g} matches no member of the net family: the nearest is "
                                  f"{match.net} ({match.net.describe()}) with {match.loss:.6g}, a relative "
                                  f"difference of {match.distance:.1e}",
                        "the forward pass computes a different loss; the gradient stages look for where")]
    return [Finding(S, False, f"{seen} (ratio {float(loss) / ref:.4f})",
                    "the forward pass computes a different loss; the gradient stages look for where")]


def wrong_losses(probe):
    """(fault, what it is, its loss on the probe) for the named wrong forms of the member's loss."""
    net, y, N = probe.net, probe.y, probe.X.shape[0]
    if net.head == "softmax_ce":
        loss_n1 = -np.mean(np.log(probe.P[:, y]))  # what P[np.arange(N), y] gives when y has shape (N, 1)
        return [("labels_n1", "the mean of -log P[i, y_j] over all N x N pairs", loss_n1)]
    if net.head == "sigmoid_bce":
        scale = family.convention_scale(net.convention, N, 1)
        z = probe.Z2[:, 0]
        return [("bce_no_one_minus_y", "the binary cross-entropy without its (1 - y) log(1 - s) term",
                 scale * np.sum(y * np.logaddexp(0, -z)))]  # -sum y log s(z)
    return []


def wrong_loss_meaning(fault):
    """What a named wrong loss means."""
    return {"labels_n1": "the labels broadcast as an (N, 1) column",
            "bce_no_one_minus_y": "the examples with y = 0 add nothing to the loss: -[y log s + (1 - y) log(1 - s)] "
                                  "has two terms"}[fault]


def run(ctx):
    """Keys, shapes and finiteness of the grads; the loss as a finite scalar."""
    findings = check_loss(ctx)
    extra = check_grads_container(ctx.grads_raw)
    if extra:
        findings.append(Finding(S, True, f"the gradients carry extra keys {', '.join(extra)}, ignored"))
    N = ctx.probe.X.shape[0]
    all_ok = True
    for name in PARAM_KEYS:
        param = ctx.probe.params[name]
        g = np.asarray(ctx.grads_raw[name])
        normal, fault = normalise(name, g, param, N)
        if normal is not None:
            ctx.grads_dtypes[name] = g.dtype
        if fault:
            all_ok = False
            findings.append(Finding(S, False, f"d{name} has shape {g.shape}, {name} has {param.shape}",
                                    shape_meaning(fault, name, g, param), fault))
        if normal is None:
            ctx.skipped.append(f"gradient check of {name}: its gradient has shape {g.shape}")
            continue
        if not np.all(np.isfinite(normal)):
            all_ok = False
            findings.append(Finding(S, False, f"d{name} holds non-finite values at a moderate probe",
                                    "a division by zero or an overflow in backward"))
            continue
        ctx.grads[name] = normal.astype(np.float64)
    if low_precision(ctx.loss_dtype) or any(low_precision(dt) for dt in ctx.grads_dtypes.values()):
        ctx.match_tol = 1e-3  # float32 rounding: identities hold to ~1e-4 only
    if all_ok:
        findings.append(Finding(S, True, "the gradients have the params' keys and shapes and finite values"))
    return findings
