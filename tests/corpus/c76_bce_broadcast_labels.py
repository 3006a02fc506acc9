# expect: bce_labels_broadcast; net: relu,sigmoid_bce
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def forward_loss(X, y, params):
    A1 = np.maximum(0, X @ params["W1"] + params["b1"])
    A2 = sigmoid(A1 @ params["W2"] + params["b2"])          # (N, 1)
    loss = -np.mean(y * np.log(A2 + 1e-12) + (1 - y) * np.log(1 - A2 + 1e-12))   # y (N,) broadcasts to (N, N)
    return loss, (X, y, A1, A2)


def backward(cache, params):
    X, y, A1, A2 = cache
    m = X.shape[0]
    dZ2 = (A2 - y.reshape(-1, 1)) / m
    dZ1 = dZ2 @ params["W2"].T * (A1 > 0)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A1.T @ dZ2, "b2": dZ2.sum(0)}
