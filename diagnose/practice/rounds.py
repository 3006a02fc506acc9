"""One round of each kind: name the fault from observations, name the line, fix a file, implement, quiz.

Before the answer a round shows only what a person would see; after it: right or
wrong, the one to three evidence lines that identify the fault, and the diff. The
full report comes with `r` at the next prompt, or at once with --verbose.
"""
import ast
import os
import difflib
from pathlib import Path

import click

import bugs
from bugs.mutant import core_source, function_source, source_for
from diagnose.check.template import write_template
from diagnose.engine.pipeline import diagnose
from diagnose.practice.answers import HEALTHY, menu_text, parser, truth
from diagnose.practice.conceal import neutral_source, observations, strip_comments
from diagnose.practice.levels import faults_of
from diagnose.practice.quiz import InvalidAnswer
from diagnose.practice.repair import Clues, repair
from diagnose.practice.session import Mode, Result

EVIDENCE_LINES = 3


# -- what is shown after the answer ------------------------------------------------------------

def named(item, where=""):
    """`It was ...`: the fault(s), where, and title(s); or healthy for an equivalent mutant."""
    faults = faults_of(item)
    if truth(item) == {HEALTHY}:
        (fault,) = faults
        return f"It was {HEALTHY}: {fault.id} is an equivalent mutant ({fault.title}; {fault.symptom})."
    where = f" ({where})" if where else ""
    return f"It was {' + '.join(f.id for f in faults)}{where}: {'; '.join(f.title for f in faults)}."


def evidence(report):
    """The first lines of evidence the report gives, or that it found nothing wrong."""
    lines = report.evidence[:EVIDENCE_LINES]
    if not lines:
        return "Evidence: every stage passes; the gradients match central differences."
    return "Evidence:\n" + "\n".join(f"  - {line}" for line in lines)


def diffs(item):
    """The diff of each fault in the item against the core."""
    return "\n".join(bugs.diff(f).rstrip("\n") for f in faults_of(item))


def diagnosed(session, item):
    """The diagnoser's report on the item's mutant, at a fresh probe seed."""
    return diagnose(bugs.make_mutant(*faults_of(item)), seed=session.probe_seed())


def reveal(session, item, report, where=""):
    """After the answer: what it was, the evidence, the diff; the full report kept for `r`."""
    click.echo(named(item, where))
    click.echo(evidence(report))
    click.echo(diffs(item))
    session.offer_report(report.text())


# -- symptoms: name the fault from what the diagnoser observed --------------------------------

def symptoms_round(session, item, ids):
    """Show the observations of the mutant (no conclusions), ask for the fault, then reveal."""
    report = diagnosed(session, item)
    click.echo("What the diagnoser observed:\n")
    click.echo(observations(report).rstrip("\n"))
    count = len(truth(item))
    click.echo("\nWhich fault is it?" if count == 1 else f"\n{count} faults at once: which?")
    click.echo(menu_text(ids))
    answer, seconds = session.ask("Your answer (number, id or its start):", parser(ids, count))
    outcome = session.scored(answer == truth(item), seconds)
    reveal(session, item, report)
    return Result(item, outcome, seconds)


# -- code: name the faulty line ---------------------------------------------------------------

def mutant_lines(fault):
    """The lines of the mutant's function as the person sees them: no comments."""
    return strip_comments(function_source(bugs.apply(fault), fault.function)).splitlines()


def faulty_lines(fault):
    """The 1-based lines that count as naming the fault: those it wrote, and for a removed line both neighbours."""
    lines = set(bugs.changed_lines(fault))
    if not fault.replace:  # a removed line: changed_lines marks the line below the gap; the one above counts too
        lines |= {line - 1 for line in lines if line > 1}
    return lines


def parse_line(count):
    """A parser for a line number from 1 to count, or 0 / healthy for nothing wrong."""
    def parse(text):
        text = text.strip()
        if text.isdigit() and 0 <= int(text) <= count:
            return int(text)
        if text and HEALTHY.startswith(text.lower()):
            return 0
        raise InvalidAnswer(f"type a line number from 1 to {count}, or 0 if nothing is wrong")
    return parse


