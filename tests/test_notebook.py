"""Reports in notebooks: HTML renderings and checking what is already in memory."""
import re
import shutil
import struct
import subprocess
import types
import zlib
from html import escape

import numpy as np
import pytest

import bugs
import core
from diagnose import diagnose
from diagnose.engine.findings import Failure
from diagnose.engine.full import full_check
from diagnose.engine.html import colour_of, COLOURS, NOT_FINITE
from diagnose.engine.probe import make_probe


class InMemoryNet:
    """A CS231n-style class defined in the notebook, never written to a file."""

    def __init__(self, input_size, hidden_size, output_size, std=1e-4, scale_dW1=1.0):
        rng = np.random.default_rng(0)
        self.scale_dW1 = scale_dW1
        self.params = {"W1": std * rng.standard_normal((input_size, hidden_size)), "b1": np.zeros(hidden_size),
                       "W2": std * rng.standard_normal((hidden_size, output_size)), "b2": np.zeros(output_size)}

    def loss(self, X, y=None, reg=0.0):
        loss, cache = core.forward_loss(X, y, self.params)
        loss += 0.5 * reg * (np.sum(self.params["W1"] ** 2) + np.sum(self.params["W2"] ** 2))
        grads = core.backward(cache, self.params)
        grads["W1"] = self.scale_dW1 * grads["W1"] + reg * self.params["W1"]
        grads["W2"] = grads["W2"] + reg * self.params["W2"]
        return loss, grads


def test_report_html_has_the_verdict_every_stage_and_every_tensor_row():
    report = diagnose(bugs.make_mutant(bugs.get("missing_div_n")))
    html = report._repr_html_()
    head = report.text().splitlines()[0]
    assert head.startswith("verdict: missing_div_n — ") and f"<h3>{escape(head)}</h3>" in html
    for number, stage in enumerate(["shapes and types", "purity", "stability", "precision", "gradient check",
                                    "layer isolation"], 1):
        assert f">{number}</td><td" in html and f">{stage}</td>" in html
    rows = re.findall(r"<tr><td[^>]*>(W1|b1|W2|b2)</td><td[^>]*>([0-9.e+-]+)</td>", html)
    assert [name for name, _ in rows] == ["W1", "b1", "W2", "b2"]
    assert [err for _, err in rows] == [f"{c.rel_error:.1e}" for c in report.checks]
    assert "divide once by the batch size" in html


def test_report_html_escapes_what_the_subject_said():
    report = diagnose(bugs.make_mutant(bugs.get("missing_div_n")))
    failed = type(report)(**{**report.__dict__, "failure": Failure("purity", "backward", "<script>x</script>",
                                                                      ("<b>line</b>",))})
    html = failed._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "&lt;b&gt;line&lt;/b&gt;" in html


def test_report_html_shows_a_caution_apart_from_the_faults():
    report = diagnose(bugs.make_mutant(bugs.get("log_no_eps")))
    html = report._repr_html_()
    assert report.verdict == "healthy" and [c.id for c in report.cautions] == ["log_no_eps"]
    assert "<h3>verdict: healthy (1 caution)</h3>" in html
    assert "=&gt; caution:" in html and "<li><b>log_no_eps</b>" in html and "fix:" not in html


def test_plain_repr_of_a_report_stays_one_short_line():
    report = diagnose(core)
    assert repr(report) == "Report(verdict='healthy', faults=(), stage=None)"


def test_full_check_html_draws_one_svg_cell_per_entry_of_small_tensors():
    probe = make_probe(0)
    check = full_check(bugs.make_mutant(bugs.get("mask_no_bias")), probe)
    html = check._repr_html_()
    svgs = re.findall(r"<svg.*?</svg>", html)
    assert len(svgs) == 4
    assert [svg.count("<rect") for svg in svgs] == [p.size for p in probe.params.values()]
    assert "W1 9 x 12: max relative error" in html
    worst_colour = colour_of(check.tensors[0].worst[1])
    assert worst_colour == COLOURS[-1] and f'fill="{worst_colour}"' in svgs[0]


def test_colours_follow_the_decade_of_the_error():
    assert colour_of(1e-12) == COLOURS[0]
    assert colour_of(5e-6) == COLOURS[4] and colour_of(5e-5) == COLOURS[5]
    assert colour_of(float("nan")) == NOT_FINITE and colour_of(float("inf")) == NOT_FINITE


def test_diagnose_takes_a_class_instance_defined_in_memory():
    assert diagnose(InMemoryNet(9, 12, 4)).verdict == "healthy"
    report = diagnose(InMemoryNet(9, 12, 4, scale_dW1=2.0))
    assert report.verdict != "healthy" and "W1" in [c.name for c in report.checks if c.rel_error > 1e-5]


def test_diagnose_takes_the_class_itself_and_checks_its_regularisation():
    report = diagnose(InMemoryNet)
    assert report.verdict == "healthy"
    assert any("at reg = 0.1" in f.observed for f in report.findings)


def test_diagnose_takes_a_namespace_of_functions():
    namespace = types.SimpleNamespace(forward_loss=core.forward_loss, backward=core.backward)
    assert diagnose(namespace).verdict == "healthy"
    mutant = bugs.make_mutant(bugs.get("bad_relu_mask"))
    assert diagnose(types.SimpleNamespace(forward_loss=mutant.forward_loss, backward=mutant.backward)).verdict \
        == "bad_relu_mask"


def png_pixels_vary(path):
    """Whether a PNG's decompressed scanlines hold more than a handful of distinct byte values."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return len(set(zlib.decompress(idat))) > 16


@pytest.mark.skipif(shutil.which("chromium") is None, reason="no headless chromium on this machine")
def test_a_rendered_report_page_is_not_blank_in_a_real_browser(tmp_path):
    report = diagnose(bugs.make_mutant(bugs.get("mask_no_bias")))
    page = tmp_path / "report.html"
    page.write_text("<html><body>" + report._repr_html_() + "</body></html>", encoding="utf-8")
    shot = tmp_path / "report.png"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={shot}",
                    "--window-size=1000,800", page.as_uri()], capture_output=True, timeout=120, check=False)
    assert shot.exists() and png_pixels_vary(shot)
