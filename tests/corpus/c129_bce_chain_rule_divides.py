# expect: healthy; cautions: grads_nonfinite_saturated; net: relu,sigmoid_bce
import numpy as np


def forward_loss(X, y, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(0, Z1)
    A2 = 1 / (1 + np.exp(-(A1 @ params["W2"] + params["b2"])))
    Y = y.reshape(-1, 1)
    loss = -np.mean(Y * np.log(A2 + 1e-12) + (1 - Y) * np.log(1 - A2 + 1e-12))
    return loss, (X, Y, Z1, A1, A2)


def backward(cache, params):
    X, Y, Z1, A1, A2 = cache
    m = len(Y)
    dA2 = -(Y / A2 - (1 - Y) / (1 - A2)) / m
    dZ2 = dA2 * A2 * (1 - A2)
    dZ1 = dZ2 @ params["W2"].T * (Z1 > 0)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A1.T @ dZ2, "b2": dZ2.sum(0)}
