# expect: healthy; net: relu,sigmoid_bce
import numpy as np


def forward_loss(X, y, params):
    y = y.reshape(-1, 1).astype(np.float64)
    Z1 = X @ params["W1"] + params["b1"]
    A1 = Z1 * (Z1 > 0)
    Z2 = A1 @ params["W2"] + params["b2"]
    A2 = np.exp(-np.logaddexp(0.0, -Z2))
    loss = float(np.mean(np.maximum(Z2, 0) - Z2 * y + np.log1p(np.exp(-np.abs(Z2)))))
    return loss, {"X": X, "Y": y, "Z1": Z1, "A1": A1, "A2": A2}


def backward(cache, params):
    m = cache["X"].shape[0]
    dZ2 = (cache["A2"] - cache["Y"]) / m
    dA1 = dZ2 @ params["W2"].T
    dZ1 = dA1 * (cache["Z1"] > 0)
    return {"W1": cache["X"].T @ dZ1, "b1": dZ1.sum(axis=0), "W2": cache["A1"].T @ dZ2, "b2": dZ2.sum(axis=0)}
