"""Progress across drills: per-fault, per-mode, per-level and per-topic tallies in one JSON file.

The file lives under the user's data directory unless `--store` or the
BACKPROP_DRILLS_STORE variable says otherwise. Every change goes through
`Store.update(fn)`: under an exclusive `flock` on a lock file beside the store, the
file is read, `fn` applied, and the result written atomically (a temp file in the
same directory, then `os.replace`). So two drills on one store merge their answers
instead of overwriting each other, and an interrupted drill never leaves half a file.
A path that is not a regular file (a device, a FIFO, a directory) or is read-only is
refused with a StoreError before anything is read or written; a symlink is followed,
so its target is updated and the link stays a link. A file that cannot be parsed is
moved aside, never fatal: losing practice history is annoying, losing the drill to
a traceback is worse.
"""
import contextlib
import enum
import fcntl
import glob
import json
import os
import secrets
import stat
import statistics
from dataclasses import dataclass, field, replace
from pathlib import Path

ENV_VAR = "BACKPROP_DRILLS_STORE"
APP_DIR = "backprop-drills"
FILE_NAME = "progress.json"
VERSION = 1
MAX_TIMES = 50  # answer times kept per tally: enough for a stable median
MAX_BOX = 5  # Leitner boxes 1..5; 0 means never answered
MAX_HISTORY = 2000  # rounds kept for levels and the accuracy chart


class StoreError(Exception):
    """The store's path cannot be used at all (not a regular file, read-only, no such directory)."""


class Outcome(str, enum.Enum):
    """How one answer scored; a right answer after the time limit is `late` and does not score."""

    RIGHT = "right"
    WRONG = "wrong"
    LATE = "late"


