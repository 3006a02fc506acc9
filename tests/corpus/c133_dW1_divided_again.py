# expect: double_div_n
import numpy as np


def forward_loss(X, y, params):
    z1 = X @ params["W1"] + params["b1"]
    a1 = 1 / (1 + np.exp(-z1))
    z2 = a1 @ params["W2"] + params["b2"]
    z2 = z2 - z2.max(axis=1, keepdims=True)
    p = np.exp(z2) / np.exp(z2).sum(axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)), (X, y, a1, p)


def backward(cache, params):
    X, y, a1, p = cache
    m = len(y)
    dz2 = p.copy()
    dz2[np.arange(m), y] -= 1
    dz2 /= m
    dz1 = dz2 @ params["W2"].T * a1 * (1 - a1)
    return {"W1": X.T @ dz1 / m, "b1": dz1.sum(0), "W2": a1.T @ dz2, "b2": dz2.sum(0)}
