"""Stage 6, layer isolation in the order dZ2, dW2/db2, ReLU mask, dW1/db1, at no forward cost.

dW2 = A1^T dZ2 and db2 = 1^T dZ2 say [A1 | 1]^T dZ2 = [dW2; db2]: with N <= H + 1 the
subject's own dZ2 comes back by least squares, and likewise its dZ1 from dW1, db1
through [X | 1]. Each layer is judged against the subject's own upstream output,
so a fault upstream is never blamed on the mask, and two faults are both named.
"""
import numpy as np

from diagnose.engine.findings import Finding, Stage
from diagnose.engine.member import derivatives, dz2_words, wrong_dZ2s
from diagnose.engine.stages.compare import close, scale_between
from diagnose.engine.stages.shapes import named

S = Stage.ISOLATION

USES_Z1 = Finding(S, False, "dW2 equals Z1^T dZ2: the pre-activation, not A1",
                  "layer 2's input is the activation A1", "dW2_uses_Z1")
DB1_BEFORE_MASK = Finding(S, False, "dW1 is right but db1 equals the batch sum of dA1, before the mask",
                          "the bias gradient skips the ReLU", "db1_before_mask")


def recover(M, G):
    """(Z, relative residual) for the least-squares solution of M^T Z = G."""
    Z = np.linalg.lstsq(M.T, G, rcond=None)[0]
    residual = np.linalg.norm(M.T @ Z - G) / max(np.linalg.norm(G), 1e-300)
    return Z, residual


def labels_pattern(probe):
    """dZ2 of the (N, 1) broadcast: every row gets -1/N at every class present in y."""
    N, C = probe.P.shape
    present = np.zeros(C)
    present[np.unique(probe.y)] = 1.0
    return (probe.P - present) / N


def judge_dZ2(ctx, dZ2):
    """Compare the recovered dZ2 with the member's reference ((P - onehot(y)) / N by default) and its invariants."""
    probe, tol = ctx.probe, ctx.match_tol
    ref, words = probe.dZ2, dz2_words(probe.net)
    if close(dZ2, ref, tol):
        return [Finding(S, True, f"dZ2 recovered from dW2 and db2 equals {words}")]
    c = scale_between(dZ2, ref)
    if close(dZ2, c * ref, tol):
        return [scaled_finding(probe, c, words)]
    for fault, what, wrong in wrong_dZ2s(probe):
        if close(dZ2, wrong, tol):
            return [Finding(S, False, f"dZ2 recovered from dW2 and db2 is {what}, not {words}",
                            "dZ2 itself is wrong", fault)]
    if probe.net.head != "softmax_ce":
        return [Finding(S, False, f"dZ2 recovered from dW2 and db2 differs from {words}", "dZ2 itself is wrong",
                        "dZ2_wrong")]
    pattern = labels_pattern(probe)
    c = scale_between(dZ2, pattern)
    if close(dZ2, c * pattern, tol) and ctx.loss_is_net and len(np.unique(probe.y)) == probe.P.shape[1]:
        # every class is in y: the (N, 1) pattern is P - 1, which a right loss and `P - 1` give too
        every = Finding(S, False, "dZ2 recovered from dW2 and db2 has -1/N at every class of every row: (P - 1) / N",
                        "1 is subtracted at every class, not only at each row's label (dZ2 = (P - onehot(y)) / N; "
                        "labels of shape (N, 1) in backward give this too)", "dZ2_wrong")
        return [every] + ([scaled_finding(probe, c, "that pattern")] if abs(c - 1) > tol else [])
    if close(dZ2, c * pattern, tol):
        labels = Finding(S, False, "dZ2 recovered from dW2 and db2 has -1/N at every class present in y, in every row",
                         "the labels broadcast as an (N, 1) column: P[np.arange(N), y] picks N x N entries",
                         "labels_n1")
        return [labels] + ([scaled_finding(probe, c, "that pattern")] if abs(c - 1) > tol else [])
    row_sums = np.abs(dZ2.sum(axis=1)).max()
    seen = f"dZ2 recovered from dW2 and db2 differs from {words} (rows sum to up to {row_sums:.2g}, not 0)"
    return [Finding(S, False, seen, "dZ2 itself is wrong", "dZ2_wrong")]


def scaled_finding(probe, c, what):
    """dZ2 is c times `what`: N, 1/N and -1 are named faults."""
    N = probe.X.shape[0]
    named = {N: "missing_div_n", 1 / N: "double_div_n", -1.0: "sign_flipped"}
    if probe.net.convention.removeprefix("half_") == "sum":  # the loss is summed (and recognised so) while the gradient is averaged
        named = {1 / N: "loss_summed", -1.0: "sign_flipped"}
    fault = next((f for v, f in named.items() if abs(c - v) <= 1e-3 * max(1, abs(v))), "dZ2_wrong")
    return Finding(S, False, f"dZ2 recovered from dW2 and db2 is {c:.4g} x {what}",
                   "dZ2 carries a constant factor", fault)


