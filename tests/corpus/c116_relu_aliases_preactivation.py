# expect: healthy; net: relu,softmax_ce
import numpy as np


def forward_loss(X, y, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = Z1                                # an alias: the ReLU below edits Z1 too
    A1[A1 < 0] = 0
    Z2 = A1 @ params["W2"] + params["b2"]
    Z2 = Z2 - Z2.max(axis=1, keepdims=True)
    logP = Z2 - np.log(np.exp(Z2).sum(axis=1, keepdims=True))
    return -logP[np.arange(len(y)), y].mean(), (X, y, Z1, A1, logP)


def backward(cache, params):
    X, y, Z1, A1, logP = cache
    N = len(y)
    dZ2 = np.exp(logP)
    dZ2[np.arange(N), y] -= 1
    dZ2 /= N
    dZ1 = dZ2 @ params["W2"].T * (Z1 > 0)  # Z1 is the rectified array, the same sign pattern
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A1.T @ dZ2, "b2": dZ2.sum(0)}
