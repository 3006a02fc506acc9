# expect: relu_no_mask
import numpy as np


def forward_loss(X, y, params):
    z1 = np.einsum("ij,jk->ik", X, params["W1"]) + params["b1"]
    a1 = np.maximum(z1, 0)
    z2 = np.einsum("ij,jk->ik", a1, params["W2"]) + params["b2"]
    z2 = z2 - z2.max(axis=1, keepdims=True)
    p = np.exp(z2) / np.exp(z2).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12))
    return loss, {"X": X, "y": y, "a1": a1, "p": p}


def backward(cache, params):
    X, y, a1, p = cache["X"], cache["y"], cache["a1"], cache["p"]
    d2 = p.copy()
    d2[np.arange(len(y)), y] -= 1
    d2 /= len(y)
    d1 = np.einsum("ik,jk->ij", d2, params["W2"])   # the ReLU's mask forgotten
    return {"W1": np.einsum("ij,ik->jk", X, d1), "b1": d1.sum(0),
            "W2": np.einsum("ij,ik->jk", a1, d2), "b2": d2.sum(0)}
