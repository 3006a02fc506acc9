"""The catalog: the seven checklist faults, the ones people make beyond them, and
equivalent mutants kept on purpose as negative controls."""
from bugs.family_catalog import MEMBER_FAULTS
from bugs.fault import Fault, Kind

CK, EX, EQ = Kind.CHECKLIST, Kind.EXTENDED, Kind.EQUIVALENT

_MASK = "dZ1 = dA1 * (Z1 > 0)  # ReLU passes the gradient where Z1 > 0"
_ONEHOT = "dZ2 = P.copy()\n    dZ2[np.arange(N), y] -= 1  # P - onehot(y)"
_DIV_N = "dZ2 /= N  # dL/dZ2 = (P - onehot(y)) / N for the mean loss"
_DW2 = "dW2 = A1.T @ dZ2"
_DB2 = "db2 = dZ2.sum(axis=0)"
_DB1 = "db1 = dZ1.sum(axis=0)"
_LOSS = "loss = -np.mean(log_P[np.arange(N), y])"
_RETURN = 'return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}'
# a fault replaces the whole line, comment included: a comment left on a changed line would hint at the fault
_DW2_LINE = _DW2 + "  # dL/dW2 = A1^T dZ2"
_DB2_LINE = _DB2 + "  # dL/db2 = sum of dZ2 over the batch"
_DB1_LINE = _DB1 + "  # dL/db1 = sum of dZ1 over the batch"
_LOSS_LINE = _LOSS + "  # L = mean_i -log P[i, y_i]"

