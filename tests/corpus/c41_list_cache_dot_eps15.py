# expect: healthy; net: relu,softmax_ce
import numpy as np


def forward_loss(X, y, params):
    layer1 = np.dot(X, params["W1"]) + params["b1"]
    relu1 = layer1 * (layer1 > 0).astype(float)
    layer2 = np.dot(relu1, params["W2"]) + params["b2"]
    exp = np.exp(layer2 - layer2.max(axis=1)[:, None])
    softmax = exp / exp.sum(axis=1)[:, None]
    loss = np.mean(-np.log(softmax[np.arange(len(y)), y] + 1e-15))
    return loss, [X, y, layer1, relu1, softmax]


def backward(cache, params):
    X, y, layer1, relu1, softmax = cache
    batch = len(y)
    grad_layer2 = softmax.copy()
    grad_layer2[np.arange(batch), y] -= 1
    grad_layer2 /= batch
    grad_relu1 = np.dot(grad_layer2, params["W2"].T)
    grad_layer1 = grad_relu1 * (layer1 > 0).astype(float)
    return {
        "W2": np.dot(relu1.T, grad_layer2), "b2": grad_layer2.sum(axis=0),
        "W1": np.dot(X.T, grad_layer1), "b1": grad_layer1.sum(axis=0),
    }
