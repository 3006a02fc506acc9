"""The limits a checked file runs under, and the Linux process controls that enforce them.

A checked file gets a time limit, an address-space limit (RLIMIT_AS, so an allocation
past it fails with MemoryError), a cap on the output it prints and on each message it
sends back. `prctl` (through ctypes, Linux only) makes a process die with its parent
(PR_SET_PDEATHSIG) and adopt its descendants' orphans (PR_SET_CHILD_SUBREAPER), so that
`end_descendants` can find and kill every process a file started. Elsewhere these
calls do nothing: the pipes the processes poll still end them, but a process the file
starts in a new session can outlive the check (documented in the README).
"""
import ctypes
import math
import os
import resource
import signal
import time
from dataclasses import dataclass

GB = 10**9
MEMORY_FRACTION = 0.5  # of the machine's physical memory, for each checked file
MIN_MEMORY_GB = 0.25  # measured: below 0.12 GB the forked check process fails to import numpy's libraries
MAX_MEMORY_GB = 1e6  # GB; 1e9 bytes each, far below RLIMIT_AS's 2**63 - 1
TIMEOUT = 20.0
MAX_TIMEOUT = 86400  # seconds: a day; larger values overflow select() and mean "no limit" anyway
OUTPUT_BYTES = 64 * 1024  # of a file's own prints shown per check; the rest is counted, not shown
MESSAGE_CHARS = 2000  # of each message (an exception's text, a traceback line) sent back
SUBJECT_FAILED = 70  # exit status of a subject process whose own code (not the file's) raised: its channel was broken
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


def machine_memory():
    """Bytes of physical memory, or None where the system does not say."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def default_memory_gb(shared=1):
    """MEMORY_FRACTION of the machine's memory in GB, one decimal, split among `shared` checks running at once
    (so that a batch of greedy files cannot take more than one check could); None when unknown (no limit)."""
    total = machine_memory()
    return None if total is None else max(MIN_MEMORY_GB, round(total * MEMORY_FRACTION / shared / GB, 1))


def gb_text(gb):
    """'2 GB', '0.5 GB', '11.7 GB'."""
    return f"{gb:g} GB"


def check_positive(value, unit, most=math.inf, name=None):
    """`value` as a finite float > 0 and at most `most`; ValueError saying what was expected (and for what)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number <= 0 or number > most:
        bound = f" and at most {most:g}" if math.isfinite(most) else ""
        message = f"expected a number of {unit} greater than 0{bound}, not {value!r}"
        raise ValueError(f"{name}: {message}" if name else message)
    return number


def check_memory(value, name=None):
    """`value` as GB of address space for one check; ValueError below MIN_MEMORY_GB or above MAX_MEMORY_GB.

    Below the minimum the check's own process cannot even map numpy's libraries (an
    ImportError before the file runs); above the maximum the limit overflows RLIMIT_AS.
    """
    gb = check_positive(value, "GB", MAX_MEMORY_GB, name)
    if gb < MIN_MEMORY_GB:
        message = (f"expected at least {MIN_MEMORY_GB:g} GB (the check's own process needs about "
                   f"0.15 GB before your file runs), not {value!r}")
        raise ValueError(f"{name}: {message}" if name else message)
    return gb


@dataclass(frozen=True)
class Limits:
    """What one checked file may use: seconds, GB of address space, bytes of printed output."""

    timeout: float = TIMEOUT
    memory_gb: float | None = None  # None: no address-space limit
    output_bytes: int = OUTPUT_BYTES  # 0: the file's prints are dropped (batch checks)

    def to_dict(self):
        return {"timeout": self.timeout, "memory_gb": self.memory_gb, "output_bytes": self.output_bytes}

    @classmethod
    def from_dict(cls, doc):
        return cls(float(doc["timeout"]), doc["memory_gb"], int(doc["output_bytes"]))


# -- in the processes we start -------------------------------------------------------------------

def _prctl(option, value):
    """prctl(option, value) through libc; False where it is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent(signum, parent):
    """Get `signum` when the parent dies; exit now if `parent` (its pid) is already gone."""
    _prctl(PR_SET_PDEATHSIG, int(signum))
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)


def adopt_orphans():
    """Become the reaper of every orphan among our descendants (Linux 3.4+); False elsewhere."""
    return _prctl(PR_SET_CHILD_SUBREAPER, 1)


def limit_memory(memory_gb):
    """Cap this process's address space (and its children's) at `memory_gb` GB."""
    if memory_gb is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = int(memory_gb * GB)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def signal_name(number):
    """'SIGSEGV' for 11, else 'signal N'."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def children(pid):
    """Pids of the processes whose parent is `pid`, from /proc (empty where there is none)."""
    found = []
    try:
        names = os.listdir("/proc")
    except OSError:
        return found
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()  # after "pid (comm) ": state, ppid, pgrp, ...
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(name))
    return found


def kill(pid, group=False):
    """SIGKILL `pid` (and its process group when it leads one); gone or foreign pids are skipped."""
    try:
        if group:
            os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def end_descendants(keep=(), deadline=5.0):
    """Kill every descendant of this process but the children in `keep`, and reap them.

    We adopted the orphans (a subreaper), so killing a child hands its own children to us:
    repeat until no other child is left. A child cannot be replaced by an unrelated
    process with its pid until we have reaped it, so no stranger is ever signalled.
    """
    me, stop = os.getpid(), time.monotonic() + deadline
    while time.monotonic() < stop:
        strays = [pid for pid in children(me) if pid not in keep]
        if not strays:
            return True
        for pid in strays:
            kill(pid, group=True)
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        time.sleep(0.001)
    return False
