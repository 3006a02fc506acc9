# expect: healthy; cautions: log_no_eps; net: tanh,sigmoid_bce
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def forward_loss(X, y, params):
    """Column layout, as in the deep-learning course: examples are columns."""
    A0 = X.T                                        # (D, m)
    Y = y.reshape(1, -1)                            # (1, m)
    Z1 = np.dot(params["W1"].T, A0) + params["b1"].reshape(-1, 1)
    A1 = np.tanh(Z1)
    Z2 = np.dot(params["W2"].T, A1) + params["b2"].reshape(-1, 1)
    A2 = sigmoid(Z2)
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = -np.sum(logprobs) / m
    cost = float(np.squeeze(cost))
    return cost, {"A0": A0, "Y": Y, "A1": A1, "A2": A2}


def backward(cache, params):
    A0, Y, A1, A2 = cache["A0"], cache["Y"], cache["A1"], cache["A2"]
    m = Y.shape[1]
    dZ2 = A2 - Y
    dW2 = (1 / m) * np.dot(dZ2, A1.T)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.multiply(np.dot(params["W2"], dZ2), 1 - np.power(A1, 2))
    dW1 = (1 / m) * np.dot(dZ1, A0.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    return {"W1": dW1.T, "b1": db1.ravel(), "W2": dW2.T, "b2": db2.ravel()}
