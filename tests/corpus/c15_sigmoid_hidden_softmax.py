# expect: healthy; net: sigmoid,softmax_ce
import numpy as np


def forward_loss(X, y, params):
    z_h = X.dot(params["W1"]) + params["b1"]
    h = 1.0 / (1.0 + np.exp(-z_h))
    z_o = h.dot(params["W2"]) + params["b2"]
    z_o = z_o - z_o.max(axis=1, keepdims=True)
    log_probs = z_o - np.log(np.exp(z_o).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(len(y)), y].mean()
    return loss, (X, y, h, np.exp(log_probs))


def backward(cache, params):
    X, y, h, probs = cache
    d_o = probs.copy()
    d_o[np.arange(len(y)), y] -= 1
    d_o /= len(y)
    d_h = d_o.dot(params["W2"].T) * h * (1 - h)
    return {"W1": X.T.dot(d_h), "b1": d_h.sum(axis=0), "W2": h.T.dot(d_o), "b2": d_o.sum(axis=0)}
