"""`diagnose drill` and `diagnose stats`: thin wrappers over diagnose.practice.drill and diagnose.practice.store."""
import json

import click

import bugs
from diagnose.cli.options import SEED
from diagnose.practice.drill import DEFAULT_POOL, FAULT_MODES, Drill, Mode, run
from diagnose.practice.store import ENV_VAR, Store, resolve_path, stats_dict, stats_text

DEFAULT_ROUNDS = {Mode.IMPLEMENT: 1}  # implementing the whole net is one long round; the rest default to 5


def store_option(f):
    """`--store PATH`: the progress file, overriding $BACKPROP_DRILLS_STORE and the data directory."""
    return click.option(
        "--store", "store_path", type=click.Path(dir_okay=False), default=None,
        help=f"Progress file [default: ${ENV_VAR}, else $XDG_DATA_HOME or ~/.local/share/backprop-drills/progress.json]",
    )(f)


def warn(message):
    """One line on stderr."""
    click.echo(message, err=True)


@click.command()
@click.option("--mode", type=click.Choice([m.value for m in Mode]), default=Mode.SYMPTOMS.value, show_default=True,
              help="symptoms: name the fault from observations; code: name the faulty line; fix: repair the "
                   "mutant in a file; implement: fill in a blank template; quiz: concept questions.")
@click.option("--rounds", type=click.IntRange(min=1), default=None,
              help="Number of rounds [default: 5; 1 for implement].")
@click.option("--seed", type=SEED, default=0, show_default=True,
              help="Seed for every random choice: the same seed and answers replay the same drill.")
@click.option("--bug", "bug_id", type=click.Choice(list(bugs.CATALOG)), default=None, metavar="ID",
              help="Practise this catalog fault (symptoms, code and fix modes) instead of the seven checklist faults; "
                   "`diagnose list` shows the ids.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="A right answer after this many seconds counts as late.")
@click.option("--workdir", type=click.Path(file_okay=False), default=None,
              help="Where fix and implement write their files [default: a new temp directory].")
@store_option
def drill(mode, rounds, seed, bug_id, time_limit, workdir, store_path):
    """Interview drills: name, find and fix backprop faults, or answer concept questions."""
    mode = Mode(mode)
    if bug_id and mode not in FAULT_MODES:
        raise click.UsageError(f"--bug applies to the symptoms, code and fix modes, not {mode.value}")
    settings = Drill(
        mode=mode,
        rounds=rounds or DEFAULT_ROUNDS.get(mode, 5),
        seed=seed,
        pool=(bug_id,) if bug_id else DEFAULT_POOL,
        time_limit=time_limit,
        workdir=workdir,
    )
    run(settings, Store(resolve_path(store_path), warn))


@click.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of text.")
def stats(store_path, as_json):
    """Your drill progress: attempts, right answers, streak and median answer time per fault."""
    store = Store(resolve_path(store_path), warn)
    progress = store.load()
    if as_json:
        click.echo(json.dumps(stats_dict(progress, store.path), indent=2))
    else:
        click.echo(stats_text(progress, store.path, order=bugs.CATALOG))
