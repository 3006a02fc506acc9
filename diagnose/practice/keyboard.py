"""Every line a drill reads, and watch-on-save: wait for Enter or for the file to change, whichever is first.

Reading stdin blocks, so while the drill also watches a file, one line is read in a
helper thread; the drill polls the file's modification time meanwhile. A line read
that way but not yet used is handed to the next prompt, so nothing typed is lost.
Only one read is ever outstanding, and it starts only when the drill asks for input:
piped stdin and click's CliRunner work the same as a terminal. End of input raises
click.Abort, as click.prompt does.
"""
import os
import queue
import sys
import threading

import click

POLL_SECONDS = 0.25  # how often a watched file's modification time is looked at
CHANGED, TIMEOUT = "changed", "timeout"


def signature(path):
    """What says a file was saved: its modification time and size (None while it does not exist)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


class Keyboard:
    """The drill's input: whole lines, or a line raced against a file's changes and a deadline."""

    def __init__(self, stream=None):
        self.stream = stream
        self.pending = None  # a queue with the outcome of the read in flight, if any

    def _stdin(self):
        """The stream lines come from: the one given, else sys.stdin (which click's CliRunner replaces).

        Not click.get_text_stream: it wraps stdin anew on each call, and each wrapper's read-ahead
        buffer would swallow lines the next one never sees.
        """
        return self.stream if self.stream is not None else sys.stdin

    def _read(self):
        """One line without its newline; click.Abort at end of input."""
        line = self._stdin().readline()
        if not line:
            raise click.Abort()
        return line.rstrip("\r\n")

    def _start(self):
        """Begin reading one line in a helper thread (unless a read is already in flight)."""
        if self.pending is None:
            box = queue.Queue(maxsize=1)

            def read():
                try:
                    box.put(("line", self._read()))
                except BaseException as error:  # EOF (Abort), Ctrl-C from a test's stdin, a closed stream
                    box.put(("error", error))
            threading.Thread(target=read, daemon=True).start()
            self.pending = box

    def _take(self, timeout=None):
        """The in-flight read's line, waiting up to timeout; None if it has not come yet."""
        try:
            kind, value = self.pending.get(timeout=timeout)
        except queue.Empty:
            return None
        self.pending = None
        if kind == "error":
            raise value
        return value

    def line(self, prompt):
        """Show prompt and return the next line typed."""
        click.echo(f"{prompt} ", nl=False)
        if self.pending is not None:
            return self._take()
        return self._read()

    def line_or_change(self, prompt, path, clock, deadline=None, poll=POLL_SECONDS, since=None):
        """Show prompt; return the line typed, or CHANGED when path is saved, or TIMEOUT at the deadline.

        `since` is the file's signature when it was last checked (default: now), so a save made
        while a check was running is not missed.
        """
        click.echo(f"{prompt} ", nl=False)
        before = signature(path) if since is None else since
        self._start()
        while True:
            text = self._take(timeout=poll)
            if text is not None:
                return text
            if signature(path) != before:
                click.echo("(saved)")
                return CHANGED
            if deadline is not None and clock() >= deadline:
                click.echo("")
                return TIMEOUT
