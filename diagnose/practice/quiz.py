"""Concept questions from the design note, with answers checked as numbers or choices.

Five topics: dL/dZ2, the cross-entropy bounds under 100% accuracy, finite
differences (central, float64), what a relative error means, and the debugging
order. Each topic has a few variants whose numbers (C, N, h, P) are drawn from
an rng, so a question cannot be answered from memory of the last one.
"""
import ast
import math
import operator
import re
from dataclasses import dataclass

import numpy as np


class InvalidAnswer(ValueError):
    """The text is not an answer of the expected form; the message is a hint."""


# -- answers -------------------------------------------------------------------

_FUNCTIONS = {"log": math.log, "ln": math.log, "log10": math.log10, "exp": math.exp, "sqrt": math.sqrt}
_CONSTANTS = {"inf": math.inf, "infinity": math.inf, "e": math.e, "pi": math.pi}
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.Pow: operator.pow}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}


def _evaluate(node):
    """The value of an arithmetic expression tree; anything else raises ValueError."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)  # floats throughout: 10**10**10 overflows instead of hanging
    if isinstance(node, ast.Name) and node.id in _CONSTANTS:
        return _CONSTANTS[node.id]
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
            and len(node.args) == 1 and not node.keywords):
        return _FUNCTIONS[node.func.id](_evaluate(node.args[0]))
    raise ValueError("not arithmetic")


def parse_number(text):
    """A number from text like `0.25`, `-1/8`, `1e-7`, `log(3)`, `ln 3`, `inf`; ValueError otherwise."""
    expr = text.strip().lower().replace("∞", "inf").replace("^", "**").replace("−", "-")
    expr = re.sub(r"\b(log10|log|ln|exp|sqrt)\s+([0-9.]+)", r"\1(\2)", expr)  # `ln 3` means ln(3)
    try:
        return _evaluate(ast.parse(expr, mode="eval").body)
    except (SyntaxError, ValueError, TypeError, ArithmeticError, RecursionError):
        raise ValueError(f"not a number: {text!r}") from None


@dataclass(frozen=True)
class Number:
    """A numeric answer, right within rel_tol or abs_tol of value (inf matches only inf)."""

    value: float
    rel_tol: float = 0.01
    abs_tol: float = 1e-3
    hint = "type a number, e.g. 0.25, -1/8, 1e-7, log(3) or inf"

    def parse(self, text):
        try:
            return parse_number(text)
        except ValueError:
            raise InvalidAnswer(self.hint) from None

    def accepts(self, x):
        return math.isclose(x, self.value, rel_tol=self.rel_tol, abs_tol=self.abs_tol)

    def shown(self):
        return "inf (no upper bound)" if math.isinf(self.value) else f"{self.value:.4g}"


@dataclass(frozen=True)
class Magnitude:
    """A positive answer that only has to be of the right order: within `decades` powers of ten."""

    value: float
    decades: float = 0.5
    hint = "type a positive number, e.g. 1e-5"

    def parse(self, text):
        try:
            x = parse_number(text)
        except ValueError:
            raise InvalidAnswer(self.hint) from None
        if not x > 0:
            raise InvalidAnswer(self.hint)
        return x

    def accepts(self, x):
        return math.isfinite(x) and abs(math.log10(x) - math.log10(self.value)) <= self.decades

    def shown(self):
        return f"about {self.value:.0e}"


@dataclass(frozen=True)
class Choice:
    """Multiple choice: the person types the 1-based number of an option; `index` is the right one (0-based)."""

    options: tuple
    index: int

    @property
    def hint(self):
        return f"type the number of an option, 1 to {len(self.options)}"

    def parse(self, text):
        try:
            number = int(text.strip().rstrip(".)"))
        except ValueError:
            raise InvalidAnswer(self.hint) from None
        if not 1 <= number <= len(self.options):
            raise InvalidAnswer(self.hint)
        return number - 1

    def accepts(self, i):
        return i == self.index

    def shown(self):
        return f"{self.index + 1}) {self.options[self.index]}"


def shuffled_choice(rng, right, wrong):
    """A Choice holding the right option and the wrong ones in an rng-drawn order."""
    options = [right, *wrong]
    order = rng.permutation(len(options))
    return Choice(tuple(options[i] for i in order), int(np.flatnonzero(order == 0)[0]))


@dataclass(frozen=True)
class Question:
    """One question: its topic, what is asked, the expected answer and why it is right."""

    topic: str
    prompt: str
    answer: object  # Number | Magnitude | Choice
    why: str

    def text(self):
        """The prompt, then the numbered options for a multiple-choice question."""
        if not isinstance(self.answer, Choice):
            return self.prompt
        options = "\n".join(f"  {i}) {option}" for i, option in enumerate(self.answer.options, 1))
        return f"{self.prompt}\n{options}"

    def check(self, text):
        """True if text is a right answer; InvalidAnswer (with a hint) if it is not an answer at all."""
        return self.answer.accepts(self.answer.parse(text))


# -- dL/dZ2 --------------------------------------------------------------------

def dz2_formula(rng):
    """Which expression is dL/dZ2 for the mean softmax cross-entropy."""
    return Question(
        "dZ2", "For L = mean_i -log softmax(Z2)[i, y_i] over N examples, what is dL/dZ2?",
        shuffled_choice(rng, "(softmax(Z2) - onehot(y)) / N",
                        ["softmax(Z2) - onehot(y)", "(onehot(y) - softmax(Z2)) / N",
                         "softmax(Z2) * (1 - softmax(Z2)) / N"]),
        "softmax and cross-entropy together differentiate to P - onehot(y) per example; "
        "the mean over N examples divides by N.")


def dz2_entry(P_row, y_i, j, N):
    """One entry of dZ2 from a row of probabilities: (P[i, j] - [j == y_i]) / N."""
    row = ", ".join(f"{p:.2f}" for p in P_row)
    value = (P_row[j] - (j == y_i)) / N
    return Question(
        "dZ2",
        f"A batch of N = {N} examples with C = {len(P_row)} classes. Row i of P = softmax(Z2) is "
        f"[{row}] and its label is y_i = {y_i}. What is dL/dZ2[i, {j}] for the mean cross-entropy?",
        Number(value, rel_tol=0.01, abs_tol=5e-4),
        f"dL/dZ2 = (P - onehot(y)) / N, so entry {j} is ({P_row[j]:.2f} - {int(j == y_i)}) / {N} = {value:.4g}.")


def random_dz2_entry(rng):
    """dz2_entry with a random probability row (two decimals, summing to 1), label and column."""
    C, N = int(rng.choice([3, 4])), int(rng.choice([2, 4, 5, 8, 10]))
    cents = np.diff(np.sort(np.r_[0, rng.choice(np.arange(1, 100), C - 1, replace=False), 100]))
    return dz2_entry(tuple(float(c) / 100 for c in cents), int(rng.integers(C)), int(rng.integers(C)), N)


# -- cross-entropy under 100% training accuracy --------------------------------

_PERFECT = ("A {C}-class classifier reaches 100% training accuracy. Consider the cross-entropy "
            "-log p_y of a single training example (natural log).")
_NO_BOUND = " Type inf if there is no bound."


def loss_min(C):
    """The smallest single-example cross-entropy: 0, when p_y = 1."""
    return Question(
        "loss_bounds", _PERFECT.format(C=C) + " What is its smallest possible value?" + _NO_BOUND,
        Number(0.0), "-log p_y is 0 when the model puts probability 1 on the true class (and never below: p_y <= 1).")


def loss_max_argmax(C):
    """The largest cross-entropy of a correct example when correct means argmax of the same softmax: log C."""
    return Question(
        "loss_bounds",
        _PERFECT.format(C=C) + " An example counts as correct when its true class is the argmax of the "
        "same softmax p used in the loss. What is the largest value its loss can take?" + _NO_BOUND,
        Number(math.log(C), rel_tol=0.01, abs_tol=1e-3),
        f"the argmax of {C} probabilities summing to 1 is at least 1/{C}, so -log p_y <= log {C} = {math.log(C):.4g}.")


def loss_max_decoupled(C):
    """The largest cross-entropy when correctness comes from a separate prediction rule: unbounded."""
    return Question(
        "loss_bounds",
        _PERFECT.format(C=C) + " Correctness is decided by a separate hard prediction rule, not by the "
        "softmax p used in the loss. What is the largest value its loss can take?" + _NO_BOUND,
        Number(math.inf),
        "nothing ties p_y to the prediction, so p_y can approach 0 and -log p_y grows without bound.")


def random_loss_bound(rng):
    """One of the three loss-bound questions with C drawn from 2 to 1000."""
    C = int(rng.choice([2, 3, 4, 5, 10, 100, 1000]))
    return (loss_min, loss_max_argmax, loss_max_decoupled)[rng.integers(3)](C)


# -- finite differences: central, float64 ----------------------------------------

def central_why(rng):
    """Why the gradient check uses (L(θ+h) - L(θ-h)) / 2h."""
    return Question(
        "finite_differences",
        "Why does a gradient check use the central difference (L(θ+h) - L(θ-h)) / 2h rather than "
        "the one-sided (L(θ+h) - L(θ)) / h?",
        shuffled_choice(rng, "its truncation error is O(h^2) instead of O(h)",
                        ["it needs fewer forward passes", "it is exact for any h",
                         "it keeps the loss from overflowing"]),
        "the h^2 terms of the two Taylor expansions cancel, leaving an error of O(h^2); "
        "it costs two forward passes per entry, not fewer.")


def central_halving():
    """How much halving h shrinks the central difference's truncation error: 4x."""
    return Question(
        "finite_differences",
        "You halve h in a central-difference gradient check. By what factor does its truncation error shrink?",
        Number(4.0), "the error is O(h^2): (1/2)^2 = 1/4. A one-sided difference would only halve it.")


