# expect: healthy; cautions: loss_has_penalty; net: relu,softmax_ce
import numpy as np

REG = 1e-3


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    h = np.maximum(0, X @ W1 + b1)
    s = h @ W2 + b2
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(n), y] + 1e-12)) + 0.5 * REG * (np.sum(W1 * W1) + np.sum(W2 * W2))
    d = p.copy()
    d[np.arange(n), y] -= 1
    d /= n
    dh = d @ W2.T * (h > 0)
    return loss, {"W1": X.T @ dh + REG * W1, "b1": dh.sum(0), "W2": h.T @ d + REG * W2, "b2": d.sum(0)}
