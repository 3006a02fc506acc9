"""`diagnose check PATH...`: many files, each in its own isolated child, one row each and a summary.

Directories are searched for files matching a pattern (`*.py` unless told otherwise);
every file gets the same seed, shape and limits as a single check and runs through one
warm fork server (forkserver.py), `jobs` at a time. The rows, the summary, the JSON
lines and the CSV are all made from the same CheckResults.
"""
import csv
import fnmatch
import io
import json
import os
from collections import Counter
from dataclasses import dataclass

from diagnose.check.forkserver import ForkServer
from diagnose.check.isolate import request, run_requests
from diagnose.engine.findings import ERROR, HEALTHY
from diagnose.engine.probe import check_shape

GLOB = "*.py"
COLUMNS = ("file", "form", "net", "verdict", "faults", "cautions", "stage", "ms")
CSV_COLUMNS = COLUMNS + ("exit_code", "error")
NONE = "-"
WIDTH = 100  # columns of the summary lines


class BatchError(ValueError):
    """The paths name nothing to check (a usage error)."""


def expand(paths, pattern=GLOB):
    """The files to check: each file as given, and below each directory every file matching `pattern`.

    Hidden directories and __pycache__ are skipped; each file is checked once; the order
    is the order given, then sorted within a directory.
    """
    found, seen = [], set()
    for path in map(os.fspath, paths):
        files = sorted(below(path, pattern)) if os.path.isdir(path) else [path]
        if os.path.isdir(path) and not files:
            raise BatchError(f"{path} holds no files matching {pattern}")
        for file in files:
            key = os.path.realpath(file)
            if key not in seen:
                seen.add(key)
                found.append(file)
    if not found:
        raise BatchError("no files to check")
    return found


def below(directory, pattern):
    """Files under `directory` whose name matches `pattern` (symlinked directories not followed)."""
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        yield from (os.path.join(root, f) for f in files if fnmatch.fnmatch(f, pattern))


def check_files(files, *, seed, shape, limits, jobs, done=None, blas_threads=1, net=None):
    """CheckResults for `files` in order, `jobs` at a time, from one fork server (BLAS: one thread each).

    A bad shape is the caller's mistake: ValueError here, as for one file.
    """
    if shape is not None:
        check_shape(tuple(shape))
    requests = [request(f, seed, shape, limits, net) for f in files]
    results, todo = [None] * len(requests), list(range(len(requests)))
    while todo:
        with ForkServer(blas_threads) as server:
            for i, result in zip(todo, run_requests(server, [requests[i] for i in todo], jobs, done)):
                results[i] = result
        gone = [i for i in todo if results[i].unchecked]
        # A file that killed the server stops every file still waiting. Check those again on a fresh server,
        # one at a time: then the first one that finds the server gone is the one that killed it.
        todo = gone[1:] if jobs == 1 else gone
        jobs = 1
    return results


@dataclass(frozen=True)
class Row:
    """One file's line in the batch table (and the CSV)."""

    file: str
    form: str
    net: str
    verdict: str
    faults: str
    cautions: str
    stage: str
    ms: int
    exit_code: int
    error: str

    @classmethod
    def of(cls, result, name):
        """The row of a CheckResult, the file shown as `name`."""
        report = result.report
        if report is None:
            return cls(name, NONE, NONE, ERROR, NONE, NONE, NONE, round(result.seconds * 1000), result.exit_code,
                       (result.error or "").split("\n")[0])
        cautions = [getattr(c, "id", str(c)) for c in getattr(report, "cautions", ())]
        return cls(name, result.form, getattr(report, "net", None) or NONE, report.verdict,
                   ",".join(report.faults) or NONE, ",".join(cautions) or NONE,
                   report.stage if report.verdict != HEALTHY and report.stage else NONE,
                   round(result.seconds * 1000), result.exit_code, "")


def shown_name(path):
    """The path relative to the current directory when it lies below it, else absolute."""
    relative = os.path.relpath(os.path.abspath(path))
    return os.path.abspath(path) if relative.startswith("..") else relative


