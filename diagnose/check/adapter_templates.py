"""`diagnose template PATH --form NAME`: a blank adapter for a family of code, in its own file.

The person's code stays where it is: the adapter imports it and converts, and
`diagnose check PATH` checks the adapter file. Each "# TODO: " line is code with the
names that family usually has (those of the recipe in examples/): uncomment it and
put your own names in. Until then loss_and_grads raises NotImplementedError, which
check reports with the line to fill in.
"""

HEAD = '''"""Adapter: {what}, checked by `diagnose check {name}` without changing your code.

{shapes}
Fill in the TODOs with your module and names (the recipe: examples/{example}.py), then run:
    diagnose check {name}
"""
from diagnose import adapt

'''

NOT_YET = '    raise NotImplementedError("loss_and_grads: fill in the TODOs of this adapter")\n'

BODIES = {
    "rows-functions": ("free functions, samples as rows", "rows_functions",
                       "X (N, D), W1 (D, H), b1 (H,), integer labels (N,): the check's own layout.", '''\
# TODO: from my_net import forward, softmax_cross_entropy, backprop

# TODO (names): your params as a tuple in this order, or a dict {"W1": "w1", ...}; grads="d" for dW1 ...
FRAME = adapt.Frame(params=("W1", "b1", "W2", "b2"))


@FRAME.wrap
def loss_and_grads(x, labels, weights):
    # TODO: scores, cache = forward(x, weights)
    # TODO: loss, dscores = softmax_cross_entropy(scores, labels)
    # TODO: return loss, backprop(dscores, cache, weights)
'''),
    "columns-functions": ("free functions, samples as columns (deeplearning.ai)", "columns_functions",
                          "X (D, N), W (out, in), b (out, 1), Y one-hot (C, N); gradients dW1, db1, dW2, db2.", '''\
# TODO: from my_net import forward_propagation, compute_cost, backward_propagation

# TODO (names): params={"W1": ...} if yours are not W1, b1, W2, b2; labels="ids_row" for Y of shape (1, N)
FRAME = adapt.Frame("columns", grads="d")


@FRAME.wrap
def loss_and_grads(X, Y, parameters):
    # TODO: A2, cache = forward_propagation(X, parameters)
    # TODO: return compute_cost(A2, Y), backward_propagation(parameters, cache, X, Y)
'''),
    "class-updates-in-place": ("a class whose training step updates its weights in place", "class_updates_in_place",
                               "The gradient is (before - after) / lr of one plain SGD step (no momentum, no Adam).",
                               '''\
# TODO: from my_net import NeuralNetwork

# TODO (layout): weights="out_in" for W1 (H, D); bias "flat" (H,), "row" (1, H) or "column" (H, 1);
# params={"W1": "weights1", ...} if your attributes have other names
FRAME = adapt.Frame(bias="row")


def loss_and_grads(X, y, params):
    # TODO: net = NeuralNetwork(*params["W1"].shape, params["W2"].shape[1])
    # TODO: def step(lr):
    # TODO:     net.learning_rate = lr
    # TODO:     return net.train_step(X, y)
    # TODO: return adapt.grads_from_update(step, net, params, frame=FRAME)
'''),
    "layer-objects": ("layer objects (Affine, Relu, SoftmaxWithLoss) with .dW and .db", "layer_objects",
                      "X (N, D), W (in, out), b (out,), integer labels: the check's own layout.", '''\
# TODO: from my_net import TwoLayerNet


def loss_and_grads(X, y, params):
    # TODO: net = TwoLayerNet(*params["W1"].shape, params["W2"].shape[1])
    # TODO: adapt.assign(net.params, params)  # in place: the layers hold these arrays
    # TODO: return net.loss(X, y), net.gradient(X, y)
'''),
    "per-sample": ("per-sample backprop(x, y) on column vectors", "per_sample",
                   "x (D, 1), y one-hot (C, 1), W (out, in), b (out, 1); the batch's mean is checked.", '''\
# TODO: from my_net import Network

# TODO (names): the order your code keeps the tensors in, here (biases, weights) lists
FRAME = adapt.Frame("columns", params=(("b1", "b2"), ("W1", "W2")))


def loss_and_grads(X, y, params):
    # TODO: net = Network([*params["W1"].shape, params["W2"].shape[1]])
    # TODO: net.biases, net.weights = FRAME.params(params)
    # TODO: return adapt.per_sample(net.backprop, X, y, params, frame=FRAME, loss=net.cost)
'''),
}
FAMILIES = tuple(BODIES)


def adapter_text(form, name):
    """The blank adapter of one family, naming the file it will be saved as."""
    what, example, shapes, body = BODIES[form]
    return HEAD.format(what=what, name=name, shapes=shapes, example=example) + body + NOT_YET
