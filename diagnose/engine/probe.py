"""The probe: a small, seeded problem built so that every fault shows itself.

Distinct sizes tell N and transposes apart; nonzero biases expose masks computed
without them; |Z1| is kept far from 0 so no finite difference crosses a ReLU kink;
N <= min(D, H) + 1 lets least squares recover dZ1 and dZ2 from the gradients.
"""
from dataclasses import dataclass, field

import numpy as np

import core
from core import family
from core.family import Net

DEFAULT_SHAPE = (6, 9, 12, 4)
Z1_MARGIN = 0.25  # smallest |Z1| allowed: far above any step h * |X v| the checks take


@dataclass(frozen=True)
class Probe:
    """Probe data and the reference quantities the engine computes itself."""

    X: np.ndarray
    y: np.ndarray
    params: dict
    seed: int
    Z1: np.ndarray
    A1: np.ndarray
    P: np.ndarray
    loss: float
    grads: dict
    isolable: bool  # N <= min(D, H) + 1: least squares can recover dZ1 and dZ2
    net: Net = field(default_factory=Net)  # the member of the net family the references are of
    mean_loss: float | None = None  # the member's loss with the default convention, the mean over N

    @property
    def shape(self):
        """(N, D, H, C)."""
        return (self.X.shape[0], self.X.shape[1], self.params["W1"].shape[1], self.params["W2"].shape[1])

    @property
    def default_net(self):
        """ReLU + softmax + mean cross-entropy: core/net.py's net."""
        return self.net == Net()

    @property
    def Z2(self):
        """Logits of the net on the probe: A1 W2 + b2."""
        return self.A1 @ self.params["W2"] + self.params["b2"]

    @property
    def dZ2(self):
        """Reference dL/dZ2: (P - onehot(y)) / N for the default net, the member's own gradient otherwise."""
        N = self.X.shape[0]
        if self.default_net:
            return (self.P - onehot(self.y, self.P.shape[1])) / N
        scale = family.convention_scale(self.net.convention, *self.Z2.shape)
        return scale * family.HEADS[self.net.head][1](self.Z2, self.y)  # scale * d(summed loss)/dZ2

    def with_net(self, net):
        """The same X, y and params with the references of member `net`."""
        return _with_reference(self.X, self.y, self.params, self.seed, self.isolable, family.parse_net(net))

    def fresh_params(self):
        """Copies of the params: nothing a subject does can touch the reference arrays."""
        return {k: v.copy() for k, v in self.params.items()}


def onehot(y, C):
    """onehot(y)[i, c] = 1 where c == y[i]."""
    return np.eye(C)[y]


MAX_ENTRIES = 1_000_000  # the most entries any one matrix of the probe may hold (8 MB in float64)


class ProbeError(ValueError):
    """The probe cannot be built at these sizes (or with this seed): a usage error, said in one line."""


def parse_shape(text):
    """'N,D,H,C' -> a tuple of four ints >= 1 (N >= 2); ProbeError naming what was expected."""
    try:
        shape = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise ProbeError(f"shape must be four integers N,D,H,C such as 6,9,12,4, got {text!r}") from None
    check_shape(shape)
    return shape


def check_shape(shape):
    """Refuse shapes the probe cannot be built at: degenerate, or too big for memory."""
    if len(shape) != 4 or min(shape) < 1 or shape[0] < 2 or shape[3] < 2:
        raise ProbeError(f"shape must be N,D,H,C with N >= 2, C >= 2 and D, H >= 1, got {shape}")
    N, D, H, C = shape
    sizes = {"N*D": N * D, "D*H": D * H, "N*H": N * H, "H*C": H * C, "N*C": N * C}
    too_big = {k: v for k, v in sizes.items() if v > MAX_ENTRIES}
    if too_big:
        worst = ", ".join(f"{k} = {v:,}" for k, v in too_big.items())
        raise ProbeError(f"shape {','.join(map(str, shape))} is too big: each of N*D, D*H, N*H, H*C and N*C may be "
                         f"at most {MAX_ENTRIES:,} entries (such as 1000,1000,1000,10), here {worst}")


