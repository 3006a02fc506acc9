# expect: forward_wrong; cautions: log_no_eps
import numpy as np


def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    h = np.maximum(0, X @ W1 + b1)
    s = h @ W2 + b2
    e = np.exp(s - s.max())
    p = e / np.sum(e)                      # normalised over the whole batch
    loss = -np.mean(np.log(p[np.arange(N), y]))
    ds = p.copy()
    ds[np.arange(N), y] -= 1
    ds /= N
    dh = ds @ W2.T * (h > 0)
    return loss, {"W1": X.T @ dh, "b1": dh.sum(0), "W2": h.T @ ds, "b2": ds.sum(0)}
