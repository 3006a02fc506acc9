"""Interview drills: rounds of naming, finding and fixing backprop faults, and concept questions.

All input and output goes through click (`click.prompt`, `click.echo`), so a plain
terminal, answers piped on stdin and click's CliRunner all work the same way.
End of input or Ctrl-C inside a prompt becomes `click.Abort`, which ends the drill
cleanly: the rounds already answered are scored, shown and saved.

Five modes:
  symptoms   see what the diagnoser observed, name the fault from the catalog
  code       see the mutant's function, name the faulty line
  fix        edit the mutant in a file until `check` calls it healthy
  implement  fill in a blank template until `check` calls it healthy
  quiz       concept questions from the design note
"""
import enum
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import click
import numpy as np

import bugs
from bugs.mutant import core_source, function_source
from diagnose.practice import quiz, schedule
from diagnose.check.isolate import check_file
from diagnose.engine.pipeline import diagnose
from diagnose.check.template import write_template
from diagnose.practice.quiz import InvalidAnswer
from diagnose.practice.store import Outcome


class Mode(str, enum.Enum):
    """What a round asks of the person."""

    SYMPTOMS = "symptoms"
    CODE = "code"
    FIX = "fix"
    IMPLEMENT = "implement"
    QUIZ = "quiz"


FAULT_MODES = (Mode.SYMPTOMS, Mode.CODE, Mode.FIX)  # modes whose rounds each hide one fault
DEFAULT_POOL = tuple(f.id for f in bugs.by_kind(bugs.Kind.CHECKLIST))
GIVE_UP = "give up"


@dataclass(frozen=True)
class Drill:
    """One session's settings; `clock` is injectable so tests never depend on wall time."""

    mode: Mode = Mode.SYMPTOMS
    rounds: int = 5
    seed: int = 0
    pool: tuple = DEFAULT_POOL
    time_limit: float | None = None
    workdir: Path | None = None
    clock: object = field(default=time.monotonic, repr=False)


@dataclass(frozen=True)
class Result:
    """One answered round: the fault id, quiz topic or "implement"; how it scored; seconds taken."""

    item: str
    outcome: Outcome
    seconds: float


# -- asking --------------------------------------------------------------------

def ask(prompt, parse, clock):
    """Prompt until parse(text) accepts it, with parse's hint after each invalid answer.

    Returns (parse's value, seconds from the first prompt). End of input and Ctrl-C raise click.Abort.
    """
    start = clock()
    while True:
        text = click.prompt(prompt, default="", show_default=False, prompt_suffix=" ")
        try:
            return parse(text), clock() - start
        except InvalidAnswer as hint:
            click.echo(f"  ({hint})")


def judge(right, seconds, time_limit):
    """RIGHT, WRONG, or LATE for a right answer that took longer than the time limit."""
    if not right:
        return Outcome.WRONG
    if time_limit is not None and seconds > time_limit:
        return Outcome.LATE
    return Outcome.RIGHT


def scored(right, seconds, time_limit):
    """judge() the answer and tell the person in one line; returns the Outcome."""
    outcome = judge(right, seconds, time_limit)
    if outcome is Outcome.LATE:
        click.echo(f"Right, but late: {seconds:.1f} s against a limit of {time_limit:g} s.")
    else:
        click.echo("Right." if outcome is Outcome.RIGHT else "Wrong.")
    return outcome


def probe_seed(rng):
    """A seed for the diagnoser's probe data, short enough to retype into `diagnose --seed`."""
    return int(rng.integers(1_000_000))


# -- symptoms: name the fault from what the diagnoser observed -------------------

def fault_menu():
    """The whole catalog as a numbered menu."""
    width = max(len(f.id) for f in bugs.FAULTS)
    return "\n".join(f"{i:3d}  {f.id:<{width}}  {f.title}" for i, f in enumerate(bugs.FAULTS, 1))


def parse_fault(text):
    """A fault id from a menu number or the id itself."""
    text = text.strip()
    if text.isdigit() and 1 <= int(text) <= len(bugs.FAULTS):
        return bugs.FAULTS[int(text) - 1].id
    if text in bugs.CATALOG:
        return text
    raise InvalidAnswer(f"type a number from 1 to {len(bugs.FAULTS)}, or a fault id")


def names_fault(answer, fault):
    """Whether answer names fault; equivalent mutants look alike (healthy), so any of them names another."""
    equivalent = bugs.Kind.EQUIVALENT
    return answer == fault.id or (fault.kind is equivalent and bugs.get(answer).kind is equivalent)


