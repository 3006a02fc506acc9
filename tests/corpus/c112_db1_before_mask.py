# expect: db1_before_mask
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    z1 = X @ W1 + b1
    a1 = np.maximum(0, z1)
    z2 = a1 @ W2 + b2
    p = np.exp(z2 - z2.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    loss = -np.log(p[np.arange(N), y] + 1e-12).mean()
    dz2 = p.copy()
    dz2[np.arange(N), y] -= 1
    dz2 /= N
    da1 = dz2 @ W2.T
    db1 = da1.sum(axis=0)                  # summed before the mask
    dz1 = da1 * (z1 > 0)
    return loss, {"W1": X.T @ dz1, "b1": db1, "W2": a1.T @ dz2, "b2": dz2.sum(axis=0)}
