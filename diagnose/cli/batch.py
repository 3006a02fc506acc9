"""`diagnose check PATH...` on many files: option parsing and output, over diagnose.check.batch."""
import os
import secrets
import sys

import click

from diagnose.check.batch import (BatchError, Row, batch_doc, check_files, csv_text, expand, jsonl_text, shown_name,
                                  summary, table_text, GLOB)
from diagnose.check.files import NotAFile, writable_target, write_atomically
from diagnose.check.isolate import make_limits
from diagnose.check.limits import MAX_TIMEOUT, check_memory, check_positive, default_memory_gb
from diagnose.cli.options import SEED, parsed_by

RANDOM = "random"


def parse_seed(ctx, param, value):
    """An integer seed, or 'random': one drawn now and printed on stderr."""
    if value == RANDOM:
        seed = secrets.randbelow(2**31)
        click.echo(f"diagnose: --seed random drew {seed}", err=True)
        return seed
    try:
        seed = int(value)
    except ValueError:
        raise click.BadParameter(f"expected an integer or '{RANDOM}', not {value!r}") from None
    return SEED.convert(seed, param, ctx)  # 0 <= seed < 2**32, the same one-line error as run and drill


parse_memory = parsed_by(check_memory)  # GB of address space per file: finite, > 0 (None: the default)


parse_timeout = parsed_by(lambda value: check_positive(value, "seconds", MAX_TIMEOUT))  # > 0, at most a day


def check_csv_path(csv_path, files):
    """A --csv path that can be written and is none of `files`: a usage error before any file is checked."""
    try:
        if not csv_path:
            raise NotAFile("expected the name of a CSV file to write, not an empty string")
        if csv_path.startswith("-"):  # `--csv --json`: click took the next option as the file name
            raise NotAFile(f"expected the name of a CSV file to write, got {csv_path!r}, which looks like an option "
                           f"(write ./{csv_path} for a file of that name)")
        target = writable_target(csv_path)
        if target in {os.path.realpath(f) for f in files}:
            raise NotAFile(f"{csv_path} is one of the files to check; writing the CSV there would replace it")
    except NotAFile as exc:
        raise click.BadParameter(str(exc), param_hint="'--csv'") from None
    if not os.access(os.path.dirname(os.path.abspath(csv_path)), os.W_OK):
        raise click.BadParameter(f"cannot write {csv_path}: its directory does not exist or is not writable",
                                 param_hint="'--csv'")


def echo_batch(paths, pattern, seed, shape, limits, jobs, output, csv_path, emit_json, strict=False, net=None):
    """Check every file the paths name; print the table, the JSON lines or one JSON document.

    The progress bar goes to stderr only when it is a terminal and the output is text.
    Returns the exit code: 0 when every file is healthy (and, with `strict`, has no caution), else 1.
    """
    try:
        files = expand(paths, pattern or GLOB)
    except BatchError as exc:
        raise click.UsageError(str(exc)) from None
    if csv_path is not None:
        check_csv_path(csv_path, files)
    jobs = jobs or os.cpu_count()
    memory_gb = limits["memory_gb"] if limits["memory_gb"] is not None else default_memory_gb(min(jobs, len(files)))
    options = dict(seed=seed, shape=shape, limits=make_limits(limits["timeout"], memory_gb, output_bytes=0), jobs=jobs,
                   net=None if net is None else str(net))
    if output == "text" and sys.stderr.isatty():
        with click.progressbar(length=len(files), label="checking", file=sys.stderr) as bar:
            results = check_files(files, done=lambda _: bar.update(1), **options)
    else:
        results = check_files(files, **options)
    names = [shown_name(f) for f in files]
    rows = [Row.of(r, n) for r, n in zip(results, names)]
    totals = summary(results, strict)
    if csv_path:
        try:
            write_atomically(csv_path, csv_text(rows))
        except (OSError, NotAFile) as exc:  # checked above, but the disk may still refuse
            raise click.BadParameter(f"cannot write {csv_path}: {getattr(exc, 'strerror', None) or exc}",
                                     param_hint="'--csv'") from None
    if output == "json":
        emit_json(batch_doc(results, names, totals, seed, strict))
    elif output == "jsonl":
        click.echo(jsonl_text(results, names, strict), nl=False)
    else:
        click.echo(table_text(rows, totals, seed), nl=False)
    return totals["exit_code"]
