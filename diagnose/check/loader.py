"""A person's own implementation as a subject: import a file, find its form, adapt it.

Three forms are accepted, tried in the order (a), (c), (b):
  (a) functions forward_loss(X, y, params) -> (loss, cache) and backward(cache, params) -> grads;
  (b) a class TwoLayerNet(input_size, hidden_size, output_size[, std]) with a `params` dict
      and loss(X, y=None, reg=0.0) -> (loss, grads) (or, without one, the file's only own
      class with a `loss` method, whatever its name);
  (c) a function loss_and_grads(X, y, params) -> (loss, grads), which is where the adapter
      kit (diagnose.adapt) is used: a file that imports it is called once before the
      diagnosis so that a mistake in the adapter is one line, not a report.
The adapters check that each call returns a pair, so a malformed return is the
subject's failure, reported as such, and never a crash of the engine.
"""
import ast
import importlib.util
import inspect
import os
import stat
import sys
import traceback
import itertools
import types

import numpy as np

from core import PARAM_KEYS
from diagnose.check.adapt import AdapterError
from diagnose.engine.probe import make_probe

FORMS = {
    "a": "functions forward_loss(X, y, params) -> (loss, cache) and backward(cache, params) -> grads",
    "b": "a class TwoLayerNet(input_size, hidden_size, output_size[, std]) (or the file's one class with a loss "
         "method, whatever its name) with a params dict "
         "(W1, b1, W2, b2) and loss(X, y=None, reg=0.0) -> (loss, grads)",
    "c": "a function loss_and_grads(X, y, params) -> (loss, grads)",
}
CLASS_NAME = "TwoLayerNet"
STD = 1e-4  # passed only to a constructor that requires a fourth argument; the params are replaced anyway

# modules that exist only in Python 2, and the pip names of modules whose import name differs
PY2_MODULES = {"cPickle", "cStringIO", "StringIO", "urllib2", "Queue", "ConfigParser", "__builtin__", "commands"}
PIP_NAMES = {"past": "future", "future": "future", "sklearn": "scikit-learn", "cv2": "opencv-python",
             "PIL": "pillow", "yaml": "pyyaml"}
PY2_SYNTAX = ("Missing parentheses in call to", "multiple exception types must be parenthesized",
              "leading zeros in decimal integer literals")
_COUNT = itertools.count()


class LoadError(Exception):
    """The file cannot be used: `exit_code` 2 when nothing of it could run, 1 when its code failed."""

    def __init__(self, message, exit_code=2):
        super().__init__(message)
        self.message, self.exit_code = message, exit_code


# -- importing a file -----------------------------------------------------------------------------

EMPTY_PATH = "expected the path of a Python file, not an empty string"


def unusable_file(path):
    """Why the file at `path` cannot be checked (missing, a directory, a FIFO or a device), or None.

    Only a regular file is read: opening a FIFO would wait for a writer, and a device never ends.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return f"no such file: {path}"
    except OSError as exc:  # a symlink loop, a name too long, a component that is not a directory
        return f"cannot use {path}: {exc.strerror or exc}"
    if stat.S_ISDIR(st.st_mode):
        return f"{path} is a directory; give the Python file that holds your implementation"
    if not stat.S_ISREG(st.st_mode):
        return f"{path} is not a regular file (a FIFO, a socket or a device); give the Python file that holds your implementation"
    return None


def import_file(path):
    """The file at `path` imported as a fresh module (not run as __main__); LoadError says why not."""
    if not os.fspath(path):  # abspath would make it the current directory
        raise LoadError(EMPTY_PATH)
    path = os.path.abspath(path)
    name = os.path.basename(path)
    problem = unusable_file(path)
    if problem:
        raise LoadError(problem)
    module_name = f"_diagnosed_{next(_COUNT)}"  # never shadows a real module, e.g. a file named numpy.py
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None:
        raise LoadError(f"{name} is not a Python file (expected a name ending in .py)")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickle look their module up here
    source = read_source(path, name)
    try:
        code = compile(source, path, "exec")  # compiled here, not by the loader: no __pycache__ beside the file
        exec(code, module.__dict__)  # noqa: S102 -- running the person's file is the point
    except SyntaxError as exc:
        raise LoadError(syntax_message(name, exc)) from None
    except ModuleNotFoundError as exc:
        raise LoadError(missing_module_message(name, imported_name(exc, path))) from None
    except AdapterError as exc:  # an adapter of the kit set up wrongly at import: its one line, not a traceback
        raise LoadError(f"{name}: {exc.message}", exc.exit_code) from None
    except SystemExit as exc:
        raise LoadError(f"{name} called sys.exit({exc.code!r}) while being imported: put script code "
                        f"under `if __name__ == \"__main__\":`", exit_code=1) from None
    except Exception as exc:  # the person's own code failed at import: show their frames
        raise LoadError(import_failure_message(name, path, exc), exit_code=1) from None
    return module


def read_source(path, name):
    """The file's text; a file that is not UTF-8 (or the encoding it declares) is a LoadError."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise LoadError(f"cannot read {name}: {exc.strerror}") from None
    try:
        return importlib.util.decode_source(data)
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        raise LoadError(f"{name} cannot be decoded as Python source: {exc}") from None