def symptoms_round(fault, drill, rng):
    """Show the diagnoser's observations of the mutant, ask for the fault, then reveal the diagnosis."""
    report = diagnose(bugs.make_mutant(fault), seed=probe_seed(rng))
    click.echo("What the diagnoser observed:\n")
    click.echo(report.observations_text().rstrip("\n"))
    click.echo("\nWhich fault is it?")
    click.echo(fault_menu())
    answer, seconds = ask("Your answer (number or id):", parse_fault, drill.clock)
    outcome = scored(names_fault(answer, fault), seconds, drill.time_limit)
    click.echo(f"It was {fault.id}: {fault.title}.\n")
    click.echo(report.text().rstrip("\n"))
    if fault.kind is bugs.Kind.EQUIVALENT:
        click.echo(f"\nNothing to fix: an equivalent mutant ({fault.symptom}).")
    elif not report.fix:  # the report names no fault, so it gives no fix: the catalog's
        click.echo(f"\nThe fix: {fault.fix}")
    return Result(fault.id, outcome, seconds)


# -- code: name the faulty line ---------------------------------------------------

def mutant_lines(fault):
    """The lines of the mutant's function, as the person sees them."""
    return function_source(bugs.apply(fault), fault.function).splitlines()


def faulty_lines(fault):
    """The 1-based lines that count as naming the fault: those it wrote, and for a removed line both neighbours."""
    lines = set(bugs.changed_lines(fault))
    if not fault.replace:  # a removed line: changed_lines marks the line below the gap; the one above counts too
        lines |= {line - 1 for line in lines if line > 1}
    return lines


def parse_line(count):
    """A parser for a line number from 1 to count."""
    def parse(text):
        text = text.strip()
        if text.isdigit() and 1 <= int(text) <= count:
            return int(text)
        raise InvalidAnswer(f"type a line number from 1 to {count}")
    return parse


def code_round(fault, drill):
    """Show the mutant's function with line numbers, ask for the faulty line, then show the diff."""
    lines = mutant_lines(fault)
    click.echo(f"One thing in this {fault.function}() is wrong. Which line? "
               "(If a line is missing, name a line next to the gap.)\n")
    click.echo("\n".join(f"{i:3d}  {line}" for i, line in enumerate(lines, 1)))
    line, seconds = ask("Line number:", parse_line(len(lines)), drill.clock)
    faulty = sorted(faulty_lines(fault))
    outcome = scored(line in faulty, seconds, drill.time_limit)
    where = ("line " if len(faulty) == 1 else "lines ") + ", ".join(str(n) for n in faulty)
    click.echo(f"It was {fault.id} ({where}): {fault.title}.\n")
    click.echo(bugs.diff(fault).rstrip("\n"))
    return Result(fault.id, outcome, seconds)


# -- fix and implement: edit a file until check calls it healthy ------------------

def parse_enter(text):
    """Enter means check the file; `give up` (or `g`) ends the round."""
    text = text.strip().lower()
    if text == "":
        return "check"
    if text in (GIVE_UP, "g"):
        return GIVE_UP
    raise InvalidAnswer(f"press Enter to check the file, or type '{GIVE_UP}'")


def check_text(result, reveal):
    """What the person sees of a check: the whole report, or while a hidden fault is still to be
    found (reveal=False) only what was observed; an error that stopped the check is shown as is."""
    if reveal or result.report is None or result.exit_code == 0:
        return result.text()
    return result.report.observations_text()


def repair(path, drill, seed, reveal):
    """Check path each time the person presses Enter, until it is healthy or they give up.

    Returns (healthy, seconds from the first prompt).
    """
    start = drill.clock()
    while True:
        action, _ = ask(f"Press Enter to check {path.name} (or type '{GIVE_UP}'):", parse_enter, drill.clock)
        if action == GIVE_UP:
            return False, drill.clock() - start
        result = check_file(path, seed=seed)
        click.echo(check_text(result, reveal).rstrip("\n"))
        if result.exit_code == 0:
            return True, drill.clock() - start
        click.echo("Not healthy yet: edit the file and press Enter again.")


