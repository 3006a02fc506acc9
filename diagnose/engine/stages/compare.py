"""Comparisons by norm: robust to tiny entries that elementwise tolerances trip over."""
import numpy as np


def close(a, b, tol):
    """a equals b up to tol relative to b's norm."""
    return np.linalg.norm(a - b) <= tol * max(np.linalg.norm(b), 1e-12)


def scale_between(a, b):
    """c minimising |a - c b|: the constant that a might be of b."""
    return float(np.vdot(a, b) / max(np.vdot(b, b), 1e-300))
