"""The diagnoser's own vocabulary: each fault and caution it can name, its title, fix and family.

These ids are shared with the catalog in `bugs/` so that a verdict can be
compared with the injected fault, but the diagnoser never reads the catalog:
it reaches a verdict from behaviour, and this table only words it. The family
of an id is one of the seven items of the interview checklist (design note,
section 5) or `other`; a test checks it against the catalog's checklist_item.
"""
from dataclasses import dataclass, replace

from core.family import Net, parse_net
from diagnose.engine.member import dz2_words, loss_words, member_terms

FAMILIES = {
    1: "a wrong scale factor such as a missing /N",
    2: "an in-place write (no copy)",
    3: "a wrong label shape",
    4: "a bad ReLU mask or activation derivative",
    5: "a numerically unstable softmax or log",
    6: "float32 in a gradient check",
    7: "params updated before the check",
    0: "other",
}
FORWARD, BACKWARD = "forward_loss", "backward"


@dataclass(frozen=True)
class Term:
    """How the report words one id: title, fix, checklist family (0 = other), the function to look in."""

    title: str
    fix: str
    family: int = 0
    where: str = BACKWARD
    caution: bool = False


def _t(title, fix, family=0, where=BACKWARD, caution=False):
    return Term(title, fix, family, where, caution)


