# expect: healthy; cautions: loss_is_sum; net: tanh,softmax_ce,sum
import numpy as np


def my_tanh(x):
    return 2.0 / (1.0 + np.exp(-2.0 * x)) - 1.0


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    hidden = my_tanh(np.dot(X, W1) + b1)
    scores = np.dot(hidden, W2) + b2
    scores -= np.max(scores, axis=1, keepdims=True)
    log_probs = scores - np.log(np.sum(np.exp(scores), axis=1, keepdims=True))
    n = X.shape[0]
    loss = -np.sum(log_probs[np.arange(n), y])
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1
    dW2 = np.dot(hidden.T, dscores)
    db2 = np.sum(dscores, axis=0)
    dhidden = np.dot(dscores, W2.T) * (1 - hidden ** 2)
    return loss, {"W1": np.dot(X.T, dhidden), "b1": np.sum(dhidden, axis=0), "W2": dW2, "b2": db2}
