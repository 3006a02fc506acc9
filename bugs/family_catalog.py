"""Member faults: mistakes made in the other members of the net family, and equivalent mutants.

Each record replaces exact text in `core/family.py` set to compute its member (`net`).
`checklist_item` names the checklist family a mistake belongs to where it has one
(4: the hidden activation's backward); None is the family `other`. The replacement
lines carry no comment: what a mutant's line says must come from its code alone.
"""
from bugs.fault import Fault, Kind

EX, EQ = Kind.EXTENDED, Kind.EQUIVALENT
FAMILY = "core.family"

_DZ1 = "dZ1 = dA1 * act_grad(Z1, net.alpha)  # dL/dZ1 = dA1 * f'(Z1), at the pre-activation"
_DB1 = "db1 = dZ1.sum(axis=0)  # dL/db1 = sum of dZ1 over the batch"
_DB2 = "db2 = dZ2.sum(axis=0)  # dL/db2 = sum of dZ2 over the batch"
_CE_GRAD = "return P - onehot(y, P.shape[1])  # d/dZ2 sum CE = P - Y"
_SIGMOID_GRAD = "return S * (1 - S)  # s'(z) = s(z) (1 - s(z))"
_LEAKY_GRAD = "return np.where(Z > 0, 1.0, alpha)  # 1 if z > 0, else alpha"
_BCE = "return np.sum(np.logaddexp(0, z) - y * z)  # -[y log s(z) + (1-y) log(1-s(z))] = log(1+e^z) - y z"
_BCE_GRAD = "return (sigmoid(z) - y)[:, None]  # d/dz BCE = s(z) - y"
_MSE_GRAD = "return 2 * (S - onehot(y, S.shape[1])) * S * (1 - S)  # 2 (S - Y) s'(z)"


def member_fault(id, kind, net, title, function, find, replace, symptom, fix, family=None):
    """A Fault applied to core/family.py set to compute `net`."""
    return Fault(id, kind, title, function, find=find, replace=replace, symptom=symptom, fix=fix,
                 checklist_item=family, net=net, source=FAMILY)


