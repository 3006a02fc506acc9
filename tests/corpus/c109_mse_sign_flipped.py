# expect: sign_flipped; net: relu,sigmoid_mse
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    target = np.eye(W2.shape[1])[y]
    z1 = X.dot(W1) + b1
    a1 = np.maximum(z1, 0)
    a2 = 1 / (1 + np.exp(-(a1.dot(W2) + b2)))
    error = target - a2
    loss = np.sum(error ** 2) / N
    dz2 = 2 * error * a2 * (1 - a2) / N             # the sign of (target - a2) kept
    dz1 = dz2.dot(W2.T) * (z1 > 0)
    return loss, {"W1": X.T.dot(dz1), "b1": dz1.sum(0), "W2": a1.T.dot(dz2), "b2": dz2.sum(0)}