TERMS = {
    # -- 1. scale ---------------------------------------------------------------------------
    "missing_div_n": _t("dZ2 is not divided by N", "divide once by the batch size: dZ2 = (P - onehot(y)) / N", 1),
    "double_div_n": _t("a gradient is divided by N twice",
                       "divide by N once, in dZ2; dW2 = A1.T @ dZ2 and db2 = dZ2.sum(axis=0) need no more", 1),
    "loss_summed": _t("the loss is summed while the gradient is averaged",
                      "loss = -np.mean(log_P[np.arange(N), y]), the mean, matching dZ2 /= N", 1, FORWARD),
    "constant_factor": _t("every gradient is off by one constant factor",
                          "find the extra or missing scale factor in dZ2 (or in the loss)", 1),
    "tensor_scaled": _t("some gradients carry a constant factor that the others do not",
                        "remove the extra factor from the line that computes the named gradients", 1),
    # -- 2. in-place writes -------------------------------------------------------------------
    "no_copy": _t("backward writes into the cache's P", "copy before editing: dZ2 = P.copy()", 2),
    "cache_mutated": _t("backward writes into an array of the cache",
                        "never edit the cache in place: work on a copy (arr = cache[...].copy())", 2),
    "inputs_modified": _t("backward modifies X or y", "never write into the inputs: copy before editing", 2),
    "input_mutated": _t("the forward pass modifies X or y",
                        "never write into X or y: X = X * 2 makes a new array, X *= 2 edits the caller's", 2, FORWARD),
    # -- 3. label shape -------------------------------------------------------------------------
    "labels_n1": _t("labels used with shape (N, 1)",
                    "keep y of shape (N,) (y = y.ravel()) so that P[np.arange(N), y] picks one entry per row",
                    3, FORWARD),
    # -- 4. the ReLU mask -----------------------------------------------------------------------
    "bad_relu_mask": _t("the ReLU backward masks by the gradient's sign",
                        "mask with the forward pass's pre-activation: dZ1 = dA1 * (Z1 > 0)", 4),
    "relu_no_mask": _t("the ReLU backward has no mask", "dZ1 = dA1 * (Z1 > 0)", 4),
    "relu_mask_inverted": _t("the ReLU mask is inverted", "dZ1 = dA1 * (Z1 > 0)", 4),
    "relu_times_activation": _t("the ReLU backward multiplies by the activation",
                                "dZ1 = dA1 * (Z1 > 0): the derivative of ReLU is 0 or 1, not A1", 4),
    "mask_no_bias": _t("the ReLU mask ignores the bias",
                       "dZ1 = dA1 * (Z1 > 0) with Z1 = X @ W1 + b1 from the forward pass", 4),
    "db1_before_mask": _t("db1 is summed before the ReLU mask", "db1 = dZ1.sum(axis=0), from the masked dZ1", 4),
    "relu_backward_wrong": _t("dZ1 is not dZ2 W2^T masked by Z1 > 0", "dA1 = dZ2 @ W2.T; dZ1 = dA1 * (Z1 > 0)", 4),
    # -- 5. numerical stability -----------------------------------------------------------------
    "unstable_softmax": _t("softmax overflows: exp of logits that are not shifted by each row's max",
                           "shifted = Z2 - Z2.max(axis=1, keepdims=True) before np.exp", 5, FORWARD),
    "log_no_eps": _t("the log of a probability that can underflow to 0",
                     "compute log-softmax directly (shifted - log(sum(exp(shifted)))), or np.log(P + 1e-12)",
                     5, FORWARD, caution=True),
    # -- 6. precision ---------------------------------------------------------------------------
    "float32": _t("the check runs in float32", "use float64 for X, the params and the loss in a gradient check", 6,
                  FORWARD),  # the loss is computed below float64: a cast in the forward pass
    # -- 7. update before the check ---------------------------------------------------------------
    "update_before_check": _t("params change during backward",
                              "return the gradients; apply the SGD update only after any check", 7),
    # -- other ------------------------------------------------------------------------------------
    "sign_flipped": _t("the gradient's sign is flipped", "dZ2 = P - onehot(y), not onehot(y) - P"),
    "nondeterministic": _t("backward gives different gradients on the same cache",
                           "compute the gradients only from the cache and the params"),
    "dW2_uses_Z1": _t("dW2 uses the pre-activation Z1", "dW2 = A1.T @ dZ2: the input of layer 2 is the activation A1"),
    "db2_before_softmax": _t("db2 is not the batch sum of dZ2", "db2 = dZ2.sum(axis=0)"),
    "layer2_wrong": _t("dW2 or db2 is not built from one dZ2", "dW2 = A1.T @ dZ2 and db2 = dZ2.sum(axis=0)"),
    "dZ2_wrong": _t("dZ2 is not (P - onehot(y)) / N", "dZ2 = P.copy(); dZ2[np.arange(N), y] -= 1; dZ2 /= N"),
    "layer1_wrong": _t("dW1 or db1 is not built from one dZ1", "dW1 = X.T @ dZ1 and db1 = dZ1.sum(axis=0)"),
    "shape_mismatch": _t("a gradient has the wrong shape", "each gradient must have its parameter's shape"),
    "reg_mismatch": _t("the regularisation term of the loss and of the gradient disagree",
                       "loss += 0.5 * reg * sum(W**2) goes with dW += reg * W (or both with the same factor)"),
    "forward_wrong": _t("the forward loss is not the mean softmax cross-entropy of the net",
                        "loss = mean over the batch of -log softmax(Z2)[i, y_i], Z2 = relu(X W1 + b1) W2 + b2",
                        0, FORWARD),
    "softmax_wrong_axis": _t("softmax is normalised over the batch axis",
                             "normalise each row: exp(shifted) / exp(shifted).sum(axis=1, keepdims=True)",
                             0, FORWARD),
    # -- unusable output --------------------------------------------------------------------------
    "loss_not_scalar": _t("the loss is not a real scalar", "return the mean loss as one float", 0, FORWARD),
    "loss_nonfinite": _t("the loss is not finite at a moderate probe",
                         "look for a division by zero or an overflow in the forward pass", 0, FORWARD),
    "loss_complex": _t("the loss is a complex number",
                       "keep every array real: a complex value comes from np.emath, a complex dtype or ** 0.5 "
                       "of a negative array", 0, FORWARD),
    "grads_not_dict": _t("the gradients are not a dict", "return {'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}"),
    "grads_missing": _t("the gradients lack some of the params' keys",
                        "return a gradient for every param: W1, b1, W2 and b2"),
    "grad_not_array": _t("a gradient is not an array of numbers", "return a numpy array of the param's shape"),
    "grad_complex": _t("a gradient is complex", "keep every array real (float64)"),
    "grad_integer": _t("a gradient has an integer dtype",
                       "keep gradients float64: no astype(int), no integer arrays such as np.zeros(n, dtype=int)"),
    "grads_nonfinite": _t("a gradient holds NaN or inf at a moderate probe",
                          "look for a division by zero, a log(0) or an overflow in backward"),
    # -- cautions ---------------------------------------------------------------------------------
    "log_eps": _t("an epsilon inside the log large enough to move the loss",
                  "keep the epsilon at 1e-12 or below, or compute log-softmax directly", 5, FORWARD, caution=True),
    "grads_low_precision": _t("gradients in float32 (or narrower) from a float64 loss",
                              "return the gradients in float64, as the params are", 6, caution=True),
    "grads_as_lists": _t("gradients returned as Python lists",
                         "return numpy arrays: `W -= lr * dW` fails on a list", caution=True),
    "loss_shape": _t("the loss is a one-number array, not a scalar", "return a float: loss.item() or float(loss)",
                     0, FORWARD, caution=True),
    "loss_is_sum": _t("the loss is summed over the batch, and the gradients are those of the sum",
                      "use the mean (divide loss and dZ2 by N), or a learning rate N times smaller", 1, FORWARD,
                      caution=True),
}

