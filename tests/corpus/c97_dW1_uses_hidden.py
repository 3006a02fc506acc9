# expect: shape_mismatch
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    z1 = X @ W1 + b1
    a1 = np.maximum(0, z1)
    z2 = a1 @ W2 + b2
    e = np.exp(z2 - z2.max(1, keepdims=True))
    p = e / e.sum(1, keepdims=True)
    loss = -np.log(p[range(N), y] + 1e-12).mean()
    dz2 = p.copy()
    dz2[range(N), y] -= 1
    dz2 /= N
    dz1 = dz2 @ W2.T * (z1 > 0)
    return loss, {"W1": a1.T @ dz1, "b1": dz1.sum(0), "W2": a1.T @ dz2, "b2": dz2.sum(0)}
