# expect: dW2_transposed
import numpy as np


def forward_loss(X, y, params):
    hidden = np.maximum(0, np.dot(X, params["W1"]) + params["b1"])
    scores = np.dot(hidden, params["W2"]) + params["b2"]
    scores = scores - np.max(scores, axis=1, keepdims=True)
    probs = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
    loss = np.mean(-np.log(probs[np.arange(X.shape[0]), y] + 1e-12))
    return loss, (X, y, hidden, probs)


def backward(cache, params):
    X, y, hidden, probs = cache
    N = X.shape[0]
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    dscores /= N
    dW2 = np.dot(dscores.T, hidden)
    dhidden = np.dot(dscores, params["W2"].T) * (hidden > 0)
    return {"W1": np.dot(X.T, dhidden), "b1": np.sum(dhidden, axis=0), "W2": dW2, "b2": np.sum(dscores, axis=0)}
