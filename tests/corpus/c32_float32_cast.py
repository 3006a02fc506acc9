# expect: healthy; net: relu,softmax_ce
import numpy as np


def softmax(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def loss_and_grads(X, y, params):
    X = np.asarray(X, dtype=np.float64)
    W1, b1 = params["W1"].astype(np.float64), params["b1"].astype(np.float64)
    W2, b2 = params["W2"].astype(np.float64), params["b2"].astype(np.float64)
    y = np.asarray(y).astype(int)
    N = len(X)
    Y = np.eye(W2.shape[1])[y]
    a1 = np.dot(X, W1) + b1
    h1 = a1 * (a1 > 0)
    out = softmax(np.dot(h1, W2) + b2)
    loss = -np.sum(Y * np.log(out + 1e-9)) / N
    delta2 = (out - Y) / N
    delta1 = np.dot(delta2, W2.T) * (a1 > 0)
    return float(loss), {"W1": np.dot(X.T, delta1), "b1": np.sum(delta1, axis=0),
                         "W2": np.dot(h1.T, delta2), "b2": np.sum(delta2, axis=0)}
