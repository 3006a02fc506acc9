# expect: healthy; cautions: log_no_eps
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N, C = X.shape[0], W2.shape[1]
    Y = np.zeros((N, C))
    Y[np.arange(N), y] = 1
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    Z2 = A1 @ W2 + b2
    Z2 = Z2 - Z2.max(axis=1, keepdims=True)
    P = np.exp(Z2) / np.sum(np.exp(Z2), axis=1, keepdims=True)
    loss = -np.sum(Y * np.log(P), axis=1).mean()
    dZ2 = (P - Y) / N
    dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A1.T @ dZ2, "b2": dZ2.sum(0)}
