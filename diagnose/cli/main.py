"""The `diagnose` command: thin wrappers over library functions that tests call directly."""
import json
import os
import sys

import click

import bugs
from core.family import parse_net
from diagnose import __version__
from diagnose.mutants.views import catalog_dict, catalog_table
from diagnose.check.isolate import check_file
from diagnose.check.limits import default_memory_gb
from diagnose.check.batch import file_doc, strict_exit_code
from diagnose.cli.batch import echo_batch, parse_memory, parse_seed, parse_timeout
from diagnose.cli.drill import drill, stats
from diagnose.cli.options import SEED, Commands, Ids, emit_json, parsed_by
from diagnose.engine.full import full_check, n_params, render_full
from diagnose.engine.probe import ProbeError, make_probe, parse_shape
from diagnose.mutants.runs import CORE, rows_table, run_all, run_one, subject_for
from diagnose.check.adapter_templates import FAMILIES
from diagnose.check.files import NotAFile
from diagnose.check.template import write_template


def json_option(f):
    """`--json`: print exactly one JSON document on stdout."""
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of text.")(f)


def seed_option(f):
    """`--seed S`: every random choice is seeded (0 <= S < 2**32)."""
    return click.option("--seed", type=SEED, default=0, show_default=True, help="Seed for the probe data.")(f)


def strict_option(f):
    """`--strict`: a caution fails the command too (exit 1)."""
    return click.option("--strict", is_flag=True,
                        help="Exit 1 on a caution too (code that is right but fragile), not only on a fault.")(f)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="diagnose")
def main():
    """Find the bug in the backward pass of a 2-layer classifier, from behaviour alone."""


@main.command("list")
@json_option
def list_cmd(as_json):
    """The fault catalog: id, kind and title of every fault."""
    if as_json:
        emit_json(catalog_dict())
    else:
        click.echo(catalog_table())


@main.command()
@click.option("--bug", "bug_id", required=True, type=Ids(bugs.CATALOG),
              help="Fault id.")
def show(bug_id):
    """A mutant's function with the faulty line marked, then its diff against the core."""
    click.echo(bugs.show(bugs.get(bug_id)), nl=False)


def shape_option(f):
    """`--shape N,D,H,C`: probe at these sizes instead of the default 6,9,12,4."""
    return click.option("--shape", callback=_parse_shape, help="Probe sizes N,D,H,C (default 6,9,12,4).")(f)


def net_option(f):
    """`--net ACT,HEAD`: a member of the net family, e.g. tanh,sigmoid_bce (default relu,softmax_ce)."""
    return click.option("--net", callback=_parse_net, metavar="ACT,HEAD",
                        help="Member of the net family, e.g. tanh,sigmoid_bce (default: recognised from the loss; "
                             "relu,softmax_ce for a blank).")(f)


_parse_net = parsed_by(parse_net)
_parse_shape = parsed_by(parse_shape)  # ProbeError is a ValueError


def probe_or_usage_error(seed, shape):
    """Build the probe once here, so sizes it cannot be drawn at are a usage error, not a failure later."""
    try:
        make_probe(seed, shape)
    except ProbeError as exc:
        raise click.UsageError(str(exc)) from None


@main.command()
@click.option("--bug", "bug_id", type=Ids([*bugs.CATALOG, CORE]),
              help="Fault id, or 'core' (any case).")
@click.option("--all", "run_every", is_flag=True, help="Every fault, the equivalent mutants and the core.")
@click.option("--full", is_flag=True,
              help="Then check every entry by central differences (2 forward calls a parameter) and draw heat maps.")
@seed_option
@shape_option
@net_option
@json_option
@strict_option
def run(bug_id, run_every, full, seed, shape, net, as_json, strict):
    """Diagnose a catalogued mutant from behaviour alone; exit 0 when the verdict is the injected fault.

    With --net, `--bug core` is that member's core and the diagnoser is told the member instead of
    recognising it.
    """
    if bool(bug_id) == run_every:
        raise click.UsageError("give exactly one of --bug ID or --all")
    if full and run_every:
        raise click.UsageError("--full checks one subject entry by entry: use it with --bug ID, not --all")
    if net and run_every:
        raise click.UsageError("--net names one member: use it with --bug ID, not --all (which runs every member)")
    probe_or_usage_error(seed, shape)
    rows = run_all(seed, shape) if run_every else [run_one(bug_id, seed, shape, net)]
    ok = echo_all(rows, as_json) if run_every else echo_one(rows[0], seed, shape, full, as_json)
    cautioned = strict and any(row.report.cautions for row in rows)
    raise SystemExit(0 if ok and not cautioned else 1)


def echo_all(rows, as_json):
    """`run --all`: the table or its JSON; True when every row is right."""
    ok = all(row.right for row in rows)
    if as_json:
        emit_json({"rows": [row.to_dict() for row in rows], "all_right": ok})
    else:
        click.echo(rows_table(rows), nl=False)
    return ok


