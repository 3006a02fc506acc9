# expect: healthy; net: relu,softmax_ce
import numpy as np


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, std=1e-4, reg=0.0):
        self.reg = reg
        self.params = {"W1": std * np.random.randn(input_size, hidden_size), "b1": np.zeros(hidden_size),
                       "W2": std * np.random.randn(hidden_size, output_size), "b2": np.zeros(output_size)}

    def loss(self, X, y=None):
        W1, b1, W2, b2 = (self.params[k] for k in ("W1", "b1", "W2", "b2"))
        hidden_in = X @ W1 + b1
        hidden = np.maximum(hidden_in, 0)
        scores = hidden @ W2 + b2
        if y is None:
            return scores
        N = X.shape[0]
        exp = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs = exp / exp.sum(axis=1, keepdims=True)
        loss = -np.log(np.maximum(probs[np.arange(N), y], 1e-300)).mean()
        loss += 0.5 * self.reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        dscores = probs.copy()
        dscores[np.arange(N), y] -= 1
        dscores /= N
        dhidden = dscores @ W2.T
        dhidden_in = dhidden * (hidden_in > 0)
        return loss, {"W1": X.T @ dhidden_in + self.reg * W1, "b1": dhidden_in.sum(axis=0),
                      "W2": hidden.T @ dscores + self.reg * W2, "b2": dscores.sum(axis=0)}
