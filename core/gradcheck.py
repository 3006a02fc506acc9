"""Central-difference gradient check: the numeric gradient is the oracle.

Use float64: with h = 1e-5 a float32 loss rounds at ~1e-7, so the difference
quotient carries ~1e-2 relative noise and the check fails on a correct backward.
"""
import numpy as np

from core.net import forward_loss as core_forward_loss


def rel_errors(a, b):
    """Elementwise |a - b| / max(1e-8, |a| + |b|): the 1e-8 floor keeps tiny values tame."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))


def rel_error(a, b):
    """max |a - b| / max(1e-8, |a| + |b|): the worst entry of rel_errors."""
    return float(np.max(rel_errors(a, b)))


def numeric_entry(loss_fn, p, idx, h):
    """dL/dp[idx] ~ (L(p + h) - L(p - h)) / 2h, restoring p[idx] afterwards."""
    old = p[idx]
    try:
        p[idx] = old + h
        loss_plus = loss_fn()
        p[idx] = old - h
        loss_minus = loss_fn()
    finally:
        p[idx] = old
    return (loss_plus - loss_minus) / (2 * h)


def numeric_grad(loss_fn, p, h=1e-5, indices=None):
    """Numeric gradient of loss_fn() w.r.t. array p at `indices` (all entries by default)."""
    grad = np.zeros_like(p, dtype=np.float64)
    for idx in indices if indices is not None else np.ndindex(p.shape):
        grad[idx] = numeric_entry(loss_fn, p, idx, h)
    return grad


def check_grad_shapes(params, grads):
    """A gradient must have its parameter's shape: broadcasting would hide (1, H) against (H,)."""
    for name, p in params.items():
        g = np.asarray(grads[name]) if name in grads else None
        if g is None or g.shape != p.shape:
            got = "nothing" if g is None else f"shape {g.shape}"
            raise ValueError(f'grads["{name}"] must have shape {p.shape} like params["{name}"], got {got}')


def grad_check(X, y, params, grads, h=1e-5, forward_loss=None):
    """{name: max relative error} between grads and central differences of every entry."""
    check_grad_shapes(params, grads)
    forward_loss = forward_loss or core_forward_loss
    loss_fn = lambda: forward_loss(X, y, params)[0]  # noqa: E731
    return {name: rel_error(numeric_grad(loss_fn, params[name], h), grads[name]) for name in params}


def grad_check_sampled(X, y, params, grads, k=10, h=1e-5, seed=0, forward_loss=None):
    """Like grad_check, but on k random entries per tensor: 2k forward passes a tensor, for large nets."""
    check_grad_shapes(params, grads)
    forward_loss = forward_loss or core_forward_loss
    loss_fn = lambda: forward_loss(X, y, params)[0]  # noqa: E731
    rng = np.random.default_rng(seed)
    errors = {}
    for name, p in params.items():
        flat = rng.choice(p.size, size=min(k, p.size), replace=False)
        indices = [np.unravel_index(i, p.shape) for i in flat]
        numeric = np.array([numeric_entry(loss_fn, p, idx, h) for idx in indices])
        analytic = np.array([np.asarray(grads[name])[idx] for idx in indices])
        errors[name] = rel_error(numeric, analytic)
    return errors

