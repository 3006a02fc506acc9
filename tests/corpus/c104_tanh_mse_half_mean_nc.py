# expect: healthy; net: tanh,sigmoid_mse,half_mean_nc
import numpy as np


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    targets = np.zeros((X.shape[0], W2.shape[1]))
    targets[np.arange(X.shape[0]), y] = 1.0
    hidden = np.tanh(X @ W1 + b1)
    output = sigmoid(hidden @ W2 + b2)
    loss = 0.5 * np.mean((output - targets) ** 2)
    delta_out = (output - targets) * output * (1.0 - output) / output.size
    delta_hidden = (delta_out @ W2.T) * (1.0 - np.tanh(X @ W1 + b1) ** 2)
    return loss, {"W1": X.T @ delta_hidden, "b1": delta_hidden.sum(axis=0),
                  "W2": hidden.T @ delta_out, "b2": delta_out.sum(axis=0)}
