"""Stage 4, precision: float32 makes a finite difference drown in rounding.

With h = 1e-5 a float32 loss (rounding ~1e-7) gives the difference quotient ~1e-2
relative noise; the noise shrinks as h grows, which a logic fault's error does not.
"""
import numpy as np

from core import rel_error
from diagnose.engine.findings import Finding, Stage
from diagnose.engine.stages.directional import along, directions
from diagnose.engine.stages.shapes import low_precision

S = Stage.PRECISION
STEPS = (1e-5, 1e-2)


def joint_error(ctx, h):
    """Relative error of one random direction through every usable tensor at step h."""
    v = {name: directions(ctx.probe.seed + 1, name, g.shape, k=1)[0] for name, g in ctx.grads.items()}
    analytic = sum(float(np.vdot(ctx.grads[name], v[name])) for name in v)
    return rel_error(analytic, along(ctx, v, h))


def dtypes_sentence(ctx):
    """The dtypes seen, as they are: 'the loss and the gradients are float64' only when all of them are."""
    dtypes = {"the loss": ctx.loss_dtype, **{f"d{k}": dt for k, dt in ctx.grads_dtypes.items()}}
    if len(set(dtypes.values())) == 1 and len(ctx.grads_dtypes) == 4:
        return f"the loss and the gradients are {ctx.loss_dtype}"
    by_dtype = {}
    for name, dt in dtypes.items():
        by_dtype.setdefault(str(dt), []).append(name)
    return "; ".join(f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} {dt}" for dt, names in by_dtype.items())


def run(ctx):
    """Dtypes of the loss and gradients; if not float64, how the check's error moves with h."""
    low = [f"the loss ({ctx.loss_dtype})"] if low_precision(ctx.loss_dtype) else []
    low += [f"d{k} ({dt})" for k, dt in ctx.grads_dtypes.items() if low_precision(dt)]
    if not low:
        return [Finding(S, True, dtypes_sentence(ctx))]
    small, large = (joint_error(ctx, h) for h in STEPS)
    if not low_precision(ctx.loss_dtype) and small <= ctx.tol:  # the differences of a float64 loss are sound
        return [Finding(S, True, f"not float64: {', '.join(low)}, while the loss is {ctx.loss_dtype}; the check's "
                                 f"relative error is {small:.1e} at h = {STEPS[0]:g}",
                        "the gradient check is sound, but the gradients keep only about 7 digits",
                        caution="grads_low_precision")]
    ctx.low_precision = True
    ctx.h, ctx.tol, ctx.match_tol = STEPS[1], 2e-2, 1e-3  # judge the gradients above the rounding noise
    seen = (f"not float64: {', '.join(low)}; the check's relative error is {small:.1e} at h = {STEPS[0]:g} "
            f"and {large:.1e} at h = {STEPS[1]:g}")
    if large < small / 10:
        meaning = "rounding noise, which falls as h grows: run the gradient check in float64"
    else:
        meaning = "low precision (the error does not fall with h, so a logic fault may hide behind it too)"
    return [Finding(S, False, seen, meaning, "float32")]


def hidden_rounding(ctx, failing):
    """A failing check with float64 results may still be float32 rounding inside (labels can upcast a float32
    loss): along the worst tensor's steepest check direction the error falls tenfold as h grows from 1e-5 to
    1e-2, which a logic fault's error does not. Then a Finding naming float32, else None (4 forward calls)."""
    if ctx.low_precision or not failing:
        return None
    name = max(failing, key=lambda n: ctx.checks[n].rel_error)
    g = ctx.grads[name]
    v = max(directions(ctx.probe.seed, name, g.shape), key=lambda d: abs(np.vdot(g, d)))
    analytic = float(np.vdot(g, v))
    small, large = (rel_error(analytic, along(ctx, {name: v}, h)) for h in STEPS)
    if not (large < small / 10 and large < 1e-3):
        return None
    for each in failing:
        ctx.explained[each] = "float32"
    return Finding(Stage.GRADCHECK, False,
                   f"the loss and gradients are float64, yet along one direction of {name} the check's relative "
                   f"error is {small:.1e} at h = {STEPS[0]:g} and {large:.1e} at h = {STEPS[1]:g}",
                   "rounding noise, which falls as h grows: part of the computation runs below float64 "
                   "(float32 inputs or params) and is cast back", "float32")
