# expect: loss_summed
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z1 = X @ W1 + b1
    a1 = np.tanh(z1)
    z2 = (a1 @ W2 + b2).ravel()
    loss = np.sum(np.logaddexp(0, z2) - y * z2)           # summed over the batch ...
    p = 1 / (1 + np.exp(-z2))
    dz2 = ((p - y) / len(y))[:, None]                    # ... but the gradient is averaged
    dz1 = dz2 @ W2.T * (1 - a1 ** 2)
    return loss, {"W1": X.T @ dz1, "b1": dz1.sum(axis=0), "W2": a1.T @ dz2, "b2": dz2.sum(axis=0)}
