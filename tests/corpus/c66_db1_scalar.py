# expect: db1_scalar
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = len(X)
    z1 = np.dot(X, W1) + b1
    a1 = np.maximum(z1, 0)
    z2 = np.dot(a1, W2) + b2
    ez = np.exp(z2 - np.max(z2, axis=1, keepdims=True))
    probs = ez / ez.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y] + 1e-12))
    dz2 = probs.copy()
    dz2[np.arange(N), y] -= 1
    dz2 /= N
    dz1 = np.dot(dz2, W2.T) * (z1 > 0)
    return loss, {"W1": np.dot(X.T, dz1), "b1": np.sum(dz1), "W2": np.dot(a1.T, dz2), "b2": np.sum(dz2, axis=0)}
