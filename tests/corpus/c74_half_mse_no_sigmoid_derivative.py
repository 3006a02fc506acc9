# expect: mse_grad_no_sigmoid; net: sigmoid,sigmoid_mse,half_mean
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N, C = X.shape[0], W2.shape[1]
    T = np.eye(C)[y]
    a1 = sigmoid(X.dot(W1) + b1)
    out = sigmoid(a1.dot(W2) + b2)
    loss = 0.5 * np.sum((out - T) ** 2) / N
    d_out = (out - T) / N             # the output sigmoid's derivative forgotten
    d_a1 = d_out.dot(W2.T)
    d_z1 = d_a1 * a1 * (1 - a1)
    return loss, {"W1": X.T.dot(d_z1), "b1": d_z1.sum(axis=0), "W2": a1.T.dot(d_out), "b2": d_out.sum(axis=0)}
