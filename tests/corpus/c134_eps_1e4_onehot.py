# expect: healthy; cautions: log_eps; net: relu,softmax_ce
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n_samples, n_classes = X.shape[0], W2.shape[1]
    Y = np.zeros((n_samples, n_classes))
    Y[np.arange(n_samples), y] = 1
    hidden = np.maximum(0, X @ W1 + b1)
    logits = hidden @ W2 + b2
    exps = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    probs = exps / np.sum(exps, axis=1, keepdims=True)
    loss = -np.sum(Y * np.log(probs + 1e-4)) / n_samples
    dlogits = (probs - Y) / n_samples
    dhidden = dlogits @ W2.T
    dhidden[hidden == 0] = 0
    return loss, {"W1": X.T @ dhidden, "b1": dhidden.sum(axis=0), "W2": hidden.T @ dlogits, "b2": dlogits.sum(axis=0)}