def float64_why(rng):
    """Why finite differences need float64."""
    return Question(
        "finite_differences", "Why run the gradient check in float64 rather than float32?",
        shuffled_choice(rng, "float32 rounds the loss at ~1e-7; divided by 2h = 2e-5 that is ~1e-2 of noise",
                        ["float32 makes the central difference one-sided",
                         "float32 makes softmax overflow at any logit",
                         "numpy cannot take differences in float32"]),
        "rounding error in L(θ±h) is ~eps*|L|; dividing by 2h amplifies it by 1/2h, so float32's "
        "eps ~ 1.2e-7 swamps the gradient while float64's 2.2e-16 does not.")


def float32_noise(h):
    """The order of rounding noise a float32 loss puts into a central difference: eps / h."""
    eps = float(np.finfo(np.float32).eps)
    return Question(
        "finite_differences",
        f"float32 has eps ~ 1.2e-7. The loss is about 1 and you take a central difference with h = {h:.0e}. "
        "Roughly how large is the error rounding puts into the numeric gradient?",
        Magnitude(eps / h, decades=1.0),
        f"each loss is off by ~eps, and the difference is divided by 2h: ~eps / h = {eps / h:.0e}.")


def random_finite_differences(rng):
    """One of the finite-difference questions; float32_noise with h drawn from 1e-3 to 1e-5."""
    variant = rng.integers(4)
    if variant == 3:
        return float32_noise(float(rng.choice([1e-3, 1e-4, 1e-5])))
    return (central_why, lambda _: central_halving(), float64_why)[variant](rng)


