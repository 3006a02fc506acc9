"""The quiz checks answers: numbers within a tolerance, orders of magnitude, and choices."""
import math

import numpy as np
import pytest

from diagnose.practice import quiz
from diagnose.practice.quiz import InvalidAnswer


@pytest.mark.parametrize("text, value", [
    ("0.25", 0.25), ("-1/8", -0.125), ("1e-7", 1e-7), ("log(3)", math.log(3)), ("ln 3", math.log(3)),
    ("(0.5 - 1) / 4", -0.125), ("2^3", 8.0), ("inf", math.inf), ("∞", math.inf), ("  7 ", 7.0),
])
def test_parse_number_reads_arithmetic_logs_and_infinity(text, value):
    assert quiz.parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "log(0)", "1/0", "10**10**10", "__import__('os')", "[1]", "True"])
def test_parse_number_rejects_anything_but_arithmetic(text):
    with pytest.raises(ValueError, match="not a number"):
        quiz.parse_number(text)


# -- the loss bounds under 100% training accuracy, for several C --------------------

@pytest.mark.parametrize("C", [2, 3, 10, 100, 1000])
def test_loss_max_when_argmax_of_the_same_softmax_is_log_c(C):
    q = quiz.loss_max_argmax(C)
    assert f"{C}-class" in q.prompt
    assert q.check(f"{math.log(C):.4f}")
    assert q.check(f"log({C})")
    assert not q.check("inf")
    assert not q.check(f"{1 / C}")
    assert not q.check(f"log({2 * C})")  # the bound depends on this C
    assert not q.check("0")


@pytest.mark.parametrize("C", [2, 3, 10, 100, 1000])
def test_loss_max_when_prediction_is_decoupled_is_unbounded(C):
    q = quiz.loss_max_decoupled(C)
    assert q.check("inf")
    assert q.check("infinity")
    assert not q.check(f"log({C})")
    assert not q.check("1e300")


@pytest.mark.parametrize("C", [2, 3, 10, 100, 1000])
def test_loss_min_is_zero_for_any_c(C):
    q = quiz.loss_min(C)
    assert q.check("0")
    assert not q.check(f"log({C})")
    assert not q.check("-inf")


def test_loss_bound_questions_vary_c_between_questions():
    rng = np.random.default_rng(0)
    prompts = {quiz.random_loss_bound(rng).prompt.split("-class")[0] for _ in range(40)}
    assert len(prompts) >= 4


# -- dL/dZ2 ------------------------------------------------------------------------

def test_dz2_entry_is_p_minus_onehot_over_n():
    q = quiz.dz2_entry((0.2, 0.5, 0.3), y_i=1, j=1, N=4)
    assert q.check("-0.125")
    assert q.check("(0.5 - 1) / 4")
    assert not q.check("-0.5")  # forgot / N
    assert not q.check("0.125")  # sign flipped
    off_label = quiz.dz2_entry((0.2, 0.5, 0.3), y_i=1, j=2, N=4)
    assert off_label.check("0.075")
    assert not off_label.check("-0.175")


def test_random_dz2_rows_are_probabilities():
    rng = np.random.default_rng(1)
    for _ in range(30):
        q = quiz.random_dz2_entry(rng)
        row = [float(x) for x in q.prompt.split("[")[1].split("]")[0].split(",")]
        assert sum(row) == pytest.approx(1.0)
        assert min(row) > 0


def test_dz2_formula_choice_is_the_softmax_minus_onehot_over_n():
    q = quiz.dz2_formula(np.random.default_rng(2))
    assert q.answer.options[q.answer.index] == "(softmax(Z2) - onehot(y)) / N"


# -- finite differences, relative errors, debugging order -----------------------------

def test_central_difference_error_shrinks_fourfold_when_h_halves():
    q = quiz.central_halving()
    assert q.check("4")
    assert not q.check("2")


@pytest.mark.parametrize("h, right, wrong", [(1e-5, "1e-2", "1e-7"), (1e-3, "1e-4", "1e-2")])
def test_float32_noise_is_eps_over_h(h, right, wrong):
    q = quiz.float32_noise(h)
    assert q.check(right)
    assert not q.check(wrong)


@pytest.mark.parametrize("error, option", [(3e-9, 0), (1e-7, 0), (1e-6, 1), (1e-5, 1), (2e-5, 2), (0.3, 2)])
def test_rel_error_verdict_bands(error, option):
    q = quiz.rel_error_verdict(error)
    assert q.answer.index == option
    assert q.check(str(option + 1))
    assert not q.check(str((option + 1) % 3 + 1))


def test_rel_error_thresholds_are_1e7_good_and_1e5_suspicious():
    good, suspicious = quiz.rel_error_threshold(good=True), quiz.rel_error_threshold(good=False)
    assert good.check("1e-7") and good.check("2e-7") and not good.check("1e-5")
    assert suspicious.check("1e-5") and not suspicious.check("1e-3") and not suspicious.check("1e-7")


def test_debug_order_is_shapes_then_constant_factor_then_layer_by_layer():
    q = quiz.debug_order(np.random.default_rng(3))
    assert q.answer.options[q.answer.index] == "shapes, then a constant factor, then layer by layer"
    assert len(set(q.answer.options)) == 4


@pytest.mark.parametrize("N", [2, 8, 64])
def test_constant_factor_relative_error_is_n_minus_1_over_n_plus_1(N):
    q = quiz.constant_factor(N)
    assert q.check(str((N - 1) / (N + 1)))
    assert not q.check(str(N))


# -- answer forms ---------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "x", "0", "5", "1.5"])
def test_invalid_choice_raises_with_a_hint(text):
    q = quiz.layer_first(np.random.default_rng(4))
    with pytest.raises(InvalidAnswer, match="1 to 4"):
        q.check(text)


@pytest.mark.parametrize("text", ["", "big", "-1e-5"])
def test_invalid_magnitude_raises_with_a_hint(text):
    with pytest.raises(InvalidAnswer, match="positive number"):
        quiz.rel_error_threshold(good=False).check(text)


def test_invalid_number_raises_with_a_hint():
    with pytest.raises(InvalidAnswer, match="type a number"):
        quiz.loss_min(3).check("zero")


@pytest.mark.parametrize("topic", quiz.TOPICS)
def test_every_generated_question_accepts_its_answer_and_rejects_another(topic):
    rng = np.random.default_rng(5)
    for _ in range(25):
        q = quiz.make_question(topic, rng)
        a = q.answer
        if isinstance(a, quiz.Choice):
            right, wrong = str(a.index + 1), str((a.index + 1) % len(a.options) + 1)
        elif isinstance(a, quiz.Magnitude):
            right, wrong = repr(a.value), repr(a.value * 1e3)
        else:
            right, wrong = repr(a.value), "0" if math.isinf(a.value) else repr(2 * a.value + 1)
        assert q.check(right), q.prompt
        assert not q.check(wrong), q.prompt


def test_choices_are_shuffled_with_the_seed():
    positions = {quiz.central_why(np.random.default_rng(seed)).answer.index for seed in range(20)}
    assert len(positions) >= 3
