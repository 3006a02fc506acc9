"""Progress across drills: per-fault, per-mode and per-topic tallies in one JSON file.

The file lives under the user's data directory unless `--store` or the
BACKPROP_DRILLS_STORE variable says otherwise. Writes are atomic (a temp file in
the same directory, then `os.replace`), so an interrupted drill never leaves half
a file. A file that cannot be read or parsed is moved aside, never fatal: losing
practice history is annoying, losing the drill to a traceback is worse.
"""
import enum
import json
import os
import statistics
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

ENV_VAR = "BACKPROP_DRILLS_STORE"
APP_DIR = "backprop-drills"
FILE_NAME = "progress.json"
VERSION = 1
MAX_TIMES = 50  # answer times kept per tally: enough for a stable median


class Outcome(str, enum.Enum):
    """How one answer scored; a right answer after the time limit is `late` and does not score."""

    RIGHT = "right"
    WRONG = "wrong"
    LATE = "late"


@dataclass(frozen=True)
class Tally:
    """Answers to one fault, mode or quiz topic: counts, the current and best streak, recent times."""

    attempts: int = 0
    right: int = 0
    late: int = 0
    streak: int = 0
    best_streak: int = 0
    times: tuple = ()

    def recorded(self, outcome, seconds):
        """This tally with one more answer; only RIGHT extends the streak."""
        hit = outcome is Outcome.RIGHT
        streak = self.streak + 1 if hit else 0
        return Tally(
            attempts=self.attempts + 1,
            right=self.right + hit,
            late=self.late + (outcome is Outcome.LATE),
            streak=streak,
            best_streak=max(self.best_streak, streak),
            times=(self.times + (round(float(seconds), 3),))[-MAX_TIMES:],
        )

    @property
    def misses(self):
        """Answers that did not score: wrong or late."""
        return self.attempts - self.right

    def median_time(self):
        """Median seconds per answer over the kept times, None before the first answer."""
        return statistics.median(self.times) if self.times else None

    def to_dict(self):
        """JSON-ready fields."""
        return {"attempts": self.attempts, "right": self.right, "late": self.late,
                "streak": self.streak, "best_streak": self.best_streak, "times": list(self.times)}

    @classmethod
    def from_dict(cls, doc):
        """Inverse of to_dict; ValueError on anything that is not a well-formed tally."""
        counts = {k: doc[k] for k in ("attempts", "right", "late", "streak", "best_streak")}
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in counts.values()):
            raise ValueError(f"tally counts must be non-negative integers, got {counts}")
        if counts["right"] + counts["late"] > counts["attempts"]:
            raise ValueError(f"a tally cannot have more right and late answers than attempts: {counts}")
        times = doc["times"]
        if not isinstance(times, list) or not all(isinstance(t, (int, float)) for t in times):
            raise ValueError("tally times must be a list of numbers")
        return cls(**counts, times=tuple(float(t) for t in times))


SECTIONS = ("faults", "modes", "topics")


@dataclass(frozen=True)
class Progress:
    """All tallies: `faults` by fault id, `modes` by drill mode, `topics` by quiz topic."""

    faults: dict = field(default_factory=dict)
    modes: dict = field(default_factory=dict)
    topics: dict = field(default_factory=dict)

    def recorded(self, section, key, outcome, seconds):
        """A copy with one answer added to `section[key]`."""
        tallies = dict(getattr(self, section))
        tallies[key] = tallies.get(key, Tally()).recorded(outcome, seconds)
        return replace(self, **{section: tallies})

    def to_dict(self):
        """The file's JSON document."""
        doc = {"version": VERSION}
        for section in SECTIONS:
            doc[section] = {key: tally.to_dict() for key, tally in getattr(self, section).items()}
        return doc

    @classmethod
    def from_dict(cls, doc):
        """Inverse of to_dict; ValueError on a document this version cannot read."""
        if not isinstance(doc, dict) or doc.get("version") != VERSION:
            raise ValueError(f"expected a JSON object with version {VERSION}")
        sections = {}
        for section in SECTIONS:
            entries = doc.get(section, {})
            if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
                raise ValueError(f"{section!r} must map names to tallies")
            sections[section] = {key: Tally.from_dict(value) for key, value in entries.items()}
        return cls(**sections)


