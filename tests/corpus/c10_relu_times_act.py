# expect: relu_times_activation; cautions: log_no_eps
import numpy as np


def forward_loss(X, y, params):
    Z1 = X.dot(params["W1"]) + params["b1"]
    A1 = Z1 * (Z1 > 0)
    Z2 = A1.dot(params["W2"]) + params["b2"]
    Z2 -= Z2.max(axis=1, keepdims=True)
    P = np.exp(Z2)
    P /= P.sum(axis=1, keepdims=True)
    loss = -np.log(P[np.arange(len(y)), y]).mean()
    return loss, dict(X=X, y=y, Z1=Z1, A1=A1, P=P)


def backward(cache, params):
    X, y, A1, P = cache["X"], cache["y"], cache["A1"], cache["P"]
    N = len(y)
    dZ2 = P.copy()
    dZ2[np.arange(N), y] -= 1
    dZ2 /= N
    dA1 = dZ2.dot(params["W2"].T)
    dZ1 = dA1 * A1
    return {"W1": X.T.dot(dZ1), "b1": dZ1.sum(axis=0), "W2": A1.T.dot(dZ2), "b2": dZ2.sum(axis=0)}
