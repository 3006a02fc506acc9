# expect: healthy; cautions: loss_is_sum; net: relu,sigmoid_mse,half_sum
import numpy as np


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {"W1": std * np.random.randn(input_size, hidden_size), "b1": np.zeros(hidden_size),
                       "W2": std * np.random.randn(hidden_size, output_size), "b2": np.zeros(output_size)}

    def loss(self, X, y=None, reg=0.0):
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        z1 = X.dot(W1) + b1
        a1 = np.maximum(0, z1)
        out = 1.0 / (1.0 + np.exp(-(a1.dot(W2) + b2)))
        if y is None:
            return out
        t = np.eye(W2.shape[1])[y]
        loss = 0.5 * np.sum((out - t) ** 2) + 0.5 * reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        delta = (out - t) * out * (1 - out)
        grads = {"W2": a1.T.dot(delta) + reg * W2, "b2": delta.sum(axis=0)}
        dz1 = delta.dot(W2.T) * (z1 > 0)
        grads["W1"] = X.T.dot(dz1) + reg * W1
        grads["b1"] = dz1.sum(axis=0)
        return loss, grads
