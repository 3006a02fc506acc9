# expect: healthy; cautions: grads_low_precision; net: relu,softmax_ce
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(0, Z1)
    Z2 = A1 @ W2 + b2
    Z2 = Z2 - Z2.max(axis=1, keepdims=True)
    logP = Z2 - np.log(np.exp(Z2).sum(axis=1, keepdims=True))
    loss = -logP[np.arange(N), y].mean()
    dZ2 = np.exp(logP)
    dZ2[np.arange(N), y] -= 1
    dZ2 /= N
    dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
    grads = {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A1.T @ dZ2, "b2": dZ2.sum(0)}
    return loss, {k: v.astype(np.float32) for k, v in grads.items()}    # to save memory
