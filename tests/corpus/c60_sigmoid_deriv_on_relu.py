# expect: sigmoid_grad_on_relu; net: relu,softmax_ce
import numpy as np


def forward_loss(X, y, params):
    Z1 = np.dot(X, params["W1"]) + params["b1"]
    A1 = np.maximum(0, Z1)
    Z2 = np.dot(A1, params["W2"]) + params["b2"]
    Z2 -= np.max(Z2, axis=1, keepdims=True)
    A2 = np.exp(Z2) / np.sum(np.exp(Z2), axis=1, keepdims=True)
    Y = np.eye(A2.shape[1])[y]
    cost = -np.sum(Y * np.log(A2 + 1e-8)) / X.shape[0]
    return cost, {"X": X, "Y": Y, "A1": A1, "A2": A2}


def backward(cache, params):
    X, Y, A1, A2 = cache["X"], cache["Y"], cache["A1"], cache["A2"]
    m = X.shape[0]
    dZ2 = (A2 - Y) / m
    dA1 = np.dot(dZ2, params["W2"].T)
    dZ1 = dA1 * A1 * (1 - A1)             # copied from the sigmoid version
    return {"W1": np.dot(X.T, dZ1), "b1": np.sum(dZ1, axis=0),
            "W2": np.dot(A1.T, dZ2), "b2": np.sum(dZ2, axis=0)}
