# expect: healthy; cautions: log_no_eps; net: relu,softmax_ce
import numpy as np


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params["W1"] = std * np.random.randn(input_size, hidden_size)
        self.params["b1"] = np.zeros(hidden_size)
        self.params["W2"] = std * np.random.randn(hidden_size, output_size)
        self.params["b2"] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        num = X.shape[0]
        grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        loss = 0.0
        for i in range(num):
            x = X[i]
            h = np.maximum(0, x.dot(W1) + b1)
            s = h.dot(W2) + b2
            s -= s.max()
            p = np.exp(s) / np.sum(np.exp(s))
            loss += -np.log(p[y[i]])
            ds = p.copy()
            ds[y[i]] -= 1
            grads["W2"] += np.outer(h, ds)
            grads["b2"] += ds
            dh = W2.dot(ds)
            dh[h <= 0] = 0
            grads["W1"] += np.outer(x, dh)
            grads["b1"] += dh
        loss /= num
        for k in grads:
            grads[k] /= num
        loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        grads["W1"] += 2 * reg * W1
        grads["W2"] += 2 * reg * W2
        return loss, grads
