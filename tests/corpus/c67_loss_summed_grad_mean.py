# expect: loss_summed
import numpy as np


def forward_loss(X, y, params):
    A1 = np.maximum(0, X @ params["W1"] + params["b1"])
    Z2 = A1 @ params["W2"] + params["b2"]
    Z2 = Z2 - Z2.max(axis=1, keepdims=True)
    P = np.exp(Z2) / np.exp(Z2).sum(axis=1, keepdims=True)
    Y = np.eye(P.shape[1])[y]
    loss = -np.sum(Y * np.log(P + 1e-12))           # summed ...
    return loss, (X, Y, A1, P)


def backward(cache, params):
    X, Y, A1, P = cache
    dZ2 = (P - Y) / X.shape[0]                       # ... but averaged here
    dZ1 = dZ2 @ params["W2"].T * (A1 > 0)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0)}
