# expect: missing_div_n; net: sigmoid,sigmoid_bce
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def forward_loss(X, y, params):
    a1 = sigmoid(X @ params["W1"] + params["b1"])
    a2 = sigmoid(a1 @ params["W2"] + params["b2"])
    Y = y.reshape(a2.shape)
    cost = -np.mean(Y * np.log(a2 + 1e-12) + (1 - Y) * np.log(1 - a2 + 1e-12))
    return cost, {"X": X, "Y": Y, "a1": a1, "a2": a2}


def backward(cache, params):
    X, Y, a1, a2 = cache["X"], cache["Y"], cache["a1"], cache["a2"]
    dz2 = a2 - Y                                   # /m forgotten
    dz1 = dz2 @ params["W2"].T * a1 * (1 - a1)
    return {"W1": X.T @ dz1, "b1": dz1.sum(0), "W2": a1.T @ dz2, "b2": dz2.sum(0)}
