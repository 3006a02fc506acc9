# expect: healthy; net: relu,softmax_ce
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    z1 = X @ W1 + b1
    a1 = z1 * np.heaviside(z1, 0.0)
    z2 = a1 @ W2 + b2
    z2 = z2 - np.amax(z2, axis=1, keepdims=True)
    softmax = np.exp(z2) / np.sum(np.exp(z2), axis=1, keepdims=True)
    onehot = np.zeros_like(softmax)
    onehot[np.arange(N), y] = 1
    loss = -np.sum(onehot * np.log(softmax + 1e-11)) / N
    dz2 = (softmax - onehot) / N
    dz1 = (dz2 @ W2.T) * np.heaviside(z1, 0.0)
    return loss, {"W1": X.T @ dz1, "b1": dz1.sum(axis=0), "W2": a1.T @ dz2, "b2": dz2.sum(axis=0)}
