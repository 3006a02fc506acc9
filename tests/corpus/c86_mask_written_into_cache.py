# expect: cache_mutated
import numpy as np


def forward_loss(X, y, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(0, Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    Z2 -= Z2.max(axis=1, keepdims=True)
    P = np.exp(Z2) / np.exp(Z2).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(P[np.arange(len(y)), y] + 1e-12))
    return loss, {"X": X, "y": y, "A1": A1, "P": P}


def backward(cache, params):
    X, y, A1, P = cache["X"], cache["y"], cache["A1"], cache["P"]
    N = len(y)
    dZ2 = P.copy()
    dZ2[np.arange(N), y] -= 1
    dZ2 /= N
    dW2 = A1.T @ dZ2
    db2 = dZ2.sum(axis=0)
    dA1 = dZ2 @ params["W2"].T
    A1[A1 > 0] = 1                        # turns the cached activation into the ReLU mask
    dZ1 = dA1 * A1
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": dW2, "b2": db2}
