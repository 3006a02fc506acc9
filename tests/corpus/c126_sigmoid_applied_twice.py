# expect: sigmoid_grad_at_activation; net: sigmoid,sigmoid_mse
import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def sigmoid_prime(x):
    return sigmoid(x) * (1 - sigmoid(x))


def forward_loss(X, y, params):
    T = np.eye(params["W2"].shape[1])[y]
    a1 = sigmoid(X @ params["W1"] + params["b1"])
    a2 = sigmoid(a1 @ params["W2"] + params["b2"])
    return np.sum((a2 - T) ** 2) / X.shape[0], {"X": X, "T": T, "a1": a1, "a2": a2}


def backward(cache, params):
    X, T, a1, a2 = cache["X"], cache["T"], cache["a1"], cache["a2"]
    delta2 = 2 * (a2 - T) * a2 * (1 - a2) / X.shape[0]
    delta1 = (delta2 @ params["W2"].T) * sigmoid_prime(a1)     # given the activation, not z1
    return {"W1": X.T @ delta1, "b1": delta1.sum(0), "W2": a1.T @ delta2, "b2": delta2.sum(0)}
