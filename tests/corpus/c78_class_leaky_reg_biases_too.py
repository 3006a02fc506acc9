# expect: healthy; net: leaky_relu,softmax_ce
import numpy as np


class TwoLayerNet:
    alpha = 0.01

    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {"W1": std * np.random.randn(input_size, hidden_size), "b1": np.zeros(hidden_size),
                       "W2": std * np.random.randn(hidden_size, output_size), "b2": np.zeros(output_size)}

    def loss(self, X, y=None, reg=0.0):
        P = self.params
        z = X @ P["W1"] + P["b1"]
        h = np.maximum(self.alpha * z, z)
        s = h @ P["W2"] + P["b2"]
        if y is None:
            return s
        n = len(y)
        Y = np.eye(s.shape[1])[y]
        s = s - s.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        loss = -(Y * log_p).sum() / n + reg * sum((v * v).sum() for v in P.values())
        ds = (np.exp(log_p) - Y) / n
        dz = (ds @ P["W2"].T) * np.where(z > 0, 1.0, self.alpha)
        grads = {"W1": X.T @ dz, "b1": dz.sum(0), "W2": h.T @ ds, "b2": ds.sum(0)}
        return loss, {k: g + 2 * reg * P[k] for k, g in grads.items()}
