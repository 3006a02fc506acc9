"""One shared probe: a random float64 problem with nonzero biases, away from the ReLU kink.

It is a fixture because test_gradcheck.py and test_catalog.py both need the same draw
rules, and a helper copied into two files would drift.
"""
import numpy as np
import pytest

from core import forward_loss, init_params


def random_problem(
    seed,
    N=None,
    D=None,
    H=None,
    C=None,
    *,
    weight_scale=0.5,
    bias_scale=0.5,
    min_abs_z1=1e-3,
    min_p_y=1e-3,
    mixed_relu=False,
):
    """(X, y, params) drawn from default_rng(seed); unspecified sizes are drawn too.

    Redraws X, y and params (deterministically, from the same rng) until no |Z1| is within
    `min_abs_z1` of the ReLU kink and every true-class probability is at least `min_p_y`
    (keeps the catalog's behaviour checks away from saturation). y always holds at least two classes.
    With `mixed_relu`, Z1 has both signs: some unit is on somewhere (so no gradient is all
    zeros) and some unit is off somewhere (so a mistake in the ReLU's backward shows).
    """
    rng = np.random.default_rng(seed)
    N = N or int(rng.integers(2, 9))
    D = D or int(rng.integers(1, 7))
    H = H or int(rng.integers(1, 11))
    C = C or int(rng.integers(2, 7))
    for _ in range(100):
        X = rng.standard_normal((N, D))
        y = rng.integers(0, C, N)
        y[:2] = rng.choice(C, size=2, replace=False)  # at least two distinct classes
        params = {
            "W1": weight_scale * rng.standard_normal((D, H)),
            "b1": bias_scale * rng.standard_normal(H),
            "W2": weight_scale * rng.standard_normal((H, C)),
            "b2": bias_scale * rng.standard_normal(C),
        }
        _, cache = forward_loss(X, y, params)
        Z1, p_y = cache["Z1"], cache["P"][np.arange(N), y]
        kink_free = np.min(np.abs(Z1)) > min_abs_z1
        mixed = np.any(Z1 > 0) and np.any(Z1 < 0)
        if kink_free and np.min(p_y) > min_p_y and (mixed or not mixed_relu):
            return X, y, params
    raise AssertionError(f"seed {seed}: no acceptable draw in 100 tries")


@pytest.fixture
def make_problem():
    """random_problem(seed, N=None, D=None, H=None, C=None, **draw_options)."""
    return random_problem


@pytest.fixture
def note_toy_problem():
    """(X, y, params) of the design note's toy test: N, D, H, C = 5, 4, 10, 3.

    X comes from the note's legacy recipe `np.random.seed(1); np.random.randn(N, D)`,
    kept verbatim; the global random state is put back afterwards.
    """
    state = np.random.get_state()
    try:
        np.random.seed(1)
        X = np.random.randn(5, 4)
    finally:
        np.random.set_state(state)
    return X, np.array([0, 1, 2, 2, 1]), init_params(4, 10, 3, seed=42)


def member_problem(seed, net, N=6, D=5, H=7, C=3, scale=0.7):
    """(X, y, params) for member `net` (a core.family.Net) from default_rng(seed).

    A binary head gets one output unit and labels in {0, 1} with both present;
    |Z1| stays above 0.05 so no finite difference crosses a (leaky) ReLU kink.
    """
    rng = np.random.default_rng(seed)
    C = 1 if net.binary else C
    for _ in range(100):
        X = rng.standard_normal((N, D))
        y = rng.permutation(np.arange(N) % (2 if net.binary else C))
        params = {"W1": scale * rng.standard_normal((D, H)), "b1": scale * rng.standard_normal(H),
                  "W2": scale * rng.standard_normal((H, C)), "b2": scale * rng.standard_normal(C)}
        if np.min(np.abs(X @ params["W1"] + params["b1"])) > 0.05:
            return X, y, params
    raise AssertionError(f"seed {seed}: no kink-free draw in 100 tries")


@pytest.fixture
def make_member_problem():
    """member_problem(seed, net, N=6, D=5, H=7, C=3, scale=0.7)."""
    return member_problem
