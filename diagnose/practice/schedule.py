"""Spaced repetition: which fault comes next, weighted by how well the person knows it.

A Leitner box in one formula: every right answer in a row halves a fault's weight
(down to 1/16 after four), and the share of answers that missed raises it by up
to 2x. An unseen fault weighs 1, a fault just missed up to 2, a fault known well
1/16: it still comes back, only rarely. Spaced, not repeated: the item just
asked is not drawn again straight away while there is another to ask.
"""
import numpy as np

from diagnose.practice.store import Tally

MAX_BOX = 4  # after four right answers in a row a fault stops getting rarer


def weight(tally):
    """2^-min(streak, 4) * (1 + miss rate): the relative chance of drawing this fault."""
    tally = tally or Tally()
    miss_rate = tally.misses / tally.attempts if tally.attempts else 0.0
    return 2.0 ** -min(tally.streak, MAX_BOX) * (1.0 + miss_rate)


def probabilities(fault_ids, tallies, last=None):
    """The drawing probability of each id in fault_ids, given {id: Tally}; `last` gets 0 if there are others."""
    w = np.array([weight(tallies.get(fault_id)) for fault_id in fault_ids])
    if len(fault_ids) > 1:
        w[[fault_id == last for fault_id in fault_ids]] = 0.0
    return w / w.sum()


def pick(fault_ids, tallies, rng, last=None):
    """One fault id drawn with rng according to probabilities()."""
    return fault_ids[rng.choice(len(fault_ids), p=probabilities(fault_ids, tallies, last))]
