# expect: tanh_grad_of_z; net: tanh,softmax_ce
import numpy as np


def forward_loss(X, y, params):
    z1 = X @ params["W1"] + params["b1"]
    a1 = np.tanh(z1)
    z2 = a1 @ params["W2"] + params["b2"]
    z2 = z2 - z2.max(axis=1, keepdims=True)
    p = np.exp(z2) / np.exp(z2).sum(axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)), {"X": X, "y": y, "z1": z1, "a1": a1, "p": p}


def backward(c, params):
    n = len(c["y"])
    dz2 = c["p"].copy()
    dz2[np.arange(n), c["y"]] -= 1
    dz2 /= n
    dz1 = dz2 @ params["W2"].T * (1 - c["z1"] ** 2)      # should be 1 - a1 ** 2
    return {"W1": c["X"].T @ dz1, "b1": dz1.sum(0), "W2": c["a1"].T @ dz2, "b2": dz2.sum(0)}