def default_path(environ=None):
    """`$XDG_DATA_HOME/backprop-drills/progress.json`, falling back to ~/.local/share."""
    environ = os.environ if environ is None else environ
    data_home = environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data_home) / APP_DIR / FILE_NAME


def resolve_path(path=None, environ=None):
    """The store's path: an explicit path, else $BACKPROP_DRILLS_STORE, else the data directory."""
    environ = os.environ if environ is None else environ
    if path:
        return Path(path)
    if environ.get(ENV_VAR):
        return Path(environ[ENV_VAR])
    return default_path(environ)


def read_progress(path):
    """Progress from the file; a missing file is fresh progress. Raises OSError or ValueError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return Progress()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.msg} at line {error.lineno})") from None
    try:
        return Progress.from_dict(doc)
    except (KeyError, TypeError) as error:
        raise ValueError(f"not a progress file ({type(error).__name__}: {error})") from None


def write_progress(path, progress):
    """Write atomically: a temp file in the same directory, flushed to disk, then renamed over path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(progress.to_dict(), f, indent=1)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def backup_path(path):
    """The first free `<name>.corrupt`, `<name>.corrupt.1`, ... next to path."""
    candidate = path.with_name(f"{path.name}.corrupt")
    n = 0
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.corrupt.{n}")
    return candidate


class Store:
    """The progress file at `path`; problems become one-line warnings through `warn`, never exceptions."""

    def __init__(self, path, warn):
        self.path = Path(path)
        self.warn = warn
        self._save_failed = False

    def load(self):
        """The saved progress; an unreadable or corrupt file is moved aside and fresh progress returned."""
        try:
            return read_progress(self.path)
        except (OSError, ValueError) as error:  # UnicodeDecodeError is a ValueError
            self._move_aside(error)
            return Progress()

    def _move_aside(self, error):
        """Rename the bad file to a backup next to it and say so in one line."""
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        try:
            backup = backup_path(self.path)
            os.replace(self.path, backup)
            where = f"moved it to {backup}"
        except OSError as move_error:
            where = f"could not move it aside ({move_error.strerror or move_error})"
        self.warn(f"warning: progress file {self.path} is unreadable ({reason}); {where} and started afresh")

    def save(self, progress):
        """Write progress atomically; the first failure is warned about, later ones stay quiet."""
        try:
            write_progress(self.path, progress)
        except OSError as error:
            if not self._save_failed:
                self.warn(f"warning: could not save progress to {self.path}: {error.strerror or error}")
            self._save_failed = True


# -- views for `diagnose stats` -------------------------------------------------------

def tally_summary(tally):
    """The numbers `stats` shows for one tally."""
    median = tally.median_time()
    return {"attempts": tally.attempts, "right": tally.right, "late": tally.late, "streak": tally.streak,
            "best_streak": tally.best_streak, "median_seconds": None if median is None else round(median, 3)}


def stats_dict(progress, path):
    """`diagnose stats --json`: the store's path and a summary of every tally, by section."""
    doc = {"store": str(path)}
    for section in SECTIONS:
        doc[section] = {key: tally_summary(t) for key, t in getattr(progress, section).items()}
    return doc


def stats_table(tallies, heading):
    """An aligned table: heading, attempts, right, streak, median time; one row per tally."""
    rows = [(heading, "attempts", "right", "streak", "median time")]
    for key, t in tallies.items():
        median = t.median_time()
        rows.append((key, str(t.attempts), str(t.right), str(t.streak), "-" if median is None else f"{median:.1f} s"))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return "\n".join(
        "  ".join([row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:])])
        for row in rows)


def stats_text(progress, path, order=()):
    """`diagnose stats`: a table per fault (in `order`, then any others), then per mode and quiz topic."""
    if not any(getattr(progress, section) for section in SECTIONS):
        return f"No drills recorded in {path} yet: try `diagnose drill`."
    faults = {k: progress.faults[k] for k in order if k in progress.faults}
    faults.update({k: t for k, t in progress.faults.items() if k not in faults})
    parts = [f"Progress in {path}"]
    for tallies, heading in ((faults, "fault"), (progress.modes, "mode"), (progress.topics, "quiz topic")):
        if tallies:
            parts.append(stats_table(tallies, heading))
    return "\n\n".join(parts)