def _count(value):
    """Whether value is a non-negative int (and not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _number_or_none(value):
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _time_or_none(value):
    """None, or wall-clock seconds a date can be printed for (1970 to 5138)."""
    return value is None or (_number_or_none(value) and 0 <= value < 1e11)


@dataclass(frozen=True)
class Tally:
    """Answers to one fault, mode, level or quiz topic: counts, streaks, recent times, and its
    Leitner box (a right answer moves it up one box, a miss back to box 1) and when it was last seen."""

    attempts: int = 0
    right: int = 0
    late: int = 0
    streak: int = 0
    best_streak: int = 0
    times: tuple = ()
    box: int = 0
    last_seen: float | None = None  # wall-clock seconds (time.time) of the last answer
    last_round: int | None = None  # the store's round counter at the last answer

    def recorded(self, outcome, seconds, when=None, round_no=None):
        """This tally with one more answer; only RIGHT extends the streak and moves the box up."""
        hit = outcome is Outcome.RIGHT
        streak = self.streak + 1 if hit else 0
        return Tally(
            attempts=self.attempts + 1,
            right=self.right + hit,
            late=self.late + (outcome is Outcome.LATE),
            streak=streak,
            best_streak=max(self.best_streak, streak),
            times=(self.times + (round(float(seconds), 3),))[-MAX_TIMES:],
            box=min(self.box + 1, MAX_BOX) if hit else 1,
            last_seen=self.last_seen if when is None else float(when),
            last_round=self.last_round if round_no is None else int(round_no),
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
                "streak": self.streak, "best_streak": self.best_streak, "times": list(self.times),
                "box": self.box, "last_seen": self.last_seen, "last_round": self.last_round}

    @classmethod
    def from_dict(cls, doc):
        """Inverse of to_dict (box and last seen may be absent in older files); ValueError if malformed."""
        counts = {k: doc[k] for k in ("attempts", "right", "late", "streak", "best_streak")}
        if not all(_count(v) for v in counts.values()):
            raise ValueError(f"tally counts must be non-negative integers, got {counts}")
        if counts["right"] + counts["late"] > counts["attempts"]:
            raise ValueError(f"a tally cannot have more right and late answers than attempts: {counts}")
        times = doc["times"]
        if not isinstance(times, list) or not all(isinstance(t, (int, float)) for t in times):
            raise ValueError("tally times must be a list of numbers")
        box, last_seen, last_round = doc.get("box", 0), doc.get("last_seen"), doc.get("last_round")
        if not (_count(box) and box <= MAX_BOX and _time_or_none(last_seen)
                and (last_round is None or _count(last_round))):
            raise ValueError("tally box, last_seen or last_round malformed")
        return cls(**counts, times=tuple(float(t) for t in times), box=box, last_seen=last_seen,
                   last_round=last_round)


@dataclass(frozen=True)
class Entry:
    """One answered round in the history: when, in which mode and level, what it was about, how it scored."""

    when: float
    mode: str
    level: int | None
    item: str
    outcome: Outcome
    hints: int = 0

    def to_dict(self):
        return {"when": self.when, "mode": self.mode, "level": self.level, "item": self.item,
                "outcome": self.outcome.value, "hints": self.hints}

    @classmethod
    def from_dict(cls, doc):
        if not (doc["when"] is not None and _time_or_none(doc["when"])
                and isinstance(doc["mode"], str) and isinstance(doc["item"], str)
                and (doc["level"] is None or _count(doc["level"])) and _count(doc.get("hints", 0))):
            raise ValueError("history entry malformed")
        return cls(float(doc["when"]), doc["mode"], doc["level"], doc["item"], Outcome(doc["outcome"]),
                   doc.get("hints", 0))


@dataclass(frozen=True)
class Scorecard:
    """One mock interview: when, the time allowed and taken, checks submitted, hints, follow-ups."""

    when: float
    minutes: float
    seconds: float
    healthy: bool
    submissions: int
    hints: int
    followups_right: int
    followups_asked: int
    net: str = "relu,softmax_ce"

    def to_dict(self):
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, doc):
        card = cls(**{k: doc[k] for k in cls.__dataclass_fields__ if k in doc})
        counts = (card.submissions, card.hints, card.followups_right, card.followups_asked)
        if not (all(_count(c) for c in counts) and isinstance(card.healthy, bool) and isinstance(card.net, str)
                and card.when is not None and _time_or_none(card.when)
                and all(_number_or_none(v) and v is not None for v in (card.minutes, card.seconds))):
            raise ValueError("interview scorecard malformed")
        return card


SECTIONS = ("faults", "modes", "levels", "topics")


@dataclass(frozen=True)
class Progress:
    """All tallies (`faults` by fault id, `modes` by drill mode, `levels` by level number as text,
    `topics` by quiz topic), the history of rounds, interview scorecards, and a round counter."""

    faults: dict = field(default_factory=dict)
    modes: dict = field(default_factory=dict)
    levels: dict = field(default_factory=dict)
    topics: dict = field(default_factory=dict)
    history: tuple = ()
    interviews: tuple = ()
    rounds: int = 0

    def recorded(self, section, key, outcome, seconds, when=None):
        """A copy with one answer added to `section[key]` (the round counter is not advanced)."""
        tallies = dict(getattr(self, section))
        tallies[key] = tallies.get(key, Tally()).recorded(outcome, seconds, when, self.rounds)
        return replace(self, **{section: tallies})

    def logged(self, entry):
        """A copy with one more round in the history and the round counter advanced."""
        return replace(self, history=(self.history + (entry,))[-MAX_HISTORY:], rounds=self.rounds + 1)

    def with_interview(self, card):
        """A copy with one more interview scorecard."""
        return replace(self, interviews=self.interviews + (card,))

    def to_dict(self):
        """The file's JSON document."""
        doc = {"version": VERSION, "rounds": self.rounds}
        for section in SECTIONS:
            doc[section] = {key: tally.to_dict() for key, tally in getattr(self, section).items()}
        doc["history"] = [e.to_dict() for e in self.history]
        doc["interviews"] = [c.to_dict() for c in self.interviews]
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
        lists = {name: doc.get(name, []) for name in ("history", "interviews")}
        if not all(isinstance(v, list) and all(isinstance(x, dict) for x in v) for v in lists.values()):
            raise ValueError("history and interviews must be lists of objects")
        rounds = doc.get("rounds", 0)
        if not _count(rounds):
            raise ValueError("rounds must be a non-negative integer")
        return cls(**sections, history=tuple(Entry.from_dict(e) for e in lists["history"]),
                   interviews=tuple(Scorecard.from_dict(c) for c in lists["interviews"]), rounds=rounds)


