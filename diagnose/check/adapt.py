"""The adapter kit: a few lines that make code shaped like yours answer as `loss_and_grads` (form c).

`diagnose check` calls loss_and_grads(X, y, params) with X (N, D) float64, y (N,) integer
labels and params W1 (D, H), b1 (H,), W2 (H, C), b2 (C,), and wants back (loss, grads) with
gradients of those keys and shapes. A `Frame` says how your code sees the same numbers
(samples as rows or columns, weights (in, out) or (out, in), the bias shape, the labels, your
names) and converts both ways:

    from diagnose import adapt
    FRAME = adapt.Frame("columns", grads="d")   # X (D, N), W (out, in), b (out, 1), Y onehot (C, N), grads dW1...

    @FRAME.wrap
    def loss_and_grads(X, Y, parameters):      # your frame; the check sees the canonical one
        AL, caches = forward_propagation(X, parameters)
        return compute_cost(AL, Y), backward_propagation(parameters, caches, X, Y)

For code that only updates its weights there is `grads_from_update`; for code that takes one
sample at a time, `per_sample`; `assign` writes params into a net (in place, so layer objects
that hold the arrays see them). Every mistake raises `AdapterError`: one line naming your
function and the mismatch, with `exit_code` 2 when the adapter was told something that does not
fit the code (a usage error) and 1 when your code returned something unusable (its fault).
"""
from collections.abc import Mapping

import numpy as np

from core import PARAM_KEYS

USAGE, FAULT = 2, 1
WEIGHTS = ("W1", "W2")
BIASES = ("b1", "b2")
DEFAULTS = {  # data -> (weights, bias, labels) of that convention
    "rows": ("in_out", "flat", "ids"),
    "columns": ("out_in", "column", "onehot_columns"),
}
BIAS_SHAPES = {"flat": lambda n: (n,), "row": lambda n: (1, n), "column": lambda n: (n, 1)}
LABELS = ("ids", "ids_row", "onehot_rows", "onehot_columns")


class AdapterError(Exception):
    """A one-line account of a mismatch; `exit_code` 2 for a usage error, 1 for the subject's fault."""

    def __init__(self, message, exit_code=USAGE):
        super().__init__(message)
        self.message, self.exit_code = message, exit_code


def choice(value, allowed, what):
    """`value` if it is one of `allowed`, else a usage error listing them."""
    if value not in allowed:
        raise AdapterError(f"Frame({what}={value!r}): expected one of {', '.join(map(repr, allowed))}")
    return value


# -- names: the person's keys, attributes or tuple order for W1, b1, W2, b2 ------------------------

def flat(order):
    """The names of a (possibly nested) tuple/list order, depth first."""
    if isinstance(order, str):
        return [order]
    if not isinstance(order, (tuple, list)):
        raise AdapterError(f"a tuple order holds names (strings) or tuples of names, not {order!r}")
    return [name for item in order for name in flat(item)]


