"""HTML renderings for notebooks: a Report as a heading and tables, a full check as SVG heat maps.

Jupyter calls `_repr_html_` on the last value of a cell; Report and FullCheck delegate
here. Everything shown comes from the same objects as the text and JSON renderings,
every string is escaped, and the heat maps are plain inline SVG (no plotting library).
"""
from html import escape

import numpy as np

from diagnose.engine.findings import Stage
from diagnose.engine.full import AXES, EDGES, downsample
from diagnose.engine.render import CHECK_HEAD, check_cells, head_lines

# one colour per decade of relative error, as the text ramp " .:-=+*#%@": pale below 1e-5, then hotter
COLOURS = ("#ffffff", "#f0f9e8", "#ccebc5", "#a8ddb5", "#7bccc4", "#fee391", "#fec44f", "#fe9929", "#d95f0e",
           "#993404")
NOT_FINITE = "#000000"
STYLE = "border-collapse:collapse;font-family:monospace;font-size:12px"
TD = "border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top"


def table(head, rows):
    """An HTML table from a header tuple and rows of already-escaped cells."""
    th = "".join(f'<th style="{TD}">{escape(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(f'<td style="{TD}">{cell}</td>' for cell in row) + "</tr>" for row in rows)
    return f'<table style="{STYLE}"><tr>{th}</tr>{body}</table>'


def heading(report):
    """The verdict line, as the text report words it (the id, its family, the cautions)."""
    return f"<h3>{escape(head_lines(report)[0])}</h3>"


def probe_line(report):
    """Seed, sizes, forward calls and the recognised net, as one paragraph."""
    N, D, H, C = report.shape
    parts = [f"probe: seed {report.seed}, N={N} D={D} H={H} C={C}; {report.forward_calls} forward calls"]
    net = getattr(report, "net", None)
    if net:
        parts.append(f"net: {net}")
    return f"<p>{escape('; '.join(parts))}</p>"


def stage_rows(report):
    """One row per stage: number, name, ok/FAIL/not run, and its findings with their meanings."""
    rows = []
    for number, stage in enumerate(Stage, 1):
        findings = [f for f in report.findings if f.stage == stage]
        ran = findings or (stage == Stage.GRADCHECK and report.checks)
        status = "not run" if not ran else ("FAIL" if any(not f.passed for f in findings) else "ok")
        notes = []
        for f in findings:
            line = escape(f.observed)
            if not f.passed and f.meaning:
                line += f"<br><i>=&gt; {escape(f.meaning)}</i>" + (f" [{escape(f.fault)}]" if f.fault else "")
            elif getattr(f, "caution", None):
                line += f"<br><i>=&gt; caution: {escape(f.meaning)}</i> [{escape(f.caution)}]"
            notes.append(line)
        colour = {"FAIL": "#c0392b", "ok": "#27863b"}.get(status, "#777")
        rows.append((str(number), escape(stage.value), f'<b style="color:{colour}">{status}</b>', "<br>".join(notes)))
    return rows


def tensor_rows(report):
    """One row per checked tensor, the same cells as the text report's table."""
    return [tuple(escape(cell) for cell in check_cells(c)) for c in report.checks]


def report_html(report):
    """The whole report as one HTML fragment."""
    parts = ['<div class="backprop-drills-report">', heading(report), probe_line(report),
             table(("#", "stage", "status", "observations"), stage_rows(report))]
    if report.checks:
        parts += ["<p>gradient check per tensor:</p>",
                  table(CHECK_HEAD, tensor_rows(report))]
    cautions = getattr(report, "cautions", ())
    if cautions:
        items = "".join(f"<li><b>{escape(c.id)}</b>: {escape(c.title)}. {escape(c.evidence)} "
                        f"<i>Fix: {escape(c.fix)}</i></li>" for c in cautions)
        parts.append(f"<p>cautions (right on ordinary inputs, but fragile):</p><ul>{items}</ul>")
    if report.failure:
        f = report.failure
        trace = "\n".join(f.trace)
        parts.append(f"<p>the subject's {escape(f.call)} failed during {escape(f.stage)}: {escape(f.message)}</p>"
                     + (f"<pre>{escape(trace)}</pre>" if trace else ""))
    extras = [f"not checked: {s}" for s in report.skipped] + [f"note: {n}" for n in report.notes]
    if extras:
        parts.append("<ul>" + "".join(f"<li>{escape(e)}</li>" for e in extras) + "</ul>")
    if report.faults:
        parts.append("<p>fix:</p><pre>" + escape(report.fix) + "</pre>")
    return "".join(parts) + "</div>"


def colour_of(err):
    """The colour of one relative error: its decade bucket, black for nan or inf."""
    if not np.isfinite(err):
        return NOT_FINITE
    return COLOURS[int(np.searchsorted(EDGES, err, side="right"))]


def heatmap_svg(tensor):
    """One tensor's per-entry relative error as an SVG grid of coloured cells (max-pooled if large)."""
    err = tensor.errors
    if err is None:
        return f"<p>{escape(tensor.name)}: {escape(tensor.note)}</p>"
    grid, block = downsample(err)
    rows, cols = grid.shape
    cell = int(np.clip(480 // max(rows, cols), 6, 24))  # pixels: small tensors drawn larger
    cells = "".join(f'<rect x="{j * cell}" y="{i * cell}" width="{cell}" height="{cell}" '
                    f'fill="{colour_of(grid[i, j])}"><title>{grid[i, j]:.1e}</title></rect>'
                    for i in range(rows) for j in range(cols))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{cols * cell}" height="{rows * cell}" '
           f'style="border:1px solid #888">{cells}</svg>')
    idx, worst = tensor.worst
    axis_rows, axis_cols = AXES.get(tensor.name, (None, "entries"))
    caption = f"{tensor.name} {' x '.join(map(str, tensor.numeric.shape))}: max relative error {worst:.1e} at {list(idx)}"
    caption += f" (rows: {axis_rows}, columns: {axis_cols})" if axis_rows else f" (columns: {axis_cols})"
    if block != (1, 1):
        caption += f"; each cell is the worst of a {block[0]} x {block[1]} block"
    return f"<p>{escape(caption)}</p>{svg}"


def legend_html():
    """Swatches for each decade of relative error."""
    labels = [f"&lt; {EDGES[0]:.0e}"] + [f"&lt; {hi:.0e}" for hi in EDGES[1:]] + [f"&ge; {EDGES[-1]:.0e}"]
    swatches = [(c, label) for c, label in zip(COLOURS, labels)] + [(NOT_FINITE, "nan or inf")]
    return "<p>" + " ".join(f'<span style="background:{c};border:1px solid #888">&nbsp;&nbsp;&nbsp;</span> {label}'
                            for c, label in swatches) + "</p>"


def full_html(check):
    """The exhaustive check as HTML: its cost, a legend, one SVG heat map per tensor."""
    head = f"<h3>full elementwise check: {check.forward_calls} forward calls, h = {check.h:g}</h3>"
    if check.failure:
        return f"<div>{head}<p>stopped: {escape(check.failure)}</p></div>"
    return "<div>" + head + legend_html() + "".join(heatmap_svg(t) for t in check.tensors) + "</div>"
