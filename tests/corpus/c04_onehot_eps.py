# expect: healthy; net: relu,softmax_ce
import numpy as np


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    ez = np.exp(z)
    return ez / ez.sum(axis=1, keepdims=True)


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    m = X.shape[0]
    Y = np.eye(W2.shape[1])[y]
    Z1 = X.dot(W1) + b1
    A1 = np.where(Z1 > 0, Z1, 0.0)
    A2 = softmax(A1.dot(W2) + b2)
    cost = -np.sum(Y * np.log(A2 + 1e-8)) / m
    dZ2 = (A2 - Y) / m
    dW2 = A1.T.dot(dZ2)
    db2 = dZ2.sum(axis=0)
    dZ1 = dZ2.dot(W2.T) * np.heaviside(Z1, 0)
    dW1 = X.T.dot(dZ1)
    db1 = dZ1.sum(axis=0)
    return cost, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