def syntax_message(name, exc):
    """'my_net.py line 12: invalid syntax', with a hint when the line looks like Python 2."""
    message = f"{name} line {exc.lineno}: {exc.msg}" if exc.lineno else f"{name}: {exc.msg}"
    if any(marker in exc.msg for marker in PY2_SYNTAX):
        message += " (Python 2 code? convert the file to Python 3)"
    return message


def imported_name(exc, path):
    """The module the file's own import statement names ('past.builtins'), else the one not found ('past')."""
    missing = exc.name or str(exc)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path and f.line]
    if not frames:
        return missing
    try:
        statement = ast.parse(frames[-1].line).body[0]
    except (SyntaxError, IndexError):
        return missing
    if isinstance(statement, ast.ImportFrom) and statement.module:
        names = [statement.module]
    elif isinstance(statement, ast.Import):
        names = [alias.name for alias in statement.names]
    else:
        return missing
    return next((n for n in names if n == missing or n.startswith(missing + ".")), missing)


def missing_module_message(name, missing):
    """'my_net.py imports past.builtins, which is not installed: pip install future, or ...'."""
    top = missing.split(".")[0]
    if top in PY2_MODULES:
        return f"{name} imports {missing}, a Python 2 module: convert the file to Python 3"
    hint = f"pip install {PIP_NAMES.get(top, top)}"
    if top in ("past", "future"):
        hint += ", or convert the file to Python 3"
    return f"{name} imports {missing}, which is not installed: {hint}"


def import_failure_message(name, path, exc):
    """The exception raised at import, with the traceback lines of the person's own file."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    lines = "".join(traceback.format_list(frames)).rstrip("\n")
    hint = " (Python 2 code? convert the file to Python 3)" if looks_python2(exc) else ""
    return f"{name} raised {type(exc).__name__}: {exc} while being imported{hint}\n{lines}".rstrip("\n")


PY2_NAMES = ("xrange", "unicode", "basestring", "iteritems", "itervalues", "raw_input", "long")


def looks_python2(exc):
    """A NameError or AttributeError on a name that only Python 2 had."""
    return isinstance(exc, (NameError, AttributeError)) and any(f"'{word}'" in str(exc) for word in PY2_NAMES)


# -- adapters -----------------------------------------------------------------------------------

def describe(value):
    """A short account of what came back, for an error message."""
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"a {type(value).__name__}"


def pair(value, call, expected):
    """`value` as a 2-tuple, or TypeError naming what the call returned instead."""
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return tuple(value)
    raise TypeError(f"{call} returned {describe(value)}; expected {expected}")


class SplitForm:
    """Form (a): forward_loss and backward, with a cache the engine can inspect."""

    form = "a"

    def __init__(self, forward_loss, backward, name="the module"):
        self._forward, self._backward, self.name = forward_loss, backward, name

    def forward_loss(self, X, y, params):
        """(loss, cache) from the person's forward_loss."""
        return pair(self._forward(X, y, params), "forward_loss", "(loss, cache)")

    def backward(self, cache, params):
        """The person's backward, as is."""
        return self._backward(cache, params)


class FusedForm:
    """Form (c): loss_and_grads, no cache."""

    form = "c"

    def __init__(self, loss_and_grads, name="the module"):
        self._fn, self.name = loss_and_grads, name

    def loss_and_grads(self, X, y, params):
        """(loss, grads) from the person's loss_and_grads."""
        return pair(self._fn(X, y, params), "loss_and_grads", "(loss, grads)")


class ClassForm:
    """Form (b): a CS231n-style class, built at the probe's sizes, its params set before each call.

    The params it receives are already the engine's fresh copies; they are put into
    `net.params` as they are, so an update the class makes inside `loss` is seen by
    the engine's purity check.
    """

    form = "b"

    def __init__(self, cls_or_net, reg=0.0, name=CLASS_NAME):
        if inspect.isclass(cls_or_net) and required_args(cls_or_net) > 4:
            raise LoadError(f"{name}'s constructor requires {required_args(cls_or_net)} arguments; the check builds "
                            f"it as {name}(input_size, hidden_size, output_size[, std]): give the others defaults, "
                            "or adapt it with a loss_and_grads (see diagnose.adapt)")
        self.target, self.reg, self.name = cls_or_net, reg, name
        self._nets = {}

    @property
    def call_name(self):
        """How the report names the one call that computes loss and gradients."""
        return f"{self.name}.loss"

    def with_reg(self, reg):
        """The same class, called with another regularisation strength."""
        return ClassForm(self.target, reg, self.name)

    @property
    def takes_reg(self):
        """Whether `loss` accepts a third positional argument (reg)."""
        loss = getattr(self.target, "loss", None)
        try:
            params = list(inspect.signature(loss).parameters.values())
        except (TypeError, ValueError):
            return True
        if inspect.isclass(self.target):
            params = params[1:]  # self
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        return len(positional) >= 3 or any(p.kind == p.VAR_POSITIONAL for p in params)

    def net_for(self, params):
        """The person's net for these sizes: TwoLayerNet(D, H, C) by position, built once per size."""
        if not inspect.isclass(self.target):
            return self.target  # an instance the person built
        sizes = (params["W1"].shape[0], params["W1"].shape[1], params["W2"].shape[1])
        if sizes not in self._nets:
            args = sizes + ((STD,) if required_args(self.target) >= 4 else ())
            self._nets[sizes] = self.target(*args)
        return self._nets[sizes]

    def loss_and_grads(self, X, y, params):
        """(loss, grads) from net.loss(X, y, reg) with the given params in net.params."""
        net = self.net_for(params)
        if not isinstance(getattr(net, "params", None), dict):
            raise TypeError(f"{self.name} has no params dict after construction; expected net.params "
                            f"with keys {', '.join(PARAM_KEYS)}")
        for key in PARAM_KEYS:
            net.params[key] = params[key]
        args = (X, y, self.reg) if self.takes_reg else (X, y)
        return pair(net.loss(*args), f"{self.name}.loss", "(loss, grads)")


