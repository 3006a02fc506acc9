# expect: tanh_backward_wrong; net: tanh,softmax_ce
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    a1 = np.tanh(X.dot(W1) + b1)
    s = a1.dot(W2) + b2
    s -= s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    loss = -np.log(p[range(N), y] + 1e-12).mean()
    ds = p.copy()
    ds[range(N), y] -= 1
    ds /= N
    da1 = ds.dot(W2.T) * (1 - a1) ** 2       # should be 1 - a1 ** 2
    return loss, {"W1": X.T.dot(da1), "b1": da1.sum(0), "W2": a1.T.dot(ds), "b2": ds.sum(0)}