class Names:
    """W1, b1, W2, b2 under the person's names: a dict {canonical: theirs} or a nested tuple order."""

    def __init__(self, spec, what):
        self.what = what
        if spec is None:
            spec = {k: k for k in PARAM_KEYS}
        if isinstance(spec, Mapping):
            unknown = [k for k in spec if k not in PARAM_KEYS]
            covered = [k for k in PARAM_KEYS if k in spec]
            named = list(spec.values())
        elif isinstance(spec, (tuple, list)):
            unknown = [k for k in flat(spec) if k not in PARAM_KEYS]
            covered = [k for k in PARAM_KEYS if k in flat(spec)]
            named = flat(spec)
        else:
            raise AdapterError(f"Frame({what}=...) must be a dict {{'W1': your name, ...}} or a tuple order "
                               f"such as ('W1', 'b1', 'W2', 'b2'), got a {type(spec).__name__}")
        missing = [k for k in PARAM_KEYS if k not in covered]
        if unknown or missing:
            miss = f"misses {', '.join(missing)}" if missing else f"names {', '.join(map(repr, unknown))}"
            raise AdapterError(f"Frame({what}=...) {miss}: map each of W1, b1, W2, b2 exactly once to your name")
        if len(set(named)) != len(named):
            raise AdapterError(f"Frame({what}=...) gives two tensors the same name: {named}")
        self.spec = spec

    @property
    def order(self):
        """True when the person's tensors come as a tuple/list rather than by name."""
        return not isinstance(self.spec, Mapping)

    def theirs(self, key):
        """The person's name (or position, as words) for a canonical key."""
        return self.spec[key] if not self.order else f"{key} (position {flat(self.spec).index(key)})"

    def pack(self, values):
        """{canonical: array} -> the person's dict or nested list."""
        if not self.order:
            return {self.spec[k]: values[k] for k in PARAM_KEYS}

        def build(order):
            return values[order] if isinstance(order, str) else [build(item) for item in order]
        return build(self.spec)

    def unpack(self, obj, fn):
        """The person's dict, object with attributes or nested sequence -> {canonical: value}."""
        if self.order:
            return self._unpack_order(obj, self.spec, fn)
        if isinstance(obj, Mapping):
            return self._unpack_mapping(obj, fn)
        missing = [self.spec[k] for k in PARAM_KEYS if not hasattr(obj, self.spec[k])]
        if missing:
            raise AdapterError(f"{fn} gave a {type(obj).__name__} without the attributes {', '.join(missing)} "
                               f"that Frame({self.what}=...) names", FAULT)
        return {k: getattr(obj, self.spec[k]) for k in PARAM_KEYS}

    def _unpack_mapping(self, obj, fn):
        missing = [k for k in PARAM_KEYS if self.spec[k] not in obj]
        if not missing:
            return {k: obj[self.spec[k]] for k in PARAM_KEYS}
        unmapped = [repr(k) for k in obj if k not in self.spec.values()]
        asked = ", ".join(f"{self.spec[k]!r} for {k}" for k in missing)
        if unmapped:  # the tensor is there under a name the mapping does not know
            raise AdapterError(f"{fn} returned keys {', '.join(map(repr, obj))}; Frame({self.what}=...) asks for "
                               f"{asked}: map {', '.join(missing)} to one of {', '.join(unmapped)}")
        raise AdapterError(f"{fn} returned no {', '.join(missing)}: it gave only {', '.join(map(repr, obj))}, "
                           f"Frame({self.what}=...) asks for {asked}", FAULT)

    def _unpack_order(self, obj, order, fn):
        if isinstance(order, str):
            return {order: obj}
        if not isinstance(obj, (tuple, list)) or len(obj) != len(order):
            got = f"a {type(obj).__name__}" + (f" of length {len(obj)}" if isinstance(obj, (tuple, list)) else "")
            raise AdapterError(f"{fn} returned {got} where Frame({self.what}=...) expects the order "
                               f"{tuple(order)!r}", FAULT)
        out = {}
        for item, sub in zip(obj, order):
            out.update(self._unpack_order(item, sub, fn))
        return out


# -- the frame: layout, bias shape, labels and names ---------------------------------------------

