"""`diagnose check FILE`: diagnose a person's own implementation in a child process, safely.

The file runs in a child process (diagnose/check/_child.py) with a time limit: an exception,
an infinite loop, a sys.exit or a crash of the process becomes a one-line error or a
report, never a traceback of this tool. The child sends its progress (the stage it is
in) and its result as JSON lines; the parent rebuilds the Report from them.
"""
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from diagnose.engine.pipeline import diagnose
from diagnose.engine.findings import HEALTHY
from diagnose.check.loader import CLASS_NAME
from core.family import parse_net
from diagnose.engine.probe import check_shape
from diagnose.check.regcheck import check_reg
from diagnose.engine.report import Report
from diagnose.engine.subject import Subject

TIMEOUT = 20.0
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # holds diagnose/, core/, bugs/
# -c, not -m, and without '' on sys.path: a person's core.py in the current directory must not
# shadow ours; ROOT comes first instead
BOOT = ("import sys; sys.path[:] = [sys.argv[1]] + [p for p in sys.path if p not in ('', '.')]; "
        "from diagnose.check._child import main; main(sys.argv[2:])")
FORM_WORDS = {"a": "forward_loss and backward", "b": f"class {CLASS_NAME}", "c": "loss_and_grads"}
IMPORT = "import"


def diagnose_subject(form, *, seed=0, shape=None, wrap=Subject, net=None):
    """The engine's report on an adapted subject, plus the regularisation check for a class."""
    report = diagnose(wrap(form), seed=seed, shape=shape, net=net)
    if form.form == "b":
        report = check_reg(form, report, seed=seed, shape=shape, wrap=wrap)
    return report


@dataclass(frozen=True)
class CheckResult:
    """What checking one file gave: a report, or an error that stopped it; and the exit code."""

    path: str
    exit_code: int
    form: str | None = None
    report: Report | None = None
    error: str | None = None
    seconds: float = field(default=0.0, compare=False)  # wall time, child start included

    def text(self):
        """The report for people, under a line naming the form found; or the one-line error."""
        if self.report is None:
            return f"{self.error}\n"
        head = f"{os.path.basename(self.path)}: form ({self.form}), {FORM_WORDS[self.form]}\n"
        return head + self.report.text()

    def to_dict(self):
        """The report's JSON document (as `run --json`) with the file, form, exit code and error."""
        doc = self.report.to_dict() if self.report else {"verdict": "error"}
        return {**doc, "file": self.path, "form": self.form, "exit_code": self.exit_code, "error": self.error}


def check_file(path, *, seed=0, shape=None, timeout=TIMEOUT, net=None):
    """Diagnose the implementation in the file at `path`, in a child process with a time limit.

    `net` ("tanh,sigmoid_bce", ...) names the member of the net family; by default it is recognised.
    """
    path = os.path.abspath(os.fspath(path))
    if shape is not None:
        check_shape(tuple(shape))  # a bad shape is the caller's mistake: ValueError here, not in the child
    net = None if net is None else str(parse_net(net))  # likewise a bad net
    if not os.path.exists(path):
        return CheckResult(path, 2, error=f"no such file: {path}")
    if os.path.isdir(path):
        return CheckResult(path, 2, error=f"{path} is a directory; give the Python file that holds your implementation")
    start = time.perf_counter()
    returncode, lines, timed_out = run_child(path, seed, shape, timeout, net)
    result = interpret(path, returncode, lines, timed_out, timeout)
    return CheckResult(result.path, result.exit_code, result.form, result.report, result.error,
                       time.perf_counter() - start)


def child_command(path, seed, shape, net=None):
    """The argv of the child that imports `path` and diagnoses it."""
    shape_text = ",".join(str(n) for n in shape) if shape else ""
    return [sys.executable, "-c", BOOT, ROOT, path, str(seed), shape_text, net or ""]


def run_child(path, seed, shape, timeout, net=None):
    """(return code, JSON lines it sent, whether it was killed for time); the child's stderr is ours."""
    proc = subprocess.Popen(child_command(path, seed, shape, net), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            start_new_session=True, text=True)
    timed_out = False
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        out = finish(proc)
    except BaseException:  # Ctrl-C in the parent: never leave the child running without its limit
        kill_group(proc)
        raise
    return proc.returncode, parse_lines(out), timed_out


def kill_group(proc):
    """Kill the child and whatever it started (it leads its own session)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def finish(proc):
    """Kill a child that ran out of time and collect what it sent before (nothing is lost on retry)."""
    kill_group(proc)
    try:
        out, _ = proc.communicate(timeout=5)
    except subprocess.TimeoutExpired:  # a grandchild in another session holds the pipe open
        proc.kill()
        out = ""
    return out or ""


def parse_lines(out):
    """The JSON objects among the child's stdout lines (anything else is ignored)."""
    docs = []
    for line in (out or "").splitlines():
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if isinstance(doc, dict):
            docs.append(doc)
    return docs


def last_stage(lines):
    """The stage the child last reported, as words for a message."""
    stages = [doc["stage"] for doc in lines if "stage" in doc]
    if not stages:
        return "while starting"
    if stages[-1] == IMPORT:
        return "while being imported"
    return f"during {stages[-1]}"


def interpret(path, returncode, lines, timed_out, timeout):
    """A CheckResult from what the child sent and how it ended."""
    name = os.path.basename(path)
    results = [doc["result"] for doc in lines if isinstance(doc.get("result"), dict)]
    if results:
        return from_result(path, results[-1])
    where = last_stage(lines)
    if timed_out:
        message = f"{name} did not finish in {timeout:g} s (an infinite loop?) {where}"
    elif returncode is not None and returncode < 0:
        message = f"{name} crashed the process ({signal_name(-returncode)}) {where}"
    else:
        message = f"{name} ended the process with exit status {returncode} {where}, before any result (os._exit?)"
    return CheckResult(path, 1, error=message)


def signal_name(number):
    """'SIGSEGV' for 11, else 'signal N'."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def from_result(path, doc):
    """The CheckResult for the child's result document."""
    if "report" not in doc:
        return CheckResult(path, int(doc.get("exit_code", 1)), error=doc.get("error", "no result"))
    report = Report.from_dict(doc["report"])
    return CheckResult(path, 0 if report.verdict == HEALTHY else 1, doc["form"], report)
