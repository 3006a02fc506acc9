# expect: healthy; net: relu,softmax_ce
import numpy as np


def forward_loss(X, y, params):
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    Z2 = A1 @ W2 + b2
    E = np.exp(Z2 - Z2.max(1, keepdims=True))
    P = E / E.sum(1, keepdims=True)
    T = np.eye(P.shape[1])[y]
    loss = -np.mean(np.sum(T * np.log(np.clip(P, 1e-12, 1.0)), axis=1))
    return loss, (X, T, Z1, A1, P)


def backward(cache, params):
    X, T, Z1, A1, P = cache
    m = X.shape[0]
    dZ2 = (P - T) / m
    dA1 = dZ2 @ params["W2"].T
    dZ1 = np.where(Z1 > 0, dA1, 0.0)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A1.T @ dZ2, "b2": dZ2.sum(0)}