def code_round(session, item):
    """Show the mutant's function with line numbers and no comments, ask for the faulty line, then reveal."""
    (fault,) = faults_of(item)
    lines = mutant_lines(fault)
    click.echo(f"Is a line of this {fault.function}() wrong? Which? (0 if none is; if a line is missing, "
               "name a line next to the gap.)\n")
    click.echo("\n".join(f"{i:3d}  {line}" for i, line in enumerate(lines, 1)))
    line, seconds = session.ask("Line number:", parse_line(len(lines)))
    faulty = sorted(faulty_lines(fault)) if truth(item) != {HEALTHY} else [0]
    outcome = session.scored(line in faulty, seconds)
    where = ("line " if len(faulty) == 1 else "lines ") + ", ".join(map(str, faulty))
    reveal(session, item, diagnosed(session, item), where=where if faulty != [0] else "")
    return Result(item, outcome, seconds)


# -- fix and implement: edit a file until check calls it healthy ---------------------------

def round_file(workdir, index):
    """A new file for round `index` in workdir, named so it gives nothing away.

    An earlier session's file of the same name is the person's work: it is never overwritten. The
    name is claimed by creating the file exclusively, so two drills in one workdir never pick the
    same file, and a symlink left under that name is never followed.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    path, n = workdir / f"round{index}_net.py", 1
    while True:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return path
        except FileExistsError:
            n += 1
            path = workdir / f"round{index}_net_{n}.py"


def enclosing_function(source, line):
    """The top-level function holding 1-based `line`, or None."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.lineno <= line <= node.end_lineno:
            return node.name
    return None


def changed_file_lines(before, after):
    """1-based lines of `after` that differ from `before`; a removed line marks the line in its place."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    lines = []
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            lines.extend(range(j1 + 1, max(j2, j1 + 1) + 1))
    return lines


def fix_clues(text, item):
    """What the hints may say of a mutant file: its changed lines' text and (line, function) places."""
    fault = faults_of(item)[0]
    changed = changed_file_lines(neutral_source(source_for(fault), fault.net), text)
    lines = text.splitlines()
    return Clues(lines=tuple(lines[n - 1] for n in changed if n <= len(lines)),
                 where=tuple((n, enclosing_function(text, n)) for n in changed))


def fix_round(session, item, index):
    """Write the mutant (neutral header, no comments) to a file; the person makes it healthy; then reveal."""
    path = round_file(session.drill.workdir, index)
    text = neutral_source(mutant_source(item), faults_of(item)[0].net)
    path.write_text(text, encoding="utf-8")
    click.echo(f"{path} holds a two-layer classifier. Make `diagnose check` call it healthy "
               "(if it already is, check it unchanged).")
    click.echo("Each check shows what the diagnoser observed, not its verdict.")
    clues = Clues() if truth(item) == {HEALTHY} else fix_clues(text, item)  # an equivalent mutant has no line to fix
    attempt = repair(session, path, session.probe_seed(), reveal=False, clues=clues)
    outcome = session.scored(attempt.healthy, attempt.seconds)
    reveal(session, item, diagnosed(session, item))
    return Result(item, outcome, attempt.seconds, attempt.hints)


def mutant_source(item):
    """The core's source (core/family.py set to its member, for a member fault) with every fault of the item applied."""
    source = source_for(faults_of(item)[0])
    for fault in faults_of(item):
        source = bugs.apply(fault, source)
    return source


def reference():
    """The reference forward_loss and backward, from core/net.py."""
    return "\n\n".join(function_source(core_source(), name) for name in ("forward_loss", "backward")).rstrip()


def implement_round(session, index):
    """Write the blank template; the person implements it; `check` decides; then the reference if not done."""
    path = round_file(session.drill.workdir, index)
    write_template(path, force=True)  # the empty file round_file claimed
    click.echo(f"{path} is a blank two-layer classifier: fill in forward_loss() and backward().")
    attempt = repair(session, path, session.probe_seed(), reveal=False)
    outcome = session.scored(attempt.healthy, attempt.seconds)
    if not attempt.healthy:
        click.echo(f"\nThe reference, from core/net.py:\n\n{reference()}")
    return Result(Mode.IMPLEMENT.value, outcome, attempt.seconds, attempt.hints)


# -- quiz -------------------------------------------------------------------------------------

def quiz_round(session, question):
    """Ask one concept question, check the answer, then give the right one and why."""
    click.echo(question.text())
    right, seconds = session.ask("Your answer:", question.check)
    outcome = session.scored(right, seconds)
    click.echo(f"The answer: {question.answer.shown()}. Why: {question.why}")
    return Result(question.topic, outcome, seconds)

