"""A warm fork server: one interpreter imports numpy and the engine once, then forks a warden per file.

The tool starts the server (`ForkServer`) with BLAS set to one thread, so that neither the
server nor any process forked from it starts BLAS threads (parallel checks would fight
over the cores, and forking a threaded process is unsafe). The tool sends one request
line per file on the server's stdin; the server forks a warden for each
(diagnose/check/warden.py) and relays each warden's outcome line to its stdout. The
server dies with the tool (PR_SET_PDEATHSIG, and the end of its stdin), and on the way
out stops every warden, which ends its subject and all the subject started.
"""
import json
import os
import select
import selectors
import signal
import subprocess
import sys
import time

from diagnose.check.limits import MAX_TIMEOUT, adopt_orphans, die_with_parent, end_descendants, signal_name

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # holds diagnose/, core/
# -c, not -m, and without '' on sys.path: a person's core.py in the current directory must not
# shadow ours; ROOT comes first instead
BOOT = ("import sys; sys.path[:] = [sys.argv[1]] + [p for p in sys.path if p not in ('', '.')]; "
        "from diagnose.check.forkserver import serve; serve(int(sys.argv[2]))")
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
START_GRACE = 60.0  # seconds the server may take to start and a warden to clean up, beyond a file's limit
STOP_GRACE = 5.0  # seconds the wardens get to clean up after SIGTERM


class ServerGone(Exception):
    """The fork server ended or stopped answering (a bug in diagnose, or it was killed).

    `ended` is True when its process is gone (a file may have killed it: the files still waiting
    can be checked on a fresh server), False when it is alive but silent.
    """

    def __init__(self, message, ended=True):
        super().__init__(message)
        self.ended = ended


# -- the server process -------------------------------------------------------------------------

def serve(parent):
    """The server's main loop: fork a warden per request line, relay outcome lines, until stdin ends."""
    from diagnose.check.warden import Stop, ignore_signals, stop_on_signals  # the engine too: imported once, here

    stop_on_signals()
    die_with_parent(signal.SIGTERM, parent)
    adopt_orphans()  # a warden the file killed hands us what the file started
    out = os.dup(1)
    os.dup2(2, 1)  # a stray print can never corrupt the channel
    wardens = {}  # read end of a warden's pipe -> [pid, bytes so far]
    selector = selectors.DefaultSelector()
    selector.register(0, selectors.EVENT_READ)
    pending = b""
    try:
        while True:
            for key, _ in selector.select(0.5):
                if key.fd == 0:
                    data = os.read(0, 65536)
                    if not data:
                        return
                    *lines, pending = (pending + data).split(b"\n")
                    for line in lines:
                        start_warden(json.loads(line), wardens, selector, out)
                else:
                    relay(key.fd, wardens, selector, out)
            if os.getppid() != parent:
                return
    except (Stop, BrokenPipeError):
        pass
    finally:
        ignore_signals()
        stop_wardens(wardens)
        end_descendants()
        os._exit(0)


def start_warden(request, wardens, selector, out):
    """Fork a warden for one request; its outcome comes back on a pipe of its own."""
    from diagnose.check.warden import Stop, supervise

    r, w = os.pipe()
    server = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            for fd in (null, r, out, *wardens):
                os.close(fd)
            die_with_parent(signal.SIGTERM, server)
            supervise(request, w)
        except (Stop, BrokenPipeError):
            pass
        finally:
            os._exit(0)
    os.close(w)
    wardens[r] = [pid, b"", request["id"]]
    selector.register(r, selectors.EVENT_READ)


def relay(fd, wardens, selector, out):
    """Gather a warden's outcome; at its end, reap the warden and pass the line on."""
    data = os.read(fd, 65536)
    if data:
        wardens[fd][1] += data
        return
    selector.unregister(fd)
    os.close(fd)
    pid, line, job = wardens.pop(fd)
    _, status = os.waitpid(pid, 0)
    if not line.endswith(b"\n"):  # the warden died: say how, and end what its file started
        end_descendants(keep=[p for p, *_ in wardens.values()])
        line = (json.dumps({"id": job, **warden_death(status)}) + "\n").encode()
    while line:
        line = line[os.write(out, line):]


def warden_death(status):
    """{'killed': 'SIGKILL'} for a warden ended by a signal (a file can kill its parent), else {'internal': ...}."""
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        return {"killed": signal_name(-code)}
    return {"internal": f"the process watching it ended with status {code}"}


def stop_wardens(wardens):
    """SIGTERM every warden (each ends its subject), then SIGKILL those still there."""
    pids = [pid for pid, *_ in wardens.values()]
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    stop = time.monotonic() + STOP_GRACE
    for pid in pids:
        while time.monotonic() < stop:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.01)
        else:
            os.kill(pid, signal.SIGKILL)


# -- the tool's side ------------------------------------------------------------------------------

class ForkServer:
    """The tool's handle on a fork server: submit requests, receive outcomes, close."""

    def __init__(self, blas_threads=1):
        """Start the server; BLAS gets `blas_threads` threads in it and every child (None: as configured)."""
        env = dict(os.environ)
        if blas_threads is not None:  # before numpy is imported there: a fork keeps the server's setting
            env.update({name: str(blas_threads) for name in BLAS_THREADS})
        self.proc = subprocess.Popen([sys.executable, "-c", BOOT, ROOT, str(os.getpid())],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                     start_new_session=True)  # Ctrl-C reaches the tool alone; it stops the server
        self.pending = b""

    def submit(self, request):
        """Send one request: {'id', 'path', 'seed', 'shape', 'limits'}."""
        try:
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise ServerGone("the checking process ended before the file was sent (was it killed?)") from None

    def receive(self, patience):
        """The next outcome line as a dict; ServerGone if none comes within `patience` seconds."""
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + min(patience, MAX_TIMEOUT)
        while b"\n" not in self.pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise ServerGone(f"the checking process gave no answer in {patience:g} s (a bug in diagnose)",
                                 ended=False)
            data = os.read(fd, 65536)
            if not data:
                raise ServerGone("the checking process ended before answering (was it killed?)")
            self.pending += data
        line, self.pending = self.pending.split(b"\n", 1)
        return json.loads(line)

    def close(self):
        """End the server once its work is done (it exits when its stdin ends)."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=STOP_GRACE * 2)
        except subprocess.TimeoutExpired:
            self.abort()

    def abort(self):
        """Stop the server now; its wardens end their subjects on the way."""
        try:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=STOP_GRACE * 2)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        finally:
            for stream in (self.proc.stdin, self.proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass

    def __enter__(self):
        return self

    def __exit__(self, kind, value, trace):
        (self.abort if kind else self.close)()
