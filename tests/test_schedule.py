"""Spaced repetition: missed faults come back more often, known faults less, none twice in a row."""
from collections import Counter

import numpy as np
import pytest

from diagnose.practice import schedule
from diagnose.practice.drill import DEFAULT_POOL
from diagnose.practice.store import Outcome, Tally


def tally_of(*outcomes):
    """A tally after these answers, one second each."""
    tally = Tally()
    for outcome in outcomes:
        tally = tally.recorded(outcome, 1.0)
    return tally


R, W, L = Outcome.RIGHT, Outcome.WRONG, Outcome.LATE


def test_unseen_fault_weighs_one():
    assert schedule.weight(None) == 1.0
    assert schedule.weight(Tally()) == 1.0


def test_a_miss_weighs_more_than_unseen_and_a_streak_less():
    assert schedule.weight(tally_of(W)) == 2.0
    assert schedule.weight(tally_of(L)) == 2.0  # late is not right
    assert schedule.weight(tally_of(R)) == 0.5
    assert schedule.weight(tally_of(W, R)) == pytest.approx(0.75)  # right now, but missed half the time


def test_each_right_answer_in_a_row_halves_the_weight_down_to_a_floor():
    weights = [schedule.weight(tally_of(*[R] * n)) for n in range(7)]
    assert weights[:5] == [1.0, 0.5, 0.25, 0.125, 0.0625]
    assert weights[5] == weights[6] == 2.0 ** -schedule.MAX_BOX  # still comes back, rarely


def test_probabilities_sum_to_one_and_exclude_the_last_item():
    p = schedule.probabilities(DEFAULT_POOL, {}, last=DEFAULT_POOL[2])
    assert p.sum() == pytest.approx(1.0)
    assert p[2] == 0.0
    assert np.allclose(np.delete(p, 2), 1 / 6)


def test_a_pool_of_one_can_repeat():
    rng = np.random.default_rng(0)
    assert schedule.pick(("labels_n1",), {}, rng, last="labels_n1") == "labels_n1"


def test_spaced_repetition_draws_missed_fault_far_more_often():
    rng = np.random.default_rng(42)
    missed = "labels_n1"
    tallies = {fault_id: tally_of(R, R, R) for fault_id in DEFAULT_POOL}
    tallies[missed] = tally_of(W, W, W)
    counts = Counter(schedule.pick(DEFAULT_POOL, tallies, rng) for _ in range(3000))
    share = counts[missed] / 3000
    # weights 2 against 6 x 1/8: expected share 2 / 2.75 = 0.727, against 1/7 = 0.143 when uniform
    assert 0.68 < share < 0.77
    assert all(counts[missed] > 5 * counts[f] for f in DEFAULT_POOL if f != missed)


def test_fresh_tallies_draw_uniformly():
    rng = np.random.default_rng(7)
    counts = Counter(schedule.pick(DEFAULT_POOL, {}, rng) for _ in range(3500))
    assert set(counts) == set(DEFAULT_POOL)
    assert all(430 < n < 570 for n in counts.values())  # 500 each, +-3.4 standard deviations
