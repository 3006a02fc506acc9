"""The net as a family: X -> XW1+b1 -> ACT -> A1W2+b2 -> HEAD, one reference per member.

A member is "ACT,HEAD": ACT in relu, leaky_relu (slope alpha), sigmoid, tanh; HEAD in
softmax_ce (softmax + cross-entropy, integer labels), sigmoid_bce (one sigmoid unit +
binary cross-entropy, y in {0, 1}, W2 (H, 1), b2 (1,)) and sigmoid_mse (C sigmoid units,
squared error against onehot(y)). "relu,softmax_ce" is core/net.py's net.

Each activation is its function and its derivative, both of the pre-activation Z; each
head is its summed loss and the summed loss's gradient wrt the logits Z2. The loss
convention (mean over N, sum, mean over N*C, a factor 1/2 in squared error) is one
scale factor on the summed loss, so the gradient carries the same factor.

The catalog's member faults replace exact text in this file's functions: keep each
formula on a line of its own.
"""
from dataclasses import dataclass

import numpy as np

from core.validate import validate_member_inputs

NET = "relu,softmax_ce"  # the member this module computes when no net is given
LEAKY_ALPHA = 0.01


# -- activations: f(Z) and f'(Z), both in terms of the pre-activation Z ---------------------

def relu(Z, alpha):
    return np.maximum(0, Z)  # max(0, z)


def relu_grad(Z, alpha):
    return (Z > 0).astype(float)  # 1 where z > 0, else 0


def leaky_relu(Z, alpha):
    return np.where(Z > 0, Z, alpha * Z)  # z if z > 0, else alpha z


def leaky_relu_grad(Z, alpha):
    return np.where(Z > 0, 1.0, alpha)  # 1 if z > 0, else alpha


def sigmoid(Z, alpha=None):
    return np.exp(-np.logaddexp(0, -Z))  # 1 / (1 + e^-z), with no overflow for any z


def sigmoid_grad(Z, alpha):
    S = sigmoid(Z)
    return S * (1 - S)  # s'(z) = s(z) (1 - s(z))


def tanh(Z, alpha):
    return np.tanh(Z)  # tanh(z)


def tanh_grad(Z, alpha):
    return 1 - np.tanh(Z) ** 2  # tanh'(z) = 1 - tanh(z)^2


# -- heads: the summed loss of the logits Z2 and its gradient wrt Z2 ------------------------

def onehot(y, C):
    """onehot(y)[i, c] = 1 where c == y[i]."""
    return np.eye(C)[y]


def log_softmax(Z2):
    return Z2 - np.logaddexp.reduce(Z2, axis=1, keepdims=True)  # z - log sum e^z, by log-sum-exp


def softmax_ce(Z2, y):
    return -np.sum(log_softmax(Z2)[np.arange(len(y)), y])  # sum_i -log P[i, y_i]


def softmax_ce_grad(Z2, y):
    P = np.exp(log_softmax(Z2))
    return P - onehot(y, P.shape[1])  # d/dZ2 sum CE = P - Y


def sigmoid_bce(Z2, y):
    z = Z2[:, 0]
    return np.sum(np.logaddexp(0, z) - y * z)  # -[y log s(z) + (1-y) log(1-s(z))] = log(1+e^z) - y z


def sigmoid_bce_grad(Z2, y):
    z = Z2[:, 0]
    return (sigmoid(z) - y)[:, None]  # d/dz BCE = s(z) - y


def sigmoid_mse(Z2, y):
    S = sigmoid(Z2)
    return np.sum((S - onehot(y, S.shape[1])) ** 2)  # sum_ic (s(z) - Y)^2


def sigmoid_mse_grad(Z2, y):
    S = sigmoid(Z2)
    return 2 * (S - onehot(y, S.shape[1])) * S * (1 - S)  # 2 (S - Y) s'(z)


ACTIVATIONS = {
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
}
HEADS = {
    "softmax_ce": (softmax_ce, softmax_ce_grad),
    "sigmoid_bce": (sigmoid_bce, sigmoid_bce_grad),
    "sigmoid_mse": (sigmoid_mse, sigmoid_mse_grad),
}
ACT_NAMES = {"relu": "ReLU", "leaky_relu": "leaky ReLU", "sigmoid": "sigmoid", "tanh": "tanh"}
HEAD_NAMES = {"softmax_ce": "softmax + cross-entropy", "sigmoid_bce": "sigmoid + binary cross-entropy",
              "sigmoid_mse": "sigmoid + squared error"}


# -- loss conventions: one factor on the summed loss -----------------------------------------

CONVENTIONS = {
    "mean": "mean over the batch",
    "sum": "sum over the batch",
    "mean_nc": "mean over N*C entries",
    "half_mean": "a factor 1/2, mean over the batch",
    "half_sum": "a factor 1/2, sum over the batch",
    "half_mean_nc": "a factor 1/2, mean over N*C entries",
}


def convention_scale(convention, N, C):
    """The factor on the summed loss: 1/N, 1, 1/(N C), each with an optional 1/2."""
    half = 0.5 if convention.startswith("half_") else 1.0
    base = convention.removeprefix("half_")
    return half * {"mean": 1 / N, "sum": 1.0, "mean_nc": 1 / (N * C)}[base]


def conventions_for(head):
    """The conventions a head is written with: 1/2 belongs to squared error; N*C is N for one output unit."""
    if head == "sigmoid_bce":
        return ("mean", "sum")
    return tuple(c for c in CONVENTIONS if head == "sigmoid_mse" or not c.startswith("half_"))


