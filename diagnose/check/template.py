"""`diagnose template PATH`: a blank implementation in form (a), for the implement-from-scratch drill
(with --form NAME, a blank adapter for existing code instead: diagnose/check/adapter_templates.py).

It has the signatures, the shapes and the steps as TODOs, but no formula: writing
them is the drill, and `diagnose check PATH` grades the result. Until a function is
written it raises NotImplementedError, which check reports with the line to fill in.
"""
import dataclasses
import os

from core.family import parse_net
from diagnose.check.adapter_templates import adapter_text
from diagnose.check.files import NotAFile, writable_target, write_atomically

TEMPLATE = '''"""A two-layer classifier: X -> Z1 = X W1 + b1 -> A1 = {act_fn}(Z1) -> Z2 = A1 W2 + b2 -> {head}.

Shapes: X (N, D), y (N,) {labels}, W1 (D, H), b1 (H,), W2 (H, {C}), b2 ({C},).
Fill in both functions, then run:  diagnose check {name}{net_flag}
"""
import numpy as np


def forward_loss(X, y, params):
    """{loss_doc}; returns (loss, cache for backward)."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    # TODO: Z1, the hidden pre-activation, (N, H)
    # TODO: A1, the {act} of Z1, (N, H)
    # TODO: Z2, the logits, (N, {C})
    # TODO: {out}
    # TODO: loss, {loss_todo}, a float
    # TODO: cache, whatever backward needs
    # TODO: return loss, cache
    raise NotImplementedError("forward_loss: compute the loss and the cache")


def backward(cache, params):
    """Gradients of the mean loss: a dict with the keys and shapes of params."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    # TODO: dZ2 = dL/dZ2, (N, {C})
    # TODO: dW2 (H, {C}) and db2 ({C},)
    # TODO: dA1 = dL/dA1, (N, H)
    # TODO: dZ1 = dL/dZ1 through the {act}, (N, H)
    # TODO: dW1 (D, H) and db1 (H,)
    # TODO: return {{"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}}
    raise NotImplementedError("backward: compute the gradients")
'''

ACT_FNS = {"relu": "ReLU", "leaky_relu": "LeakyReLU", "sigmoid": "sigmoid", "tanh": "tanh"}
ACT_WORDS = {"relu": "ReLU", "leaky_relu": "leaky ReLU (slope {alpha:g})", "sigmoid": "sigmoid", "tanh": "tanh"}
HEAD_WORDS = {
    "softmax_ce": dict(head="softmax -> mean CE", labels="integer labels in [0, C)", C="C",
                       loss_doc="Mean softmax cross-entropy of the labels y", out="P, the softmax of Z2, (N, C)",
                       loss_todo="the mean over the batch of -log P[i, y[i]]"),
    "sigmoid_bce": dict(head="sigmoid -> mean binary CE", labels="binary labels in {0, 1}", C="1",
                        loss_doc="Mean binary cross-entropy of the labels y", out="p, the sigmoid of Z2[:, 0], (N,)",
                        loss_todo="the mean over the batch of -[y log p + (1 - y) log(1 - p)]"),
    "sigmoid_mse": dict(head="sigmoid -> mean squared error", labels="integer labels in [0, C)", C="C",
                        loss_doc="Mean squared error of the sigmoid outputs against onehot(y)",
                        out="S, the sigmoid of Z2, (N, C)",
                        loss_todo="the mean over the batch of sum_c (S[i, c] - onehot(y)[i, c])^2"),
}


def template_text(name, net=None):
    """The blank implementation of member `net` (relu,softmax_ce by default), naming the file it is saved as."""
    net = dataclasses.replace(parse_net(net or "relu,softmax_ce"), convention="mean")  # the blank asks for the mean
    flag = "" if str(net) == "relu,softmax_ce" else f" --net {net}"
    act = ACT_WORDS[net.act].format(alpha=net.alpha)
    return TEMPLATE.format(name=name, net_flag=flag, act_fn=ACT_FNS[net.act], act=act, **HEAD_WORDS[net.head])


def write_template(path, force=False, form=None, net=None):
    """Write the blank implementation of member `net` (or, with `form`, a family's blank adapter) to `path`.

    FileExistsError unless `force` or the file is new; NotAFile (a usage error) for a name not
    ending in .py or a path that is a FIFO or a device. Written atomically, through a symlink.
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path} is a directory; give the name of the file to write")
    if not path.endswith(".py"):
        raise NotAFile(f"{path!r} does not end in .py, and `diagnose check` reads only Python files; "
                       "give a name such as my_net.py")
    writable_target(path)  # a directory, a FIFO or a device: refused before anything else
    if os.path.exists(path) and not force:
        raise FileExistsError(f"{path} exists; use --force to overwrite it")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise FileNotFoundError(f"no such directory: {parent}")
    name = os.path.basename(path)
    return write_atomically(path, template_text(name, net) if form is None else adapter_text(form, name))
