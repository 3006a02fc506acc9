"""`diagnose check FILE`: diagnose a person's own implementation in a child process, safely.

The file runs in a subject process (diagnose/check/_child.py) forked by a warden
(warden.py) from a warm fork server (forkserver.py), under the limits of limits.py: an
exception, an infinite loop, a sys.exit, a crash, too much memory or a forged result
becomes a one-line error or a report, never a traceback of this tool, and no process the
file started outlives the check. The subject sends its stage and its result as JSON
lines; the parent rebuilds the Report from them.
"""
import os
import signal
import time
from dataclasses import dataclass, field, replace

from diagnose.engine.pipeline import diagnose
from diagnose.engine.findings import HEALTHY
from diagnose.check.loader import CLASS_NAME, EMPTY_PATH, unusable_file
from core.family import parse_net
from diagnose.engine.probe import check_shape
from diagnose.check.regcheck import check_reg
from diagnose.engine.report import Report
from diagnose.engine.subject import Subject
from diagnose.check.forkserver import START_GRACE, ForkServer, ServerGone
from diagnose.check.limits import (MAX_TIMEOUT, OUTPUT_BYTES, TIMEOUT, Limits, check_memory, check_positive,
                                   default_memory_gb, signal_name, SUBJECT_FAILED)

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
    unchecked: bool = field(default=False, compare=False)  # the fork server had ended before this file's result

    def text(self):
        """The report for people, under a line naming the form found; or the one-line error."""
        if self.report is None:
            return f"{self.error}\n"
        head = f"{os.path.basename(self.path)}: form ({self.form}), {FORM_WORDS[self.form]}\n"
        return head + self.report.text()

    def to_dict(self):
        """The report's JSON document (as `run --json`) with the file, form, exit code and error."""
        doc = self.report.to_dict() if self.report else {"verdict": "error"}
        return {**doc, "file": self.path, "form": self.form, "exit_code": self.exit_code, "error": self.error_doc()}

    def error_doc(self):
        """None, or {"kind": "usage" (exit 2: the file cannot be used) or "subject" (its code failed), "message"}."""
        if self.error is None:
            return None
        return {"kind": "usage" if self.exit_code == 2 else "subject", "message": self.error}


def check_file(path, *, seed=0, shape=None, timeout=TIMEOUT, memory_gb=None, output_bytes=OUTPUT_BYTES, net=None):
    """Diagnose the implementation in the file at `path`, in a child process with limits.

    `timeout` seconds and `memory_gb` GB of address space (None: a fraction of the machine's
    memory); the file's prints are relayed to stderr up to `output_bytes`. `net`
    ("tanh,sigmoid_bce", ...) names the member of the net family; by default it is recognised.
    """
    if not os.fspath(path):  # abspath would make it the current directory
        return CheckResult("", 2, error=EMPTY_PATH)
    path = os.path.abspath(os.fspath(path))
    if shape is not None:
        check_shape(tuple(shape))  # a bad shape is the caller's mistake: ValueError here, not in the child
    limits = make_limits(timeout, memory_gb, output_bytes)
    net = None if net is None else str(parse_net(net))  # likewise a bad net
    problem = unusable_file(path)
    if problem:
        return CheckResult(path, 2, error=problem)
    start = time.perf_counter()
    with ForkServer() as server:
        (result,) = run_requests(server, [request(path, seed, shape, limits, net)], jobs=1)
    return replace(result, seconds=time.perf_counter() - start)


def make_limits(timeout=TIMEOUT, memory_gb=None, output_bytes=OUTPUT_BYTES):
    """The Limits of one check (ValueError for a bad one); None for memory: a fraction of the machine's."""
    timeout = check_positive(timeout, "seconds", MAX_TIMEOUT, name="timeout")
    memory_gb = default_memory_gb() if memory_gb is None else check_memory(memory_gb, name="memory limit")
    return Limits(timeout, memory_gb, output_bytes)


def request(path, seed, shape, limits, net=None):
    """The fork server's request for one file (its id is given when it is sent)."""
    return {"id": None, "path": os.path.abspath(os.fspath(path)), "seed": seed,
            "shape": list(shape) if shape else None, "limits": limits.to_dict(), "net": net}


def run_requests(server, requests, jobs, done=None):
    """CheckResults for `requests` in their order, at most `jobs` running at once.

    `done(result)` is called as each finishes (a progress bar). A server that stops
    answering turns the files still waiting into errors, never a hang.
    """
    results, sent, waiting = [None] * len(requests), 0, 0
    patience = max((r["limits"]["timeout"] for r in requests), default=0) + START_GRACE
    try:
        while sent < len(requests) or waiting:
            while sent < len(requests) and waiting < jobs:
                server.submit({**requests[sent], "id": sent})
                sent, waiting = sent + 1, waiting + 1
            outcome = server.receive(patience)
            waiting -= 1
            job = requests[outcome["id"]]
            results[outcome["id"]] = interpret(job["path"], outcome, job["limits"]["timeout"])
            if done:
                done(results[outcome["id"]])
    except ServerGone as exc:
        for i, job in enumerate(requests):
            if results[i] is None:
                results[i] = CheckResult(job["path"], 1, error=f"{os.path.basename(job['path'])} was not checked: {exc}",
                                         unchecked=exc.ended)
    return results


def stage_words(stage):
    """The stage the child last reported, as words for a message."""
    if not stage:
        return "while starting"
    if stage == IMPORT:
        return "while being imported"
    return f"during {stage}"


def interpret(path, outcome, timeout):
    """A CheckResult from the warden's outcome: the subject's authenticated result, or how it ended."""
    name = os.path.basename(path)
    seconds = float(outcome.get("seconds", 0.0))
    if isinstance(outcome.get("result"), dict):
        return replace(from_result(path, outcome["result"]), seconds=seconds)
    if outcome.get("killed"):
        return CheckResult(path, 1, error=f"{name} was not checked: the process watching it was killed "
                                          f"({outcome['killed']}) before any result (a file that kills its parent "
                                          "process does this)")
    if outcome.get("internal"):
        return CheckResult(path, 1, error=f"{name} was not checked: {outcome['internal']} (a bug in diagnose: "
                                          "please report it with the file)")
    where, returncode = stage_words(outcome.get("stage")), outcome.get("returncode")
    if outcome.get("timed_out") and not outcome.get("stage"):  # none of the file's code ran: no loop to blame
        message = (f"{name} was not checked: the limit of {timeout:g} s ran out while the check's own process "
                   "was starting, before the file ran (give a larger --timeout)")
    elif outcome.get("timed_out"):
        message = f"{name} did not finish in {timeout:g} s (an infinite loop?) {where}"
    elif returncode is not None and returncode < 0:
        message = f"{name} crashed the process ({signal_name(-returncode)}) {where}"
    elif returncode == SUBJECT_FAILED and not outcome.get("stage"):
        message = f"{name} was not checked: the check's own process failed while starting (a bug in diagnose: please report it)"
    elif returncode == SUBJECT_FAILED:
        message = (f"{name} broke the check's channel {where}, before any result: it closed or replaced "
                   "(os.close, os.dup2) file descriptors it did not open")
    else:
        message = f"{name} ended the process with exit status {returncode} {where}, before any result (os._exit?)"
    return CheckResult(path, 1, error=message, seconds=seconds)


def from_result(path, doc):
    """The CheckResult for the child's result document."""
    if "report" not in doc:
        return CheckResult(path, int(doc.get("exit_code", 1)), error=doc.get("error", "no result"))
    report = Report.from_dict(doc["report"])
    return CheckResult(path, 0 if report.verdict == HEALTHY else 1, doc["form"], report)
