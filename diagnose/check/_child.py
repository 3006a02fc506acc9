"""The subject process of `diagnose check`: import the file, diagnose it, send JSON lines back.

Forked by the warden (diagnose/check/warden.py), one per file. It writes to the `up` pipe
one {"stage": ...} line each time the stage changes (so a timeout or a crash can say
where). When the diagnosis is over it asks for the run's token ({"ready": true}), reads
it from the `down` pipe and sends {"token": ..., "result": ...}: a file that writes a
result of its own and exits never holds the token, so the warden reports a crash.
The person's prints go to a third pipe the warden relays, so they never touch the channel.
"""
import json
import os
import sys
import traceback

from diagnose.check.isolate import IMPORT, diagnose_subject
from diagnose.check.limits import MESSAGE_CHARS, gb_text
from diagnose.check.loader import LoadError, load_subject
from diagnose.engine.subject import Subject

TOKEN_BYTES = 32  # hex characters of the warden's per-run token


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


def channel(fd):
    """emit(doc): one JSON line on the pipe `fd`, written whole."""

    def emit(doc):
        data = (json.dumps(doc) + "\n").encode()
        while data:
            data = data[os.write(fd, data):]

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


def out_of_memory(result):
    """Where the address-space limit stopped the file ('while being imported', 'during X'), else None.

    An allocation past RLIMIT_AS raises MemoryError; the subject's failure, a failed
    import and an escaped exception all keep that name in their message.
    """
    report = result.get("report")
    failure = report and report.get("failure")
    if failure and failure["message"].split(":")[0] == "MemoryError":
        return f"during {failure['stage']}"
    error = result.get("error") or ""
    if " raised MemoryError" in error.split("\n")[0]:
        return "while being imported" if "while being imported" in error else "while it ran"
    return None


def memory_result(path, memory_gb, where):
    """The error of a file that used all the memory it was allowed."""
    return {"error": f"{os.path.basename(path)} used more than {gb_text(memory_gb)} of memory {where} "
                     f"(the limit for one check; --memory-limit GB changes it)", "exit_code": 1}


def cap(value, limit=MESSAGE_CHARS):
    """`value` with every string longer than `limit` cut there, saying how much was cut."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]}... [{len(value) - limit:,} more characters cut]"
    if isinstance(value, dict):
        return {k: cap(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        return [cap(v, limit) for v in value]
    return value


def read_token(fd):
    """The warden's token, read from the `down` pipe once the diagnosis is over."""
    data = b""
    while len(data) < TOKEN_BYTES:
        chunk = os.read(fd, TOKEN_BYTES - len(data))
        if not chunk:
            break
        data += chunk
    return data.decode("ascii", "replace")


def run_subject(request, up, down):
    """Diagnose request['path'], send the authenticated result, exit at once."""
    path, seed = request["path"], request["seed"]
    shape = tuple(request["shape"]) if request["shape"] else None
    memory_gb = request["limits"]["memory_gb"]
    emit = channel(up)
    sys.dont_write_bytecode = True  # leave no __pycache__ beside the person's file
    sys.argv = [path]  # as when run as a script: an argument parser at import sees no arguments of ours
    sys.path.insert(0, os.path.dirname(path))  # their own sibling modules, as when run as a script
    try:
        result = diagnose_file(path, seed, shape, emit, request.get("net"))
    except BaseException as exc:  # noqa: BLE001 -- the parent must get a result, whatever happened
        result = {"error": unexpected(path, exc), "exit_code": 1}
    where = out_of_memory(result) if memory_gb is not None else None
    if where:
        result = memory_result(path, memory_gb, where)
    for stream in (sys.stdout, sys.stderr):  # the person's buffered prints
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    emit({"ready": True})
    emit({"token": read_token(down), "result": cap(result)})
    os._exit(0)  # no waiting for threads or atexit handlers the person's file left behind
