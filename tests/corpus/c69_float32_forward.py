# expect: float32
import numpy as np


def forward_loss(X, y, params):
    X32 = X.astype(np.float32)
    W1, b1 = params["W1"].astype(np.float32), params["b1"].astype(np.float32)
    W2, b2 = params["W2"].astype(np.float32), params["b2"].astype(np.float32)
    h = np.maximum(0, X32 @ W1 + b1)
    s = h @ W2 + b2
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(len(y)), y] + 1e-7))
    return loss, (X32, y, h, p, W2)


def backward(cache, params):
    X, y, h, p, W2 = cache
    n = len(y)
    d = p.copy()
    d[np.arange(n), y] -= 1
    d /= n
    dh = (d @ W2.T) * (h > 0)
    return {"W1": X.T @ dh, "b1": dh.sum(0), "W2": h.T @ d, "b2": d.sum(0)}
