# expect: unstable_softmax
import numpy as np


def forward_loss(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z1 = X @ W1 + b1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ W2 + b2
    e = np.exp(z2)
    p = e / e.sum(axis=1, keepdims=True)
    n = len(y)
    loss = -np.log(p[np.arange(n), y] + 1e-12).mean()
    return loss, (X, y, z1, a1, p)


def backward(cache, params):
    X, y, z1, a1, p = cache
    n = len(y)
    d2 = p.copy()
    d2[np.arange(n), y] -= 1
    d2 /= n
    dW2 = a1.T @ d2
    db2 = d2.sum(0)
    d1 = (d2 @ params["W2"].T) * (z1 > 0)
    return {"W1": X.T @ d1, "b1": d1.sum(0), "W2": dW2, "b2": db2}
