# expect: healthy; net: leaky_relu:0.2,softmax_ce
import numpy as np

NEG_SLOPE = 0.2


def forward_loss(X, y, params):
    a = np.dot(X, params["W1"]) + params["b1"]
    h = np.where(a > 0, a, NEG_SLOPE * a)
    o = np.dot(h, params["W2"]) + params["b2"]
    o = o - o.max(axis=1, keepdims=True)
    lp = o - np.log(np.exp(o).sum(axis=1, keepdims=True))
    return -lp[np.arange(len(y)), y].mean(), [X, y, h, lp]


def backward(cache, params):
    X, y, h, lp = cache
    N = len(y)
    do = np.exp(lp)
    do[np.arange(N), y] -= 1
    do /= N
    dh = np.dot(do, params["W2"].T)
    da = dh * np.where(h > 0, 1.0, NEG_SLOPE)          # from the activation: same sign as a
    return {"W1": np.dot(X.T, da), "b1": da.sum(axis=0), "W2": np.dot(h.T, do), "b2": do.sum(axis=0)}
