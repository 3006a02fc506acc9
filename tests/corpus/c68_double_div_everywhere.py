# expect: double_div_n
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    z1 = X.dot(W1) + b1
    a1 = np.maximum(0, z1)
    z2 = a1.dot(W2) + b2
    exp_scores = np.exp(z2 - z2.max(axis=1, keepdims=True))
    probs = exp_scores / exp_scores.sum(axis=1, keepdims=True)
    loss = -np.log(probs[range(m), y] + 1e-12).sum() / m
    delta3 = probs.copy()
    delta3[range(m), y] -= 1
    delta3 /= m
    dW2 = a1.T.dot(delta3) / m
    db2 = delta3.sum(axis=0) / m
    delta2 = delta3.dot(W2.T) * (z1 > 0)
    dW1 = X.T.dot(delta2) / m
    db1 = delta2.sum(axis=0) / m
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