def layer2(ctx):
    """Findings for dZ2, dW2/db2; returns (findings, the subject's dZ2 for layer 1)."""
    probe, g = ctx.probe, ctx.grads
    ref = probe.dZ2
    if "W2" not in g or "b2" not in g:
        return [], ref
    M2 = np.hstack([probe.A1, np.ones((probe.X.shape[0], 1))])
    dZ2, residual = recover(M2, np.vstack([g["W2"], g["b2"]]))
    if residual <= ctx.match_tol:
        return judge_dZ2(ctx, dZ2), dZ2
    layer_explained = any(ctx.explained.get(k) for k in ("W2", "b2"))
    if close(g["W2"], probe.Z1.T @ ref, ctx.match_tol):
        return [USES_Z1], ref
    if layer_explained:
        return [Finding(S, True, f"dW2, db2 fit no single dZ2 (residual {residual:.1e}), as the constant ratio explains")], ref
    return [Finding(S, False, f"dW2 and db2 fit no single dZ2 (least-squares residual {residual:.1e})",
                    "layer 2's own product or sum is wrong", "layer2_wrong")], ref


MASKS = {
    "correct": ("Z1 > 0", lambda p, dA1: p.Z1 > 0),
    "bad_relu_mask": ("the gradient's sign, dA1 > 0", lambda p, dA1: dA1 > 0),
    "relu_no_mask": ("no mask at all", lambda p, dA1: np.ones_like(dA1)),
    "relu_mask_inverted": ("the inverted mask Z1 <= 0", lambda p, dA1: p.Z1 <= 0),
    "relu_times_activation": ("the activation A1 instead of a mask", lambda p, dA1: p.A1),
    "mask_no_bias": ("X W1 > 0, without the bias", lambda p, dA1: p.X @ p.params["W1"] > 0),
}


OTHER_ON_RELU = ("sigmoid_grad_on_relu", "tanh_grad_on_relu")  # another activation's derivative on a ReLU layer


def layer1_candidates(probe):
    """[(fault or None for the right one, words, factor(dA1))]: dZ1 = dA1 * factor, the right one first."""
    if probe.net.act == "relu":
        masks = [(None if f == "correct" else f, words, lambda dA1, m=mask: m(probe, dA1))
                 for f, (words, mask) in MASKS.items()]
        others = [(f, words, lambda dA1, v=v: v) for f, words, v in derivatives(probe) if f in OTHER_ON_RELU]
        return masks + others
    return [(f, words, lambda dA1, v=v: v) for f, words, v in derivatives(probe)]


def judge_mask(ctx, dZ1, dA1, seen="dZ1 recovered from dW1 and db1"):
    """Which mask (or activation derivative) turns the subject's own dA1 into its dZ1 (`seen`: where dZ1 is from)."""
    act = ctx.probe.net.act
    relu = act == "relu"
    for fault, words, factor in layer1_candidates(ctx.probe):
        if close(dZ1, dA1 * factor(dA1), ctx.match_tol):
            if fault is None:
                return Finding(S, True, f"{seen} equals (dZ2 W2^T) * " + ("(Z1 > 0)" if relu else f"{act}'(Z1)"))
            if relu and fault not in OTHER_ON_RELU:
                return Finding(S, False, f"{seen} equals (dZ2 W2^T) masked by {words}",
                               "the ReLU backward uses the wrong mask: it must be Z1 > 0", fault)
            return Finding(S, False, f"{seen} equals (dZ2 W2^T) * {words}",
                           f"the {act} backward must multiply by {act}'(Z1), the derivative at the pre-activation",
                           fault)
    if relu:
        return Finding(S, False, f"{seen} matches no mask of the subject's dZ2 W2^T",
                       "the ReLU backward or dA1 = dZ2 W2^T is wrong", "relu_backward_wrong")
    return Finding(S, False, f"{seen} matches no derivative of {act} times the subject's dZ2 W2^T",
                   f"the {act} backward or dA1 = dZ2 W2^T is wrong", f"{act}_backward_wrong")


def right_factor(probe):
    """The activation's derivative at Z1: (Z1 > 0) for ReLU."""
    return layer1_candidates(probe)[0][2](None)


