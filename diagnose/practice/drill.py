"""Interview drills: rounds of naming, finding and fixing backprop faults, concept questions, a mock interview.

All input goes through one Keyboard and all output through click.echo, so a plain
terminal, answers piped on stdin and click's CliRunner all work the same way. End
of input or Ctrl-C ends the drill cleanly: the rounds already answered are scored,
shown and saved. Each answer is merged into the store as it is given
(`Store.update`), so two drills on one store lose nothing.

Six modes:
  symptoms   see what the diagnoser observed (no conclusions), name the fault or `healthy`
  code       see the mutant's function (no comments), name the faulty line
  fix        edit the mutant in a file until `check` calls it healthy
  implement  fill in a blank template until `check` calls it healthy
  quiz       concept questions from the design note
  interview  a blank template against the clock, then two follow-up questions
"""
import tempfile
from dataclasses import replace
from pathlib import Path

import click

from diagnose.engine.remedies import is_caution
from diagnose.practice import levels, quiz, schedule
from diagnose.practice.answers import menu_ids
from diagnose.practice.interview import interview, minutes_words
from diagnose.practice.keyboard import Keyboard
from diagnose.practice.rounds import code_round, fix_round, implement_round, quiz_round, symptoms_round
from diagnose.practice.session import FAULT_MODES, FILE_MODES, Drill, Mode, Result, Session
from diagnose.practice.store import Entry, Outcome

DEFAULT_POOL = levels.levels()[1].faults

__all__ = ["DEFAULT_POOL", "Drill", "Mode", "Result", "recorded", "run", "summary"]


def eligible(drill, level):
    """The items a fault or quiz round may be about: the pinned pool, the level's items, or the quiz topics."""
    if drill.mode is Mode.QUIZ:
        return quiz.TOPICS
    if drill.pool:
        return drill.pool
    items = levels.levels()[level].items(mode_takes_pairs=drill.mode is not Mode.CODE)
    if drill.mode is Mode.FIX:  # a file whose only flaw is a caution already checks healthy: no round
        items = tuple(i for i in items if not all(is_caution(f) for f in levels.fault_ids(i)))
    return items


def play_round(session, progress, index, asked):
    """Choose what round `index` is about (unseen first, then the most overdue, none again before all
    came up) and play it."""
    drill = session.drill
    if drill.mode is Mode.IMPLEMENT:
        return implement_round(session, index)
    items = eligible(drill, session.level)
    tallies = progress.topics if drill.mode is Mode.QUIZ else progress.faults
    item = schedule.pick(items, tallies, session.rng, progress.rounds, asked)
    if drill.mode is Mode.QUIZ:
        return quiz_round(session, quiz.make_question(item, session.rng))
    if drill.mode is Mode.SYMPTOMS:
        offered = levels.levels()[max(levels.levels()) if drill.pool else session.level].answers()
        ids = menu_ids(offered, *(levels.fault_ids(i) for i in items))  # a pinned --bug: the whole catalog
        return symptoms_round(session, item, ids)
    if drill.mode is Mode.CODE:
        return code_round(session, item)
    return fix_round(session, item, index)


def recorded(progress, mode, level, result, when):
    """Progress with the round counted for its mode, its fault (and level) or quiz topic, and in the history."""
    progress = progress.recorded("modes", mode.value, result.outcome, result.seconds, when)
    if mode in FAULT_MODES:
        progress = progress.recorded("faults", result.item, result.outcome, result.seconds, when)
        if level is not None:
            progress = progress.recorded("levels", str(level), result.outcome, result.seconds, when)
    elif mode is Mode.QUIZ:
        progress = progress.recorded("topics", result.item, result.outcome, result.seconds, when)
    return progress.logged(Entry(float(when), mode.value, level if mode in FAULT_MODES else None,
                                 result.item, result.outcome, result.hints))


def summary(results, rounds):
    """The score line (with hints used), the missed items, and a note when the drill stopped early."""
    right = sum(r.outcome is Outcome.RIGHT for r in results)
    late = sum(r.outcome is Outcome.LATE for r in results)
    hints = sum(r.hints for r in results)
    line = f"Score: {right}/{len(results)} right" + (f", {late} late" if late else "")
    line += f", {hints} hint{'s' if hints != 1 else ''}" if hints else ""
    if len(results) < rounds:
        line += f" (stopped after {len(results)} of {rounds} rounds)"
    missed = [r.item for r in results if r.outcome is not Outcome.RIGHT]
    return line + "." + (f"\nTo practise: {', '.join(dict.fromkeys(missed))}." if missed else "")


def header(drill, level, why):
    """The drill's first lines: mode, rounds, limit, seed; the level and why for fault modes."""
    limit = f", {drill.time_limit:g} s per answer" if drill.time_limit else ""
    rounds = f"{drill.rounds} round" + ("s" if drill.rounds != 1 else "")
    if drill.mode is Mode.INTERVIEW:
        rounds = minutes_words(drill.minutes)
    text = f"Drill: {drill.mode.value}, {rounds}{limit}, seed {drill.seed}. End of input (Ctrl-D) or Ctrl-C stops."
    if drill.mode in FAULT_MODES and not drill.pool:
        text += f"\nLevel {level} ({levels.levels()[level].adds}): {why}."
    return text


def run_interview(session, store, progress):
    """The interview mode: play it, then record its result, follow-ups and scorecard in one update."""
    drill = session.drill
    card, follow = interview(session, progress)
    result = Result(Mode.INTERVIEW.value, Outcome.RIGHT if card.healthy else Outcome.WRONG, card.seconds, card.hints)

    def add(p):
        p = recorded(p, Mode.INTERVIEW, None, result, card.when)
        for answer in follow:
            p = recorded(p, Mode.QUIZ, None, answer, card.when)
        return p.with_interview(card)
    store.update(add)
    return [result, *follow]


def run(drill, store, keyboard=None):
    """Play the rounds, merging each answer into the store; end of input or Ctrl-C ends early. Returns the results."""
    session = Session(drill, keyboard or Keyboard())
    progress = store.load()
    session.level, why = levels.current(progress.history, drill.level)
    if drill.mode in FILE_MODES and drill.workdir is None:
        session.drill = drill = replace(drill, workdir=Path(tempfile.mkdtemp(prefix="backprop-drill-")))
    click.echo(header(drill, session.level, why))
    results, asked = [], []
    try:
        if drill.mode is Mode.INTERVIEW:
            return run_interview(session, store, progress)
        for index in range(1, drill.rounds + 1):
            click.echo(f"\n== Round {index}/{drill.rounds} ({drill.mode.value}) ==")
            session.more = index < drill.rounds
            result = play_round(session, progress, index, asked)
            results.append(result)
            asked.append(result.item)
            level = None if drill.pool else session.level
            progress = store.update(lambda p: recorded(p, drill.mode, level, result, drill.now()))
    except (click.Abort, KeyboardInterrupt, EOFError):
        click.echo("\nDrill stopped.")
    if drill.mode is not Mode.INTERVIEW:
        click.echo("\n" + summary(results, drill.rounds))
    return results
