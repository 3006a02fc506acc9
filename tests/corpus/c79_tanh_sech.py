# expect: healthy; net: tanh,softmax_ce
import numpy as np


def forward_loss(X, y, params):
    z1 = np.dot(X, params["W1"]) + params["b1"]
    a1 = np.tanh(z1)
    scores = np.dot(a1, params["W2"]) + params["b2"]
    m = scores.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(scores - m).sum(axis=1, keepdims=True))
    loss = np.mean(lse[:, 0] - scores[np.arange(len(y)), y])
    return loss, {"X": X, "y": y, "z1": z1, "a1": a1, "probs": np.exp(scores - lse)}


def backward(cache, params):
    n = len(cache["y"])
    dscores = cache["probs"].copy()
    dscores[np.arange(n), cache["y"]] -= 1
    dscores /= n
    dz1 = np.dot(dscores, params["W2"].T) / np.cosh(cache["z1"]) ** 2
    return {"W1": np.dot(cache["X"].T, dz1), "b1": dz1.sum(axis=0),
            "W2": np.dot(cache["a1"].T, dscores), "b2": dscores.sum(axis=0)}