# -- the member: which activation, which head, which slope, which convention ----------------

@dataclass(frozen=True)
class Net:
    """One member of the family; str() gives its spec, `member` its "ACT,HEAD" id."""

    act: str = "relu"
    head: str = "softmax_ce"
    alpha: float = LEAKY_ALPHA
    convention: str = "mean"

    @property
    def member(self):
        return f"{self.act},{self.head}"

    @property
    def binary(self):
        """One output unit and labels in {0, 1}."""
        return self.head == "sigmoid_bce"

    def __str__(self):
        act = f"leaky_relu:{self.alpha:g}" if self.act == "leaky_relu" and self.alpha != LEAKY_ALPHA else self.act
        tail = "" if self.convention == "mean" else f",{self.convention}"
        return f"{act},{self.head}{tail}"

    def describe(self):
        """"tanh hidden layer, softmax + cross-entropy", with the slope and a non-default convention."""
        act = ACT_NAMES[self.act] + (f" (slope {self.alpha:g})" if self.act == "leaky_relu" else "")
        tail = "" if self.convention == "mean" else f", {CONVENTIONS[self.convention]}"
        return f"{act} hidden layer, {HEAD_NAMES[self.head]}{tail}"


SPEC_HELP = (f"ACT,HEAD[,CONVENTION] with ACT one of {', '.join(ACTIVATIONS)} (leaky_relu:ALPHA sets the slope), "
             f"HEAD one of {', '.join(HEADS)}, CONVENTION one of {', '.join(CONVENTIONS)}")


def parse_net(spec):
    """A Net from "ACT,HEAD[,CONVENTION]" (or a Net itself); ValueError naming what was expected."""
    if isinstance(spec, Net):
        return spec
    parts = [p.strip() for p in str(spec).split(",")]
    if len(parts) not in (2, 3):
        raise ValueError(f"net must be {SPEC_HELP}; got {spec!r}")
    act, _, slope = parts[0].partition(":")
    head, convention = parts[1], parts[2] if len(parts) == 3 else "mean"
    if act not in ACTIVATIONS or head not in HEADS or convention not in conventions_for(head):
        raise ValueError(f"net must be {SPEC_HELP} (half_* only with sigmoid_mse, mean_nc not with sigmoid_bce); "
                         f"got {spec!r}")
    if slope and act != "leaky_relu":
        raise ValueError(f"only leaky_relu takes a slope (leaky_relu:ALPHA); got {spec!r}")
    alpha = parse_slope(slope, spec) if slope else LEAKY_ALPHA
    return Net(act, head, alpha, convention)


def parse_slope(text, spec):
    """The leaky slope: a finite number in [0, 1)."""
    try:
        alpha = float(text)
    except ValueError:
        alpha = None
    if alpha is None or not 0 <= alpha < 1:
        raise ValueError(f"the leaky_relu slope must be a number in [0, 1), got {text!r} in {spec!r}")
    return alpha


MEMBERS = tuple(Net(act, head) for act in ACTIVATIONS for head in HEADS)


# -- the member's forward and backward ----------------------------------------------------------

def forward_loss(X, y, params, net=None):
    """The member's loss of the labels y (mean over N by default); returns (loss, cache for backward)."""
    net = parse_net(net or NET)
    validate_member_inputs(X, y, params, binary=net.binary)
    act, _ = ACTIVATIONS[net.act]
    head_loss, _ = HEADS[net.head]
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    Z1 = X @ W1 + b1  # hidden pre-activation, (N, H)
    A1 = act(Z1, net.alpha)  # A1 = f(Z1)
    Z2 = A1 @ W2 + b2  # logits, (N, C)
    scale = convention_scale(net.convention, *Z2.shape)
    loss = scale * head_loss(Z2, y)  # L = scale * summed loss
    cache = {"X": X, "y": y, "Z1": Z1, "A1": A1, "Z2": Z2}
    return loss, cache


def backward(cache, params, net=None):
    """Gradients of the member's loss with the params' keys and shapes; modifies nothing."""
    net = parse_net(net or NET)
    _, act_grad = ACTIVATIONS[net.act]
    _, head_grad = HEADS[net.head]
    X, y, Z1, A1, Z2 = cache["X"], cache["y"], cache["Z1"], cache["A1"], cache["Z2"]
    W2 = params["W2"]
    scale = convention_scale(net.convention, *Z2.shape)
    dZ2 = scale * head_grad(Z2, y)  # dL/dZ2 = scale * d(summed loss)/dZ2
    dW2 = A1.T @ dZ2  # dL/dW2 = A1^T dZ2
    db2 = dZ2.sum(axis=0)  # dL/db2 = sum of dZ2 over the batch
    dA1 = dZ2 @ W2.T  # dL/dA1 = dZ2 W2^T
    dZ1 = dA1 * act_grad(Z1, net.alpha)  # dL/dZ1 = dA1 * f'(Z1), at the pre-activation
    dW1 = X.T @ dZ1  # dL/dW1 = X^T dZ1
    db1 = dZ1.sum(axis=0)  # dL/db1 = sum of dZ1 over the batch
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


@dataclass(frozen=True)
class Member:
    """A subject for one member: forward_loss(X, y, params) and backward(cache, params)."""

    net: Net

    def forward_loss(self, X, y, params):
        return forward_loss(X, y, params, self.net)

    def backward(self, cache, params):
        return backward(cache, params, self.net)


def member(spec):
    """The reference implementation of member `spec` ("tanh,sigmoid_bce", a Net, ...)."""
    return Member(parse_net(spec))
