# expect: healthy; net: relu,softmax_ce
import numpy as np


def forward_loss(X, y, params):
    X = X.astype(np.float32)              # "to save memory"; the params stay float64
    h = np.maximum(0, X @ params["W1"] + params["b1"])
    s = h @ params["W2"] + params["b2"]
    s = s - s.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(y)), y].mean(), (X, y, h, logp)


def backward(cache, params):
    X, y, h, logp = cache
    n = len(y)
    d = np.exp(logp)
    d[np.arange(n), y] -= 1
    d /= n
    dh = d @ params["W2"].T * (h > 0)
    return {"W1": X.T @ dh, "b1": dh.sum(0), "W2": h.T @ d, "b2": d.sum(0)}
