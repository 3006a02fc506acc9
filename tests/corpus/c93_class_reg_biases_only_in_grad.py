# expect: reg_mismatch
import numpy as np


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {"W1": std * np.random.randn(input_size, hidden_size), "b1": np.zeros(hidden_size),
                       "W2": std * np.random.randn(hidden_size, output_size), "b2": np.zeros(output_size)}

    def loss(self, X, y=None, reg=0.0):
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        N = X.shape[0]
        a = X.dot(W1) + b1
        h = np.maximum(a, 0)
        s = h.dot(W2) + b2
        if y is None:
            return s
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        loss = -np.mean(np.log(p[np.arange(N), y] + 1e-12)) + 0.5 * reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        ds = p.copy()
        ds[np.arange(N), y] -= 1
        ds /= N
        da = ds.dot(W2.T) * (a > 0)
        grads = {"W1": X.T.dot(da), "b1": da.sum(axis=0), "W2": h.T.dot(ds), "b2": ds.sum(axis=0)}
        for k in grads:
            grads[k] += reg * self.params[k]      # the biases were not in the penalty
        return loss, grads
