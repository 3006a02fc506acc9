# expect: healthy; net: tanh,sigmoid_mse
import numpy as np


def tanh(x):
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))


def forward_loss(X, y, params):
    T = np.eye(params["W2"].shape[1])[y]
    h = tanh(X @ params["W1"] + params["b1"])
    o = 1 / (1 + np.exp(-(h @ params["W2"] + params["b2"])))
    loss = np.sum((o - T) ** 2) / X.shape[0]
    return loss, {"X": X, "T": T, "h": h, "o": o}


def backward(cache, params):
    X, T, h, o = cache["X"], cache["T"], cache["h"], cache["o"]
    do = 2 * (o - T) / X.shape[0] * o * (1 - o)
    dh = do @ params["W2"].T * (1 - h ** 2)
    return {"W1": X.T @ dh, "b1": dh.sum(axis=0), "W2": h.T @ do, "b2": do.sum(axis=0)}
