"""Fix, implement and interview: the person edits a file until `check` calls it healthy.

Each check is a submission. The file is checked when Enter is pressed, and with watch
on, also each time it is saved. `h` gives the next hint, `q` (or `give up`) ends the
round. While a fault is still hidden, a check shows only what was observed.
"""
from dataclasses import dataclass

import click

from diagnose.check.isolate import check_file
from diagnose.practice import hints
from diagnose.practice.conceal import observations
from diagnose.practice.keyboard import CHANGED, TIMEOUT, signature
from diagnose.practice.quiz import InvalidAnswer

GIVE_UP = "give up"
CHECK, HINT, QUIT = "check", "hint", "quit"


@dataclass(frozen=True)
class Attempt:
    """How a repair ended: healthy or not, seconds, checks submitted, hints taken, out of time."""

    healthy: bool
    seconds: float
    submissions: int
    hints: int
    timed_out: bool = False


@dataclass(frozen=True)
class Clues:
    """What the hints may draw on beyond the check: the faulty lines' text and (line, function) places."""

    lines: tuple = ()
    where: tuple = ()


def parse_action(text):
    """Enter checks, `h` asks for a hint, `q` or `give up` ends the round."""
    text = text.strip().lower()
    if text == "":
        return CHECK
    if text in ("h", "hint"):
        return HINT
    if text in ("q", "g", GIVE_UP, "quit"):
        return QUIT
    raise InvalidAnswer(f"press Enter to check the file, h for a hint, or q to give up ('{GIVE_UP}')")


def cautions_text(report, shown):
    """The cautions of a healthy report (fragile but right code) that `shown` does not already hold."""
    cautions = getattr(report, "cautions", ()) if report is not None else ()
    titles = [str(getattr(c, "title", c)) for c in cautions]
    return "\n".join(f"caution: {title}" for title in titles if title not in shown)


def check_text(result, reveal):
    """What the person sees of a check: the whole report, or while a hidden fault is still to be
    found (reveal=False) only what was observed; an error that stopped the check is shown as is."""
    if reveal or result.report is None or result.exit_code == 0:
        return result.text()
    return observations(result.report)


def next_action(session, path, deadline, since):
    """The person's next action: typed, or CHECK when the watched file has changed since `since` (its
    signature at the last check), or TIMEOUT at the deadline."""
    prompt = f"Enter: check {path.name}; h: hint; q: give up >"
    drill = session.drill
    while True:
        if drill.watch or deadline is not None:
            text = session.keyboard.line_or_change(prompt, path, drill.clock, deadline, drill.poll, since)
            if text in (CHANGED, TIMEOUT):
                return CHECK if text == CHANGED else TIMEOUT
        else:
            text = session.keyboard.line(prompt)
        if deadline is not None and drill.clock() >= deadline:
            return TIMEOUT  # whatever was typed, it came too late
        if session.showed_report(text):
            continue
        try:
            return parse_action(text)
        except InvalidAnswer as hint:
            click.echo(f"  ({hint})")


def repair(session, path, seed, reveal, clues=Clues(), deadline=None, stop_gives_up=False):
    """Check path on Enter or save, give hints on `h`, until healthy, given up or past the deadline.

    With `stop_gives_up` (the interview), end of input or Ctrl-C at the prompt gives up, so the
    submissions and hints so far still reach the scorecard; otherwise they stop the drill.
    """
    drill = session.drill
    start, submissions, used, report = drill.clock(), 0, 0, None
    since = signature(path)
    while True:
        try:
            action = next_action(session, path, deadline, since)
        except (click.Abort, KeyboardInterrupt, EOFError):
            if not stop_gives_up:
                raise
            click.echo("\nStopped.")
            action = QUIT
        if action == TIMEOUT:
            click.echo("Time is up.")
        if action in (QUIT, TIMEOUT):
            return Attempt(False, drill.clock() - start, submissions, used, timed_out=action == TIMEOUT)
        if action == HINT:
            if report is None:
                report = check_file(path, seed=seed).report
            used = min(used + 1, hints.STEPS)
            click.echo(f"hint {used}/{hints.STEPS}: {hints.hint(used, report, clues.lines, clues.where)}")
            continue
        since = signature(path)
        result = check_file(path, seed=seed)
        submissions += 1
        report = result.report
        shown = check_text(result, reveal)
        click.echo(shown.rstrip("\n"))
        if result.exit_code == 0:
            extra = cautions_text(report, shown)
            if extra:
                click.echo(extra)
            return Attempt(True, drill.clock() - start, submissions, used)
        click.echo("Not healthy yet: edit the file and save it, or press Enter to check again.")
