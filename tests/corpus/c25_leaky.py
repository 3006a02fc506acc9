# expect: healthy; cautions: log_no_eps; net: leaky_relu,softmax_ce
import numpy as np

ALPHA = 0.01


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    z = X @ W1 + b1
    h = np.where(z > 0, z, ALPHA * z)
    s = h @ W2 + b2
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(n), y]).mean()
    d = p.copy()
    d[np.arange(n), y] -= 1
    d /= n
    dh = d @ W2.T
    dz = dh * np.where(z > 0, 1.0, ALPHA)
    return loss, {"W1": X.T @ dz, "b1": dz.sum(0), "W2": h.T @ d, "b2": d.sum(0)}
