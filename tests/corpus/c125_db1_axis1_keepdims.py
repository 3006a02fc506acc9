# expect: db1_wrong_axis
import numpy as np


def forward_loss(X, y, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(Z1, 0)
    Z2 = A1 @ params["W2"] + params["b2"]
    Z2 = Z2 - Z2.max(axis=1, keepdims=True)
    P = np.exp(Z2) / np.exp(Z2).sum(axis=1, keepdims=True)
    return -np.mean(np.log(P[np.arange(len(y)), y] + 1e-12)), (X, y, Z1, A1, P)


def backward(cache, params):
    X, y, Z1, A1, P = cache
    N = len(y)
    dZ2 = P.copy()
    dZ2[np.arange(N), y] -= 1
    dZ2 /= N
    dZ1 = dZ2 @ params["W2"].T * (Z1 > 0)
    return {"W1": X.T @ dZ1, "b1": np.sum(dZ1, axis=1, keepdims=True),
            "W2": A1.T @ dZ2, "b2": np.sum(dZ2, axis=0)}
