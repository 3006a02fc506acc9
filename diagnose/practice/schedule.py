"""What comes next: unseen items first, then spaced repetition by Leitner box, no repeats within a session.

Each fault (and quiz topic) sits in a Leitner box kept in its tally: a right answer
moves it up one box, a miss back to box 1. An item in box b is due again 2^(b-1)
rounds after it was last answered (rounds counted across every drill on the store),
so a missed item is due at once and one known well waits 16 rounds. The next item
is the most overdue one, (rounds since last answered) / 2^(b-1), with unseen items
before any seen one and ties broken by the rng. Within a session nothing repeats
until every eligible item has come up once (a "deck"), and never twice in a row.
"""
import math

from diagnose.practice.store import Tally

UNSEEN = math.inf


def interval(box):
    """Rounds between reviews of an item in this Leitner box: 1, 2, 4, 8, 16."""
    return 2 ** max(box - 1, 0)


def overdue(tally, now):
    """How overdue an item is at round `now`: inf when unseen, else rounds since last seen over its interval."""
    tally = tally or Tally()
    if tally.attempts == 0:
        return UNSEEN
    since = now + 1 if tally.last_round is None else max(now - tally.last_round, 1)  # a round at least
    return since / interval(tally.box)


def deck(items, asked):
    """The items still to come this session: those not in the current cycle, never the last one asked
    while another is left."""
    last = asked[-1] if asked else None
    done = cycle(items, asked)
    left = [item for item in items if item not in done]
    return [item for item in left if item != last] or left or list(items)


def pick(items, tallies, rng, now=0, asked=()):
    """The next item: the most overdue of the deck, ties in rng order. `tallies` maps item -> Tally;
    `asked` lists the items already asked this session, in order; `now` is the store's round counter."""
    candidates = deck(items, list(asked))
    order = rng.permutation(len(candidates))  # the tie-break, drawn every time so replays stay aligned
    shuffled = [candidates[i] for i in order]
    return max(shuffled, key=lambda item: overdue(tallies.get(item), now))


def cycle(items, asked):
    """The items asked since the deck was last complete: after every item has come up once, it starts afresh."""
    done, everything = set(), set(items)
    for item in asked:
        if item in everything:
            done.add(item)
        if done == everything:
            done = set()
    return done
