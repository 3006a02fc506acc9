"""The warden: one process per checked file that runs it, watches it and leaves nothing behind.

The warden adopts orphans (a subreaper), forks the subject process (diagnose/check/_child.py)
into a session of its own with the limits applied, and watches three pipes: the subject's
stage and result lines, its printed output (relayed to stderr, capped) and its exit. At the
time limit, after the result, or when the warden is told to stop, it kills the subject's
process group and then every descendant left (they have all been handed to it), and writes
one outcome line for its parent. The person's code never holds the warden's own pipe.
"""
import hmac
import json
import os
import secrets
import selectors
import signal
import time

from diagnose.check._child import TOKEN_BYTES, run_subject
from diagnose.check.limits import (MAX_TIMEOUT, Limits, adopt_orphans, die_with_parent, end_descendants, kill,
                                   limit_memory, SUBJECT_FAILED)

MAX_LINE = 8 * 1024 * 1024  # bytes of one channel line; a longer one is not ours
POLL = 0.5  # seconds between checks that our parent is alive
DRAIN_READS = 256  # reads of at most 64 KiB each after the subject's end
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


class Stop(Exception):
    """SIGTERM, SIGHUP or SIGINT: end the subject and everything it started, then exit."""


def stop_on_signals():
    """Turn SIGTERM, SIGHUP and SIGINT into Stop, so that `finally` blocks clean up."""

    def handler(signum, frame):
        raise Stop(signum)

    for signum in STOP_SIGNALS:
        signal.signal(signum, handler)


def ignore_signals():
    """While cleaning up: a second SIGTERM must not cut the cleanup short."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def become_subject(warden, memory_gb, keep):
    """In the forked subject: own session, dies with the warden, memory limit, only its pipes open."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setsid()  # its own process group: one killpg ends it and what it starts in the group
    die_with_parent(signal.SIGKILL, warden)
    up, down, out = keep
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(out, 1)  # the person's prints go to the relay, never to a channel
    os.dup2(out, 2)
    for fd in range(3, max(up, down, out) + 1):
        if fd not in (up, down):
            try:
                os.close(fd)
            except OSError:
                pass
    os.closerange(max(up, down, out) + 1, 65536)
    limit_memory(memory_gb)


class Watch:
    """What the warden saw of one subject: its stage, its authenticated result, its output."""

    def __init__(self, token, down, limits):
        self.token, self.down, self.limits = token, down, limits
        self.stage, self.result, self.asked = None, None, False
        self.buffer, self.shown, self.cut = b"", 0, 0

    def lines(self, data):
        """Take the channel's bytes; act on each complete line."""
        self.buffer += data
        *complete, self.buffer = self.buffer.split(b"\n")
        if len(self.buffer) > MAX_LINE:
            self.buffer = b""
        for line in complete:
            self.take(line)

    def take(self, line):
        """One channel line: a stage, the request for the token, or the authenticated result."""
        try:
            doc = json.loads(line)
        except ValueError:
            return
        if not isinstance(doc, dict) or self.result is not None:
            return
        if isinstance(doc.get("stage"), str):
            self.stage = doc["stage"][:200]
        elif doc.get("ready") is True and not self.asked:
            self.asked = True  # the token is sent once: a second asker gets nothing
            try:
                os.write(self.down, self.token.encode())
            except OSError:
                pass
        elif self.asked and isinstance(doc.get("result"), dict) and isinstance(doc.get("token"), str) \
                and hmac.compare_digest(doc["token"].encode(), self.token.encode()):
            self.result = doc["result"]

    def output(self, data):
        """Relay the person's prints to stderr up to the limit; count the rest."""
        room = max(0, self.limits.output_bytes - self.shown)
        if room:
            try:
                os.write(2, data[:room])
            except OSError:
                room = 0
        self.shown += min(room, len(data))
        self.cut += len(data) - min(room, len(data))


def read_some(fd):
    """Bytes available on `fd` (b'' at the end, None when nothing is waiting)."""
    try:
        return os.read(fd, 65536)
    except BlockingIOError:
        return None


def watch(pid, pipes, watch_state, timeout):
    """Follow the subject until its result, its exit or the time limit; (returncode, timed_out)."""
    up, out = pipes
    selector = selectors.DefaultSelector()
    for fd in (up, out):
        os.set_blocking(fd, False)
        selector.register(fd, selectors.EVENT_READ)
    exited = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else None
    if exited is not None:
        selector.register(exited, selectors.EVENT_READ)
    parent, deadline = os.getppid(), time.monotonic() + min(timeout, MAX_TIMEOUT)
    returncode, timed_out = None, False
    try:
        while watch_state.result is None and returncode is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            for key, _ in selector.select(min(remaining, POLL)):
                if key.fd != exited:
                    pump(key.fd, up, watch_state, selector)
            if os.getppid() != parent:
                raise Stop("parent died")
            returncode = exit_status(pid)
        for fd in (up, out):  # what it wrote before it ended (bounded: a process it started may write on)
            for _ in range(DRAIN_READS):
                if fd not in selector.get_map() or not pump(fd, up, watch_state, selector):
                    break
    finally:
        selector.close()
        if exited is not None:
            os.close(exited)
    return returncode, timed_out


def pump(fd, up, watch_state, selector):
    """Move what is waiting on `fd` to the watch; False when nothing was waiting."""
    data = read_some(fd)
    if data is None:
        return False
    if not data:
        selector.unregister(fd)
        return False
    (watch_state.lines if fd == up else watch_state.output)(data)
    return True


def exit_status(pid):
    """The subject's return code (-N for signal N) once it has ended, else None."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return None
    if done == 0:
        return None
    return os.waitstatus_to_exitcode(status)


def supervise(request, report):
    """Check request['path'] in a fresh subject process; write the outcome line to fd `report`."""
    start = time.perf_counter()
    limits = Limits.from_dict(request["limits"])
    adopt_orphans()
    token = secrets.token_hex(TOKEN_BYTES // 2)
    up_r, up_w = os.pipe()
    down_r, down_w = os.pipe()
    out_r, out_w = os.pipe()
    warden = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(report)
            become_subject(warden, limits.memory_gb, (up_w, down_r, out_w))
            run_subject(request, up_w, down_r)
        finally:
            os._exit(SUBJECT_FAILED)
    for fd in (up_w, down_r, out_w):
        os.close(fd)
    state = Watch(token, down_w, limits)
    try:
        returncode, timed_out = watch(pid, (up_r, out_r), state, limits.timeout)
    finally:
        ignore_signals()
        kill(pid, group=True)
        end_descendants()
        for fd in (up_r, down_w, out_r):
            os.close(fd)
    if state.cut and limits.output_bytes:
        note = f"\n[diagnose: {state.cut:,} more bytes printed by {os.path.basename(request['path'])} were cut]\n"
        try:
            os.write(2, note.encode())
        except OSError:
            pass
    outcome = {"id": request["id"], "stage": state.stage, "result": state.result, "returncode": returncode,
               "timed_out": timed_out, "seconds": time.perf_counter() - start}
    write_line(report, outcome)


def write_line(fd, doc):
    """One JSON line on `fd`, written whole; a reader that has gone away is no error."""
    data = (json.dumps(doc) + "\n").encode()
    try:
        while data:
            data = data[os.write(fd, data):]
    except OSError:
        pass
