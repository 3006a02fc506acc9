# expect: tanh_grad_missing; net: tanh,softmax_ce
import numpy as np


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {"W1": std * np.random.randn(input_size, hidden_size), "b1": np.zeros(hidden_size),
                       "W2": std * np.random.randn(hidden_size, output_size), "b2": np.zeros(output_size)}

    def loss(self, X, y=None, reg=0.0):
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        h = np.tanh(X @ W1 + b1)
        s = h @ W2 + b2
        if y is None:
            return s
        N = X.shape[0]
        s = s - s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        loss = -logp[np.arange(N), y].mean() + 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        ds = np.exp(logp)
        ds[np.arange(N), y] -= 1
        ds /= N
        dh = ds @ W2.T                      # tanh' forgotten
        return loss, {"W1": X.T @ dh + reg * W1, "b1": dh.sum(axis=0),
                      "W2": h.T @ ds + reg * W2, "b2": ds.sum(axis=0)}