def default_path(environ=None):
    """`$XDG_DATA_HOME/backprop-drills/progress.json`, falling back to ~/.local/share."""
    environ = os.environ if environ is None else environ
    data_home = environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data_home) / APP_DIR / FILE_NAME


def resolve_path(path=None, environ=None):
    """The store's path: an explicit path, else $BACKPROP_DRILLS_STORE, else the data directory."""
    environ = os.environ if environ is None else environ
    if path is not None and not os.fspath(path):
        raise StoreError("progress store '': expected the path of a JSON file with --store, not an empty string")
    if path:
        return Path(path)
    if environ.get(ENV_VAR):
        return Path(environ[ENV_VAR])
    return default_path(environ)


def is_default(path=None, environ=None):
    """Whether resolve_path(path, environ) falls back to the data directory (neither --store nor the variable)."""
    environ = os.environ if environ is None else environ
    return not path and not environ.get(ENV_VAR)


# -- the file ----------------------------------------------------------------------------

KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
         (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"))


def file_kind(mode):
    """What a non-regular st_mode is, in words."""
    return next((words for test, words in KINDS if test(mode)), "not a regular file")


def refuse_unless_regular(shown, st):
    """StoreError unless st is a regular file (shown is the path the person gave)."""
    if not stat.S_ISREG(st.st_mode):
        raise StoreError(f"progress store {shown} is {file_kind(st.st_mode)}, not a regular file; "
                         "give the path of a JSON file with --store")


def target_path(path, create_parent, writing=True):
    """The file the store reads and writes: a symlink's target, checked.

    StoreError if it exists but is not a writable regular file, or if its directory is missing and
    not to be created (only the default location's directory is created, at the first write).
    """
    path = Path(path)
    target = Path(os.path.realpath(path))  # follows a chain of symlinks; a dangling link gives its target
    try:
        st = os.stat(target)
    except FileNotFoundError:
        parent = target.parent
        if not parent.is_dir() and (parent.exists() or not create_parent):
            raise StoreError(f"progress store {path}: directory {parent} does not exist; "
                             "create it or give another --store") from None
        return target
    except OSError as error:
        raise StoreError(f"progress store {path} cannot be used: {error.strerror or error}") from None
    refuse_unless_regular(path, st)
    if writing and (not st.st_mode & 0o222 or not os.access(target, os.W_OK)):
        raise StoreError(f"progress store {path} is read-only; make it writable (chmod u+w) or give another --store")
    return target


def parse_progress(text):
    """Progress from the file's text; ValueError if it is not a progress file."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.msg} at line {error.lineno})") from None
    except RecursionError:
        raise ValueError("not valid JSON (nested too deeply)") from None
    try:
        return Progress.from_dict(doc)
    except (KeyError, TypeError) as error:
        raise ValueError(f"not a progress file ({type(error).__name__}: {error})") from None


def read_progress(path):
    """Progress from the file; a missing file is fresh progress. Raises OSError, ValueError or StoreError.

    Opened without blocking and checked with fstat, so a FIFO put in place of the file never hangs.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return Progress()
    with os.fdopen(fd, "rb") as f:
        refuse_unless_regular(path, os.fstat(fd))
        data = f.read()
    return parse_progress(data.decode("utf-8"))


def temp_prefix(path):
    """Temp files of this store are `.<name>.<random>.tmp` beside it."""
    return f".{Path(path).name}."


def write_progress(path, progress):
    """Write atomically: a temp file in the same directory, flushed to disk, then renamed over path.

    A new file gets mode 0666 less the umask (0644 usually); an existing file keeps its mode.
    """
    path = Path(path)
    tmp = path.with_name(f"{temp_prefix(path)}{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for any new file
    try:
        with contextlib.suppress(FileNotFoundError):
            os.fchmod(fd, stat.S_IMODE(os.stat(path).st_mode))
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(progress.to_dict(), f, indent=1)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_stale_temps(path):
    """Delete temp files of this store left by a drill killed mid-write; call only under the lock."""
    path = Path(path)
    for tmp in path.parent.glob(f"{glob.escape(temp_prefix(path))}*.tmp"):  # a name may hold [ or *
        with contextlib.suppress(OSError):
            tmp.unlink()


@contextlib.contextmanager
def locked(path):
    """An exclusive flock on `.<name>.lock` beside path, held for the with-block."""
    path = Path(path)
    lock = path.with_name(f".{path.name}.lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def backup_path(path):
    """The first free `<name>.corrupt`, `<name>.corrupt.1`, ... next to path."""
    candidate = path.with_name(f"{path.name}.corrupt")
    n = 0
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.corrupt.{n}")
    return candidate


class Store:
    """The progress file at `path`.

    Construction raises StoreError for a path that cannot be a store; after that, problems
    (a corrupt file, a failed write) become one-line warnings through `warn`, never exceptions.
    `create_parent` is for the default location only: its directory is made at the first write.
    `writing=False` (for `stats`) accepts a read-only file.
    """

    def __init__(self, path, warn, create_parent=False, writing=True):
        self.path = Path(path)
        self.warn = warn
        self.target = target_path(self.path, create_parent, writing)
        self.create_parent, self.writing = create_parent, writing
        if writing and create_parent:  # the default location: made now, so a drill that cannot save never starts
            try:
                self.target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"progress store {self.path}: cannot create its directory {self.target.parent} "
                                 f"({error.strerror or error}); give another --store") from None
        if writing and self.target.parent.is_dir():
            self._check_lockable()
        self._save_failed = False

    def _check_lockable(self):
        """StoreError unless the lock file beside the store can be made: else no answer could be saved."""
        try:
            with locked(self.target):
                pass
        except OSError as error:
            raise StoreError(f"progress store {self.path} cannot be written: {error.strerror or error} "
                             f"(its lock file in {self.target.parent}); give another --store") from None

    def _read(self):
        """The saved progress; a corrupt file is moved aside and fresh progress returned."""
        try:
            return read_progress(self.target)
        except (OSError, ValueError) as error:  # UnicodeDecodeError is a ValueError
            self._move_aside(error)
            return Progress()

    def _move_aside(self, error):
        """Rename the bad file to a backup next to it and say so in one line."""
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        try:
            backup = backup_path(self.target)
            os.replace(self.target, backup)
            where = f"moved it to {backup}"
        except OSError as move_error:
            where = f"could not move it aside ({move_error.strerror or move_error})"
        self.warn(f"warning: progress file {self.path} is unreadable ({reason}); {where} and started afresh")

    def _warn_once(self, error):
        if not self._save_failed:
            self.warn(f"warning: could not save progress to {self.path}: {error.strerror or error}")
        self._save_failed = True

    def load(self):
        """The saved progress (under the lock, so a corrupt file is moved aside by one drill only)."""
        if not self.target.parent.is_dir():  # the default location before its first write
            return Progress()
        if not os.access(self.target.parent, os.W_OK):  # no lock file possible: read as is
            return self._read()
        try:
            with locked(self.target):
                return self._read()
        except OSError as error:  # no lock file possible (a read-only directory): read without it
            if self.writing:  # `stats` saves nothing, so it has nothing to warn about
                self._warn_once(error)
            return self._read()

    def update(self, fn):
        """Under the lock: read the file, apply fn(progress) -> progress, write it atomically; return it.

        A failed write is warned about once and the new progress still returned, so the drill goes on.
        """
        try:
            if self.create_parent:
                self.target.parent.mkdir(parents=True, exist_ok=True)
            with locked(self.target):
                remove_stale_temps(self.target)
                progress = fn(self._read())
                write_progress(self.target, progress)
                return progress
        except OSError as error:
            self._warn_once(error)
            return fn(self._read_quietly())

    def _read_quietly(self):
        try:
            return read_progress(self.target)
        except (OSError, ValueError):
            return Progress()

    def save(self, progress):
        """Replace the file's content with progress (under the lock); prefer update(), which merges."""
        self.update(lambda _: progress)