# -- relative error --------------------------------------------------------------

VERDICTS = ("very good: the gradients agree",
            "usually fine for a small float64 net; confirm with another seed",
            "suspicious: look for a bug")
_BANDS = ((-10.0, -7.5), (-6.5, -5.5), (-4.5, -1.0))  # log10 ranges, away from the 1e-7 and 1e-5 borders


def rel_error_verdict(error):
    """What a relative error means: <= 1e-7 very good, up to 1e-5 usually fine, above suspicious."""
    index = 0 if error <= 1e-7 else 1 if error <= 1e-5 else 2
    return Question(
        "rel_error",
        f"A float64 gradient check of a small two-layer net reports a relative error of {error:.1e} for W1. Verdict?",
        Choice(VERDICTS, index),
        "about 1e-7 or below is very good, below about 1e-5 usually fine, above 1e-5 suspicious.")


def rel_error_threshold(good):
    """The thresholds themselves: about 1e-7 is good, above about 1e-5 suspicious."""
    if good:
        prompt, value = "About what relative error marks a very good float64 gradient check?", 1e-7
    else:
        prompt, value = "Above about what relative error should a float64 gradient check make you suspect a bug?", 1e-5
    return Question("rel_error", prompt, Magnitude(value, decades=0.5),
                    "with float64 and h = 1e-5, a right gradient agrees to about 1e-7; above 1e-5 something is off.")


