# expect: healthy; net: tanh,softmax_ce
import numpy as np


def forward_loss(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    Z1 = X @ W1 + b1
    A1 = np.tanh(Z1)
    Z2 = A1 @ W2 + b2
    Z2 = Z2 - Z2.max(axis=1, keepdims=True)
    P = np.exp(Z2) / np.exp(Z2).sum(axis=1, keepdims=True)
    N = X.shape[0]
    loss = -np.mean(np.log(P[np.arange(N), y] + 1e-12))
    return loss, {"X": X, "y": y, "A1": A1, "P": P}


def backward(cache, params):
    X, y, A1, P = cache["X"], cache["y"], cache["A1"], cache["P"]
    N = X.shape[0]
    dZ2 = P.copy()
    dZ2[np.arange(N), y] -= 1
    dZ2 /= N
    dA1 = dZ2 @ params["W2"].T
    dZ1 = dA1 * (1 - A1 ** 2)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0)}
