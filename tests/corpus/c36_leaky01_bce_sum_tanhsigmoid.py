# expect: healthy; cautions: loss_is_sum; net: leaky_relu:0.1,sigmoid_bce,sum
import numpy as np

SLOPE = 0.1


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    pre = X @ W1 + b1
    act = np.maximum(pre, SLOPE * pre)
    out = sigmoid(act @ W2 + b2)[:, 0]              # (N,)
    eps = 1e-12
    loss = -np.sum(y * np.log(out + eps) + (1 - y) * np.log(1 - out + eps))
    d_out = (out - y)[:, None]
    g_W2 = act.T @ d_out
    g_b2 = d_out.sum(axis=0)
    d_act = d_out @ W2.T
    d_pre = d_act * np.where(pre > 0, 1.0, SLOPE)
    return loss, {"W1": X.T @ d_pre, "b1": d_pre.sum(axis=0), "W2": g_W2, "b2": g_b2}
