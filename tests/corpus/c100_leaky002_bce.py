# expect: healthy; net: leaky_relu:0.02,sigmoid_bce
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    u = X @ W1 + b1
    v = np.where(u >= 0, u, 0.02 * u)
    logit = (v @ W2 + b2).reshape(-1)
    prob = np.where(logit >= 0, 1 / (1 + np.exp(-np.abs(logit))), np.exp(-np.abs(logit)) / (1 + np.exp(-np.abs(logit))))
    loss = np.mean(np.maximum(logit, 0) - logit * y + np.log1p(np.exp(-np.abs(logit))))
    g = ((prob - y) / len(y)).reshape(-1, 1)
    gu = (g @ W2.T) * np.where(u >= 0, 1.0, 0.02)
    return loss, {"W1": X.T @ gu, "b1": gu.sum(axis=0), "W2": v.T @ g, "b2": g.sum(axis=0)}