TERMS.update({k: Term(*v) for k, v in member_terms().items() if k not in TERMS})  # the net family's faults

_PATTERNS = (
    ("_transposed", "{t} has the transpose of its parameter's shape",
     "put the factors in the order that gives the parameter's shape (e.g. A1.T @ dZ2, not dZ2.T @ A1)"),
    ("_keepdims", "{t} keeps a batch axis: shape (1, n)",
     "sum without keepdims: {t} = dZ.sum(axis=0)"),
    ("_wrong_axis", "{t} is summed over the wrong axis",
     "sum over the batch: {t} = dZ.sum(axis=0)"),
    ("_zero", "{t} is left at zero",
     "compute it: db = dZ.sum(axis=0), dW = input.T @ dZ"),
)
PATTERN_TENSORS = ("dW1", "db1", "dW2", "db2")  # the prefixes a pattern id takes


def term(fault_id, net=None):
    """The Term for an id the engine can produce; an unknown id gets a neutral one.

    `net` (a Net or its spec, e.g. "tanh,sigmoid_bce") words the ids whose title or fix
    states the head's formula for that member, not for the default softmax net.
    """
    if fault_id in TERMS:
        return member_worded(fault_id, TERMS[fault_id], net)
    for suffix, title, fix in _PATTERNS:
        if fault_id.endswith(suffix):
            tensor = fault_id[: -len(suffix)]
            return Term(title.format(t=tensor), fix.format(t=tensor))
    return Term(fault_id, "see the evidence above")


def member_worded(fault_id, t, net):
    """`t` with the member's own formulas where the default wording states the softmax net's."""
    try:
        net = parse_net(net) if net is not None else None
    except ValueError:
        net = None
    if net is None or (net.act, net.head, net.convention) == (Net().act, Net().head, Net().convention):
        return t
    dz2 = "dZ2 = " + dz2_words(net)
    layer = f"Z2 = {net.act}(X W1 + b1) W2 + b2"
    words = {
        "missing_div_n": (t.title, f"divide once by the batch size: {dz2}"),
        "dZ2_wrong": (f"dZ2 is not {dz2_words(net)}", dz2),
        "sign_flipped": (t.title, f"{dz2}, not its negative"),
        "mse_grad_no_sigmoid": (t.title, dz2),
        "loss_summed": (t.title, f"average the loss over the batch as dZ2 is: {loss_words(net)} of the net"),
        "forward_wrong": (f"the forward loss is not {loss_words(net)} of the net", f"loss = {loss_words(net)} of {layer}"),
    }
    if fault_id not in words:
        return t
    title, fix = words[fault_id]
    return replace(t, title=title, fix=fix)


def remedy(fault_id, net=None):
    """(title, fix) for a fault id the engine can produce, worded for the member `net` when given."""
    t = term(fault_id, net)
    return t.title, t.fix


def family_label(fault_id):
    """'checklist 4' or 'other'."""
    family = term(fault_id).family
    return f"checklist {family}" if family else "other"


def family_words(fault_id, net=None):
    """'a bad ReLU mask or activation derivative (checklist 4)'; for `other`, the fault's own title: 'dW2 has ... (other)'."""
    t = term(fault_id, net)
    return f"{FAMILIES[t.family] if t.family else t.title} ({family_label(fault_id)})"


def is_caution(fault_id):
    """Whether the id names a caution (right but fragile code), not a fault."""
    return term(fault_id).caution


def known_ids():
    """Every id the engine can name: the table plus the per-tensor pattern ids."""
    patterns = [f"{t}{suffix}" for t in PATTERN_TENSORS for suffix, _, _ in _PATTERNS]
    return [*TERMS, *patterns]
