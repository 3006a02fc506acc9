"""Which member of the net family the subject computes: given (`net=`), or recognised from its loss.

The first observation is the one every diagnosis makes: forward once on the multiclass
probe and backward twice. Its loss is matched against every member's (no further call).
Only when that call fails or its loss matches nothing is the subject observed again on
a binary probe (C = 1, y in {0, 1}): one more forward call. When no loss matches, the
member is the one whose reference gradients are nearest the subject's: the forward
finding then says which member's loss is nearest, and how far.
"""
import numpy as np

from core.family import Net
from diagnose.engine.member import BINARY, nearest, nearest_by_grads, reference_grads, scaled_distance, solved_slopes
from diagnose.engine.probe import make_probe
from diagnose.engine.stages.shapes import log_eps_of
from diagnose.engine.stages.context import Context
from diagnose.engine.subject import SubjectFailed

GRADS_EXACT = 1e-6  # relative: the subject's gradients are this member's
GRADS_NEAR = 0.5  # a binary observation stands in for a failed multiclass one only this near a member


def observed(subject, probe, observe):
    """(Context observed on `probe`, the SubjectFailed it raised or None)."""
    ctx = Context(probe, subject)
    try:
        observe(ctx)
    except SubjectFailed as exc:
        return ctx, exc
    return ctx, None


def scalar_loss(ctx):
    """The observed loss as a finite float, or None."""
    try:
        value = np.asarray(ctx.loss)
        loss = None if np.iscomplexobj(value) else float(np.asarray(value, dtype=np.float64))
    except (TypeError, ValueError):
        return None
    if loss is None:
        return None
    return loss if np.isfinite(loss) else None


def adopt(ctx, net, basis, match=None):
    """Judge the subject as member `net` on the probe it was observed on."""
    if net != ctx.probe.net:
        ctx.probe = ctx.probe.with_net(net)
    ctx.net_basis, ctx.loss_match = basis, match
    return ctx


def recognise(subject, seed, shape, net, observe):
    """(Context observed on the right probe with the member's references, SubjectFailed or None)."""
    if net is not None:
        ctx, failed = observed(subject, make_probe(seed, shape, net), observe)
        ctx.net_basis = "given"
        return ctx, failed
    tried = []
    for probe_net in (None, BINARY):
        ctx, failed = observed(subject, make_probe(seed, shape, probe_net), observe)
        loss = None if failed else scalar_loss(ctx)
        match = nearest(loss, ctx.probe) if loss is not None else None
        if match is not None and match.exact:
            return adopt(ctx, match.net, "recognised from the loss", match), None
        if probe_net is None and loss is not None and log_eps_of(ctx.probe, loss):  # -mean log(p_y + eps)
            return adopt(ctx, Net(), "recognised from the loss", match), None
        tried.append((ctx, failed, match))
    return by_gradients(tried)


def round_slope(alpha):
    """A slope people write: a multiple of 0.001, at least 0.005 (a solved slope near 0 is ReLU with an epsilon)."""
    return alpha >= 0.005 and abs(alpha * 1000 - round(alpha * 1000)) < 1e-6


def one_layer_matches(grads, ref):
    """The subject's dW2 and db2, or its dW1 and db1, equal the reference's."""
    if not isinstance(grads, dict):
        return False
    return any(scaled_distance({k: grads.get(k) for k in keys}, {k: ref[k] for k in keys}, 1.0) < GRADS_EXACT
               for keys in (("W2", "b2"), ("W1", "b1")))


def by_gradients(tried):
    """No loss matched: the member whose gradients the subject's equal (a forward-only fault), else the
    default net on the multiclass observation, else the binary member nearest by gradients, else the failure."""
    (multi, multi_failed, multi_match), (binary, _, binary_match) = tried
    usable = [(ctx, match) for ctx, match in ((multi, multi_match), (binary, binary_match)) if match is not None]
    for ctx, match in usable:  # a leaky slope off the list: its loss and its gradients both equal the subject's
        for net in solved_slopes(scalar_loss(ctx), ctx.probe):
            if isinstance(ctx.grads_raw, dict) and scaled_distance(ctx.grads_raw, reference_grads(ctx.probe, net),
                                                                   1.0) < GRADS_EXACT:
                return adopt(ctx, net, "recognised from the loss", match), None
    for ctx, match in usable:
        distance, net = nearest_by_grads(ctx.grads_raw, ctx.probe)
        if distance < GRADS_EXACT:
            return adopt(ctx, net, "gradients", match), None
    for ctx, match in usable:  # a round slope (0.15) whose loss is exact and one layer's gradients are its own:
        for net in solved_slopes(scalar_loss(ctx), ctx.probe):  # a fault in the other layer, not another net
            if round_slope(net.alpha) and one_layer_matches(ctx.grads_raw, reference_grads(ctx.probe, net)):
                return adopt(ctx, net, "recognised from the loss", match), None
    if multi_match is not None:
        return adopt(multi, Net(), "default", multi_match), None
    if binary_match is not None:
        distance, net = nearest_by_grads(binary.grads_raw, binary.probe)
        if distance < GRADS_NEAR:
            return adopt(binary, net, "nearest", binary_match), None
    multi.net_basis = "default"
    return multi, multi_failed  # None when the loss is no finite scalar: the shapes stage says so