MEMBER_FAULTS = (
    member_fault("tanh_grad_at_activation", EX, "tanh,softmax_ce",
                 "tanh's derivative taken at the activation A1: tanh applied twice", "backward",
                 _DZ1, "dZ1 = dA1 * (1 - np.tanh(A1) ** 2)",
                 symptom="dW2 and db2 pass; dW1 and db1 are too large everywhere, by 1 - tanh(tanh(z))^2 over "
                         "1 - tanh(z)^2, with no constant ratio",
                 fix="dZ1 = dA1 * (1 - np.tanh(Z1) ** 2)  (or 1 - A1 ** 2)", family=4),
    member_fault("sigmoid_grad_on_relu", EX, "relu,softmax_ce",
                 "the sigmoid derivative A1 (1 - A1) used on a ReLU layer", "backward",
                 _DZ1, "dZ1 = dA1 * A1 * (1 - A1)",
                 symptom="dW2 and db2 pass; dW1 and db1 fail: dead units get nothing, live units get "
                         "z (1 - z) instead of 1, even negative where z > 1",
                 fix="dZ1 = dA1 * (Z1 > 0)", family=4),
    member_fault("relu_grad_on_leaky_relu", EX, "leaky_relu,sigmoid_bce",
                 "leaky ReLU backward with slope 0 below zero (the ReLU derivative)", "leaky_relu_grad",
                 _LEAKY_GRAD, "return np.where(Z > 0, 1.0, 0.0)",
                 symptom="dW2 and db2 pass; dW1 and db1 miss the alpha-sized gradient of every negative "
                         "pre-activation, a small error that grows with alpha",
                 fix="np.where(Z > 0, 1.0, alpha)", family=4),
    member_fault("sigmoid_grad_of_z", EX, "sigmoid,softmax_ce",
                 "sigmoid derivative written as Z (1 - Z) on the pre-activation", "sigmoid_grad",
                 _SIGMOID_GRAD, "return Z * (1 - Z)",
                 symptom="dW2 and db2 pass; dW1 and db1 fail with no constant ratio: z (1 - z) is not "
                         "s(z) (1 - s(z)), and it is negative where z < 0 or z > 1",
                 fix="S = sigmoid(Z); return S * (1 - S)  (s(z)(1 - s(z)), or A1 * (1 - A1))", family=4),
    member_fault("ce_grad_no_softmax", EX, "relu,softmax_ce",
                 "cross-entropy gradient taken on the raw logits: Z2 - Y, the softmax missing", "softmax_ce_grad",
                 _CE_GRAD, "return Z2 - onehot(y, P.shape[1])",
                 symptom="every gradient fails with no constant ratio: dZ2 = (Z2 - Y) / N instead of (P - Y) / N, "
                         "and its rows no longer sum to 0",
                 fix="P = softmax(Z2); dZ2 = (P - onehot(y)) / N"),
    member_fault("softmax_jacobian_diagonal", EX, "sigmoid,softmax_ce",
                 "softmax back-propagated with only the diagonal P (1 - P) of its Jacobian", "softmax_ce_grad",
                 _CE_GRAD, "dP = -onehot(y, P.shape[1]) / P\n    return dP * P * (1 - P)",
                 symptom="every gradient fails: dZ2 = -Y (1 - P) / N, zero off the true class, where the "
                         "full Jacobian gives (P - Y) / N",
                 fix="the softmax and the cross-entropy together: dZ2 = (P - onehot(y)) / N"),
    member_fault("db1_scalar", EX, "leaky_relu,softmax_ce",
                 "db1 summed over every axis: a scalar", "backward",
                 _DB1, "db1 = np.sum(dZ1)",
                 symptom="db1 has shape () instead of (H,): one number, the sum over the batch and the units, "
                         "which `b1 -= lr * db1` silently adds to every unit",
                 fix="db1 = dZ1.sum(axis=0)"),
    member_fault("db2_scalar", EX, "tanh,sigmoid_bce",
                 "db2 summed over every axis: a scalar for the one output unit", "backward",
                 _DB2, "db2 = np.sum(dZ2)",
                 symptom="db2 has shape () instead of (1,); its value is right, so only a shape check sees it",
                 fix="db2 = dZ2.sum(axis=0)"),
    member_fault("bce_no_one_minus_y", EX, "relu,sigmoid_bce",
                 "binary cross-entropy without its (1 - y) log(1 - s) term", "sigmoid_bce",
                 _BCE, "return np.sum(y * np.logaddexp(0, -z))",
                 symptom="the loss is -mean y log s(z): examples with y = 0 add nothing to it, so the backward "
                         "(s(z) - y) disagrees with the numeric gradient of the subject's own loss",
                 fix="-mean[y log s(z) + (1 - y) log(1 - s(z))] = mean(log(1 + e^z) - y z)"),
    member_fault("mse_grad_no_sigmoid", EX, "tanh,sigmoid_mse",
                 "squared-error gradient without the output sigmoid's derivative", "sigmoid_mse_grad",
                 _MSE_GRAD, "return 2 * (S - onehot(y, S.shape[1]))",
                 symptom="every gradient fails with no constant ratio: dZ2 is 2 (S - Y) / N, missing the "
                         "factor S (1 - S)",
                 fix="dZ2 = 2 (S - Y) S (1 - S) / N"),
    # -- equivalent mutants: a different formula for the same gradient --------------------
    member_fault("tanh_grad_from_a1", EQ, "tanh,softmax_ce",
                 "tanh' as 1 - A1**2 instead of 1 - tanh(Z1)**2", "backward",
                 _DZ1, "dZ1 = dA1 * (1 - A1 ** 2)",
                 symptom="none: A1 = tanh(Z1)", fix=_DZ1),
    member_fault("sigmoid_grad_from_a1", EQ, "sigmoid,sigmoid_bce",
                 "sigmoid' as A1 (1 - A1) instead of s(Z1) (1 - s(Z1))", "backward",
                 _DZ1, "dZ1 = dA1 * A1 * (1 - A1)",
                 symptom="none: A1 = s(Z1); the same text is a fault on a ReLU layer (sigmoid_grad_on_relu)",
                 fix=_DZ1),
    member_fault("bce_grad_explicit_sigmoid", EQ, "relu,sigmoid_bce",
                 "BCE gradient with the sigmoid written out and reshape", "sigmoid_bce_grad",
                 _BCE_GRAD, "return (1 / (1 + np.exp(-z)) - y).reshape(-1, 1)",
                 symptom="none: the same s(z) - y (exp overflows to inf for z < -709, and 1 / inf is the "
                         "right 0)",
                 fix=_BCE_GRAD),
)
