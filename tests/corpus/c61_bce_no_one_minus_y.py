# expect: bce_no_one_minus_y
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    h = np.maximum(0, X @ W1 + b1)
    p = 1 / (1 + np.exp(-(h @ W2 + b2)))
    p = p.reshape(-1)
    loss = -np.mean(y * np.log(p + 1e-12))            # the (1 - y) term is missing
    dz = (p - y).reshape(-1, 1) / n
    dh = (dz @ W2.T) * (h > 0)
    return loss, {"W1": X.T @ dh, "b1": dh.sum(0), "W2": h.T @ dz, "b2": dz.sum(0)}
