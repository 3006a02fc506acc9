"""`diagnose stats`: what the progress store holds, as aligned tables, a chart, or one JSON document."""
import time
from collections import OrderedDict

from diagnose.practice.store import SECTIONS, Outcome

CHART_WIDTH = 20  # characters for 100% in the accuracy chart
CHART_ROWS = 14  # the most recent days shown


def day_of(when):
    """The UTC date of a wall-clock time, as YYYY-MM-DD."""
    return time.strftime("%Y-%m-%d", time.gmtime(when))


def tally_summary(tally):
    """The numbers `stats` shows for one tally."""
    median = tally.median_time()
    return {"attempts": tally.attempts, "right": tally.right, "late": tally.late, "streak": tally.streak,
            "best_streak": tally.best_streak, "box": tally.box,
            "last_seen": None if tally.last_seen is None else day_of(tally.last_seen),
            "median_seconds": None if median is None else round(median, 3)}


def accuracy_by_day(history):
    """{day: (right, rounds)} in date order, over every round in the history."""
    days = OrderedDict()
    for entry in sorted(history, key=lambda e: e.when):
        right, total = days.get(day_of(entry.when), (0, 0))
        days[day_of(entry.when)] = (right + (entry.outcome is Outcome.RIGHT), total + 1)
    return days


def stats_dict(progress, path):
    """`diagnose stats --json`: the store's path, a summary of every tally by section, accuracy by day, interviews."""
    doc = {"store": str(path)}
    for section in SECTIONS:
        doc[section] = {key: tally_summary(t) for key, t in getattr(progress, section).items()}
    days = accuracy_by_day(progress.history).items()
    doc["accuracy_by_day"] = [{"day": day, "right": r, "rounds": n} for day, (r, n) in days]
    doc["interviews"] = [card.to_dict() for card in progress.interviews]
    return doc


def table(rows):
    """Aligned columns: the first left-aligned, the rest right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join([row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:])]).rstrip()
        for row in rows)


def tally_table(tallies, heading, leitner=True):
    """One row per tally: seen, right, streak, (box and last seen for faults and topics), median answer time."""
    rows = [(heading, "seen", "right", "streak") + (("box", "last seen") if leitner else ()) + ("median time",)]
    for key, t in tallies.items():
        s = tally_summary(t)
        median = "-" if s["median_seconds"] is None else f"{s['median_seconds']:.1f} s"
        boxes = (str(t.box), s["last_seen"] or "-") if leitner else ()
        rows.append((key, str(t.attempts), str(t.right), str(t.streak)) + boxes + (median,))
    return table(rows)


def accuracy_chart(history):
    """Accuracy per day as a bar of `#` out of CHART_WIDTH, the most recent CHART_ROWS days."""
    days = list(accuracy_by_day(history).items())[-CHART_ROWS:]
    lines = ["accuracy by day"]
    for day, (right, total) in days:
        filled = round(CHART_WIDTH * right / total)
        lines.append(f"{day}  |{'#' * filled}{'.' * (CHART_WIDTH - filled)}|  {100 * right / total:3.0f}%  "
                     f"({right}/{total})")
    return "\n".join(lines)


def interviews_table(cards):
    """One row per mock interview."""
    rows = [("interview", "result", "time", "submissions", "hints", "follow-ups")]
    for card in cards:
        rows.append((day_of(card.when), "healthy" if card.healthy else "not finished",
                     f"{card.seconds / 60:.1f}/{card.minutes:g} min", str(card.submissions), str(card.hints),
                     f"{card.followups_right}/{card.followups_asked}"))
    return table(rows)


def stats_text(progress, path, order=()):
    """`diagnose stats`: per fault (in `order`, then any others), per mode, level and topic, the chart, interviews."""
    if not any(getattr(progress, section) for section in SECTIONS) and not progress.interviews:
        return f"No drills recorded in {path} yet: try `diagnose drill`."
    faults = {k: progress.faults[k] for k in order if k in progress.faults}
    faults.update({k: t for k, t in progress.faults.items() if k not in faults})
    levels = {f"level {k}": t for k, t in sorted(progress.levels.items())}
    parts = [f"Progress in {path}"]
    for tallies, heading, leitner in ((faults, "fault", True), (progress.modes, "mode", False),
                                      (levels, "level", False), (progress.topics, "quiz topic", True)):
        if tallies:
            parts.append(tally_table(tallies, heading, leitner))
    if progress.history:
        parts.append(accuracy_chart(progress.history))
    if progress.interviews:
        parts.append(interviews_table(progress.interviews))
    return "\n\n".join(parts)
