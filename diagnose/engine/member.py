"""The member of the net family a subject computes, recognised from its own loss on the probe.

The engine computes the loss of every member (activation x head x loss convention, and
the common leaky slopes) on the probe with its own references (core.family); the member
is the one whose loss equals the subject's. A multiclass probe is tried first (the call
the diagnosis makes anyway); a binary probe (C = 1, y in {0, 1}) only when that call
fails or its loss matches nothing. The tables below name what a wrong dZ2 or a wrong
derivative of the hidden activation looks like on each member.
"""
from dataclasses import dataclass

import numpy as np

from core import family
from core.family import ACTIVATIONS, LEAKY_ALPHA, MEMBERS, Net, conventions_for

SLOPES = (LEAKY_ALPHA, 0.05, 0.1, 0.2, 0.3)  # the leaky slopes recognised: the libraries' defaults and round values
MATCH_TOL = 1e-5  # relative: an epsilon such as log(p + 1e-8) still matches
BINARY = Net("relu", "sigmoid_bce")  # the member the binary probe is drawn for


def candidates(binary):
    """Every member, convention and slope a probe of this kind can tell apart, the default first."""
    for net in MEMBERS:
        if net.binary != binary:
            continue
        for convention in conventions_for(net.head):
            for alpha in SLOPES if net.act == "leaky_relu" else (LEAKY_ALPHA,):
                yield Net(net.act, net.head, alpha, convention)


@dataclass(frozen=True)
class Match:
    """The candidate nearest to the subject's loss, its loss, and the relative difference."""

    net: Net
    loss: float
    distance: float

    @property
    def exact(self):
        return self.distance <= MATCH_TOL


def candidate_losses(probe):
    """(Net, its loss on the probe) for every candidate, the default first; each hidden layer is computed once."""
    X, y, params = probe.X, probe.y, probe.params
    Z1 = X @ params["W1"] + params["b1"]  # shared by every member
    logits = {}
    for net in candidates(probe.net.binary):
        key = (net.act, net.alpha)
        if key not in logits:
            logits[key] = ACTIVATIONS[net.act][0](Z1, net.alpha) @ params["W2"] + params["b2"]
        Z2 = logits[key]
        summed = family.HEADS[net.head][0](Z2, y)  # the summed loss, before the convention's factor
        yield net, float(family.convention_scale(net.convention, *Z2.shape) * summed)


def nearest(loss, probe):
    """The candidate whose loss on the probe is nearest to `loss` (the earliest on a tie); stops at an exact one."""
    best = None
    for net, ref in candidate_losses(probe):
        distance = abs(loss - ref) / max(abs(ref), 1e-12)
        if best is None or distance < best.distance:
            best = Match(net, ref, distance)
            if distance <= MATCH_TOL / 100:  # far inside the tolerance: no other candidate can be nearer by much
                return best
    return best


def solved_slopes(loss, probe):
    """Leaky members whose slope, solved on [0, 1) by bisection, gives exactly `loss`: a slope not in SLOPES.

    A solved slope only counts once the subject's gradients are that member's too (recognise.py).
    """
    X, y, params = probe.X, probe.y, probe.params
    Z1 = X @ params["W1"] + params["b1"]
    alphas = np.linspace(0.0, 0.99, 100)
    for net in candidates(probe.net.binary):
        if net.act != "leaky_relu" or net.alpha != LEAKY_ALPHA:
            continue  # one (head, convention) each

        def gap(alpha, net=net):
            Z2 = ACTIVATIONS["leaky_relu"][0](Z1, alpha) @ params["W2"] + params["b2"]
            return family.convention_scale(net.convention, *Z2.shape) * family.HEADS[net.head][0](Z2, y) - loss
        gaps = [gap(a) for a in alphas]
        for lo, hi, g_lo, g_hi in zip(alphas, alphas[1:], gaps, gaps[1:]):
            if g_lo * g_hi <= 0:
                for _ in range(60):  # bisection to ~1e-20
                    mid = (lo + hi) / 2
                    lo, hi, g_lo = (mid, hi, gap(mid)) if g_lo * gap(mid) > 0 else (lo, mid, g_lo)
                yield Net("leaky_relu", net.head, float(round((lo + hi) / 2, 12)), net.convention)


def nearest_by_grads(grads, probe):
    """(distance, member) of the candidate whose reference gradients are nearest the subject's: the relative
    norm of the difference over all tensors (inf when a shape differs). A convention only scales a member's
    gradients, so one backward per activation, slope and head serves every convention."""
    if not isinstance(grads, dict):
        return np.inf, Net()
    best, refs = None, {}
    N = probe.X.shape[0]
    for i, net in enumerate(candidates(probe.net.binary)):
        key = (net.act, net.alpha, net.head)
        if key not in refs:
            refs[key] = reference_grads(probe, Net(net.act, net.head, net.alpha))
        C = probe.params["W2"].shape[1]
        k = family.convention_scale(net.convention, N, C) * N  # this convention's factor over the mean's
        distance = scaled_distance(grads, refs[key], k)
        if best is None or distance < best[0]:
            best = (distance, net)
    return best


