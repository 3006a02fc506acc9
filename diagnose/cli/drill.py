"""`diagnose drill` and `diagnose stats`: thin wrappers over diagnose.practice."""
import json
import tempfile
from pathlib import Path

import click

import bugs
from diagnose.cli.options import SEED, FiniteRange, Ids
from diagnose.practice.drill import Drill, Mode, run
from diagnose.practice.session import FAULT_MODES
from diagnose.practice.levels import levels
from diagnose.practice.stats import stats_dict, stats_text
from diagnose.practice.store import ENV_VAR, Store, StoreError, is_default, resolve_path

DEFAULT_ROUNDS = {Mode.IMPLEMENT: 1}  # implementing the whole net is one long round; the rest default to 5


class StoreUnusable(click.ClickException):
    """A --store path that cannot be a store: `Error: ...` on stderr, exit 2 (a usage error)."""

    exit_code = 2


def store_option(f):
    """`--store PATH`: the progress file, overriding $BACKPROP_DRILLS_STORE and the data directory."""
    return click.option(
        "--store", "store_path", default=None, metavar="PATH",
        help=f"Progress file [default: ${ENV_VAR}, else $XDG_DATA_HOME or ~/.local/share"
             "/backprop-drills/progress.json]",
    )(f)


def warn(message):
    """One line on stderr."""
    click.echo(message, err=True)


def open_store(store_path, writing=True):
    """The Store for --store (or the variable, or the default); an unusable path is a usage error."""
    try:
        return Store(resolve_path(store_path), warn, create_parent=is_default(store_path), writing=writing)
    except StoreError as error:
        raise StoreUnusable(str(error)) from None


def check_workdir(workdir):
    """Make --workdir if needed and make sure a file can be written in it; else a usage error (exit 2)."""
    if not workdir:
        raise click.BadParameter("expected a directory, not an empty string", param_hint="'--workdir'")
    try:
        Path(workdir).mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=workdir).close()  # /proc, a read-only mount: refused now, not mid-round
    except OSError as error:
        raise click.BadParameter(f"cannot write files in {workdir}: {error.strerror or error}",
                                 param_hint="'--workdir'") from None


@click.command()
@click.option("--mode", type=click.Choice([m.value for m in Mode]), default=Mode.SYMPTOMS.value, show_default=True,
              help="symptoms: name the fault from observations; code: name the faulty line; fix: repair the "
                   "mutant in a file; implement: fill in a blank template; quiz: concept questions; "
                   "interview: a blank template against the clock, then two follow-up questions.")
@click.option("--rounds", type=click.IntRange(min=1), default=None,
              help="Number of rounds [default: 5; 1 for implement].")
@click.option("--seed", type=SEED, default=0, show_default=True,
              help="Seed for every random choice: the same seed and answers replay the same drill.")
@click.option("--bug", "bug_id", type=Ids(bugs.CATALOG), default=None,
              metavar="ID", help="Practise this catalog fault (symptoms, code and fix modes) instead of the "
                                 "level's faults; `diagnose list` shows the ids.")
@click.option("--level", type=click.IntRange(1, max(levels())), default=None,
              help="1: the checklist faults; 2: plus the extended catalog and equivalent mutants; 3: plus two "
                   "faults at once [default: follows your mastery].")
@click.option("--time-limit", type=FiniteRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="A right answer after this many seconds counts as late.")
@click.option("--minutes", type=FiniteRange(min=0, min_open=True, max=24 * 60), default=30.0,
              show_default=True, help="Length of the mock interview (interview mode).")
@click.option("--workdir", type=click.Path(file_okay=False), default=None,
              help="Where fix, implement and interview write their files [default: a new temp directory].")
@click.option("--watch/--no-watch", default=True, show_default=True,
              help="Fix, implement, interview: re-check the file each time it is saved.")
@click.option("--verbose", is_flag=True, help="Show the full report after each answer (else `r` shows it).")
@store_option
def drill(mode, rounds, seed, bug_id, level, time_limit, minutes, workdir, watch, verbose, store_path):
    """Interview drills: name, find and fix backprop faults, answer concept questions, or a mock interview."""
    mode = Mode(mode)
    if bug_id and mode not in FAULT_MODES:
        raise click.UsageError(f"--bug applies to the symptoms, code and fix modes, not {mode.value}")
    if bug_id and level:
        raise click.UsageError("give --bug ID or --level N, not both")
    if rounds and mode is Mode.INTERVIEW:
        raise click.UsageError("--rounds does not apply to the interview: its length is --minutes")
    if workdir is not None:
        check_workdir(workdir)
    settings = Drill(
        mode=mode,
        rounds=rounds or DEFAULT_ROUNDS.get(mode, 5),
        seed=seed,
        pool=(bug_id,) if bug_id else None,
        level=level,
        time_limit=time_limit,
        workdir=workdir,
        verbose=verbose,
        watch=watch,
        minutes=minutes,
    )
    run(settings, open_store(store_path))


@click.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of text.")
def stats(store_path, as_json):
    """Your progress: per fault seen, right, streak, Leitner box and last seen; per mode and level;
    accuracy by day; mock interviews."""
    store = open_store(store_path, writing=False)
    progress = store.load()
    if as_json:
        click.echo(json.dumps(stats_dict(progress, store.path), indent=2))
    else:
        click.echo(stats_text(progress, store.path, order=bugs.CATALOG))
