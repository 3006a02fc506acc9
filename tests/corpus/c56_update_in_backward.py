# expect: update_before_check
import numpy as np

LEARNING_RATE = 1e-1


def forward_loss(X, y, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(Z1, 0)
    Z2 = A1 @ params["W2"] + params["b2"]
    Z2 = Z2 - Z2.max(axis=1, keepdims=True)
    logP = Z2 - np.log(np.exp(Z2).sum(axis=1, keepdims=True))
    loss = -logP[np.arange(len(y)), y].mean()
    return loss, {"X": X, "y": y, "Z1": Z1, "A1": A1, "P": np.exp(logP)}


def backward(cache, params):
    X, y, Z1, A1, P = cache["X"], cache["y"], cache["Z1"], cache["A1"], cache["P"]
    N = len(y)
    dZ2 = P.copy()
    dZ2[np.arange(N), y] -= 1
    dZ2 /= N
    grads = {"W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0)}
    dZ1 = (dZ2 @ params["W2"].T) * (Z1 > 0)
    grads["W1"] = X.T @ dZ1
    grads["b1"] = dZ1.sum(axis=0)
    for k in params:                       # SGD step while we are here
        params[k] -= LEARNING_RATE * grads[k]
    return grads
