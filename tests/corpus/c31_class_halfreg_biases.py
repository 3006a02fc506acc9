# expect: healthy; net: relu,softmax_ce
import numpy as np


class TwoLayerNet:
    """Regularises the biases too, with the 1/2 convention."""

    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {
            "W1": std * np.random.randn(input_size, hidden_size), "b1": np.zeros(hidden_size),
            "W2": std * np.random.randn(hidden_size, output_size), "b2": np.zeros(output_size),
        }

    def loss(self, X, y=None, reg=0.0):
        p = self.params
        hidden = np.maximum(0, X @ p["W1"] + p["b1"])
        scores = hidden @ p["W2"] + p["b2"]
        if y is None:
            return scores
        N = X.shape[0]
        shifted = scores - scores.max(axis=1, keepdims=True)
        probs = np.exp(shifted)
        probs /= probs.sum(axis=1, keepdims=True)
        loss = -np.mean(np.log(probs[np.arange(N), y] + 1e-10))
        loss += 0.5 * reg * sum(np.sum(p[k] ** 2) for k in ("W1", "b1", "W2", "b2"))
        dscores = probs.copy()
        dscores[np.arange(N), y] -= 1
        dscores /= N
        grads = {"W2": hidden.T @ dscores, "b2": dscores.sum(axis=0)}
        dhidden = dscores @ p["W2"].T
        dhidden[hidden <= 0] = 0
        grads["W1"] = X.T @ dhidden
        grads["b1"] = dhidden.sum(axis=0)
        for k in grads:
            grads[k] += reg * p[k]
        return loss, grads
