# expect: sigmoid_grad_missing; cautions: log_no_eps; net: sigmoid,softmax_ce
import numpy as np


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {"W1": std * np.random.randn(input_size, hidden_size), "b1": np.zeros(hidden_size),
                       "W2": std * np.random.randn(hidden_size, output_size), "b2": np.zeros(output_size)}

    def loss(self, X, y=None, reg=0.0):
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        h = 1.0 / (1.0 + np.exp(-(X.dot(W1) + b1)))
        scores = h.dot(W2) + b2
        if y is None:
            return scores
        N = X.shape[0]
        scores -= scores.max(axis=1, keepdims=True)
        probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
        loss = -np.log(probs[np.arange(N), y]).sum() / N + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        dscores = probs.copy()
        dscores[np.arange(N), y] -= 1
        dscores /= N
        dh = dscores.dot(W2.T)                 # the sigmoid's derivative never applied
        return loss, {"W1": X.T.dot(dh) + 2 * reg * W1, "b1": dh.sum(axis=0),
                      "W2": h.T.dot(dscores) + 2 * reg * W2, "b2": dscores.sum(axis=0)}