def random_rel_error(rng):
    """A verdict on an error drawn from one of the three bands, or a threshold question."""
    variant = rng.integers(4)
    if variant < 3:
        low, high = _BANDS[variant]
        return rel_error_verdict(float(10 ** rng.uniform(low, high)))
    return rel_error_threshold(bool(rng.integers(2)))


# -- the debugging order ---------------------------------------------------------

def debug_order(rng):
    """The order of the checklist: shapes, constant factor, layer by layer."""
    steps = ("shapes", "a constant factor", "layer by layer")
    wrong = [(1, 0, 2), (2, 1, 0), (2, 0, 1)]
    return Question(
        "debug_order", "A gradient check fails. In what order do you look for the cause?",
        shuffled_choice(rng, ", then ".join(steps), [", then ".join(steps[i] for i in w) for w in wrong]),
        "shapes are cheapest to see; a constant factor (like N) names one bug at once; "
        "only then isolate layer by layer.")


def layer_first(rng):
    """Layer by layer starts at the output: dZ2."""
    return Question(
        "debug_order", "Isolating layer by layer, which gradient do you check first?",
        shuffled_choice(rng, "dZ2", ["dW2 and db2", "the ReLU mask", "dW1 and db1"]),
        "backprop flows from the loss: dZ2, then dW2/db2, then the ReLU mask, then dW1/db1.")


def constant_factor(N):
    """The relative error when every gradient is N times too large: (N - 1) / (N + 1)."""
    return Question(
        "debug_order",
        f"Backward forgot dZ2 /= N, with N = {N}: every gradient is exactly {N} times the numeric one. "
        "What relative error |a - n| / (|a| + |n|) does the check report?",
        Number((N - 1) / (N + 1), rel_tol=0.01),
        f"|{N}n - n| / (|{N}n| + |n|) = ({N} - 1) / ({N} + 1) = {(N - 1) / (N + 1):.4g}, the same for every entry.")


def random_debug_order(rng):
    """One of the debugging-order questions; constant_factor with N drawn from 2 to 64."""
    variant = rng.integers(3)
    if variant == 2:
        return constant_factor(int(rng.choice([2, 4, 5, 8, 16, 32, 64])))
    return (debug_order, layer_first)[variant](rng)


# -- topics ------------------------------------------------------------------------

GENERATORS = {
    "dZ2": lambda rng: (dz2_formula, random_dz2_entry)[rng.integers(2)](rng),
    "loss_bounds": random_loss_bound,
    "finite_differences": random_finite_differences,
    "rel_error": random_rel_error,
    "debug_order": random_debug_order,
}
TOPICS = tuple(GENERATORS)


def make_question(topic, rng):
    """A question on topic with its variant and numbers drawn from rng."""
    return GENERATORS[topic](rng)
