# expect: healthy; cautions: log_no_eps; net: relu,softmax_ce
import numpy as np


def forward_loss(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    z1 = X.dot(W1) + b1
    a1 = np.maximum(z1, 0)
    z2 = a1.dot(W2) + b2
    z2 = z2 - z2.max(axis=1, keepdims=True)
    p = np.exp(z2) / np.exp(z2).sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(N), y]).mean()
    return loss, dict(locals())            # everything, params included


def backward(cache, params):
    N, y, p, a1, z1, X = cache["N"], cache["y"], cache["p"], cache["a1"], cache["z1"], cache["X"]
    d2 = p.copy()
    np.add.at(d2, (np.arange(N), y), -1.0)
    d2 /= N
    d1 = d2.dot(params["W2"].T) * (z1 > 0)
    return {"W1": X.T.dot(d1), "b1": d1.sum(axis=0), "W2": a1.T.dot(d2), "b2": d2.sum(axis=0)}
