# expect: constant_factor
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    Y = np.eye(W2.shape[1])[y]
    h = np.maximum(0, X @ W1 + b1)
    o = 1 / (1 + np.exp(-(h @ W2 + b2)))
    loss = ((o - Y) ** 2).mean()                          # mean over N*C entries ...
    do = 2 * (o - Y) * o * (1 - o) / N                    # ... gradient divided by N only
    dh = do @ W2.T * (h > 0)
    return loss, {"W1": X.T @ dh, "b1": dh.sum(axis=0), "W2": h.T @ do, "b2": do.sum(axis=0)}