def reference_grads(probe, net):
    """Member `net`'s gradients on the probe."""
    _, cache = family.forward_loss(probe.X, probe.y, probe.params, net)
    return family.backward(cache, probe.params, net)


def scaled_distance(grads, ref, k):
    """|grads - k ref| / |k ref| over all tensors; inf when a tensor is missing or shaped otherwise."""
    if any(np.shape(grads.get(name)) != r.shape for name, r in ref.items()):
        return np.inf
    try:
        num = sum(np.sum((np.asarray(grads[name], dtype=np.float64) - k * r) ** 2) for name, r in ref.items())
    except (TypeError, ValueError):
        return np.inf
    den = sum(np.sum((k * r) ** 2) for r in ref.values())
    return float(np.sqrt(num / max(den, 1e-300)))


# -- words ------------------------------------------------------------------------------------

LOSS_WORDS = {"softmax_ce": "cross-entropy", "sigmoid_bce": "binary cross-entropy", "sigmoid_mse": "squared error"}
CONVENTION_WORDS = {"mean": "mean {}", "sum": "{} summed over the batch", "mean_nc": "{} averaged over N*C entries",
                    "half_mean": "mean 1/2 {}", "half_sum": "1/2 {} summed over the batch",
                    "half_mean_nc": "1/2 {} averaged over N*C entries"}


def loss_words(net):
    """'the mean cross-entropy', 'the binary cross-entropy summed over the batch', ..."""
    return "the " + CONVENTION_WORDS[net.convention].format(LOSS_WORDS[net.head])


def dz2_words(net):
    """The member's dZ2 as a formula: (P - onehot(y)) / N, (s(z) - y) / N, 2 (S - Y) S (1 - S) / N, ..."""
    base = {"softmax_ce": "(P - onehot(y))", "sigmoid_bce": "(s(z) - y)", "sigmoid_mse": "2 (S - Y) S (1 - S)"}
    text = base[net.head]
    if net.convention.startswith("half_"):
        text = "(S - Y) S (1 - S)"
    return text + divisor_words(net)


def divisor_words(net):
    """' / N', '' or ' / (N C)': the convention's divisor as the formulas print it."""
    return {"mean": " / N", "sum": "", "mean_nc": " / (N C)"}[net.convention.removeprefix("half_")]


# -- wrong dZ2 of each head: (fault, words, the dZ2 that fault gives) ----------------------------

def wrong_dZ2s(probe):
    """The dZ2 each named head fault gives on the probe, with the member's convention factor."""
    net, y = probe.net, probe.y
    scale = family.convention_scale(net.convention, *probe.Z2.shape)
    div = divisor_words(net)  # the formulas are printed with the convention's divisor, as the subject computes them
    if net.head == "softmax_ce":
        Y = family.onehot(y, probe.P.shape[1])
        return [("ce_grad_no_softmax", f"(Z2 - onehot(y)){div}: the softmax is missing from the gradient",
                 scale * (probe.Z2 - Y)),
                ("ce_grad_no_softmax", f"(Z2 - max(Z2) - onehot(y)){div}: the shifted logits, the softmax missing "
                                       "from the gradient", scale * (probe.Z2 - probe.Z2.max(axis=1, keepdims=True) - Y)),
                ("softmax_jacobian_diagonal", f"-onehot(y) (1 - P){div}: the softmax Jacobian's diagonal P (1 - P) only",
                 scale * (-Y * (1 - probe.P)))]
    if net.head == "sigmoid_mse":
        S, Y = probe.P, family.onehot(y, probe.P.shape[1])
        two = "" if net.convention.startswith("half_") else "2 "  # the 1/2 of the convention cancels the 2
        return [("mse_grad_no_sigmoid", f"{two}(S - Y){div} without the sigmoid's derivative S (1 - S)",
                 scale * 2 * (S - Y))]  # d/dS of sum (S - Y)^2, times the convention's factor (1/2 included)
    return []


# -- derivatives of the hidden activation: (fault, words, dA1 -> dZ1 factor) ----------------------

def output_form(act, A):
    """The derivative written in terms of the activation's output: s (1 - s), 1 - t^2."""
    return A * (1 - A) if act == "sigmoid" else 1 - A ** 2


