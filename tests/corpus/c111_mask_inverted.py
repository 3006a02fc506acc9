# expect: relu_mask_inverted
import numpy as np


def forward_loss(X, y, params):
    z = X @ params["W1"] + params["b1"]
    h = np.maximum(z, 0)
    s = h @ params["W2"] + params["b2"]
    s = s - s.max(1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)), (X, y, z, h, p)


def backward(cache, params):
    X, y, z, h, p = cache
    n = len(y)
    ds = p.copy()
    ds[np.arange(n), y] -= 1
    ds /= n
    dh = ds @ params["W2"].T
    dh[z > 0] = 0                          # kills the active units instead
    return {"W1": X.T @ dh, "b1": dh.sum(0), "W2": h.T @ ds, "b2": ds.sum(0)}
