# expect: healthy; cautions: log_no_eps; net: sigmoid,softmax_ce
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    net1 = X.dot(W1) + b1
    out1 = 1.0 / (1.0 + np.exp(-net1))
    net2 = out1.dot(W2) + b2
    net2 = net2 - net2.max(axis=1, keepdims=True)
    prob = np.exp(net2) / np.exp(net2).sum(axis=1, keepdims=True)
    loss = -np.sum(np.log(prob[np.arange(N), y])) / N
    d2 = prob.copy()
    d2[np.arange(N), y] -= 1
    d2 /= N
    d1 = d2.dot(W2.T) * np.exp(-net1) / (1.0 + np.exp(-net1)) ** 2
    return loss, {"W1": X.T.dot(d1), "b1": d1.sum(axis=0), "W2": out1.T.dot(d2), "b2": d2.sum(axis=0)}
