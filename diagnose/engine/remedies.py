"""The diagnoser's own vocabulary: each fault it can name, a title and the fix.

These ids are shared with the catalog in `bugs/` so that a verdict can be
compared with the injected fault, but the diagnoser never reads the catalog:
it reaches a verdict from behaviour, and this table only words it.
"""
from diagnose.engine.member import member_remedies

REMEDIES = {
    "missing_div_n": ("dZ2 is not divided by N",
                      "divide once by the batch size: dZ2 = (P - onehot(y)) / N"),
    "no_copy": ("backward writes into the cache's P",
                "copy before editing: dZ2 = P.copy()"),
    "labels_n1": ("labels used with shape (N, 1)",
                  "keep y of shape (N,) (y = y.ravel()) so that P[np.arange(N), y] picks one entry per row"),
    "bad_relu_mask": ("the ReLU backward masks by the gradient's sign",
                      "mask with the forward pass's pre-activation: dZ1 = dA1 * (Z1 > 0)"),
    "relu_no_mask": ("the ReLU backward has no mask",
                     "dZ1 = dA1 * (Z1 > 0)"),
    "relu_mask_inverted": ("the ReLU mask is inverted",
                           "dZ1 = dA1 * (Z1 > 0)"),
    "relu_times_activation": ("the ReLU backward multiplies by the activation",
                              "dZ1 = dA1 * (Z1 > 0): the derivative of ReLU is 0 or 1, not A1"),
    "mask_no_bias": ("the ReLU mask ignores the bias",
                     "dZ1 = dA1 * (Z1 > 0) with Z1 = X @ W1 + b1 from the forward pass"),
    "unstable_softmax": ("softmax exponentiates unshifted logits",
                         "shifted = Z2 - Z2.max(axis=1, keepdims=True) before np.exp"),
    "log_no_eps": ("the log of a probability that underflows to 0",
                   "compute log-softmax directly (shifted - log(sum(exp(shifted)))), or np.log(P + 1e-12)"),
    "float32": ("the check runs in float32",
                "use float64 for X, the params and the loss in a gradient check"),
    "update_before_check": ("params change during backward",
                            "return the gradients; apply the SGD update only after any check"),
    "inputs_modified": ("backward modifies X or y",
                        "never write into the inputs: copy before editing"),
    "nondeterministic": ("backward gives different gradients on the same cache",
                         "compute the gradients only from the cache and the params"),
    "loss_summed": ("the loss is summed while the gradient is averaged",
                    "loss = -np.mean(log_P[np.arange(N), y]), the mean, matching dZ2 /= N"),
    "double_div_n": ("a gradient is divided by N twice",
                     "divide by N once, in dZ2; dW2 = A1.T @ dZ2 and db2 = dZ2.sum(axis=0) need no more"),
    "sign_flipped": ("the gradient's sign is flipped",
                     "dZ2 = P - onehot(y), not onehot(y) - P"),
    "dW2_uses_Z1": ("dW2 uses the pre-activation Z1",
                    "dW2 = A1.T @ dZ2: the input of layer 2 is the activation A1"),
    "db1_before_mask": ("db1 is summed before the ReLU mask",
                        "db1 = dZ1.sum(axis=0), from the masked dZ1"),
    "db2_before_softmax": ("db2 is not the batch sum of dZ2",
                           "db2 = dZ2.sum(axis=0)"),
    "loss_mismatch": ("the forward loss is not the mean softmax cross-entropy",
                      "loss = mean over the batch of -log softmax(Z2)[i, y_i]"),
    "constant_factor": ("every gradient is off by one constant factor",
                        "find the extra or missing scale factor in dZ2"),
    "layer2_wrong": ("dW2 or db2 is not built from one dZ2",
                     "dW2 = A1.T @ dZ2 and db2 = dZ2.sum(axis=0)"),
    "dZ2_wrong": ("dZ2 is not (P - onehot(y)) / N",
                  "dZ2 = P.copy(); dZ2[np.arange(N), y] -= 1; dZ2 /= N"),
    "layer1_wrong": ("dW1 or db1 is not built from one dZ1",
                     "dW1 = X.T @ dZ1 and db1 = dZ1.sum(axis=0)"),
    "relu_backward_wrong": ("dZ1 is not dZ2 W2^T masked by Z1 > 0",
                            "dA1 = dZ2 @ W2.T; dZ1 = dA1 * (Z1 > 0)"),
    "shape_mismatch": ("a gradient has the wrong shape",
                       "each gradient must have its parameter's shape"),
    "reg_mismatch": ("the regularisation term of the loss and of the gradient disagree",
                     "loss += 0.5 * reg * sum(W**2) goes with dW += reg * W (or both with the same factor)"),
}

REMEDIES.update({k: v for k, v in member_remedies().items() if k not in REMEDIES})  # the net family's faults

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


def remedy(fault_id):
    """(title, fix) for a fault id the engine can produce."""
    if fault_id in REMEDIES:
        return REMEDIES[fault_id]
    for suffix, title, fix in _PATTERNS:
        if fault_id.endswith(suffix):
            tensor = fault_id[: -len(suffix)]
            return title.format(t=tensor), fix.format(t=tensor)
    return fault_id, "see the evidence above"
