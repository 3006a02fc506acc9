# expect: healthy; net: sigmoid,sigmoid_bce
import numpy as np


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


def forward_loss(X, y, params):
    A1 = _sigmoid(X @ params["W1"] + params["b1"])
    yhat = _sigmoid(A1 @ params["W2"] + params["b2"]).flatten()
    p = np.clip(yhat, 1e-12, 1 - 1e-12)
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    return loss, (X, y, A1, yhat)


def backward(cache, params):
    X, y, A1, yhat = cache
    m = len(y)
    dZ2 = ((yhat - y) / m)[:, np.newaxis]
    dW2 = A1.T @ dZ2
    db2 = np.sum(dZ2, axis=0)
    dZ1 = (dZ2 @ params["W2"].T) * A1 * (1 - A1)
    return {"W1": X.T @ dZ1, "b1": np.sum(dZ1, axis=0), "W2": dW2, "b2": db2}
