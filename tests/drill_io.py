"""Scripted input for drill tests: a stdin that types one line per read, and a person on a fake clock."""
import io


class Typist(io.RawIOBase):
    """stdin that hands over one line per read; a callable line runs only when the drill asks for it.

    So a test can edit a file between two prompts, or press Ctrl-C (raise KeyboardInterrupt) mid-drill.
    """

    def __init__(self, lines):
        self.lines, self.pending = list(lines), b""

    def readable(self):
        return True

    def readinto(self, buffer):
        if not len(buffer):  # click probes the stream with read(0): that must not type a line
            return 0
        if not self.pending:
            if not self.lines:
                return 0
            line = self.lines.pop(0)
            self.pending = ((line() if callable(line) else line) + "\n").encode()
        n = min(len(buffer), len(self.pending))
        buffer[:n], self.pending = self.pending[:n], self.pending[n:]
        return n


class Person:
    """Types answers into a Typist, each after some seconds on a fake clock the drill reads."""

    def __init__(self):
        self.now = 0.0

    def clock(self):
        return self.now

    def types(self, text, seconds):
        """A Typist line: `seconds` pass, then `text` is entered."""
        def line():
            self.now += seconds
            return text
        return line
