# expect: healthy; net: tanh,sigmoid_mse,mean_nc
import numpy as np


def forward_loss(X, y, params):
    C = params["W2"].shape[1]
    targets = np.eye(C)[y]
    a1 = np.tanh(X @ params["W1"] + params["b1"])
    a2 = 1.0 / (1.0 + np.exp(-(a1 @ params["W2"] + params["b2"])))
    loss = np.mean((a2 - targets) ** 2)
    return loss, [X, targets, a1, a2]


def backward(cache, params):
    X, targets, a1, a2 = cache
    d_a2 = 2 * (a2 - targets) / a2.size
    d_z2 = d_a2 * a2 * (1 - a2)
    d_a1 = d_z2 @ params["W2"].T
    d_z1 = d_a1 * (1 - a1 * a1)
    return {"W1": X.T @ d_z1, "b1": d_z1.sum(axis=0), "W2": a1.T @ d_z2, "b2": d_z2.sum(axis=0)}
