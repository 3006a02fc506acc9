# expect: healthy; cautions: log_no_eps; net: relu,softmax_ce
import numpy as np


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size):
        rng = np.random.default_rng(0)
        self.params = dict(W1=0.01 * rng.standard_normal((input_size, hidden_size)), b1=np.zeros(hidden_size),
                           W2=0.01 * rng.standard_normal((hidden_size, output_size)), b2=np.zeros(output_size))

    def loss(self, X, y):
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        z1 = X @ W1 + b1
        a1 = np.maximum(0, z1)
        z2 = a1 @ W2 + b2
        z2 = z2 - np.max(z2, axis=1, keepdims=True)
        probs = np.exp(z2) / np.sum(np.exp(z2), axis=1, keepdims=True)
        N = len(y)
        loss = -np.log(probs[range(N), y]).mean()
        dz2 = probs
        dz2[range(N), y] -= 1
        dz2 /= N
        da1 = dz2 @ W2.T
        dz1 = da1 * (z1 > 0)
        return loss, {"W1": X.T @ dz1, "b1": dz1.sum(0), "W2": a1.T @ dz2, "b2": dz2.sum(0)}
