"""Option types and the command group shared by every command: values checked at the door.

A bad value is a usage error in one line (exit 2); with `--json` every error, usage or
not, is one JSON document on stdout, `{"error": {"kind", "message"}}`, with the same exit code.
"""
import contextlib
import errno
import json
import math
import os
import sys

import click

SEED = click.IntRange(0, 2**32 - 1)  # numpy's default_rng takes any int, but the CLI promises 0 <= seed < 2**32


class FiniteRange(click.FloatRange):
    """A FloatRange that also refuses nan (every comparison with nan is false, so FloatRange lets it through)."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


def parsed_by(parse):
    """A click callback: None stays None, else parse(value); its ValueError is a one-line usage error."""
    def callback(ctx, param, value):
        try:
            return None if value is None else parse(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return callback


class Ids(click.Choice):
    """A choice of ids in any case (MISSING_DIV_N, dw2_transposed); errors list them as spelled."""

    def __init__(self, ids):
        super().__init__(list(ids), case_sensitive=False)

    def get_invalid_choice_message(self, value, ctx):
        return f"{value!r} is not one of {', '.join(map(repr, self.choices))}."

    def get_missing_message(self, param, ctx):
        """One line instead of click's list of every id, one a line (and lowercased)."""
        return "Give a fault id; `diagnose list` shows them."


def error_document(kind, message):
    """The JSON document of an error: kind is 'usage', 'subject', 'internal' or 'interrupted'."""
    return {"error": {"kind": kind, "message": message}}


def emit_json(doc):
    """Print one JSON document on stdout."""
    click.echo(json.dumps(doc, indent=2))


OUTPUT_ERRNOS = (errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG)  # stdout on a full disk, /dev/full, a dead tty


def output_failed(exc):
    """The one-line error of output that could not be written; stdout is pointed at /dev/null so that
    Python's own flush at exit does not fail again with a traceback."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return click.ClickException(f"cannot write the output: {exc.strerror}")


class Commands(click.Group):
    """The `diagnose` group: usage errors in one line, and as JSON documents under --json."""

    def invoke(self, ctx):
        as_json = "--json" in ctx.args
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            if as_json:
                emit_json(error_document("usage", exc.format_message()))
                raise SystemExit(exc.exit_code) from None
            exc.ctx = None  # click prints the usage text only when the error carries a context
            raise
        except click.ClickException as exc:
            if as_json:
                emit_json(error_document("subject" if exc.exit_code == 1 else "usage", exc.format_message()))
                raise SystemExit(exc.exit_code) from None
            raise
        except (KeyboardInterrupt, EOFError, click.Abort):
            if not as_json:
                raise
            emit_json(error_document("interrupted", "stopped before the end (Ctrl-C or end of input)"))
            raise SystemExit(1) from None
        except Exception as exc:  # noqa: BLE001 -- our own bug: under --json it is still one document
            if isinstance(exc, OSError) and exc.errno in OUTPUT_ERRNOS:
                raise output_failed(exc) from None
            if not as_json:
                raise
            emit_json(error_document("internal", f"{type(exc).__name__}: {exc} (a bug in diagnose: please report it)"))
            raise SystemExit(1) from None
