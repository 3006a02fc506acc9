"""Finite differences that cost a constant number of forward calls, whatever the size.

Along a dense random unit direction v, the directional derivative g.v is checked
against (L(theta + h v) - L(theta - h v)) / 2h: two forward calls per direction,
not two per parameter. Directions are Gaussian, so no fault hides in a direction
that is mostly zeros or all positive.
"""
import numpy as np

from core import PARAM_KEYS

DIRECTIONS = 3  # random directions per tensor


def directions(seed, name, shape, k=DIRECTIONS):
    """k unit-norm Gaussian directions for one tensor, seeded by probe seed and tensor."""
    rng = np.random.default_rng([seed, PARAM_KEYS.index(name), 7])
    vs = rng.standard_normal((k,) + tuple(shape))
    return [v / np.linalg.norm(v) for v in vs]


def along(ctx, deltas, h, X=None, y=None):
    """(L(theta + h v) - L(theta - h v)) / 2h, where v is {tensor: direction}."""
    plus, minus = ctx.probe.fresh_params(), ctx.probe.fresh_params()
    for name, v in deltas.items():
        plus[name] = plus[name] + h * v
        minus[name] = minus[name] - h * v
    return (ctx.subject_loss(plus, X, y) - ctx.subject_loss(minus, X, y)) / (2 * h)


def entry(ctx, name, idx, h):
    """Central difference of one entry: dL/dtheta[idx]."""
    v = np.zeros_like(ctx.probe.params[name])
    v[idx] = 1.0
    return along(ctx, {name: v}, h)

