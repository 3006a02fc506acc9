# expect: healthy; net: relu,softmax_ce
import numpy as np


def loss_and_grads(X, y, params):
    N = X.shape[0]
    h = X @ params["W1"] + params["b1"]
    h[h < 0] = 0                       # ReLU in place on its own fresh array
    out = h @ params["W2"] + params["b2"]
    out -= out.max(axis=1, keepdims=True)
    lse = np.log(np.exp(out).sum(axis=1))
    loss = np.mean(lse - out[np.arange(N), y])
    delta = np.exp(out - lse[:, None])
    delta[np.arange(N), y] -= 1
    delta /= N
    dh = delta @ params["W2"].T
    dh *= h > 0
    return loss, {"W1": X.T @ dh, "b1": dh.sum(axis=0), "W2": h.T @ delta, "b2": delta.sum(axis=0)}
