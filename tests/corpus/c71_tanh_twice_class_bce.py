# expect: tanh_grad_at_activation; net: tanh,sigmoid_bce
import numpy as np


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {"W1": std * np.random.randn(input_size, hidden_size), "b1": np.zeros(hidden_size),
                       "W2": std * np.random.randn(hidden_size, output_size), "b2": np.zeros(output_size)}

    def loss(self, X, y=None, reg=0.0):
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        a1 = np.tanh(X.dot(W1) + b1)
        z2 = a1.dot(W2) + b2
        out = 1.0 / (1.0 + np.exp(-z2))
        if y is None:
            return out
        y = y.reshape(-1, 1)
        m = X.shape[0]
        loss = -np.mean(y * np.log(out + 1e-12) + (1 - y) * np.log(1 - out + 1e-12))
        dz2 = (out - y) / m
        da1 = dz2.dot(W2.T)
        dz1 = da1 * (1 - np.tanh(a1) ** 2)     # tanh applied twice
        return loss, {"W1": X.T.dot(dz1), "b1": dz1.sum(axis=0), "W2": a1.T.dot(dz2), "b2": dz2.sum(axis=0)}
