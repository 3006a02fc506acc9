# expect: healthy; net: tanh,sigmoid_bce
import numpy as np


def sigmoid(z):
    return np.exp(-np.logaddexp(0, -z))


def forward_loss(X, y, params):
    h = np.tanh(X.dot(params["W1"]) + params["b1"])
    z = h.dot(params["W2"]) + params["b2"]          # (N, 1)
    yy = y.reshape(-1, 1)
    loss = np.mean(np.logaddexp(0, z) - yy * z)     # BCE from logits
    probs = sigmoid(z)                              # (N, 1)
    return loss, {"X": X, "y": yy, "h": h, "probs": probs}


def backward(cache, params):
    X, yy, h, probs = cache["X"], cache["y"], cache["h"], cache["probs"]
    N = X.shape[0]
    delta = (probs - yy) / N
    dW2 = h.T.dot(delta)
    db2 = delta.sum(axis=0)
    dh = delta.dot(params["W2"].T)
    dz = dh * (1 - h ** 2)
    return {"W1": X.T.dot(dz), "b1": dz.sum(axis=0), "W2": dW2, "b2": db2}
