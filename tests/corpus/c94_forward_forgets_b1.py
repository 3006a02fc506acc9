# expect: forward_wrong
import numpy as np


def forward_loss(X, y, params):
    Z1 = X @ params["W1"]                                 # + b1 forgotten
    A1 = np.maximum(0, Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    Z2 = Z2 - Z2.max(axis=1, keepdims=True)
    P = np.exp(Z2) / np.exp(Z2).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(P[np.arange(len(y)), y] + 1e-12))
    return loss, (X, y, Z1, A1, P)


def backward(cache, params):
    X, y, Z1, A1, P = cache
    N = len(y)
    dZ2 = P.copy()
    dZ2[np.arange(N), y] -= 1
    dZ2 /= N
    dZ1 = dZ2 @ params["W2"].T * (Z1 > 0)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0)}
