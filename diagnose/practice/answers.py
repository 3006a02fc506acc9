"""Naming a fault: the menu, and answers as a number, an id in any case, or a unique prefix; `healthy` always counts.

Equivalent mutants compute the right gradients, so the right answer to one is `healthy`.
"""
import re

import bugs
from diagnose.practice.levels import faults_of
from diagnose.practice.quiz import InvalidAnswer

HEALTHY = "healthy"


def menu_ids(*groups):
    """The answers offered, in order, without duplicates or equivalent mutants; `healthy` is added by the menu."""
    seen = dict.fromkeys(f for group in groups for f in group if bugs.get(f).kind is not bugs.Kind.EQUIVALENT)
    return tuple(seen)


def menu_text(ids):
    """`healthy` as 0, then the faults numbered from 1 with their titles."""
    width = max([len(HEALTHY), *map(len, ids)])
    rows = [f"  0  {HEALTHY:<{width}}  no fault: the gradients and the behaviour are right"]
    rows += [f"{i:3d}  {f:<{width}}  {bugs.get(f).title}" for i, f in enumerate(ids, 1)]
    return "\n".join(rows)


def resolve(word, ids):
    """One answer word as an id: a menu number, an id in any case, or a prefix that only one id starts with."""
    word = word.strip().lower()
    choices = (HEALTHY, *ids)
    if word.isdigit() and int(word) < len(choices):
        return choices[int(word)]
    exact = [c for c in choices if c.lower() == word]
    matches = exact or [c for c in choices if word and c.lower().startswith(word)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InvalidAnswer(f"{word!r} could be {', '.join(matches)}: type more of it")
    raise InvalidAnswer(f"type a number from 0 to {len(ids)}, a fault id (or its start), or {HEALTHY}")


def parser(ids, count=1):
    """A parser for `count` answers separated by spaces, commas or `+`; returns them as a frozenset."""
    def parse(text):
        words = [w for w in re.split(r"[\s,+]+", text.strip()) if w]
        if len(words) != count:
            raise InvalidAnswer(f"name {count} fault{'s' if count > 1 else ''}: numbers or ids"
                                + (" separated by spaces" if count > 1 else ""))
        return frozenset(resolve(w, ids) for w in words)
    return parse


def truth(item):
    """The right answer to an item: its non-equivalent fault ids, or {healthy} when every fault is equivalent."""
    named = frozenset(f.id for f in faults_of(item) if f.kind is not bugs.Kind.EQUIVALENT)
    return named or frozenset({HEALTHY})
