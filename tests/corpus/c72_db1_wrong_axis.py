# expect: db1_wrong_axis
import numpy as np


def forward_loss(X, y, params):
    z1 = X.dot(params["W1"]) + params["b1"]
    a1 = np.maximum(0, z1)
    z2 = a1.dot(params["W2"]) + params["b2"]
    z2 = z2 - z2.max(axis=1, keepdims=True)
    p = np.exp(z2) / np.exp(z2).sum(axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)), (X, y, z1, a1, p)


def backward(cache, params):
    X, y, z1, a1, p = cache
    n = len(y)
    dz2 = p.copy()
    dz2[np.arange(n), y] -= 1
    dz2 /= n
    dz1 = dz2.dot(params["W2"].T) * (z1 > 0)
    return {"W1": X.T.dot(dz1), "b1": dz1.sum(axis=1), "W2": a1.T.dot(dz2), "b2": dz2.sum(axis=0)}