class Frame:
    """How a person's code sees X, y and the params, and the conversions both ways.

    data: "rows" (X (N, D)) or "columns" (X (D, N)); weights: "in_out" (W1 (D, H)) or
    "out_in" (W1 (H, D)); bias: "flat" (H,), "row" (1, H) or "column" (H, 1); labels:
    "ids" (N,), "ids_row" (1, N), "onehot_rows" (N, C) or "onehot_columns" (C, N). The
    defaults follow `data`: rows -> in_out, flat, ids; columns -> out_in, column,
    onehot_columns (the deeplearning.ai convention). params/grads: your names, as a dict
    {"W1": "w1", ...} or a tuple order ("W1", "b1", "W2", "b2") (nesting allowed:
    (("b1", "b2"), ("W1", "W2"))); grads may be a prefix such as "d" (dW1 for W1).

    A bias gradient must have your bias's shape (or one that `b -= lr * db` broadcasts into
    it unchanged); any other shape raises AdapterError (exit 1) naming both shapes, since
    reshaping it would hide the fault. A weight gradient is transposed back as it is, so a
    transposed one still reaches the check's shape stage, which names it.

        FRAME = Frame("columns", params={"W1": "W_h", "b1": "b_h", "W2": "W_o", "b2": "b_o"}, grads="d")

        def loss_and_grads(X, y, params):
            Xc, Y, p = FRAME.inputs(X, y, params)      # Xc (D, N), Y (C, N), p["W_h"] (H, D) ...
            cost, cache = forward(Xc, Y, p)
            return cost, FRAME.grads(backward(cache, p), params)   # grads["dW_h"] ... -> W1 ...
    """

    def __init__(self, data="rows", *, weights=None, bias=None, labels=None, params=None, grads=None,
                 name="loss_and_grads"):
        self.data = choice(data, tuple(DEFAULTS), "data")
        w, b, lab = DEFAULTS[data]
        self.weights = choice(weights or w, ("in_out", "out_in"), "weights")
        self.bias = choice(bias or b, tuple(BIAS_SHAPES), "bias")
        self.labels_as = choice(labels or lab, LABELS, "labels")
        self.name = name
        self.param_names = Names(params, "params")
        if isinstance(grads, str):
            if self.param_names.order:
                raise AdapterError(f"Frame(grads={grads!r}): a prefix needs params given by name, not by order")
            grads = {k: grads + v for k, v in self.param_names.spec.items()}
        self.grad_names = Names(grads if grads is not None else self.param_names.spec, "grads")

    def __repr__(self):
        return (f"Frame({self.data!r}, weights={self.weights!r}, bias={self.bias!r}, "
                f"labels={self.labels_as!r})")

    def replace(self, **changes):
        """The same frame with some settings changed."""
        args = dict(data=self.data, weights=self.weights, bias=self.bias, labels=self.labels_as,
                    params=self.param_names.spec, grads=self.grad_names.spec, name=self.name)
        return Frame(**{**args, **changes})

    # canonical -> theirs
    def X(self, X):
        """X (N, D) as the code expects it."""
        return X if self.data == "rows" else X.T

    def y(self, y, C):
        """Integer labels (N,) as the code expects them."""
        if self.labels_as == "ids":
            return y
        if self.labels_as == "ids_row":
            return y.reshape(1, -1)
        onehot = np.eye(C)[y]  # onehot[i, c] = 1 where c == y[i]
        return onehot if self.labels_as == "onehot_rows" else onehot.T

    def shape_of(self, key, shape):
        """The person's shape of a canonical tensor."""
        if key in WEIGHTS:
            return shape if self.weights == "in_out" else shape[::-1]
        return BIAS_SHAPES[self.bias](shape[0])

    def tensor(self, key, value):
        """One canonical tensor in the person's shape: a view, so an update in place stays visible."""
        if key in WEIGHTS:
            return value if self.weights == "in_out" else value.T
        return value.reshape(self.shape_of(key, value.shape))

    def params(self, params):
        """The canonical params as the person's dict or nested list."""
        canonical(params, "params")
        return self.param_names.pack({k: self.tensor(k, params[k]) for k in PARAM_KEYS})

    def inputs(self, X, y, params):
        """(X, labels, params) as the code expects them."""
        return self.X(X), self.y(y, params["W2"].shape[1]), self.params(params)

    # theirs -> canonical
    def grads(self, grads, params, fn=None):
        """The person's gradients (dict, attributes or tuple order) as the canonical dict."""
        fn = fn or self.name
        canonical(params, "grads")
        values = self.grad_names.unpack(grads, fn)
        return {k: self.gradient(k, values[k], params[k].shape, fn) for k in PARAM_KEYS}

    def gradient(self, key, g, shape, fn):
        """One gradient back in the canonical shape; a bias of the wrong shape is the code's fault."""
        g = np.asarray(g)
        if key in WEIGHTS:
            return g.T if self.weights == "out_in" and g.ndim == 2 else g
        if self.bias == "flat":
            return g  # the canonical shape already: the check's shape stage judges it
        theirs = self.shape_of(key, shape)
        if g.shape == theirs or (g.size == shape[0] and np.broadcast_shapes(theirs, g.shape) == theirs):
            return g.reshape(shape)
        grad, param = self.grad_names.theirs(key), self.param_names.theirs(key)
        raise AdapterError(f"{fn} returned {grad} of shape {g.shape} for {param} of shape {theirs}: "
                           f"{bias_hint(param, grad, g.shape, theirs)}", FAULT)

    def wrap(self, fn):
        """loss_and_grads(X, y, params) for the check, from `fn(X, y, params) -> (loss, grads)` in this frame.

        When `fn` raises ValueError or IndexError in this frame but runs cleanly in the
        other layout (rows for columns or back), the error says which frame to declare.

            @Frame(params=("W1", "b1", "W2", "b2")).wrap
            def loss_and_grads(x, labels, weights):   # weights: a list in that order
                scores, cache = forward(x, weights)
                loss, dscores = softmax_cross_entropy(scores, labels)
                return loss, backprop(dscores, cache, weights)   # a tuple in the same order
        """
        name = getattr(fn, "__name__", "loss_and_grads")

        def loss_and_grads(X, y, params):
            try:
                result = fn(*self.inputs(X, y, params))
            except (ValueError, IndexError) as exc:
                fits = self.other_layout_that_runs(lambda other: runs(other, fn, X, y, params))
                if fits is None:
                    raise
                raise self.wrong_frame(name, exc, fits) from None
            loss, grads = pair(result, name)
            return loss, self.grads(grads, params, name)

        loss_and_grads.frame = self
        return loss_and_grads

    def wrong_frame(self, name, exc, fits):
        """The usage error of code that fails in this frame but runs in the frame `fits`."""
        return AdapterError(f"{name} fails in the frame declared, {self!r} ({type(exc).__name__}: "
                            f"{first_line(exc)}), but runs in {fits!r}: declare that frame")

    def other_layout_that_runs(self, works):
        """A frame with the other data layout for which works(frame) is true (the code runs and its
        gradients have the right shapes), or None."""
        data = "rows" if self.data == "columns" else "columns"
        labels = dict.fromkeys((DEFAULTS[data][2], self.labels_as))  # the convention first: ids may broadcast
        for weights in dict.fromkeys((DEFAULTS[data][0], self.weights)):
            for bias in dict.fromkeys((DEFAULTS[data][1], self.bias, *BIAS_SHAPES)):
                for lab in labels:
                    other = self.replace(data=data, weights=weights, bias=bias, labels=lab)
                    if works(other):
                        return other
        return None


