"""Stage 2, purity: backward must change nothing it is given and give the same answer twice."""
import numpy as np

from diagnose.engine.findings import Finding, Stage

S = Stage.PURITY


def arrays_in(obj, path, depth=0):
    """(path, array) for every numpy array inside dicts, lists, tuples and plain objects."""
    if isinstance(obj, np.ndarray):
        yield path, obj
    elif depth > 4:
        return
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from arrays_in(value, f"{path}[{key!r}]", depth + 1)
    elif isinstance(obj, (list, tuple)):
        for i, value in enumerate(obj):
            yield from arrays_in(value, f"{path}[{i}]", depth + 1)
    elif hasattr(obj, "__dict__") and not callable(obj):
        for key, value in vars(obj).items():
            yield from arrays_in(value, f"{path}.{key}", depth + 1)


def snapshot(**containers):
    """{path: copy} of every array in the named containers."""
    return {path: a.copy() for name, obj in containers.items() for path, a in arrays_in(obj, name)}


def changes(before, after):
    """[(path, description)] of arrays that differ between two snapshots."""
    found = []
    for path, old in before.items():
        new = after.get(path)
        if new is None or new.shape != old.shape:
            found.append((path, "was replaced or reshaped"))
        elif not np.array_equal(old, new, equal_nan=True):
            diff = np.abs(new.astype(np.float64) - old.astype(np.float64))
            idx = tuple(int(i) for i in np.unravel_index(np.nanargmax(diff), diff.shape))
            found.append((path, f"changed by up to {diff[idx]:.3g} (at {list(idx)}: {old[idx]:.4g} -> {new[idx]:.4g})"))
    return found


def step_size(ctx, name, before, after):
    """-(after - before) / grad where that is one constant: the lr of an SGD step, else None."""
    g = ctx.grads.get(name)
    if g is None:
        return None
    moved = np.abs(g) > 1e-12
    if not moved.any():
        return None
    lr = -(after[moved] - before[moved]) / g[moved]
    return float(lr.mean()) if np.allclose(lr, lr.mean(), rtol=1e-6) else None


def param_findings(ctx, changed):
    """Params moved during backward: the update ran before any check could see them."""
    before, after = ctx.snapshots["before"], ctx.snapshots["after"]
    parts = []
    for path, how in changed:
        name = path.split("'")[1]
        lr = step_size(ctx, name, before[path], after[path])
        parts.append(f"{name} {how}" + (f", exactly -{lr:.3g} x its gradient" if lr else ""))
    call = "backward" if ctx.subject.split else ctx.subject.forward_name
    return [Finding(S, False, f"{call} changed the params: " + "; ".join(parts),
                    f"an SGD update runs inside {call}, before any gradient check sees the params "
                    "(the returned gradients are judged at the params as they were)", "update_before_check")]


def aliased(ctx, a, b):
    """Whether the arrays at paths a and b changed identically: one array reached two ways (cache['X'] is X)."""
    before, after = ctx.snapshots["before"], ctx.snapshots["after"]
    return all(snap[a].shape == snap[b].shape and np.array_equal(snap[a], snap[b], equal_nan=True)
               for snap in (before, after))


def cache_findings(ctx, changed):
    """A write into the cache, named by what was written: no_copy when it is P, else cache_mutated."""
    P = ctx.probe.P
    before = ctx.snapshots["before"]
    on_P = [(path, how) for path, how in changed  # P to float32 rounding: no_copy in a float32 forward too
            if before[path].shape == P.shape and np.allclose(before[path].astype(np.float64), P, rtol=1e-4, atol=1e-6)]
    findings = []
    if on_P:
        what = "; ".join(f"{path} (it held P) {how}" for path, how in on_P)
        findings.append(Finding(S, False, f"backward wrote into the cache: {what}",
                                "dZ2 = P edits the cache's P in place: a second backward (or a check "
                                "that reuses the cache) sees a different P", "no_copy"))
    rest = [c for c in changed if c not in on_P]
    if rest:
        also = {path: [k for k in ("X", "y") if k in ctx.snapshots["before"] and aliased(ctx, path, k)]
                for path, _ in rest}
        where = ", ".join(path + "".join(f" (the caller's {k} itself)" for k in also[path]) for path, _ in rest)
        what = "; ".join(f"{path} {how}" for path, how in rest)
        findings.append(Finding(S, False, f"backward wrote into {where}: {what}",
                                "the cache is edited in place: a second backward on it sees other arrays",
                                "cache_mutated"))
    return findings


def input_findings(ctx):
    """The forward pass (or a fused call) edited X, y or the params it was given."""
    call = ctx.subject.forward_name
    what = "; ".join(f"{path} {how}" for path, how in ctx.input_changes)
    return [Finding(S, False, f"{call} changed its inputs: {what}",
                    "the caller's data is edited in place (X *= 2 writes into the caller's X; X = X * 2 does not)",
                    "input_mutated")]


def run(ctx):
    """Compare snapshots taken around the forward pass and the first backward, and the second backward's gradients."""
    if not ctx.subject.split:
        ctx.skipped.append(f"cache purity: the subject returns no cache ({ctx.subject.forward_name} gives loss and gradients in one call)")
    found = changes(ctx.snapshots["before"], ctx.snapshots["after"])
    by_kind = {kind: [c for c in found if c[0].startswith(kind)] for kind in ("params", "cache", "X", "y")}
    findings = input_findings(ctx) if ctx.input_changes else []
    if by_kind["params"]:
        findings += param_findings(ctx, by_kind["params"])
    if by_kind["cache"]:
        findings += cache_findings(ctx, by_kind["cache"])
    inputs = [c for c in by_kind["X"] + by_kind["y"]
              if not any(aliased(ctx, c[0], path) for path, _ in by_kind["cache"])]  # cache['X'] is X: said once
    if ctx.subject.split and inputs:
        what = "; ".join(f"{path} {how}" for path, how in inputs)
        findings.append(Finding(S, False, f"backward changed its inputs: {what}",
                                "the data itself is edited in place", "inputs_modified"))
    findings += second_call_findings(ctx, bool(by_kind["cache"]))
    if not findings:
        findings.append(Finding(S, True, f"{'backward' if ctx.subject.split else ctx.subject.forward_name} "
                                         "changed nothing it was given"))
    return findings


def second_call_findings(ctx, cache_changed):
    """The same cache and params must give the same gradients a second time."""
    first, second = ctx.grads_raw, ctx.grads_second
    if not isinstance(second, dict):
        return [Finding(S, False, f"a second call on the same inputs returned {type(second).__name__}, not a dict",
                        "the gradients depend on something besides the cache and the params", "nondeterministic")]
    differing = [k for k in ctx.grads if not same(first[k], second.get(k))]
    if not differing:
        return [Finding(S, True, "a second call on the same inputs returned identical gradients")]
    again = "a second backward on the same cache" if ctx.subject.split else "a second call on the same inputs"
    seen = f"{again} returned different {', '.join('d' + k for k in differing)}"
    if cache_changed:
        return [Finding(S, False, seen, "a consequence of the cache written in place")]
    return [Finding(S, False, seen, "the gradients depend on something besides the cache and the params",
                    "nondeterministic")]


def same(a, b):
    """Whether two returned gradients hold the same values (NaN equal to NaN)."""
    try:
        return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)
    except (TypeError, ValueError):  # values np.asarray cannot compare: equal only if equal as objects
        return a is b
