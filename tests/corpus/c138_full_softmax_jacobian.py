# expect: healthy; cautions: log_no_eps, grads_nonfinite_saturated; net: relu,softmax_ce
import numpy as np


def forward_loss(X, y, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(0, Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    E = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(P[np.arange(len(y)), y]))
    return loss, {"X": X, "y": y, "Z1": Z1, "A1": A1, "P": P}


def backward(cache, params):
    X, y, Z1, A1, P = cache["X"], cache["y"], cache["Z1"], cache["A1"], cache["P"]
    N, C = P.shape
    Y = np.eye(C)[y]
    dP = -Y / P / N                                              # dL/dP
    J = np.einsum("nc,cd->ncd", P, np.eye(C)) - np.einsum("nc,nd->ncd", P, P)   # softmax Jacobian per row
    dZ2 = np.einsum("ncd,nd->nc", J, dP)
    dZ1 = dZ2 @ params["W2"].T * (Z1 > 0)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A1.T @ dZ2, "b2": dZ2.sum(0)}