def canonical(params, method):
    """The params loss_and_grads received (W1 (D, H), b1 (H,), W2 (H, C), b2 (C,)), else a usage error."""
    try:
        H, C = np.shape(params["b1"]), np.shape(params["b2"])
        ok = len(H) == 1 and len(C) == 1 and np.shape(params["W1"])[1:] == H and np.shape(params["W2"]) == H + C
    except (KeyError, TypeError, IndexError):
        ok = False
    if not ok:
        raise AdapterError(f"Frame.{method}(..., params): pass the params that loss_and_grads(X, y, params) "
                           "received (W1 (D, H), b1 (H,), W2 (H, C), b2 (C,)), not your own frame's")


def runs(frame, fn, X, y, params):
    """fn runs in `frame` and its gradients come back in the canonical shapes."""
    try:
        with np.errstate(all="ignore"):
            fresh = {k: v.copy() for k, v in params.items()}
            loss, grads = pair(fn(*frame.inputs(X.copy(), y.copy(), fresh)), "fn")
            back = frame.grads(grads, fresh)
    except Exception:  # noqa: BLE001 -- any failure means this frame does not fit
        return False
    return all(np.shape(back[k]) == params[k].shape for k in PARAM_KEYS) and np.ndim(loss) == 0


def first_line(exc):
    """The first line of an exception's message."""
    return (str(exc).splitlines() or [""])[0]


def pair(result, fn):
    """(loss, grads) from what fn returned, else a one-line fault."""
    if isinstance(result, (tuple, list)) and len(result) == 2:
        return result
    got = type(result).__name__ + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else "")
    raise AdapterError(f"{fn} returned a {got}; expected (loss, grads)", FAULT)


def bias_hint(param, grad, got, theirs):
    """Why a bias gradient of this shape is a fault, for the person's own update."""
    n = max(theirs)
    if got == (n,) and theirs == (n, 1):
        return (f"`{param} = {param} - lr * {grad}` broadcasts to ({n}, {n}); sum with keepdims=True "
                f"(np.sum(dZ, axis=1, keepdims=True))")
    if n not in got:
        return "summed over the wrong axis (the batch axis must go, the units stay)"
    return f"`{param} -= lr * {grad}` cannot keep the shape {theirs}; return it in that shape"


# -- writing params into a person's net -----------------------------------------------------------

def assign(store, values):
    """Write {name: array} into `store` (a dict or an object's attributes); returns `store`.

    Where the store already holds an array of the same shape, the values are copied into
    it, so layer objects that keep a reference to it (Affine(W, b)) see the new values;
    otherwise the name is bound to a copy.

        net = TwoLayerNet(D, H, C)             # its Affine layers hold net.params["W1"] ...
        assign(net.params, params)             # the layers see the check's values
        assign(net, FRAME.params(params))      # or attributes net.W1, net.b1 ...
    """
    if store is None or isinstance(store, (str, bytes, int, float, tuple, list, np.ndarray)):
        raise AdapterError(f"assign(store, values): expected a dict or an object whose attributes hold the "
                           f"params, got {type(store).__name__}")
    for name, value in values.items():
        old = store.get(name) if isinstance(store, Mapping) else getattr(store, name, None)
        if (isinstance(old, np.ndarray) and old.shape == np.shape(value) and old.flags.writeable
                and np.issubdtype(old.dtype, np.floating)):
            old[...] = value
        elif isinstance(store, Mapping):
            store[name] = np.array(value, dtype=np.float64)
        else:
            setattr(store, name, np.array(value, dtype=np.float64))
    return store
