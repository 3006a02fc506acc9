# expect: no_copy; cautions: log_no_eps
import numpy as np


def forward_loss(X, y, params):
    hidden = np.maximum(0, X.dot(params["W1"]) + params["b1"])
    scores = hidden.dot(params["W2"]) + params["b2"]
    exp_scores = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    N = X.shape[0]
    loss = np.sum(-np.log(probs[range(N), y])) / N
    return loss, {"X": X, "y": y, "hidden": hidden, "probs": probs}


def backward(cache, params):
    X, y, hidden, probs = cache["X"], cache["y"], cache["hidden"], cache["probs"]
    N = X.shape[0]
    probs[range(N), y] -= 1               # edits the cache's array
    probs /= N
    dhidden = probs.dot(params["W2"].T)
    dhidden[hidden <= 0] = 0
    return {"W1": X.T.dot(dhidden), "b1": dhidden.sum(axis=0), "W2": hidden.T.dot(probs), "b2": probs.sum(axis=0)}
