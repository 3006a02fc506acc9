"""The diagnosis engine: observe the subject on its own probe, run the stages, word a verdict.

It never looks at the catalog: everything it concludes comes from calling the
subject and comparing what comes back with the math.
"""
import copy

import numpy as np

from diagnose.engine.findings import Failure, Stage
from diagnose.engine.recognise import recognise
from diagnose.engine.report import Report, conclude
from diagnose.engine.stages import gradcheck, isolation, precision, purity, shapes, stability
from diagnose.engine.stages.context import Halt
from diagnose.engine.stages.purity import changes, snapshot
from diagnose.engine.subject import Subject, SubjectFailed

STAGES = (
    (Stage.SHAPES, shapes),
    (Stage.PURITY, purity),
    (Stage.STABILITY, stability),
    (Stage.PRECISION, precision),
    (Stage.GRADCHECK, gradcheck),
    (Stage.ISOLATION, isolation),
)


def copy_grads(grads):
    """Copies of returned arrays (lists stay lists), so a later call cannot change what was observed."""
    if isinstance(grads, dict):
        return {k: v.copy() if isinstance(v, np.ndarray) else copy.deepcopy(v) if isinstance(v, (list, tuple)) else v
                for k, v in grads.items()}
    return grads


def observe(ctx):
    """One forward, backward twice on the same cache, snapshots around the forward and the first backward."""
    subject, probe = ctx.subject, ctx.probe
    subject.stage = Stage.SHAPES.value
    X, y, params = probe.X.copy(), probe.y.copy(), probe.fresh_params()
    ctx.snapshots["before"] = snapshot(params=params, X=X, y=y)
    if subject.split:
        ctx.loss, cache = subject.forward(X, y, params)
        ctx.input_changes = changes(ctx.snapshots["before"], snapshot(params=params, X=X, y=y))
        ctx.snapshots["before"] = snapshot(params=params, cache=cache, X=X, y=y)
        ctx.grads_raw = copy_grads(subject.backward(cache, params))
        ctx.snapshots["after"] = snapshot(params=params, cache=cache, X=X, y=y)
        subject.stage = Stage.PURITY.value
        ctx.grads_second = copy_grads(subject.backward(cache, probe.fresh_params()))
    else:
        ctx.loss, grads, _ = subject.loss_and_grads(X, y, params)
        ctx.grads_raw = copy_grads(grads)
        ctx.snapshots["after"] = snapshot(params=params, X=X, y=y)
        ctx.input_changes = [c for c in changes(ctx.snapshots["before"], ctx.snapshots["after"])
                             if not c[0].startswith("params")]  # params moved in a fused call: an update
        subject.stage = Stage.PURITY.value
        _, grads2, _ = subject.loss_and_grads(probe.X.copy(), probe.y.copy(), probe.fresh_params())
        ctx.grads_second = copy_grads(grads2)
    subject.stage = Stage.SHAPES.value


def diagnose(subject, *, seed=0, shape=None, net=None):
    """Diagnose `subject` (forward_loss/backward, or loss_and_grads) on a seeded probe: a Report.

    `net` ("tanh,sigmoid_bce", ...) says which member of the net family the subject computes;
    by default it is recognised from the subject's own loss (engine/recognise.py).
    """
    subject = Subject.of(subject)
    ctx, failed = recognise(subject, seed, shape, net, observe)
    probe = ctx.probe
    if len(set(probe.shape)) < 4:
        ctx.notes.append(f"the sizes N, D, H, C = {probe.shape} are not all distinct: a transposed or wrongly "
                         "summed gradient can look like a right one")
    findings, failure = [], None
    try:
        if failed:
            raise failed
        for stage, module in STAGES:
            subject.stage = stage.value
            findings += module.run(ctx)
    except SubjectFailed as exc:
        failure = Failure(exc.stage, exc.call, exc.message, exc.trace)
    except Halt as exc:
        findings += exc.findings
        ctx.skipped.append(f"the stages after {subject.stage}: {exc.reason}")
    return build_report(ctx, findings, failure)


def build_report(ctx, findings, failure):
    """Faults and cautions in stage order, the verdict and the first failing stage."""
    verdict, faults, cautions, stage = conclude(findings, failure)
    probe = ctx.probe
    return Report(
        verdict=verdict,
        faults=faults,
        stage=stage,
        findings=tuple(findings),
        checks=tuple(ctx.checks.values()),
        forward_calls=ctx.subject.forward_calls,
        shape=probe.shape,
        seed=probe.seed,
        skipped=tuple(ctx.skipped),
        failure=failure,
        notes=tuple(ctx.notes),
        net=str(probe.net),
        net_basis=ctx.net_basis,
        cautions=cautions,
        functions=ctx.subject.functions,
    )
