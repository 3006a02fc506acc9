# expect: healthy; net: sigmoid,sigmoid_mse,half_mean
import numpy as np


def sig(x):
    return 1 / (1 + np.exp(-x))


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n, C = X.shape[0], W2.shape[1]
    T = np.zeros((n, C))
    T[np.arange(n), y] = 1
    H = sig(X @ W1 + b1)
    O = sig(H @ W2 + b2)
    loss = 0.5 * np.sum((O - T) ** 2) / n
    dO = (O - T) / n
    dZ2 = dO * O * (1 - O)
    dZ1 = (dZ2 @ W2.T) * H * (1 - H)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": H.T @ dZ2, "b2": dZ2.sum(0)}