def layer1(ctx, dZ2):
    """Findings for the ReLU mask and dW1/db1, judged against the subject's own dZ2."""
    probe, g = ctx.probe, ctx.grads
    if "W1" not in g or "b1" not in g:
        return []
    dA1 = dZ2 @ probe.params["W2"].T  # dL/dA1 from the subject's own dZ2
    M1 = np.hstack([probe.X, np.ones((probe.X.shape[0], 1))])
    dZ1, residual = recover(M1, np.vstack([g["W1"], g["b1"]]))
    if residual <= ctx.match_tol:
        return [judge_mask(ctx, dZ1, dA1)]
    dZ1_ref = dA1 * right_factor(probe)
    if close(g["W1"], probe.X.T @ dZ1_ref, ctx.match_tol) and close(g["b1"], dA1.sum(axis=0), ctx.match_tol):
        return [DB1_BEFORE_MASK]
    if any(ctx.explained.get(k) for k in ("W1", "b1")):
        return [Finding(S, True, f"dW1, db1 fit no single dZ1 (residual {residual:.1e}), as the constant ratio explains")]
    return [Finding(S, False, f"dW1 and db1 fit no single dZ1 (least-squares residual {residual:.1e})",
                    "layer 1's own product or sum is wrong", "layer1_wrong")]


def fallback(ctx):
    """Without least squares: test each mask by the gradients it predicts from the reference dZ2."""
    probe, g = ctx.probe, ctx.grads
    b2 = ctx.checks.get("b2")
    scale = b2.ratio if b2 is not None and b2.constant and "b2" in ctx.explained else 1.0
    dZ2 = scale * probe.dZ2  # the subject's dZ2 as far as the constant ratio tells
    findings = []
    if "W2" in ctx.unexplained and close(g["W2"], probe.Z1.T @ dZ2, ctx.match_tol):
        findings.append(USES_Z1)
    elif {"W2", "b2"} & set(ctx.unexplained):
        wrong = [k for k, want in (("W2", probe.A1.T @ dZ2), ("b2", dZ2.sum(axis=0)))
                 if k in g and not close(g[k], want, ctx.match_tol)]
        findings.append(Finding(S, False, f"{named(wrong, 'matches', 'match')} no layer-2 product of the "
                                          "reference dZ2 (A1^T dZ2, the batch sum of dZ2)",
                                "layer 2's own product or sum is wrong, or dZ2 itself", "layer2_wrong",
                                tensors=tuple(wrong)))
    if not {"W1", "b1"} & set(ctx.unexplained) or "W1" not in g or "b1" not in g:
        return findings
    dA1 = dZ2 @ probe.params["W2"].T
    for fault, words, factor in layer1_candidates(probe):
        dZ1 = dA1 * factor(dA1)
        if close(g["W1"], probe.X.T @ dZ1, ctx.match_tol):
            if close(g["b1"], dZ1.sum(axis=0), ctx.match_tol):
                return findings + [judge_mask(ctx, dZ1, dA1, "the dZ1 whose dW1 and db1 the subject returns")]
            if fault is None and close(g["b1"], dA1.sum(axis=0), ctx.match_tol):
                return findings + [DB1_BEFORE_MASK]
    return findings + [Finding(S, False, "dW1 and db1 match no mask of dZ2 W2^T", "layer 1 is wrong", "layer1_wrong")]


def run(ctx):
    """Layer 2 then layer 1; by predicted gradients instead when N > min(D, H) + 1.

    When the subject's loss is not the net's and every gradient matches that loss, backward
    is right for what forward computed: the net's dZ2 is no yardstick, so nothing is isolated.
    """
    if not ctx.loss_is_net and not ctx.failing:
        ctx.skipped.append("layer isolation: every gradient matches the subject's own loss, which is not the net's "
                           "mean cross-entropy, so the net's dZ2 is no yardstick for backward")
        return []
    ctx.match_tol = max(ctx.match_tol, ctx.eps_tol)  # an epsilon in the log moves dZ2 by up to eps / p_y
    findings = unscale(ctx)
    if not ctx.probe.isolable:
        N, D, H, _ = ctx.probe.shape
        ctx.skipped.append(f"least-squares layer isolation: N = {N} > min(D, H) + 1 = {min(D, H) + 1}, so dZ1 and "
                           "dZ2 cannot be recovered; the masks are tested by the gradients they predict instead")
        return findings + fallback(ctx)
    more, dZ2 = layer2(ctx)
    return findings + more + layer1(ctx, dZ2)


def unscale(ctx):
    """Tensors that alone carry a constant factor are divided by it first, so each layer is judged on the rest."""
    if not ctx.scaled:
        return []
    for name, c in ctx.scaled.items():
        ctx.grads[name] = ctx.grads[name] / c
    parts = ", ".join(f"d{name} by {c:.4g}" for name, c in ctx.scaled.items())
    return [Finding(S, True, f"before isolating, {parts}: the factor stage 5 found on them alone")]
