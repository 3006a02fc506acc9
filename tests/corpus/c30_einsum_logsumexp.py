# expect: healthy; net: relu,softmax_ce
import numpy as np


def logsumexp(a):
    m = a.max(axis=1, keepdims=True)
    return m + np.log(np.exp(a - m).sum(axis=1, keepdims=True))


def forward_loss(X, y, params):
    z1 = np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"]
    a1 = np.maximum(z1, 0.0)
    z2 = np.einsum("nh,hc->nc", a1, params["W2"]) + params["b2"]
    logp = z2 - logsumexp(z2)
    n = X.shape[0]
    loss = -logp[np.arange(n), y].sum() / n
    cache = {"X": X, "y": y, "z1": z1, "a1": a1, "logp": logp}
    return loss, cache


def backward(cache, params):
    X, y, z1, a1 = cache["X"], cache["y"], cache["z1"], cache["a1"]
    n = X.shape[0]
    dz2 = np.exp(cache["logp"])
    dz2[np.arange(n), y] -= 1.0
    dz2 /= n
    grads = {"W2": np.einsum("nh,nc->hc", a1, dz2), "b2": dz2.sum(axis=0)}
    da1 = np.einsum("nc,hc->nh", dz2, params["W2"])
    dz1 = da1 * (z1 > 0)
    grads["W1"] = np.einsum("nd,nh->dh", X, dz1)
    grads["b1"] = dz1.sum(axis=0)
    return grads