def families(report):
    """The family of each fault in the report, as the report's JSON names it ('unknown' where it does not)."""
    doc = report.to_dict()
    per_fault = doc.get("families")
    if isinstance(per_fault, dict):
        return [per_fault.get(fault) or "unknown" for fault in report.faults]
    return [doc.get("family") or "unknown"] * len(report.faults)


def family_words(label):
    """'checklist 4 (a bad ReLU mask)' where the engine words the checklist item, else the label."""
    from diagnose.engine import remedies

    number = label.removeprefix("checklist ")
    words = getattr(remedies, "FAMILIES", {}).get(int(number)) if number.isdigit() else None
    return f"{label} ({words})" if words else label


def strict_exit_code(result, strict):
    """The file's exit code; with `strict`, 1 for a healthy file with cautions too."""
    cautioned = strict and result.exit_code == 0 and bool(getattr(result.report, "cautions", ()))
    return 1 if cautioned else result.exit_code


def summary(results, strict=False):
    """Counts per verdict and per fault family, the number of files, and the batch's exit code."""
    verdicts = Counter(r.report.verdict if r.report else ERROR for r in results)
    fams = Counter(family_words(f) for r in results if r.report for f in families(r.report))
    return {"files": len(results), "healthy": verdicts.get(HEALTHY, 0), "failed": verdicts.get(ERROR, 0),
            "verdicts": dict(sorted(verdicts.items(), key=lambda kv: (-kv[1], kv[0]))),
            "families": dict(sorted(fams.items(), key=lambda kv: (-kv[1], kv[0]))),
            "exit_code": 0 if all(strict_exit_code(r, strict) == 0 for r in results) else 1}


def counts_lines(label, counts):
    """'verdicts: 3 healthy, 2 missing_div_n, ...' wrapped at WIDTH between entries, never inside one."""
    lines, line = [], f"{label}:"
    for i, (key, count) in enumerate(counts.items()):
        entry = f" {count} {key}" + ("," if i < len(counts) - 1 else "")
        if len(line) + len(entry) > WIDTH and line.strip():
            lines.append(line)
            line = " "
        line += entry
    return lines + [line if counts else f"{label}: none"]


def table_text(rows, totals, seed):
    """The rows as aligned columns, the errors, then the summary."""
    cells = [COLUMNS] + [tuple(str(getattr(row, c)) for c in COLUMNS) for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in cells]
    errors = [f"{row.file}: {row.error}" for row in rows if row.error]
    if errors:
        lines += ["", "not checked or failed:"] + [f"  {e}" for e in errors]
    faulty = totals["files"] - totals["healthy"] - totals["failed"]
    files = f"{totals['files']} file" + ("s" if totals["files"] != 1 else "")
    lines += ["", f"{files}, probe seed {seed}: {totals['healthy']} healthy, {faulty} with a fault, "
                  f"{totals['failed']} failed or not checked"]
    lines += counts_lines("verdicts", totals["verdicts"]) + counts_lines("fault families", totals["families"])
    return "\n".join(lines) + "\n"


def file_doc(result, name, strict=False):
    """One file's JSON document: as `check --json` prints it, the file as shown in the table."""
    return {**result.to_dict(), "file": name, "exit_code": strict_exit_code(result, strict)}


def jsonl_text(results, names, strict=False):
    """One compact JSON document per file, one a line."""
    return "".join(json.dumps(file_doc(r, n, strict)) + "\n" for r, n in zip(results, names))


def batch_doc(results, names, totals, seed, strict=False):
    """The one JSON document of `check --json` on many files."""
    return {"seed": seed, "files": [file_doc(r, n, strict) for r, n in zip(results, names)], "summary": totals}


def csv_text(rows):
    """The rows as CSV with a header line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([getattr(row, c) for c in CSV_COLUMNS] for row in rows)
    return out.getvalue()
