# expect: shape_mismatch
import numpy as np


def forward_loss(X, y, params):
    A0 = X.T
    Z1 = params["W1"].T @ A0 + params["b1"][:, None]
    A1 = np.maximum(0, Z1)
    Z2 = params["W2"].T @ A1 + params["b2"][:, None]          # (C, m)
    Z2 = Z2 - Z2.max(axis=0, keepdims=True)
    P = np.exp(Z2) / np.exp(Z2).sum(axis=0, keepdims=True)
    m = X.shape[0]
    loss = -np.sum(np.log(P[y, np.arange(m)] + 1e-12)) / m
    return loss, (A0, y, Z1, A1, P)


def backward(cache, params):
    A0, y, Z1, A1, P = cache
    m = A0.shape[1]
    dZ2 = P.copy()
    dZ2[y, np.arange(m)] -= 1
    dZ2 /= m
    dZ1 = (params["W2"] @ dZ2) * (Z1 > 0)
    return {"W1": (dZ1 @ A0.T).T, "b1": dZ1.sum(axis=1, keepdims=True),     # column biases, (H, 1)
            "W2": (dZ2 @ A1.T).T, "b2": dZ2.sum(axis=1, keepdims=True)}
