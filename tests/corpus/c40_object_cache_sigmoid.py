# expect: healthy; net: sigmoid,softmax_ce
import numpy as np


class Cache:
    pass


def forward_loss(X, y, params):
    c = Cache()
    c.X, c.y = X, y
    c.z1 = X @ params["W1"] + params["b1"]
    c.a1 = 1.0 / (1.0 + np.exp(-c.z1))
    z2 = c.a1 @ params["W2"] + params["b2"]
    m = np.max(z2, axis=1, keepdims=True)
    c.log_softmax = z2 - m - np.log(np.sum(np.exp(z2 - m), axis=1, keepdims=True))
    loss = -np.mean(c.log_softmax[np.arange(len(y)), y])
    return loss, c


def backward(c, params):
    n = c.X.shape[0]
    dz2 = np.exp(c.log_softmax)
    dz2[np.arange(n), c.y] -= 1
    dz2 = dz2 / n
    da1 = dz2 @ params["W2"].T
    dz1 = da1 * c.a1 * (1.0 - c.a1)
    return {"W1": c.X.T @ dz1, "b1": np.sum(dz1, axis=0), "W2": c.a1.T @ dz2, "b2": np.sum(dz2, axis=0)}
