# expect: mask_no_bias
import numpy as np


def forward_loss(X, y, params):
    xw = X @ params["W1"]
    a1 = np.maximum(0, xw + params["b1"])
    z2 = a1 @ params["W2"] + params["b2"]
    z2 = z2 - z2.max(1, keepdims=True)
    logp = z2 - np.log(np.exp(z2).sum(1, keepdims=True))
    loss = -logp[np.arange(len(y)), y].mean()
    return loss, (X, y, xw, a1, logp)


def backward(cache, params):
    X, y, xw, a1, logp = cache
    N = len(y)
    g = np.exp(logp)
    g[np.arange(N), y] -= 1
    g /= N
    da1 = g @ params["W2"].T
    dz1 = da1 * (xw > 0)                  # mask computed before adding b1
    return {"W1": X.T @ dz1, "b1": dz1.sum(0), "W2": a1.T @ g, "b2": g.sum(0)}
