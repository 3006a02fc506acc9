# expect: relu_no_mask
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    a1 = np.maximum(X @ W1 + b1, 0)
    z2 = a1 @ W2 + b2
    z2 -= np.max(z2, axis=1, keepdims=True)
    p = np.exp(z2) / np.sum(np.exp(z2), axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(n), y] + 1e-12))
    dz2 = p.copy()
    dz2[np.arange(n), y] -= 1
    dz2 /= n
    dz1 = (dz2 @ W2.T) * (a1 >= 0)          # always true after the ReLU
    return loss, {"W1": X.T @ dz1, "b1": dz1.sum(0), "W2": a1.T @ dz2, "b2": dz2.sum(0)}
