"""The child process of `diagnose check`: import the file, diagnose it, send JSON lines back.

Started by `diagnose.check.isolate.run_child` as `python -c BOOT ROOT PATH SEED SHAPE`. Its
stdout is the channel to the parent: one {"stage": ...} line each time the stage
changes (so a timeout or a crash can say where), then one {"result": ...} line.
The person's own prints go to stderr, so they never corrupt the channel.
"""
import json
import os
import sys
import traceback

from diagnose.check.isolate import IMPORT, diagnose_subject
from diagnose.check.loader import LoadError, load_subject
from diagnose.engine.probe import parse_shape
from diagnose.engine.subject import Subject


class ReportingSubject(Subject):
    """A Subject that tells the parent each stage it enters."""

    def __init__(self, impl, emit):
        self._emit, self._stage = emit, None
        super().__init__(impl)

    @property
    def stage(self):
        return self._stage

    @stage.setter
    def stage(self, value):
        if value != self._stage:
            self._stage = value
            self._emit({"stage": value})


def open_channel():
    """A private file on the original stdout; fd 1 then points at stderr for the person's prints."""
    sys.stdout.flush()
    channel = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)

    def emit(doc):
        channel.write(json.dumps(doc) + "\n")
        channel.flush()

    return emit


def diagnose_file(path, seed, shape, emit, net=None):
    """The result document for one file: the form and the report, or the error."""
    emit({"stage": IMPORT})
    try:
        form = load_subject(path)
    except LoadError as exc:
        return {"error": exc.message, "exit_code": exc.exit_code}
    report = diagnose_subject(form, seed=seed, shape=shape, wrap=lambda impl: ReportingSubject(impl, emit), net=net)
    return {"form": form.form, "report": report.to_dict()}


def unexpected(path, exc):
    """An exception that escaped everything: the person's if their file is in its frames, else ours."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if f.filename == path]
    name = os.path.basename(path)
    if own:
        where = f'File "{own[-1].filename}", line {own[-1].lineno}'
        return f"{name} raised {type(exc).__name__}: {exc} ({where})"
    last = frames[-1] if frames else None
    where = f" at {os.path.basename(last.filename)}:{last.lineno}" if last else ""
    return (f"the diagnoser failed on {name}'s output: {type(exc).__name__}: {exc}{where} "
            "(a bug in diagnose: please report it with the file)")


def main(argv):
    """PATH SEED SHAPE [NET] ('' for the defaults): diagnose, send the result, exit at once."""
    path, seed, shape_text = os.path.abspath(argv[0]), int(argv[1]), argv[2]
    net = argv[3] if len(argv) > 3 and argv[3] else None
    emit = open_channel()
    sys.dont_write_bytecode = True  # leave no __pycache__ beside the person's file
    sys.path.insert(0, os.path.dirname(path))  # their own sibling modules, as when run as a script
    try:
        result = diagnose_file(path, seed, parse_shape(shape_text) if shape_text else None, emit, net)
    except BaseException as exc:  # noqa: BLE001 -- the parent must get a result, whatever happened
        result = {"error": unexpected(path, exc), "exit_code": 1}
    emit({"result": result})
    for stream in (sys.stdout, sys.stderr):  # the person's buffered prints
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(0)  # no waiting for threads or atexit handlers the person's file left behind
