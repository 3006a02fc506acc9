"""`diagnose template PATH`: a blank implementation in form (a), for the implement-from-scratch drill
(with --form NAME, a blank adapter for existing code instead: diagnose/check/adapter_templates.py).

It has the signatures, the shapes and the steps as TODOs, but no formula: writing
them is the drill, and `diagnose check PATH` grades the result. Until a function is
written it raises NotImplementedError, which check reports with the line to fill in.
"""
import os

from diagnose.check.adapter_templates import adapter_text

TEMPLATE = '''"""A two-layer classifier: X -> Z1 = X W1 + b1 -> A1 = ReLU(Z1) -> Z2 = A1 W2 + b2 -> softmax -> mean CE.

Shapes: X (N, D), y (N,) integer labels in [0, C), W1 (D, H), b1 (H,), W2 (H, C), b2 (C,).
Fill in both functions, then run:  diagnose check {name}
"""
import numpy as np


def forward_loss(X, y, params):
    """Mean softmax cross-entropy of the labels y; returns (loss, cache for backward)."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    # TODO: Z1, the hidden pre-activation, (N, H)
    # TODO: A1, the ReLU of Z1, (N, H)
    # TODO: Z2, the logits, (N, C)
    # TODO: P, the softmax of Z2, (N, C)
    # TODO: loss, the mean over the batch of -log P[i, y[i]], a float
    # TODO: cache, whatever backward needs
    # TODO: return loss, cache
    raise NotImplementedError("forward_loss: compute the loss and the cache")


def backward(cache, params):
    """Gradients of the mean loss: a dict with the keys and shapes of params."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    # TODO: dZ2 = dL/dZ2, (N, C)
    # TODO: dW2 (H, C) and db2 (C,)
    # TODO: dA1 = dL/dA1, (N, H)
    # TODO: dZ1 = dL/dZ1 through the ReLU, (N, H)
    # TODO: dW1 (D, H) and db1 (H,)
    # TODO: return {{"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}}
    raise NotImplementedError("backward: compute the gradients")
'''


def template_text(name):
    """The blank implementation, naming the file it will be saved as."""
    return TEMPLATE.format(name=name)


def write_template(path, force=False, form=None):
    """Write the blank implementation (or, with `form`, a family's blank adapter) to `path`.

    FileExistsError unless `force` or the file is new.
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path} is a directory; give the name of the file to write")
    if os.path.exists(path) and not force:
        raise FileExistsError(f"{path} exists; use --force to overwrite it")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise FileNotFoundError(f"no such directory: {parent}")
    with open(path, "w", encoding="utf-8") as f:
        name = os.path.basename(path)
        f.write(template_text(name) if form is None else adapter_text(form, name))
    return path
