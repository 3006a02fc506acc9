# expect: tensor_scaled
import numpy as np


def softmax(s):
    s = s - np.max(s, axis=1, keepdims=True)
    return np.exp(s) / np.sum(np.exp(s), axis=1, keepdims=True)


def loss_and_grads(X, y, params):
    m = X.shape[0]
    a1 = X.dot(params["W1"]) + params["b1"]
    h1 = np.maximum(a1, 0)
    probs = softmax(h1.dot(params["W2"]) + params["b2"])
    loss = -np.sum(np.log(probs[range(m), y] + 1e-12)) / m
    delta3 = probs.copy()
    delta3[range(m), y] -= 1                     # not divided by m here ...
    dW2 = h1.T.dot(delta3) / m                   # ... but in each gradient,
    db2 = np.sum(delta3, axis=0) / m
    delta2 = delta3.dot(params["W2"].T) * (a1 > 0)
    dW1 = X.T.dot(delta2) / m
    db1 = np.sum(delta2, axis=0)                 # except this one
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