FAULTS = (
    # -- the interview checklist, in its order --------------------------------
    Fault("missing_div_n", CK, "dZ2 is never divided by N", "backward",
          find=f"    {_DIV_N}\n", replace="",
          symptom="every gradient is exactly N times the numeric one; the relative error is (N-1)/(N+1)",
          fix=_DIV_N, checklist_item=1),
    Fault("no_copy", CK, "dZ2 = P without .copy() rewrites the cache's P", "backward",
          find="dZ2 = P.copy()", replace="dZ2 = P",
          symptom="the first backward is right, but it rewrites cache['P'] in place: "
                  "a second backward on the same cache returns different gradients",
          fix="dZ2 = P.copy()", checklist_item=2),
    Fault("labels_n1", CK, "labels used with shape (N, 1)", "forward_loss",
          find="    N = X.shape[0]\n",
          replace="    N = X.shape[0]\n    y = y.reshape(-1, 1)\n",
          symptom="P[np.arange(N), y] broadcasts to (N, N): the loss averages every row against every "
                  "label, and each row of dZ2 gets -1/N at every class present in y",
          fix="keep y of shape (N,): y = y.ravel()", checklist_item=3),
    Fault("bad_relu_mask", CK, "ReLU backward masks with the gradient's sign", "backward",
          find=_MASK, replace="dZ1 = dA1 * (dA1 > 0)",
          symptom="dW2 and db2 pass the gradient check, dW1 and db1 fail with no constant ratio",
          fix="dZ1 = dA1 * (Z1 > 0)", checklist_item=4),
    Fault("unstable_softmax", CK, "softmax takes exp of the raw logits", "forward_loss",
          find="shifted = Z2 - Z2.max(axis=1, keepdims=True)  # softmax is shift-invariant: "
               "the max-shift avoids overflow",
          replace="shifted = Z2",
          symptom="fine at small logits; once a logit passes ~710, exp overflows and the loss is nan",
          fix="shifted = Z2 - Z2.max(axis=1, keepdims=True)", checklist_item=5),
    Fault("float32", CK, "the forward pass runs in float32", "forward_loss",
          find='    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]\n',
          replace="    X = X.astype(np.float32)\n"
                  '    W1, b1, W2, b2 = (params[k].astype(np.float32) for k in ("W1", "b1", "W2", "b2"))\n',
          symptom="the loss is float32; finite differences with h = 1e-5 drown in rounding, so the "
                  "check reports errors from 1e-3 up to 1 on a correct backward, shrinking as h grows",
          fix="keep X and params in float64 for the gradient check", checklist_item=6),
    Fault("update_before_check", CK, "params are updated inside backward", "backward",
          find=_RETURN,
          replace='grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}\n'
                  "    for name in params:\n"
                  "        params[name] -= 0.1 * grads[name]\n"
                  "    return grads",
          symptom="params change during backward, so a gradient check run afterwards compares "
                  "gradients from the old params with differences at the new ones",
          fix=_RETURN, checklist_item=7),
    # -- beyond the checklist ---------------------------------------------------
    Fault("dW2_transposed", EX, "dW2 computed as dZ2.T @ A1", "backward",
          find=_DW2_LINE, replace="dW2 = dZ2.T @ A1",
          symptom="dW2 has shape (C, H), the transpose of W2's (H, C); `W2 -= lr * dW2` fails to broadcast",
          fix=_DW2),
    Fault("db2_wrong_axis", EX, "db2 summed over the classes instead of the batch", "backward",
          find=_DB2_LINE, replace="db2 = dZ2.sum(axis=1)",
          symptom="db2 has shape (N,) instead of (C,), and every entry is ~0 since rows of dZ2 sum to 0",
          fix=_DB2),
    Fault("db1_keepdims", EX, "db1 keeps a batch axis: shape (1, H)", "backward",
          find=_DB1_LINE, replace="db1 = dZ1.sum(axis=0, keepdims=True)",
          symptom="db1 has shape (1, H); the values are right but the in-place update `b1 -= lr * db1` "
                  "raises a broadcast error",
          fix=_DB1),
    Fault("db2_zero", EX, "db2 left at zero", "backward",
          find=_DB2_LINE, replace="db2 = np.zeros(dZ2.shape[1])",
          symptom="b2's gradient is all zeros while its numeric gradient is not; every other tensor passes",
          fix=_DB2),
    Fault("sign_flipped", EX, "dZ2 = onehot(y) - P: the sign is flipped", "backward",
          find=_ONEHOT, replace="dZ2 = -P.copy()\n    dZ2[np.arange(N), y] += 1",
          symptom="every gradient is exactly -1 times the numeric one (relative error 1.0): "
                  "training climbs the loss",
          fix="dZ2 = P.copy(); dZ2[np.arange(N), y] -= 1"),
    Fault("double_div_n", EX, "dW2 divided by N a second time", "backward",
          find=_DW2_LINE, replace="dW2 = A1.T @ dZ2 / N",
          symptom="dW2 is exactly 1/N of the numeric gradient while b2, W1 and b1 pass",
          fix=_DW2),
    Fault("loss_summed", EX, "loss summed over the batch while the gradient is averaged", "forward_loss",
          find=_LOSS_LINE, replace="loss = -np.sum(log_P[np.arange(N), y])",
          symptom="the loss is N times the mean cross-entropy and every gradient is 1/N of the numeric one",
          fix=_LOSS),
    Fault("mask_no_bias", EX, "ReLU mask computed from X @ W1 without the bias", "backward",
          find=_MASK, replace='dZ1 = dA1 * (X @ params["W1"] > 0)',
          symptom="dW1 and db1 are wrong only in the units whose bias flips the sign of Z1; "
                  "with zero biases (the usual init) the check passes",
          fix="dZ1 = dA1 * (Z1 > 0)"),
    Fault("relu_no_mask", EX, "ReLU backward forgotten: dZ1 = dA1", "backward",
          find=_MASK, replace="dZ1 = dA1",
          symptom="dW2 and db2 pass; dW1 and db1 get gradient through the dead units too",
          fix="dZ1 = dA1 * (Z1 > 0)"),
    Fault("db1_before_mask", EX, "db1 summed from dA1, before the ReLU mask", "backward",
          find=_DB1_LINE, replace="db1 = dA1.sum(axis=0)",
          symptom="dW1 passes but db1 fails: its entries include the gradient of dead units",
          fix=_DB1),
    Fault("dW2_uses_Z1", EX, "dW2 uses the pre-activation Z1 instead of A1", "backward",
          find=_DW2_LINE, replace="dW2 = Z1.T @ dZ2",
          symptom="dW2 fails the gradient check with no constant ratio; b2, W1 and b1 pass",
          fix=_DW2),
    Fault("log_no_eps", EX, "loss as log of P, with no epsilon and no log-softmax", "forward_loss",
          find=_LOSS_LINE, replace="loss = -np.mean(np.log(P[np.arange(N), y]))",
          symptom="fine until a confidently wrong prediction underflows P[i, y_i] to 0: "
                  "then the loss is inf and training stalls on nan",
          fix=_LOSS + "  (log-softmax; or np.log(P + 1e-12))"),
    # -- equivalent mutants: they look like faults, compute the same gradients --
    Fault("mask_a1", EQ, "ReLU mask from A1 > 0 instead of Z1 > 0", "backward",
          find=_MASK, replace="dZ1 = dA1 * (A1 > 0)",
          symptom="none: A1 > 0 exactly where Z1 > 0", fix=_MASK),
    Fault("mask_ge", EQ, "ReLU mask with Z1 >= 0", "backward",
          find=_MASK, replace="dZ1 = dA1 * (Z1 >= 0)",
          symptom="none away from Z1 == 0 exactly, where ReLU has no derivative anyway", fix=_MASK),
    Fault("onehot_eye", EQ, "dZ2 from an explicit one-hot matrix", "backward",
          find=_ONEHOT, replace="dZ2 = P - np.eye(P.shape[1])[y]",
          symptom="none: the same P - onehot(y), in a fresh array", fix=_ONEHOT),
)

FAULTS += MEMBER_FAULTS  # the other members of the net family: bugs/family_catalog.py

CATALOG = {fault.id: fault for fault in FAULTS}


def get(fault_id):
    """The fault with this id; KeyError lists the valid ids."""
    try:
        return CATALOG[fault_id]
    except KeyError:
        raise KeyError(f"no fault {fault_id!r}; expected one of: {', '.join(CATALOG)}") from None


def by_kind(*kinds):
    """The faults of these kinds, in catalog order."""
    return [fault for fault in FAULTS if fault.kind in kinds]
