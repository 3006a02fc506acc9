"""Levels of the fault drills, and the mastery rule that moves a person up.

1: the seven checklist faults. 2: plus the extended catalog, and the equivalent
mutants as rounds whose answer is `healthy`. 3: plus two checklist faults at once
(an item "a+b") and the faults of the net family's other members. A level also names the members of the net family its blank
templates may be drawn from (`nets`; None is core/net.py's ReLU and softmax CE):
a member is plugged in by adding its name there. A person moves up a level when 8
of their last 10 rounds at it were right; `--level N` pins one.
"""
import functools
import itertools
from dataclasses import dataclass

import bugs
from core.family import MEMBERS, NET

PROMOTE_RIGHT, WINDOW = 8, 10  # 8 of the last 10 rounds of a level move a person up
PAIR = "+"


@dataclass(frozen=True)
class Level:
    """One level: what it adds, the single-fault items, whether two-fault items come too, the nets."""

    number: int
    adds: str
    faults: tuple
    pairs: bool = False
    nets: tuple = (None,)

    def items(self, mode_takes_pairs=True):
        """The round items: fault ids, and at a pairs level "a+b" ids when the mode can take two faults."""
        return self.faults + (checklist_pairs() if self.pairs and mode_takes_pairs else ())

    def answers(self):
        """The fault ids a person may name at this level (equivalent mutants are answered `healthy`)."""
        return tuple(f for f in self.faults if bugs.get(f).kind is not bugs.Kind.EQUIVALENT)


def ids(*kinds, members=False):
    """The catalog ids of these kinds; those of the net family's other members (core/family.py) only with `members`."""
    return tuple(f.id for f in bugs.by_kind(*kinds) if members or f.source == "core.net")


@functools.cache
def checklist_pairs():
    """Every pair of checklist faults that apply together, as "a+b" in catalog order."""
    pairs = []
    for a, b in itertools.combinations(bugs.by_kind(bugs.Kind.CHECKLIST), 2):
        try:
            bugs.apply(b, bugs.apply(a))
        except bugs.FaultDoesNotApply:
            continue
        pairs.append(f"{a.id}{PAIR}{b.id}")
    return tuple(pairs)


def fault_ids(item):
    """The fault ids of an item: one, or two for "a+b"."""
    return tuple(item.split(PAIR))


def faults_of(item):
    """The Fault records of an item: one, or two for "a+b"."""
    return tuple(bugs.get(part) for part in fault_ids(item))


def levels():
    """Levels 1 to 3, built from the catalog as it is now."""
    ck, ex, eq = bugs.Kind.CHECKLIST, bugs.Kind.EXTENDED, bugs.Kind.EQUIVALENT
    return {
        1: Level(1, "the seven checklist faults", ids(ck)),
        2: Level(2, "plus the extended catalog and equivalent mutants", ids(ck, ex, eq)),
        3: Level(3, "plus two checklist faults at once and the net family's other members", ids(ck, ex, eq, members=True),
                 pairs=True, nets=(None, *(str(net) for net in MEMBERS if str(net) != NET))),
    }


def right_of_last(history, number):
    """(right, rounds) over the last WINDOW fault rounds played at level `number`."""
    at_level = [e for e in history if e.level == number][-WINDOW:]
    return sum(e.outcome.value == "right" for e in at_level), len(at_level)


def current(history, pinned=None):
    """(level number, why) from the history of rounds; a pinned level wins."""
    if pinned is not None:
        return pinned, "chosen with --level"
    top = max(levels())
    number = 1
    while number < top and right_of_last(history, number)[0] >= PROMOTE_RIGHT:
        number += 1
    rule = f"{PROMOTE_RIGHT} right of your last {WINDOW} here move you up"
    if number > 1:
        below, rounds = right_of_last(history, number - 1)
        why = f"{below} of your last {rounds} level-{number - 1} rounds were right"
        return number, why if number == top else f"{why}; {rule}"
    right, rounds = right_of_last(history, 1)
    if not rounds:
        return 1, f"where everyone starts; {rule}"
    return 1, f"{right} of your last {rounds} rounds here were right; {rule}"
