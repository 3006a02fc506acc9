"""Rows layout, free functions with their own names; the weights travel as a tuple (w1, b1, w2, b2).

Check it with:  diagnose check examples/rows_functions.py
"""
import numpy as np


def init_weights(n_in, n_hidden, n_out, seed=0):
    rng = np.random.default_rng(seed)
    return (0.01 * rng.standard_normal((n_in, n_hidden)), np.zeros(n_hidden),
            0.01 * rng.standard_normal((n_hidden, n_out)), np.zeros(n_out))


def forward(x, weights):
    w1, b1, w2, b2 = weights
    h_pre = x @ w1 + b1
    h = np.maximum(h_pre, 0)
    scores = h @ w2 + b2
    return scores, (x, h_pre, h)


def softmax_cross_entropy(scores, labels):
    n = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), labels].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(n), labels] -= 1
    return loss, dscores / n


def backprop(dscores, cache, weights):
    x, h_pre, h = cache
    w1, b1, w2, b2 = weights
    grad_w2 = h.T @ dscores
    grad_b2 = dscores.sum(axis=0)
    dh = dscores @ w2.T
    dh[h_pre <= 0] = 0
    grad_w1 = x.T @ dh
    grad_b1 = dh.sum(axis=0)
    return grad_w1, grad_b1, grad_w2, grad_b2


def sgd(x, labels, weights, lr=0.1, steps=100):
    for _ in range(steps):
        scores, cache = forward(x, weights)
        loss, dscores = softmax_cross_entropy(scores, labels)
        weights = tuple(w - lr * g for w, g in zip(weights, backprop(dscores, cache, weights)))
    return weights, loss


# --- adapter for `diagnose check` (the code above is unchanged) ---
from diagnose import adapt  # noqa: E402

FRAME = adapt.Frame(params=("W1", "b1", "W2", "b2"))  # rows, weights (in, out), biases (H,); a tuple in this order


@FRAME.wrap
def loss_and_grads(x, labels, weights):
    scores, cache = forward(x, weights)
    loss, dscores = softmax_cross_entropy(scores, labels)
    return loss, backprop(dscores, cache, weights)
