"""Gradients from code that never returns them whole: an in-place update step, or one sample at a time.

Part of the adapter kit (public path: diagnose.adapt); the frame and the errors are in
diagnose.check.adapt.
"""
import numpy as np

from core import PARAM_KEYS
from diagnose.check.adapt import FAULT, AdapterError, Frame, assign, pair

LRS = (1.0, 0.5)  # steps from the same weights: proportional to lr for plain SGD
LINEAR_TOL = 1e-6  # (before - after) / lr agrees to rounding for plain SGD
SAME_SIZE = 1.05  # every entry of the step this close in size: a step normalised entry by entry


def grads_from_update(step, store, params, *, frame=None, loss=None, lrs=LRS, name=None):
    """(loss, grads) from code that only updates its weights: grads = (before - after) / lr.

    step(lr) runs one update of the weights held in `store` (a dict such as net.params, or
    the net itself when they are attributes net.W1...) and returns the loss before the
    update; or give `loss`, a function of no arguments returning it at the current weights.
    The step is taken three times from the same weights, with the learning rates lrs[0],
    lrs[1], lrs[0]: plain SGD gives the same (before - after) / lr each time. A step that
    changes at the same lr (momentum, a schedule, Adagrad, RMSprop) or whose entries are
    all the same size (Adam) raises AdapterError with exit 2: such an update is not a
    gradient. A step that repeats but is not proportional to lr uses weights it has
    already updated (W2 -= lr * dW2 before dW1 is computed from W2): exit 1, its fault.
    `frame` gives the names, weight layout and bias shape of the stored weights (default:
    the canonical ones).

        net = Net(*params["W1"].shape, params["W2"].shape[1])

        def step(lr):
            net.learning_rate = lr
            return net.train_step(X, y)
        return grads_from_update(step, net, params, frame=Frame(bias="row"))
    """
    frame, name = a_frame(frame, "grads_from_update"), name or function_name(step, "the update step")
    if frame.param_names.order:
        raise AdapterError(f"grads_from_update({name}): give the frame's params by name, not as a tuple order")
    try:
        runs = [one_step(step, store, params, frame, loss, lr, name) for lr in (*lrs, lrs[0])]
    except (ValueError, IndexError) as exc:  # the weights in another layout than the code's (columns for rows)
        fits = frame.other_layout_that_runs(lambda other: steps_in(other, step, store, params, loss, lrs[0], name))
        if fits is None:
            raise
        raise frame.wrong_frame(name, exc, fits) from None
    losses, estimates = [r[0] for r in runs], [r[1] for r in runs]
    same_loss(losses, lrs, name)
    stateless(estimates[0], estimates[2], lrs[0], name)
    linear_in_lr(estimates, lrs, name, frame)
    not_normalised(estimates[0], name)
    return losses[0], {k: frame.gradient(k, estimates[0][k], params[k].shape, name) for k in PARAM_KEYS}


def a_frame(frame, who):
    """`frame`, or the canonical Frame() for None; a usage error for anything else (a string such as "columns")."""
    if frame is None:
        return Frame()
    if not isinstance(frame, Frame):
        raise AdapterError(f"{who}(frame={frame!r}): expected an adapt.Frame, such as adapt.Frame({frame!r})"
                           if isinstance(frame, str) else f"{who}(frame=...): expected an adapt.Frame, "
                           f"got {type(frame).__name__}")
    return frame


def steps_in(frame, step, store, params, loss, lr, name):
    """Whether one step runs with the weights stored in `frame`'s layout."""
    try:
        with np.errstate(all="ignore"):
            one_step(step, store, params, frame, loss, lr, name)
    except Exception:  # noqa: BLE001 -- any failure means this frame does not fit
        return False
    return True


def function_name(fn, default):
    """The name of the person's function, or words for a lambda."""
    name = getattr(fn, "__name__", "<lambda>")
    return default if name == "<lambda>" else name


def one_step(step, store, params, frame, loss, lr, name):
    """(loss, {key: (before - after) / lr in the person's shape}) for one step from `params`."""
    before = {k: np.array(frame.tensor(k, params[k]), dtype=np.float64) for k in PARAM_KEYS}
    assign(store, frame.param_names.pack(before))
    value = loss() if loss is not None else None
    returned = step(lr)
    value = returned if loss is None else value
    if value is None:
        raise AdapterError(f"{name} returned None: return the loss from it, or give loss=, a function "
                           "computing the loss at the current weights")
    after = frame.param_names.unpack(store, name)
    estimate = {}
    for k in PARAM_KEYS:
        a = array(after[k], frame.param_names.theirs(k), name)
        if a.shape != before[k].shape:
            raise AdapterError(f"{name} changed {frame.param_names.theirs(k)} from shape {before[k].shape} to "
                               f"{a.shape}: its update subtracts a gradient of another shape", FAULT)
        estimate[k] = (before[k] - a) / lr  # theta_after = theta - lr * grad
    return scalar(value, name), estimate


def array(value, what, name):
    """`value` as a float64 array; something that is not numbers is the code's fault, in one line."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise AdapterError(f"{name} gave {what} that is not an array of numbers "
                           f"({type(value).__name__}: {exc})", FAULT) from None


def scalar(value, name):
    """A loss as a float; a loss with more than one entry is the code's fault."""
    arr = array(value, "a loss", name)
    if arr.size != 1:
        raise AdapterError(f"{name} gave a loss of shape {arr.shape}; expected one number", FAULT)
    return float(arr.reshape(-1)[0])


