# expect: healthy; cautions: loss_shape, log_no_eps; net: relu,sigmoid_bce
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Y = y.reshape(1, m)
    Z1 = X @ W1 + b1
    A1 = np.maximum(0, Z1)
    A2 = 1 / (1 + np.exp(-(A1 @ W2 + b2)))          # (m, 1)
    cost = -(np.dot(Y, np.log(A2)) + np.dot(1 - Y, np.log(1 - A2))) / m     # shape (1, 1)
    dZ2 = (A2 - Y.T) / m
    dZ1 = dZ2 @ W2.T * (Z1 > 0)
    return cost, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A1.T @ dZ2, "b2": dZ2.sum(0)}
