# expect: softmax_jacobian_diagonal; cautions: grads_nonfinite_saturated; net: relu,softmax_ce
import numpy as np


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)


def forward_loss(X, y, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(0, Z1)
    A2 = softmax(A1 @ params["W2"] + params["b2"])
    Y = np.eye(A2.shape[1])[y]
    loss = -np.mean(np.sum(Y * np.log(A2 + 1e-12), axis=1))
    return loss, {"X": X, "Y": Y, "Z1": Z1, "A1": A1, "A2": A2}


def backward(cache, params):
    X, Y, Z1, A1, A2 = cache["X"], cache["Y"], cache["Z1"], cache["A1"], cache["A2"]
    N = X.shape[0]
    dA2 = -Y / A2 / N
    dZ2 = dA2 * A2 * (1 - A2)             # elementwise, like a sigmoid
    dZ1 = (dZ2 @ params["W2"].T) * (Z1 > 0)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A1.T @ dZ2, "b2": dZ2.sum(0)}
