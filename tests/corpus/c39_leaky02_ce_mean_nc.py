# expect: healthy; net: leaky_relu:0.2,softmax_ce,mean_nc
import numpy as np


def softmax(logits):
    logits = logits - logits.max(axis=1, keepdims=True)
    ex = np.exp(logits)
    return ex / ex.sum(axis=1, keepdims=True)


def forward_loss(X, y, params):
    Y = np.zeros((X.shape[0], params["W2"].shape[1]))
    Y[np.arange(X.shape[0]), y] = 1.0
    z = X @ params["W1"] + params["b1"]
    a = np.where(z > 0, z, 0.2 * z)
    P = softmax(a @ params["W2"] + params["b2"])
    loss = np.mean(-Y * np.log(P + 1e-12))
    return loss, dict(X=X, Y=Y, z=z, a=a, P=P)


def backward(c, params):
    dlogits = (c["P"] - c["Y"]) / c["Y"].size
    da = dlogits @ params["W2"].T
    dz = da * np.where(c["z"] > 0, 1.0, 0.2)
    return {"W1": c["X"].T @ dz, "b1": dz.sum(axis=0), "W2": c["a"].T @ dlogits, "b2": dlogits.sum(axis=0)}
