"""What comes next: unseen first, then the most overdue by Leitner box; no repeat before every item came up."""
import numpy as np
import pytest

from diagnose.practice import quiz, schedule
from diagnose.practice.drill import DEFAULT_POOL
from diagnose.practice.store import Outcome, Tally

R, W = Outcome.RIGHT, Outcome.WRONG


def tally_of(*outcomes, at=0):
    """A tally after these answers, the last one at round `at`."""
    tally = Tally()
    for outcome in outcomes:
        tally = tally.recorded(outcome, 1.0, round_no=at)
    return tally


def test_a_right_answer_moves_the_box_up_and_a_miss_back_to_one():
    assert tally_of(R, R, R).box == 3
    assert tally_of(R, R, R, W).box == 1
    assert tally_of(*[R] * 9).box == 5  # the top box


def test_interval_doubles_per_box():
    assert [schedule.interval(b) for b in range(1, 6)] == [1, 2, 4, 8, 16]


def test_unseen_is_most_overdue_then_missed_then_known():
    unseen = schedule.overdue(None, now=10)
    missed = schedule.overdue(tally_of(W, at=9), now=10)
    known = schedule.overdue(tally_of(R, R, R, R, R, at=9), now=10)
    assert unseen == float("inf") and missed == 1.0 and known == 1 / 16


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_eligible_item_comes_up_before_any_repeats(seed):
    rng = np.random.default_rng(seed)
    asked = []
    for _ in range(3 * len(DEFAULT_POOL)):
        asked.append(schedule.pick(DEFAULT_POOL, {}, rng, asked=asked))
    n = len(DEFAULT_POOL)
    for start in range(0, len(asked), n):
        assert sorted(asked[start:start + n]) == sorted(DEFAULT_POOL)  # each block of 7 is a permutation
    assert all(a != b for a, b in zip(asked, asked[1:]))  # never twice in a row, across blocks too


def test_quiz_topics_never_repeat_within_five_rounds():
    rng = np.random.default_rng(4)
    asked = []
    for _ in range(5):
        asked.append(schedule.pick(quiz.TOPICS, {}, rng, asked=asked))
    assert sorted(asked) == sorted(quiz.TOPICS)


def test_unseen_items_come_before_seen_ones():
    tallies = {f: tally_of(W, at=0) for f in DEFAULT_POOL[:-1]}  # every fault but the last was missed
    rng = np.random.default_rng(0)
    assert schedule.pick(DEFAULT_POOL, tallies, rng, now=5) == DEFAULT_POOL[-1]


def test_a_missed_fault_comes_before_faults_known_well():
    tallies = {f: tally_of(R, R, R, R, at=10) for f in DEFAULT_POOL}
    tallies["labels_n1"] = tally_of(R, W, at=10)
    rng = np.random.default_rng(0)
    assert schedule.pick(DEFAULT_POOL, tallies, rng, now=11) == "labels_n1"


def test_the_longest_unseen_comes_first_among_equal_boxes():
    tallies = {f: tally_of(R, R, at=20) for f in DEFAULT_POOL}
    tallies["float32"] = tally_of(R, R, at=3)
    assert schedule.pick(DEFAULT_POOL, tallies, np.random.default_rng(0), now=21) == "float32"


def test_a_pool_of_one_can_repeat():
    rng = np.random.default_rng(0)
    assert schedule.pick(("labels_n1",), {}, rng, asked=["labels_n1"]) == "labels_n1"


def test_same_seed_same_order():
    def order(seed):
        rng, asked = np.random.default_rng(seed), []
        for _ in range(7):
            asked.append(schedule.pick(DEFAULT_POOL, {}, rng, asked=asked))
        return asked
    assert order(5) == order(5) and order(5) != order(6)
