"""FAULTY: dW2 is computed from the pre-activation z1.
A class that keeps its weights and, after backward(), its gradients as attributes (self.dW1 ...).

Rows layout, weights (in, out), biases (1, H). Check it with:  diagnose check examples/class_stores_grads_fault.py
"""
import numpy as np


class MLP:
    def __init__(self, n_input, n_hidden, n_classes, seed=0):
        rng = np.random.default_rng(seed)
        self.W1 = rng.normal(0, 0.1, (n_input, n_hidden))
        self.b1 = np.zeros((1, n_hidden))
        self.W2 = rng.normal(0, 0.1, (n_hidden, n_classes))
        self.b2 = np.zeros((1, n_classes))

    def forward(self, X):
        self.X = X
        self.z1 = X @ self.W1 + self.b1
        self.a1 = np.maximum(0, self.z1)
        self.z2 = self.a1 @ self.W2 + self.b2
        z = self.z2 - self.z2.max(axis=1, keepdims=True)
        self.log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return np.exp(self.log_p)

    def cross_entropy(self, y):
        return -self.log_p[np.arange(len(y)), y].mean()

    def backward(self, y):
        n = len(y)
        dz2 = np.exp(self.log_p)
        dz2[np.arange(n), y] -= 1
        dz2 /= n
        self.dW2 = self.z1.T @ dz2
        self.db2 = dz2.sum(axis=0, keepdims=True)
        da1 = dz2 @ self.W2.T
        dz1 = da1 * (self.z1 > 0)
        self.dW1 = self.X.T @ dz1
        self.db1 = dz1.sum(axis=0, keepdims=True)

    def step(self, lr=0.1):
        for name in ("W1", "b1", "W2", "b2"):
            setattr(self, name, getattr(self, name) - lr * getattr(self, "d" + name))


# --- adapter for `diagnose check` (the code above is unchanged) ---
from diagnose import adapt  # noqa: E402

FRAME = adapt.Frame(bias="row", grads="d")  # rows, weights (in, out), biases (1, H); gradients net.dW1 ...


def loss_and_grads(X, y, params):
    net = MLP(*params["W1"].shape, params["W2"].shape[1])
    adapt.assign(net, FRAME.params(params))
    net.forward(X)
    loss = net.cross_entropy(y)
    net.backward(y)
    return loss, FRAME.grads(net, params)
