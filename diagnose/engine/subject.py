"""The subject under diagnosis, seen only through calls: forward_loss/backward or loss_and_grads.

Every call gets copies of the probe's arrays, is counted, and turns an exception
in the subject's code into a `SubjectFailed` that keeps the subject's own
traceback lines (not ours) and the stage it happened in.
"""
import os
import traceback

import numpy as np

_OUR_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the whole diagnose/ package


class SubjectFailed(Exception):
    """The subject's code raised or exited; `trace` holds its own frames and message."""

    def __init__(self, stage, call, message, trace):
        super().__init__(stage, call, message, trace)
        self.stage, self.call, self.message, self.trace = stage, call, message, trace

    def __str__(self):
        return f"{self.call} failed during {self.stage}: {self.message}"


def own_frames(exc):
    """Traceback lines of `exc` without the frames of the diagnoser itself."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith(_OUR_DIR)]
    lines = traceback.format_list(frames)
    return tuple("".join(lines).rstrip("\n").splitlines())


class Subject:
    """Uniform, counted access to an implementation.

    A split subject has `forward_loss(X, y, params) -> (loss, cache)` and
    `backward(cache, params) -> grads`; a fused one has
    `loss_and_grads(X, y, params) -> (loss, grads)` and no cache to inspect.
    """

    def __init__(self, impl):
        self.impl = impl
        self.split = callable(getattr(impl, "forward_loss", None)) and callable(getattr(impl, "backward", None))
        if not self.split and not callable(getattr(impl, "loss_and_grads", None)):
            raise TypeError(
                "a subject needs forward_loss(X, y, params) and backward(cache, params), "
                "or loss_and_grads(X, y, params)"
            )
        self.forward_calls = 0
        self.stage = "setup"

    @property
    def forward_name(self):
        """The call that computes the loss: forward_loss, or the fused call (loss_and_grads, TwoLayerNet.loss)."""
        return "forward_loss" if self.split else getattr(self.impl, "call_name", "loss_and_grads")

    @property
    def functions(self):
        """The subject's own names for its forward and backward parts, as the report words them."""
        if self.split:
            return ("forward_loss", "backward")
        return (f"the forward part of {self.forward_name}", f"the backward part of {self.forward_name}")

    @classmethod
    def of(cls, impl):
        """impl itself if it is already a Subject (its call count goes on), else a new one."""
        return impl if isinstance(impl, cls) else cls(impl)

    def _call(self, name, fn, *args):
        try:
            with np.errstate(all="ignore"):  # overflow in a subject is evidence, not a warning for the user
                return fn(*args)
        except SystemExit as exc:
            raise SubjectFailed(self.stage, name, f"called sys.exit({exc.code!r})", own_frames(exc)) from None
        except Exception as exc:  # the subject's own failure, reported with its own frames
            message = f"{type(exc).__name__}: {exc}"
            raise SubjectFailed(self.stage, name, message, own_frames(exc)) from None

    def _pair(self, name, result, second):
        """The subject must return a pair; anything else is its failure, in its own words."""
        if isinstance(result, (tuple, list)) and len(result) == 2:
            return result
        raise SubjectFailed(self.stage, name, f"{name} returned a {type(result).__name__}; expected (loss, {second})", ())

    def forward(self, X, y, params):
        """(loss, cache); cache is None for a fused subject."""
        self.forward_calls += 1
        if self.split:
            return self._pair("forward_loss", self._call("forward_loss", self.impl.forward_loss, X, y, params), "cache")
        name = self.forward_name
        loss, _ = self._pair(name, self._call(name, self.impl.loss_and_grads, X, y, params), "grads")
        return loss, None

    def backward(self, cache, params):
        """grads from a cache that forward returned (split subjects only)."""
        return self._call("backward", self.impl.backward, cache, params)

    def loss_and_grads(self, X, y, params):
        """(loss, grads, cache): one forward call, then backward on its cache."""
        if not self.split:
            self.forward_calls += 1
            result = self._call(self.forward_name, self.impl.loss_and_grads, X, y, params)
            loss, grads = self._pair(self.forward_name, result, "grads")
            return loss, grads, None
        loss, cache = self.forward(X, y, params)
        return loss, self.backward(cache, params), cache

    def loss(self, X, y, params):
        """The loss alone, as a float (a finite difference needs nothing else)."""
        return self.forward(X, y, params)[0]
