# expect: dZ2_wrong
import numpy as np


def forward_loss(X, y, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(0, Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    P = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(P[np.arange(len(y)), y] + 1e-12))
    return loss, {"X": X, "y": y, "Z1": Z1, "A1": A1, "Z2": Z2, "P": P}


def backward(cache, params):
    X, y, Z1, A1, Z2, P = (cache[k] for k in ("X", "y", "Z1", "A1", "Z2", "P"))
    N = len(y)
    dZ2 = P.copy()
    dZ2[np.arange(N), y] -= 1
    dZ2 /= N
    dZ2[Z2 <= 0] = 0                       # a ReLU mask on the output layer, which has none
    dA1 = dZ2 @ params["W2"].T
    dZ1 = dA1 * (Z1 > 0)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A1.T @ dZ2, "b2": dZ2.sum(0)}
