"""The correct two-layer classifier: X -> XW1+b1 -> ReLU -> A1W2+b2 -> softmax -> CE.

Every fault in `bugs/` is made by replacing one exact piece of text in this file's
functions, so keep each formula on a line of its own: the catalog's tests fail
loudly when a record's text no longer occurs exactly once.
"""
import numpy as np

from core.validate import validate_inputs, validate_params


def init_params(D, H, C, seed=0, scale=0.01):
    """Small Gaussian weights and zero biases, drawn from `default_rng(seed)`."""
    rng = np.random.default_rng(seed)
    return {
        "W1": scale * rng.standard_normal((D, H)),
        "b1": np.zeros(H),
        "W2": scale * rng.standard_normal((H, C)),
        "b2": np.zeros(C),
    }


def forward_loss(X, y, params):
    """Mean softmax cross-entropy of the labels y; returns (loss, cache for backward)."""
    validate_inputs(X, y, params)
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    Z1 = X @ W1 + b1  # hidden pre-activation, (N, H)
    A1 = np.maximum(0, Z1)  # ReLU
    Z2 = A1 @ W2 + b2  # logits, (N, C)
    shifted = Z2 - Z2.max(axis=1, keepdims=True)  # softmax is shift-invariant: the max-shift avoids overflow
    log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log-softmax: exact where P underflows
    P = np.exp(log_P)  # P = softmax(Z2)
    loss = -np.mean(log_P[np.arange(N), y])  # L = mean_i -log P[i, y_i]
    cache = {"X": X, "y": y, "Z1": Z1, "A1": A1, "P": P}
    return loss, cache


def backward(cache, params):
    """Gradients of the mean cross-entropy with the params' keys and shapes; modifies nothing."""
    X, y, Z1, A1, P = cache["X"], cache["y"], cache["Z1"], cache["A1"], cache["P"]
    W2 = params["W2"]
    N = X.shape[0]
    dZ2 = P.copy()
    dZ2[np.arange(N), y] -= 1  # P - onehot(y)
    dZ2 /= N  # dL/dZ2 = (P - onehot(y)) / N for the mean loss
    dW2 = A1.T @ dZ2  # dL/dW2 = A1^T dZ2
    db2 = dZ2.sum(axis=0)  # dL/db2 = sum of dZ2 over the batch
    dA1 = dZ2 @ W2.T  # dL/dA1 = dZ2 W2^T
    dZ1 = dA1 * (Z1 > 0)  # ReLU passes the gradient where Z1 > 0
    dW1 = X.T @ dZ1  # dL/dW1 = X^T dZ1
    db1 = dZ1.sum(axis=0)  # dL/db1 = sum of dZ1 over the batch
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def train_step(X, y, params, lr=1e-1):
    """One SGD step: loss and grads at the current params, then params -= lr * grads in place."""
    loss, cache = forward_loss(X, y, params)
    grads = backward(cache, params)
    for name in params:
        params[name] -= lr * grads[name]  # theta <- theta - lr * dL/dtheta
    return loss, grads



