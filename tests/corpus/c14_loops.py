# expect: healthy; net: relu,softmax_ce
import math
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    total = 0.0
    for i in range(N):
        x = X[i]
        z1 = x @ W1 + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ W2 + b2
        m = z2.max()
        lse = m + math.log(np.exp(z2 - m).sum())
        total += lse - z2[y[i]]
        p = np.exp(z2 - lse)
        p[y[i]] -= 1
        grads["W2"] += np.outer(a1, p)
        grads["b2"] += p
        d1 = (W2 @ p) * (z1 > 0)
        grads["W1"] += np.outer(x, d1)
        grads["b1"] += d1
    for k in grads:
        grads[k] /= N
    return total / N, grads