def derivatives(probe):
    """[(fault or None, words, factor)]: dZ1 = dA1 * factor; the first is the right one."""
    net, Z1, A1 = probe.net, probe.Z1, probe.A1
    act, alpha = net.act, net.alpha
    f_grad = ACTIVATIONS[act][1]
    table = [(None, f"{act}'(Z1)", f_grad(Z1, alpha)),
             (f"{act}_grad_at_activation", f"{act}'(A1), the derivative taken at the activation "
                                           "instead of the pre-activation", f_grad(A1, alpha))]
    if act in ("sigmoid", "tanh"):
        form = "Z1 (1 - Z1)" if act == "sigmoid" else "1 - Z1^2"
        table.append((f"{act}_grad_of_z", f"{form}: the output form of {act}' applied to the pre-activation",
                      output_form(act, Z1)))
    for other in ("sigmoid", "tanh", "relu"):
        if other != act:
            form = {"sigmoid": "A1 (1 - A1)", "tanh": "1 - A1^2", "relu": "(Z1 > 0)"}[other]
            fault = f"{other}_grad_on_{act}"
            value = output_form(other, A1) if other != "relu" else ACTIVATIONS["relu"][1](Z1, alpha)
            table.append((fault, f"{form}: the {other} derivative on a {act} layer", value))
            if other != "relu":
                table.append((fault, f"{other}'(Z1): the {other} derivative on a {act} layer",
                              ACTIVATIONS[other][1](Z1, alpha)))
    table.append((f"{act}_grad_missing", "1: no derivative at all, dZ1 = dA1", np.ones_like(Z1)))
    return table


# -- the words of the member faults the engine can name: (title, fix) -----------------------------

DERIVATIVE_FORMULAS = {"relu": "(Z1 > 0)", "leaky_relu": "np.where(Z1 > 0, 1, alpha)",
                       "sigmoid": "A1 * (1 - A1), with A1 = sigmoid(Z1)", "tanh": "(1 - A1 ** 2), with A1 = tanh(Z1)"}


def member_terms():
    """{fault id: (title, fix, checklist family (0 = other), function to look in)} for the faults the member
    tables above name; remedies.py words them like its own."""
    back, fwd = "backward", "forward_loss"
    table = {
        "ce_grad_no_softmax": ("the cross-entropy gradient is taken on the raw logits, without the softmax",
                               "dZ2 = (softmax(Z2) - onehot(y)) / N", 0, back),
        "softmax_jacobian_diagonal": ("the softmax is back-propagated with only the diagonal P (1 - P) of its Jacobian",
                                      "take softmax and cross-entropy together: dZ2 = (P - onehot(y)) / N", 0, back),
        "mse_grad_no_sigmoid": ("the squared-error gradient misses the sigmoid's derivative",
                                "dZ2 = 2 (S - Y) * S * (1 - S) / N", 0, back),
        "bce_labels_broadcast": ("the (N, 1) output and the (N,) labels broadcast to an (N, N) loss",
                                 "give both one shape in the loss: s = A2.ravel() (or y = y.reshape(-1, 1))", 3, fwd),
        "bce_no_one_minus_y": ("the binary cross-entropy has no (1 - y) log(1 - s) term",
                               "loss = mean(log(1 + e^z) - y z) = -mean[y log s + (1 - y) log(1 - s)]", 0, fwd),
        "unstable_sigmoid": ("the sigmoid overflows at a saturated logit",
                             "sigmoid(z) = exp(-logaddexp(0, -z)), or 1 / (1 + exp(-z)), which saturates cleanly",
                             5, fwd),
    }
    for bias in ("b1", "b2"):
        table[f"d{bias}_scalar"] = (f"d{bias} is summed over every axis: a scalar",
                                    f"sum over the batch only: d{bias} = dZ.sum(axis=0)", 0, back)
    for act, formula in DERIVATIVE_FORMULAS.items():
        fix = f"dZ1 = dA1 * {formula}"
        table[f"{act}_grad_at_activation"] = (f"{act}'s derivative is taken at the activation A1, not at Z1", fix,
                                              4, back)
        table[f"{act}_grad_of_z"] = (f"{act}'s derivative is written in its output form but given Z1", fix, 4, back)
        table[f"{act}_grad_missing"] = (f"the {act} backward has no derivative: dZ1 = dA1", fix, 4, back)
        table[f"{act}_backward_wrong"] = (f"dZ1 is not dZ2 W2^T times {act}'(Z1)", f"dA1 = dZ2 @ W2.T; {fix}", 4, back)
        for other in ("sigmoid", "tanh", "relu"):
            table[f"{other}_grad_on_{act}"] = (f"the {other} derivative is used on a {act} layer", fix, 4, back)
    return table
