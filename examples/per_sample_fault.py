"""FAULTY: the hidden delta misses the ReLU derivative.
Per-sample code in the style of "Neural Networks and Deep Learning": backprop(x, y) on one column
vector x (n_in, 1) and a one-hot column y, returning (nabla_b, nabla_w) as lists; update_mini_batch sums them.

Check it with:  diagnose check examples/per_sample_fault.py
"""
import numpy as np


def relu(z):
    return np.maximum(z, 0.0)


def relu_prime(z):
    return (z > 0).astype(float)


def softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


class Network:
    def __init__(self, sizes):
        self.num_layers = len(sizes)
        self.sizes = sizes
        self.biases = [np.random.randn(y, 1) for y in sizes[1:]]
        self.weights = [np.random.randn(y, x) for x, y in zip(sizes[:-1], sizes[1:])]

    def feedforward(self, a):
        for b, w in zip(self.biases[:-1], self.weights[:-1]):
            a = relu(np.dot(w, a) + b)
        return softmax(np.dot(self.weights[-1], a) + self.biases[-1])

    def cost(self, x, y):
        """Log-likelihood cost of one sample: -ln a_y."""
        return -np.sum(y * np.log(self.feedforward(x) + 1e-12))

    def update_mini_batch(self, mini_batch, eta):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        self.weights = [w - (eta / len(mini_batch)) * nw for w, nw in zip(self.weights, nabla_w)]
        self.biases = [b - (eta / len(mini_batch)) * nb for b, nb in zip(self.biases, nabla_b)]

    def backprop(self, x, y):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        activation = x
        activations = [x]
        zs = []
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = relu(z)
            activations.append(activation)
        activations[-1] = softmax(zs[-1])
        delta = activations[-1] - y
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        for l in range(2, self.num_layers):
            sp = relu_prime(zs[-l])
            delta = np.dot(self.weights[-l + 1].transpose(), delta)
            nabla_b[-l] = delta
            nabla_w[-l] = np.dot(delta, activations[-l - 1].transpose())
        return (nabla_b, nabla_w)


# --- adapter for `diagnose check` (the code above is unchanged) ---
from diagnose import adapt  # noqa: E402

FRAME = adapt.Frame("columns", params=(("b1", "b2"), ("W1", "W2")))  # (biases, weights); W (out, in), b (out, 1)


def loss_and_grads(X, y, params):
    net = Network([*params["W1"].shape, params["W2"].shape[1]])
    net.biases, net.weights = FRAME.params(params)
    return adapt.per_sample(net.backprop, X, y, params, frame=FRAME, loss=net.cost)  # the mean over the batch
