# expect: healthy; cautions: loss_is_sum; net: relu,sigmoid_mse,sum
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    onehot = np.zeros((len(y), W2.shape[1]))
    for i, label in enumerate(y):
        onehot[i, label] = 1
    h_in = X.dot(W1) + b1
    h_out = np.maximum(h_in, 0)
    o_in = h_out.dot(W2) + b2
    o_out = 1 / (1 + np.exp(-o_in))
    err = o_out - onehot
    loss = np.sum(err ** 2)
    delta_o = 2 * err * o_out * (1 - o_out)
    delta_h = delta_o.dot(W2.T).copy()
    delta_h[h_in <= 0] = 0
    return loss, {"W1": X.T.dot(delta_h), "b1": delta_h.sum(axis=0),
                  "W2": h_out.T.dot(delta_o), "b2": delta_o.sum(axis=0)}
