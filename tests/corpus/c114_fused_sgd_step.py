# expect: update_before_check; cautions: log_no_eps
import numpy as np


def loss_and_grads(X, y, params, lr=1e-2):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = len(X)
    z1 = X @ W1 + b1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ W2 + b2
    z2 -= z2.max(axis=1, keepdims=True)
    p = np.exp(z2) / np.exp(z2).sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(N), y]).mean()
    d2 = p.copy()
    d2[np.arange(N), y] -= 1
    d2 /= N
    d1 = d2 @ W2.T * (z1 > 0)
    grads = {"W1": X.T @ d1, "b1": d1.sum(0), "W2": a1.T @ d2, "b2": d2.sum(0)}
    W1 -= lr * grads["W1"]                 # train step folded in
    b1 -= lr * grads["b1"]
    W2 -= lr * grads["W2"]
    b2 -= lr * grads["b2"]
    return loss, grads
