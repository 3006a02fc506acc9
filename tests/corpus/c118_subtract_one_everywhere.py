# expect: dZ2_wrong
import numpy as np


def forward_loss(X, y, params):
    hidden = np.maximum(0, X.dot(params["W1"]) + params["b1"])
    scores = hidden.dot(params["W2"]) + params["b2"]
    scores -= scores.max(axis=1, keepdims=True)
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(len(y)), y] + 1e-12))
    return loss, (X, y, hidden, probs)


def backward(cache, params):
    X, y, hidden, probs = cache
    N = len(y)
    dscores = (probs - 1) / N              # subtracts 1 from every class, not only the label's
    dhidden = dscores.dot(params["W2"].T)
    dhidden[hidden <= 0] = 0
    return {"W1": X.T.dot(dhidden), "b1": dhidden.sum(0), "W2": hidden.T.dot(dscores), "b2": dscores.sum(0)}