def required_args(cls):
    """How many positional arguments the constructor requires (3 when it cannot be told)."""
    try:
        params = inspect.signature(cls).parameters.values()
    except (TypeError, ValueError):
        return 3
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty)


# -- detection ------------------------------------------------------------------------------------

def has(obj, name):
    """obj has a callable attribute `name`."""
    return callable(getattr(obj, name, None))


def no_form_message(label, obj):
    """Which of the three forms `obj` misses, and the list of forms."""
    partial = ""
    if has(obj, "forward_loss") != has(obj, "backward"):
        present, absent = ("forward_loss", "backward") if has(obj, "forward_loss") else ("backward", "forward_loss")
        partial = f" (it defines {present} but not {absent})"
    forms = "; ".join(f"({key}) {words}" for key, words in FORMS.items())
    return f"{label} fits none of the three forms{partial}. Expected one of: {forms}"


def detect(obj, label):
    """The adapter for a module or object in form (a), (b) or (c); LoadError when none fits."""
    if has(obj, "forward_loss") and has(obj, "backward"):
        return SplitForm(obj.forward_loss, obj.backward, label)
    if has(obj, "loss_and_grads"):  # before the class: an adapter over a class that is named TwoLayerNet too
        return FusedForm(obj.loss_and_grads, label)
    cls = getattr(obj, CLASS_NAME, None)
    if inspect.isclass(cls) and has(cls, "loss"):
        return ClassForm(cls, name=CLASS_NAME)
    others = classes_with_loss(obj)
    if len(others) == 1:  # the one class of the file with a CS231n-style loss, whatever its name
        return ClassForm(others[0], name=others[0].__name__)
    raise LoadError(no_form_message(label, obj))


def classes_with_loss(module):
    """Classes defined in the module itself (not imported) that have a callable `loss`."""
    if not isinstance(module, types.ModuleType):
        return []
    return [v for v in vars(module).values()
            if inspect.isclass(v) and v.__module__ == module.__name__ and has(v, "loss")]


KIT = ("diagnose.adapt", "diagnose.check.adapt", "diagnose.check.adapt_steps")


def uses_kit(module):
    """The module imported the adapter kit, or something from it."""
    return any(getattr(v, "__name__", None) in KIT or getattr(v, "__module__", None) in KIT
               or type(v).__module__ in KIT for v in vars(module).values())


def preflight(form, label):
    """Call an adapted loss_and_grads once on the default probe: a kit error becomes its one-line LoadError.

    Only an AdapterError stops here (exit 2 when the adapter was told something untrue, 1 when
    the code returned something unusable); any other failure is left for the diagnosis, which
    reports it with the person's own traceback lines.
    """
    probe = make_probe()
    try:
        with np.errstate(all="ignore"):
            form.loss_and_grads(probe.X.copy(), probe.y.copy(), probe.fresh_params())
    except AdapterError as exc:
        raise LoadError(f"{label}: {exc.message}", exc.exit_code) from None
    except Exception:  # noqa: BLE001 -- the diagnosis reports it, with the person's frames
        pass


def load_subject(obj):
    """A subject for `diagnose()` from a path, module, TwoLayerNet class or instance, or object.

    A path is imported in this process (no time limit: `check_file` is the safe way to
    run a file). The adapter has a `form` attribute, 'a', 'b' or 'c'.
    """
    if isinstance(obj, (str, os.PathLike)):
        module, label = import_file(obj), os.path.basename(os.fspath(obj))
        form = detect(module, label)
        if form.form == "c" and uses_kit(module):
            preflight(form, label)
        return form
    if isinstance(obj, types.ModuleType):
        return detect(obj, obj.__name__)
    if inspect.isclass(obj) and has(obj, "loss"):
        return ClassForm(obj, name=obj.__name__)
    if not inspect.isclass(obj) and has(obj, "loss") and isinstance(getattr(obj, "params", None), dict):
        return ClassForm(obj, name=type(obj).__name__)
    return detect(obj, getattr(obj, "__name__", type(obj).__name__))