def round_file(drill, index):
    """A new file for round `index` in the drill's workdir, named so it gives nothing away.

    An earlier session's file of the same name is the person's work: it is never overwritten.
    """
    workdir = Path(drill.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    path, n = workdir / f"round{index}_net.py", 1
    while path.exists():
        n += 1
        path = workdir / f"round{index}_net_{n}.py"
    return path


def fix_round(fault, drill, rng, index):
    """Write the mutant to a file; the person fixes it in an editor; `check` decides; then show the diff."""
    path = round_file(drill, index)
    path.write_text(bugs.apply(fault), encoding="utf-8")
    click.echo(f"{path} holds a two-layer classifier with one fault in forward_loss() or backward().")
    click.echo("Fix it in your editor. Each check shows what the diagnoser observed, not its verdict.")
    healthy, seconds = repair(path, drill, probe_seed(rng), reveal=False)
    outcome = scored(healthy, seconds, drill.time_limit)
    click.echo(f"It was {fault.id}: {fault.title}.\n")
    click.echo(bugs.diff(fault).rstrip("\n"))
    return Result(fault.id, outcome, seconds)


def implement_round(drill, rng, index):
    """Write the blank template; the person implements it; `check` decides."""
    path = round_file(drill, index)
    write_template(path)
    click.echo(f"{path} is a blank two-layer classifier: fill in forward_loss() and backward().")
    healthy, seconds = repair(path, drill, probe_seed(rng), reveal=True)  # nothing hidden: the full diagnosis helps
    outcome = scored(healthy, seconds, drill.time_limit)
    if not healthy:
        reference = "\n\n".join(function_source(core_source(), name) for name in ("forward_loss", "backward"))
        click.echo(f"\nThe reference, from core/net.py:\n\n{reference.rstrip()}")
    return Result(Mode.IMPLEMENT.value, outcome, seconds)


# -- quiz ----------------------------------------------------------------------------

def quiz_round(question, drill):
    """Ask one concept question, check the answer, then give the right one and why."""
    click.echo(question.text())
    right, seconds = ask("Your answer:", question.check, drill.clock)
    outcome = scored(right, seconds, drill.time_limit)
    click.echo(f"The answer: {question.answer.shown()}. Why: {question.why}")
    return Result(question.topic, outcome, seconds)


# -- the session ---------------------------------------------------------------------

def play_round(drill, progress, rng, index, last=None):
    """Choose what round `index` is about (missed faults and topics come back more often, never
    twice in a row) and play it; `last` is the previous round's fault id or topic."""
    if drill.mode is Mode.QUIZ:
        topic = schedule.pick(quiz.TOPICS, progress.topics, rng, last)
        return quiz_round(quiz.make_question(topic, rng), drill)
    if drill.mode is Mode.IMPLEMENT:
        return implement_round(drill, rng, index)
    fault = bugs.get(schedule.pick(drill.pool, progress.faults, rng, last))
    if drill.mode is Mode.SYMPTOMS:
        return symptoms_round(fault, drill, rng)
    if drill.mode is Mode.CODE:
        return code_round(fault, drill)
    return fix_round(fault, drill, rng, index)


def recorded(progress, mode, result):
    """Progress with the round counted for its mode and for its fault or quiz topic."""
    progress = progress.recorded("modes", mode.value, result.outcome, result.seconds)
    if mode in FAULT_MODES:
        progress = progress.recorded("faults", result.item, result.outcome, result.seconds)
    elif mode is Mode.QUIZ:
        progress = progress.recorded("topics", result.item, result.outcome, result.seconds)
    return progress


def summary(results, rounds):
    """The score line, the missed items, and a note when the drill stopped early."""
    right = sum(r.outcome is Outcome.RIGHT for r in results)
    late = sum(r.outcome is Outcome.LATE for r in results)
    line = f"Score: {right}/{len(results)} right" + (f", {late} late" if late else "")
    if len(results) < rounds:
        line += f" (stopped after {len(results)} of {rounds} rounds)"
    missed = [r.item for r in results if r.outcome is not Outcome.RIGHT]
    return line + "." + (f"\nTo practise: {', '.join(dict.fromkeys(missed))}." if missed else "")


def run(drill, store):
    """Play the rounds, saving progress after each; end of input or Ctrl-C ends early. Returns the results."""
    progress = store.load()
    rng = np.random.default_rng(drill.seed)
    if drill.mode in (Mode.FIX, Mode.IMPLEMENT) and drill.workdir is None:
        drill = replace(drill, workdir=Path(tempfile.mkdtemp(prefix="backprop-drill-")))
    limit = f", {drill.time_limit:g} s per answer" if drill.time_limit else ""
    rounds = f"{drill.rounds} round" + ("s" if drill.rounds != 1 else "")
    click.echo(f"Drill: {drill.mode.value}, {rounds}{limit}, seed {drill.seed}. "
               "End of input (Ctrl-D) or Ctrl-C stops.")
    results = []
    try:
        for index in range(1, drill.rounds + 1):
            click.echo(f"\n== Round {index}/{drill.rounds} ({drill.mode.value}) ==")
            result = play_round(drill, progress, rng, index, results[-1].item if results else None)
            results.append(result)
            progress = recorded(progress, drill.mode, result)
            store.save(progress)
    except (click.Abort, KeyboardInterrupt, EOFError):
        click.echo("\nDrill stopped.")
    click.echo("\n" + summary(results, drill.rounds))
    return results
