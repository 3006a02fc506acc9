"""What every round shares: the drill's settings, the person's input, and how an answer is asked and scored."""
import enum
import time
from dataclasses import dataclass, field
from pathlib import Path

import click
import numpy as np

from diagnose.practice.keyboard import Keyboard
from diagnose.practice.quiz import InvalidAnswer
from diagnose.practice.store import Outcome


class Mode(str, enum.Enum):
    """What a round asks of the person."""

    SYMPTOMS = "symptoms"
    CODE = "code"
    FIX = "fix"
    IMPLEMENT = "implement"
    QUIZ = "quiz"
    INTERVIEW = "interview"


FAULT_MODES = (Mode.SYMPTOMS, Mode.CODE, Mode.FIX)  # modes whose rounds each hide one fault (or two)
FILE_MODES = (Mode.FIX, Mode.IMPLEMENT, Mode.INTERVIEW)  # modes that check a file the person edits


@dataclass(frozen=True)
class Drill:
    """One session's settings; `clock` and `now` are injectable so tests never depend on real time.

    `pool` pins the items (a `--bug`); None draws from the level. `level` pins a level; None follows
    mastery. `watch` re-checks a file each time it is saved; `poll` is how often it looks.
    """

    mode: Mode = Mode.SYMPTOMS
    rounds: int = 5
    seed: int = 0
    pool: tuple | None = None
    level: int | None = None
    time_limit: float | None = None
    workdir: Path | None = None
    verbose: bool = False
    watch: bool = True
    poll: float = 0.25
    minutes: float = 30.0
    clock: object = field(default=time.monotonic, repr=False)
    now: object = field(default=time.time, repr=False)


@dataclass(frozen=True)
class Result:
    """One answered round: the item (fault id, "a+b", quiz topic or mode), how it scored, seconds, hints."""

    item: str
    outcome: Outcome
    seconds: float
    hints: int = 0


@dataclass
class Session:
    """A running drill: settings, input, the rng, the level, and the last round's full report for `r`."""

    drill: Drill
    keyboard: Keyboard = field(default_factory=Keyboard)
    rng: np.random.Generator = None
    level: int = 1
    last_report: str | None = None
    more: bool = True  # whether another prompt follows this round (where `r` could be typed)

    def __post_init__(self):
        if self.rng is None:
            self.rng = np.random.default_rng(self.drill.seed)

    def probe_seed(self):
        """A seed for the diagnoser's probe data, short enough to retype into `diagnose --seed`."""
        return int(self.rng.integers(1_000_000))

    def ask(self, prompt, parse):
        """Prompt until parse(text) accepts it, with parse's hint after each invalid answer.

        `r` shows the previous round's full report and asks again (so `r` never names a fault).
        Returns (parse's value, seconds from the first prompt). End of input and Ctrl-C raise click.Abort.
        """
        start = self.drill.clock()
        while True:
            text = self.keyboard.line(prompt)
            if self.showed_report(text):
                continue
            try:
                return parse(text), self.drill.clock() - start
            except InvalidAnswer as hint:
                click.echo(f"  ({hint})")

    def showed_report(self, text):
        """If text is `r`: show the previous round's full report (or say there is none yet); True then."""
        if text.strip().lower() != "r":
            return False
        click.echo(self.last_report.rstrip("\n") if self.last_report else "  (no report yet: it comes after an answer)")
        return True

    def scored(self, right, seconds):
        """judge() the answer and say so in one line; returns the Outcome."""
        limit = self.drill.time_limit
        outcome = judge(right, seconds, limit)
        if outcome is Outcome.LATE:
            click.echo(f"Right, but late: {seconds:.1f} s against a limit of {limit:g} s.")
        else:
            click.echo("Right." if outcome is Outcome.RIGHT else "Wrong.")
        return outcome

    def offer_report(self, text):
        """After the answer: the full report now with --verbose, else kept for `r` at the next prompt."""
        self.last_report = text
        if self.drill.verbose:
            click.echo("\n" + text.rstrip("\n"))
        elif self.more:
            click.echo("(type r at the next prompt for the full report)")


def judge(right, seconds, time_limit):
    """RIGHT, WRONG, or LATE for a right answer that took longer than the time limit."""
    if not right:
        return Outcome.WRONG
    if time_limit is not None and seconds > time_limit:
        return Outcome.LATE
    return Outcome.RIGHT
