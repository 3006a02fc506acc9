"""FAULTY: W2 is updated before delta2 is computed from it.
A class whose train_step() updates its weights in place and returns only the loss.

Rows layout, weights (in, out), biases (1, H). Check it with:  diagnose check examples/class_updates_in_place_fault.py
"""
import numpy as np


class NeuralNetwork:
    def __init__(self, input_dim, hidden_dim, output_dim, learning_rate=0.01):
        rng = np.random.default_rng(42)
        self.W1 = rng.normal(0, 0.1, (input_dim, hidden_dim))
        self.b1 = np.zeros((1, hidden_dim))
        self.W2 = rng.normal(0, 0.1, (hidden_dim, output_dim))
        self.b2 = np.zeros((1, output_dim))
        self.learning_rate = learning_rate

    def forward(self, X):
        self.z1 = X @ self.W1 + self.b1
        self.a1 = np.maximum(0, self.z1)
        self.z2 = self.a1 @ self.W2 + self.b2
        exp_scores = np.exp(self.z2 - self.z2.max(axis=1, keepdims=True))
        return exp_scores / exp_scores.sum(axis=1, keepdims=True)

    def compute_loss(self, probs, y):
        n = probs.shape[0]
        return -np.mean(np.log(probs[np.arange(n), y] + 1e-12))

    def backward(self, X, y, probs):
        n = X.shape[0]
        delta3 = probs.copy()
        delta3[np.arange(n), y] -= 1
        delta3 /= n
        dW2 = self.a1.T @ delta3
        db2 = np.sum(delta3, axis=0, keepdims=True)
        self.W2 -= self.learning_rate * dW2
        self.b2 -= self.learning_rate * db2
        delta2 = (delta3 @ self.W2.T) * (self.z1 > 0)
        dW1 = X.T @ delta2
        db1 = np.sum(delta2, axis=0, keepdims=True)
        self.W1 -= self.learning_rate * dW1
        self.b1 -= self.learning_rate * db1

    def train_step(self, X, y):
        probs = self.forward(X)
        loss = self.compute_loss(probs, y)
        self.backward(X, y, probs)
        return loss


# --- adapter for `diagnose check` (the code above is unchanged) ---
from diagnose import adapt  # noqa: E402

FRAME = adapt.Frame(bias="row")  # rows, weights (in, out), biases (1, H), attributes net.W1 ...


def loss_and_grads(X, y, params):
    net = NeuralNetwork(*params["W1"].shape, params["W2"].shape[1])

    def step(lr):
        net.learning_rate = lr
        return net.train_step(X, y)
    return adapt.grads_from_update(step, net, params, frame=FRAME)