def echo_one(row, seed, shape, full, as_json):
    """`run --bug ID [--full]`: the report (and the full check) or one JSON document; True when right."""
    bug_id = row.bug
    doc = {**row.report.to_dict(), "bug": row.bug, "expected": row.expected, "expected_caution": row.caution,
           "right": row.right}
    if not as_json:
        click.echo(row.report.text(), nl=False)
        expected = "" if row.expected_words == row.bug else f"; expected: {row.expected_words}"
        click.echo(f"injected: {row.bug}{expected}; verdict {'right' if row.right else 'WRONG'}")
    if full:
        table = full_with_progress(bug_id, seed, shape, row.report.net, row.net)
        doc["full"] = table.to_dict()
        if not as_json:
            click.echo(render_full(table), nl=False)
    if as_json:
        emit_json(doc)
    return row.right


def full_with_progress(bug_id, seed, shape, judged=None, net=None):
    """The elementwise check on the same probe (of the member the report judged), with a progress bar on stderr."""
    probe = make_probe(seed, shape, judged)
    with click.progressbar(length=n_params(probe), label="full elementwise check", file=sys.stderr) as bar:
        return full_check(subject_for(bug_id, net)[0], probe, progress=bar.update)


class CheckError(click.ClickException):
    """A file that could not be checked: `Error: ...` on stderr with the check's own exit code."""

    def __init__(self, message, exit_code):
        super().__init__(message)
        self.exit_code = exit_code


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True), metavar="PATH...")
@click.option("--seed", default="0", show_default=True, callback=parse_seed,
              help="Seed for the probe data, the same for every file; 'random' draws one and prints it.")
@shape_option
@json_option
@click.option("--timeout", default="20", show_default=True, callback=parse_timeout, metavar="SECONDS",
              help="Seconds each file's code may run in its child process (at most a day).")
@click.option("--memory-limit", "memory_gb", callback=parse_memory, metavar="GB",
              help=f"GB of memory (address space) each file's process may use [default: {default_memory_gb()}, "
                   f"half the machine's; with several files, shared among the --jobs checked at once].")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help=f"Files checked at once [default: the number of cores, {os.cpu_count()} here].")
@click.option("--glob", "pattern", default=None, metavar="PATTERN",
              help="Which files below a directory to check [default: *.py].")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Print one JSON document per file, one a line.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Also write one row per file to FILE as CSV.")
@strict_option
@net_option
def check(paths, seed, shape, as_json, timeout, memory_gb, jobs, pattern, as_jsonl, csv_path, strict, net):
    """Diagnose your own implementation in PATH: exit 0 healthy, 1 a fault or a failure, 2 unusable file.

    PATH holds (a) forward_loss(X, y, params) and backward(cache, params), (b) a class
    TwoLayerNet(input_size, hidden_size, output_size) with params and loss(X, y, reg),
    or (c) loss_and_grads(X, y, params). It runs in a child process with a time and a
    memory limit; nothing it starts outlives the check. Code of another shape gets a few
    lines of adapter (diagnose.adapt; `template --form`).

    With several paths or a directory (every *.py below it), each file is checked in its
    own child and the command prints one row per file and a summary: exit 0 when every
    file is healthy, 1 when any has a fault or failed.
    """
    probe_or_usage_error(seed, shape)
    limits = dict(timeout=timeout, memory_gb=memory_gb)
    if pattern is not None and not pattern:
        raise click.BadParameter("expected a file name pattern such as 'hw2_*.py', not an empty string",
                                 param_hint="'--glob'")
    if len(paths) == 1 and not os.path.isdir(paths[0]) and not as_jsonl and csv_path is None and pattern is None:
        raise SystemExit(echo_single(paths[0], seed, shape, as_json, limits, strict, net))
    if as_json and as_jsonl:
        raise click.UsageError("give at most one of --json and --jsonl")
    output = "json" if as_json else "jsonl" if as_jsonl else "text"
    raise SystemExit(echo_batch(paths, pattern, seed, shape, limits, jobs, output, csv_path, emit_json, strict, net))


def echo_single(file, seed, shape, as_json, limits, strict, net=None):
    """`check FILE`: the report or its JSON document; the check's exit code (1 for a caution with --strict)."""
    result = check_file(file, seed=seed, shape=shape, net=net, **limits)
    exit_code = strict_exit_code(result, strict)
    if as_json:
        emit_json(file_doc(result, result.path, strict))
    elif result.report is None:
        raise CheckError(result.error, result.exit_code)
    else:
        click.echo(result.text(), nl=False)
    return exit_code


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.option("--form", type=click.Choice(FAMILIES),
              help="Instead, a blank adapter that imports existing code of this family and converts it.")
@net_option
def template(path, force, form, net):
    """Write a blank implementation (form a) to PATH, for `diagnose check PATH` to grade.

    With --form NAME, write instead a blank adapter that imports your existing code of that
    family (see examples/) and converts it, for `diagnose check PATH` to diagnose. With --net
    ACT,HEAD, the blank is that member of the net family's.
    """
    if form and net:
        raise click.UsageError("--form writes an adapter for code you have; --net a blank for a member: give one")
    try:
        write_template(path, force=force, form=form, net=net)
    except NotAFile as exc:
        raise click.BadParameter(str(exc), param_hint="'PATH'") from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror}" if exc.strerror else str(exc)) from None
    todo = "forward_loss() and backward()" if form is None else "the TODOs (your module and names)"
    click.echo(f"wrote {path}: fill in {todo}, then run: diagnose check {path}")


main.add_command(drill)
main.add_command(stats)
