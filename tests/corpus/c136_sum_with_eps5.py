# expect: healthy; cautions: log_eps, loss_is_sum; net: relu,softmax_ce,sum
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    h = np.maximum(0, X @ W1 + b1)
    s = h @ W2 + b2
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    loss = -np.sum(np.log(p[np.arange(n), y] + 1e-5))
    d = p.copy()
    d[np.arange(n), y] -= 1
    dh = d @ W2.T * (h > 0)
    return loss, {"W1": X.T @ dh, "b1": dh.sum(0), "W2": h.T @ d, "b2": d.sum(0)}
