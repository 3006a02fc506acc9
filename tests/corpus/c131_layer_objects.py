# expect: healthy; net: tanh,softmax_ce
import numpy as np


class Dense:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, grad):
        self.dW = self.x.T @ grad
        self.db = grad.sum(axis=0)
        return grad @ self.W.T


class Tanh:
    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, grad):
        return grad * (1 - self.out ** 2)


class SoftmaxCrossEntropy:
    def forward(self, logits, y):
        shifted = logits - logits.max(axis=1, keepdims=True)
        self.log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.y = y
        return -self.log_p[np.arange(len(y)), y].mean()

    def backward(self):
        grad = np.exp(self.log_p)
        grad[np.arange(len(self.y)), self.y] -= 1
        return grad / len(self.y)


def loss_and_grads(X, y, params):
    fc1, act, fc2, head = Dense(params["W1"], params["b1"]), Tanh(), Dense(params["W2"], params["b2"]), \
        SoftmaxCrossEntropy()
    loss = head.forward(fc2.forward(act.forward(fc1.forward(X))), y)
    fc1.backward(act.backward(fc2.backward(head.backward())))
    return loss, {"W1": fc1.dW, "b1": fc1.db, "W2": fc2.dW, "b2": fc2.db}