def same_loss(losses, lrs, name):
    """The loss before the update cannot depend on the learning rate."""
    if not np.isclose(losses[0], losses[1], rtol=1e-9, atol=0.0):
        raise AdapterError(f"{name} returned the loss {losses[0]:.10g} with lr={lrs[0]:g} and {losses[1]:.10g} "
                           f"with lr={lrs[1]:g} from the same weights: it returns the loss after its update "
                           "(or draws at random); give loss=, a function computing the loss before it")


def gaps(first, second):
    """({key: largest |first - second|}, the largest entry of first) over the tensors."""
    scale = max(float(np.abs(e).max(initial=0.0)) for e in first.values()) or 1.0
    return {k: float(np.abs(first[k] - second[k]).max(initial=0.0)) for k in PARAM_KEYS}, scale


def stateless(first, again, lr, name):
    """The same step from the same weights at the same lr repeats, else the optimiser keeps a state."""
    gap, scale = gaps(first, again)
    if max(gap.values()) > LINEAR_TOL * scale:
        raise AdapterError(f"{name}: the same step from the same weights at lr={lr:g} moved them differently the "
                           f"second time (by up to {max(gap.values()):.3g}, largest entry {scale:.3g}): the "
                           "optimiser keeps a state (momentum, RMSprop, Adagrad, a schedule), so its update is "
                           f"not a gradient; make {name} a plain SGD step (momentum 0) for the check")


def linear_in_lr(estimates, lrs, name, frame):
    """(before - after) / lr is the same at both learning rates, else the step uses weights it updated."""
    gap, scale = gaps(estimates[0], estimates[1])
    moved = [frame.param_names.theirs(k) for k in PARAM_KEYS if gap[k] > LINEAR_TOL * scale]
    if moved:
        raise AdapterError(f"{name}: (before - after) / lr of {', '.join(moved)} differs between lr={lrs[0]:g} and "
                           f"lr={lrs[1]:g} (by up to {max(gap.values()):.3g}, largest entry {scale:.3g}) though "
                           "the step repeats at one lr: it computes those gradients from weights it has already "
                           "updated; compute every gradient before updating any weight", FAULT)


def not_normalised(estimate, name):
    """Every entry of the same size is a step divided by its own running scale (Adam's first steps)."""
    sizes = np.concatenate([np.abs(e).ravel() for e in estimate.values()])
    big = sizes[sizes > 1e-3 * sizes.max(initial=0.0)]
    if big.size >= 8 and big.max() <= SAME_SIZE * big.min():
        raise AdapterError(f"{name}: every entry of (before - after) / lr has the same size ({big.min():.4g} to "
                           f"{big.max():.4g} over {big.size} entries): an adaptive optimiser (Adam, RMSprop, "
                           f"Adagrad) divides each step by a running scale; make {name} a plain SGD step for the check")


def per_sample(fn, X, y, params, *, frame=None, loss=None, reduce="mean", flat=False, name=None):
    """(loss, grads) of the batch from code that takes one sample: the mean over samples, or the sum.

    fn(x, t) gets one sample x, as a column (D, 1) in a "columns" frame, a row (1, D) in
    a "rows" frame, or (D,) with flat=True, and its label t (an int for labels="ids",
    else one column/row of the frame's labels). It returns (loss, grads), or only grads
    when `loss`, a function loss(x, t), is given. Its grads may be a dict or lists in the
    frame's grads order, e.g. (("b1", "b2"), ("W1", "W2")) for (nabla_b, nabla_w).
    reduce="mean" (the default) gives the mean loss and the mean gradient, the mean
    cross-entropy the check expects; reduce="sum" gives the sums, for code whose update
    adds the per-sample gradients without dividing by the batch size (the check then
    reports the loss summed over the batch, which is what that code trains on).

        FRAME = Frame("columns", params=(("b1", "b2"), ("W1", "W2")))
        net.biases, net.weights = FRAME.params(params)
        return per_sample(net.backprop, X, y, params, frame=FRAME, loss=net.cost)
    """
    frame, name = a_frame(frame, "per_sample"), name or function_name(fn, "the per-sample function")
    if reduce not in ("mean", "sum"):
        raise AdapterError(f"per_sample(reduce={reduce!r}): expected 'mean' or 'sum'")
    N, C = X.shape[0], params["W2"].shape[1]
    if N == 0:
        raise AdapterError(f"per_sample: X holds no samples (shape {X.shape}): pass the X that loss_and_grads received")
    total_loss, total = 0.0, None
    for i in range(N):
        x = X[i] if flat else frame.X(X[i:i + 1])
        t = int(y[i]) if frame.labels_as == "ids" else frame.y(y[i:i + 1], C)
        out = fn(x, t)
        value, g = pair(out, name) if loss is None else (loss(x, t), out)
        grads = {k: array(v, frame.grad_names.theirs(k), name) for k, v in frame.grad_names.unpack(g, name).items()}
        total_loss += scalar(value, name)
        total = grads if total is None else add(total, grads, i, name, frame)
    scale = 1.0 / N if reduce == "mean" else 1.0  # mean over the batch, or the plain sum
    return total_loss * scale, {k: frame.gradient(k, total[k] * scale, params[k].shape, name) for k in PARAM_KEYS}


def add(total, grads, i, name, frame):
    """total + grads, key by key; a shape that changes from one sample to the next is the code's fault."""
    for k in PARAM_KEYS:
        if grads[k].shape != total[k].shape:
            raise AdapterError(f"{name} returned {frame.grad_names.theirs(k)} of shape {grads[k].shape} for sample "
                               f"{i} and {total[k].shape} for sample 0", FAULT)
    return {k: total[k] + grads[k] for k in PARAM_KEYS}

