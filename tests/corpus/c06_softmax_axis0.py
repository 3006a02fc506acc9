# expect: softmax_wrong_axis
import numpy as np


def forward_loss(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    Z1 = X @ W1 + b1
    A1 = np.maximum(0, Z1)
    Z2 = A1 @ W2 + b2
    E = np.exp(Z2 - Z2.max())
    P = E / E.sum(axis=0, keepdims=True)
    N = X.shape[0]
    loss = -np.mean(np.log(P[np.arange(N), y]))
    return loss, {"X": X, "y": y, "Z1": Z1, "A1": A1, "P": P}


def backward(cache, params):
    X, y, Z1, A1, P = cache["X"], cache["y"], cache["Z1"], cache["A1"], cache["P"]
    N = X.shape[0]
    dZ2 = P.copy()
    dZ2[np.arange(N), y] -= 1
    dZ2 /= N
    dA1 = dZ2 @ params["W2"].T
    dZ1 = dA1 * (Z1 > 0)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0)}
