"""Implementations written the way people outside this project write them (not mutants of core).

Three styles: a `loss_and_grads` function with terse names (what a pre-stop hook checks),
a CS231n-style `TwoLayerNet` class, and free `forward_loss`/`backward` functions with a
dict cache under other names. None puts an epsilon in the log: that is a caution, not a fault.
`variant` makes a faulty copy by one exact text replacement.
"""
import types

LOSS_AND_GRADS = '''import numpy as np
def loss_and_grads(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    hidden = np.maximum(0, X.dot(W1) + b1)
    scores = hidden.dot(W2) + b2
    scores -= np.max(scores, axis=1, keepdims=True)
    probs = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
    loss = np.sum(-np.log(probs[range(n), y])) / n
    dscores = probs
    dscores[range(n), y] -= 1
    dscores /= n
    dW2 = hidden.T.dot(dscores)
    db2 = np.sum(dscores, axis=0)
    dhidden = dscores.dot(W2.T)
    dhidden[hidden <= 0] = 0
    dW1 = X.T.dot(dhidden)
    db1 = np.sum(dhidden, axis=0)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
'''

CLASS_NET = '''import numpy as np


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {
            "W1": std * np.random.randn(input_size, hidden_size),
            "b1": np.zeros(hidden_size),
            "W2": std * np.random.randn(hidden_size, output_size),
            "b2": np.zeros(output_size),
        }

    def loss(self, X, y=None, reg=0.0):
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        N = X.shape[0]
        z1 = X.dot(W1) + b1
        a1 = np.maximum(0, z1)
        scores = a1.dot(W2) + b2
        if y is None:
            return scores
        shifted = scores - np.max(scores, axis=1, keepdims=True)
        exp_scores = np.exp(shifted)
        probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
        loss = -np.log(probs[np.arange(N), y]).mean()
        loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        dscores = probs.copy()
        dscores[np.arange(N), y] -= 1
        dscores /= N
        grads = {}
        grads["W2"] = a1.T.dot(dscores) + 2 * reg * W2
        grads["b2"] = np.sum(dscores, axis=0)
        da1 = dscores.dot(W2.T)
        dz1 = da1 * (z1 > 0)
        grads["W1"] = X.T.dot(dz1) + 2 * reg * W1
        grads["b1"] = np.sum(dz1, axis=0)
        return loss, grads
'''

SPLIT = '''import numpy as np


def softmax(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def forward_loss(X, y, params):
    pre = X @ params["W1"] + params["b1"]
    act = np.maximum(pre, 0)
    probs = softmax(act @ params["W2"] + params["b2"])
    batch = len(y)
    loss = -np.log(probs[np.arange(batch), y]).mean()
    return loss, {"inputs": X, "labels": y, "pre": pre, "act": act, "probs": probs}


def backward(cache, params):
    X, y, pre, act, probs = (cache[k] for k in ("inputs", "labels", "pre", "act", "probs"))
    batch = len(y)
    d_logits = probs.copy()
    d_logits[np.arange(batch), y] -= 1
    d_logits /= batch
    d_act = d_logits @ params["W2"].T
    d_pre = d_act * (pre > 0)
    return {"W1": X.T @ d_pre, "b1": d_pre.sum(axis=0), "W2": act.T @ d_logits, "b2": d_logits.sum(axis=0)}
'''

# style -> (source, the line that divides dZ2 by N, that line without the division)
MISSING_DIV_N = {
    "loss_and_grads": (LOSS_AND_GRADS, "    dscores /= n\n", ""),
    "class": (CLASS_NET, "        dscores /= N\n", ""),
    "split": (SPLIT, "    d_logits /= batch\n", ""),
}


def variant(source, find, replace):
    """`source` with `find` replaced; it must occur exactly once (or be empty for the source as is)."""
    if not find:
        return source
    assert source.count(find) == 1, f"{find!r} occurs {source.count(find)} times"
    return source.replace(find, replace)


def module(source, name="handwritten_subject"):
    """A module object executed from `source` (for subjects in functions form, in-process)."""
    mod = types.ModuleType(name)
    exec(compile(source, f"<{name}>", "exec"), mod.__dict__)  # noqa: S102 -- our own test sources
    return mod