def make_probe(seed=0, shape=None, net=None):
    """Build the seeded probe for member `net` (default relu,softmax_ce); draws again (same rng) until every
    requirement holds. A binary member gets one output unit (C = 1) and labels in {0, 1}."""
    net = family.parse_net(net) if net is not None else Net()
    N, D, H, C = shape or DEFAULT_SHAPE
    check_shape((N, D, H, C))
    C = 1 if net.binary else C
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ProbeError(f"seed must be an integer with 0 <= seed < 2**32, got {seed!r}")
    rng = np.random.default_rng(seed)
    isolable = N <= min(D, H) + 1
    for _ in range(50):
        X = rng.standard_normal((N, D))
        y = draw_labels(rng, N, max(C, 2))
        W1, b1 = draw_layer1(rng, X, H) if N <= D + 1 else (rng.standard_normal((D, H)) / np.sqrt(D), rng.standard_normal(H))
        params = {
            "W1": W1,
            "b1": b1,
            "W2": rng.standard_normal((H, C)) / np.sqrt(H),
            "b2": 0.5 * rng.standard_normal(C),
        }
        probe = _with_reference(X, y, params, seed, isolable, net)
        if _acceptable(probe) or N > D + 1:
            return probe
    raise ProbeError(f"no probe without a ReLU kink in reach at shape {N},{D},{H},{C} with seed {seed}: "
                     "take more hidden units (H) or another seed")


def draw_labels(rng, N, C):
    """Labels with at least two classes and at least one class repeated."""
    while True:
        y = rng.integers(0, C, size=N)
        if 2 <= len(np.unique(y)) < N:
            return y
        if N == 2 and y[0] != y[1]:
            return y


def draw_layer1(rng, X, H):
    """W1, b1 that give X W1 + b1 a chosen target: |Z1| in [0.5, 1.5], random signs.

    [X | 1] [W1; b1] = T has exact solutions when N <= D + 1: the minimum-norm one
    plus a random part in the null space keeps W1 and b1 looking random.
    """
    N, D = X.shape
    signs = np.where(rng.random((N, H)) < 0.5, -1.0, 1.0)
    T = signs * rng.uniform(0.5, 1.5, size=(N, H))
    M = np.hstack([X, np.ones((N, 1))])
    M_pinv = np.linalg.pinv(M)
    R = 0.5 * rng.standard_normal((D + 1, H))
    sol = M_pinv @ T + R - M_pinv @ (M @ R)  # exact: M sol = T, since M (I - M^+ M) = 0
    return sol[:D], sol[D]


def _with_reference(X, y, params, seed, isolable, net=None):
    net = net or Net()
    if net == Net():
        loss, cache = core.forward_loss(X, y, params)
        grads = core.backward(cache, params)
        return Probe(X, y, params, seed, cache["Z1"], cache["A1"], cache["P"], float(loss), grads, isolable, net,
                     float(loss))
    loss, cache = family.forward_loss(X, y, params, net)
    grads = family.backward(cache, params, net)
    mean_loss = family.forward_loss(X, y, params, Net(net.act, net.head, net.alpha))[0]
    Z2 = cache["Z2"]
    P = np.exp(family.log_softmax(Z2)) if net.head == "softmax_ce" else family.sigmoid(Z2)  # the head's outputs
    return Probe(X, y, params, seed, cache["Z1"], cache["A1"], P, float(loss), grads, isolable, net,
                 float(mean_loss))


def _acceptable(probe):
    """No kink within reach, some unit whose bias flips its sign, full-rank layer inputs."""
    N = probe.X.shape[0]
    flips = np.sign(probe.X @ probe.params["W1"]) != np.sign(probe.Z1)
    ones = np.ones((N, 1))
    full_rank = (
        np.linalg.matrix_rank(np.hstack([probe.A1, ones])) == N
        and np.linalg.matrix_rank(np.hstack([probe.X, ones])) == N
    ) or not probe.isolable
    moderate = probe.P.min() > 1e-3 and (probe.net.head == "softmax_ce" or probe.P.max() < 1 - 1e-3)
    return np.abs(probe.Z1).min() > Z1_MARGIN and flips.sum() >= 2 and full_rank and moderate
