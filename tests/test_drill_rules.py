"""The drill rules of issue 14: no give-aways, `healthy` and prefixes as answers, levels, hints, `r`,
watch-on-save and the mock interview, each driven end to end through stdin."""
import inspect
import re
import time

import click
import pytest
from click.testing import CliRunner

import bugs
import core.net
from bugs.mutant import function_source
from diagnose.cli.main import main
from diagnose.engine.pipeline import diagnose
from diagnose.practice import levels, quiz
from diagnose.practice.answers import menu_ids
from diagnose.practice.conceal import neutral_source, observations
from diagnose.practice.drill import Drill, Mode, run
from diagnose.practice.rounds import mutant_lines, mutant_source
from diagnose.practice.store import Entry, Outcome, Progress, Store, read_progress, write_progress
from drill_io import Person, Typist

ALL_ITEMS = [f.id for f in bugs.FAULTS] + list(levels.checklist_pairs())
TELLTALES = ("=>", "(= ", "= N)", "N x N", "masked by", "before the mask", "pre-activation", "without the bias",
             "-1/N at every class", "sum over the batch")


def play(drill, answers, store_path):
    """run(drill) inside CliRunner with answers on stdin; returns the click Result."""
    @click.command()
    def cmd():
        run(drill, Store(store_path, lambda message: click.echo(message, err=True)))
    return CliRunner().invoke(cmd, input=answers)


def correct_source():
    return inspect.getsource(core.net)


# -- no give-aways -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", bugs.FAULTS, ids=lambda f: f.id)
def test_no_changed_line_of_a_mutant_carries_a_comment(fault):
    lines = function_source(bugs.apply(fault), fault.function).splitlines()
    for number in bugs.changed_lines(fault):
        if fault.replace:  # a removed line leaves no line of its own
            assert "#" not in lines[number - 1], f"{fault.id}: {lines[number - 1]!r}"


@pytest.mark.parametrize("item", ALL_ITEMS)
def test_code_and_fix_modes_show_no_comment_and_no_core_docstring(item):
    text = neutral_source(mutant_source(item))
    assert "#" not in text and "The correct two-layer classifier" not in text
    assert text.startswith('"""A two-layer classifier') and "Find it, fix it" in text
    compile(text, "<fix file>", "exec")  # still a valid module
    if "+" not in item:
        assert not any("#" in line for line in mutant_lines(bugs.get(item)))


@pytest.mark.parametrize("item", ALL_ITEMS)
def test_symptoms_text_names_no_fault_and_draws_no_conclusion(item):
    report = diagnose(bugs.make_mutant(*levels.faults_of(item)), seed=3)
    text = observations(report)
    for fault in bugs.FAULTS:
        words = re.findall(rf"\b{re.escape(fault.id)}\b", text)
        if fault.id == "float32":  # also a dtype: allowed only as one, e.g. "the loss (float32)"
            words = [w for w in re.findall(r".?float32.?", text) if w not in ("(float32)", " float32 ")]
        assert not words, f"{item}: {fault.id} in\n{text}"
    assert not [t for t in TELLTALES if t in text], text
    assert "verdict" not in text and "fix:" not in text


def test_equivalent_round_is_answered_healthy(tmp_path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    right = CliRunner().invoke(main, ["drill", "--bug", "mask_a1", "--rounds", "1", "--store",
                                      str(tmp_path / "a" / "p.json")], input="HEALTHY\n")
    assert "Right.\nIt was healthy: mask_a1 is an equivalent mutant" in right.output
    assert "Evidence: every stage passes" in right.output
    wrong = CliRunner().invoke(main, ["drill", "--bug", "mask_a1", "--rounds", "1", "--store",
                                      str(tmp_path / "b" / "p.json")], input="bad_relu_mask\n")
    assert "Wrong.\nIt was healthy" in wrong.output
    assert "mask_a1" not in right.output.split("Your answer")[0]  # equivalent ids are not on the menu


def test_an_ambiguous_prefix_is_asked_again(tmp_path):
    result = CliRunner().invoke(main, ["drill", "--bug", "db2_zero", "--rounds", "1", "--store",
                                       str(tmp_path / "p.json")], input="db\nDB2_Z\n")
    assert ("('db' could be db2_wrong_axis, db1_keepdims, db2_zero, db1_before_mask, db1_scalar, db2_scalar: "
            "type more of it)") in result.output
    assert "Right." in result.output


def test_a_pair_round_wants_both_faults_in_any_order(tmp_path):
    drill = Drill(mode=Mode.SYMPTOMS, rounds=2, pool=("missing_div_n+bad_relu_mask",))
    result = play(drill, "bad_relu missing\nmissing_div_n\nmissing_div_n\n", tmp_path / "p.json")
    assert "2 faults at once: which?" in result.output
    assert "Right.\nIt was missing_div_n + bad_relu_mask" in result.output
    assert "  (name 2 faults: numbers or ids separated by spaces)" in result.output
    assert read_progress(tmp_path / "p.json").faults["missing_div_n+bad_relu_mask"].right == 1


def test_r_shows_the_last_rounds_full_report_at_the_next_prompt(tmp_path):
    drill = Drill(mode=Mode.SYMPTOMS, rounds=2, pool=("missing_div_n",))
    result = play(drill, "missing_div_n\nr\nmissing_div_n\n", tmp_path / "p.json")
    assert result.output.count("verdict: missing_div_n") == 1
    assert result.output.index("(type r at the next prompt") < result.output.index("verdict: missing_div_n")
    assert "Score: 2/2 right." in result.output


# -- levels --------------------------------------------------------------------------------------------

def history(level, right, wrong):
    outcomes = [Outcome.RIGHT] * right + [Outcome.WRONG] * wrong
    return tuple(Entry(0.0, "symptoms", level, "labels_n1", o) for o in outcomes)


@pytest.mark.parametrize("right, level", [(7, 1), (8, 2), (10, 2)])
def test_eight_of_the_last_ten_rounds_move_a_person_up(right, level):
    number, why = levels.current(history(1, right, 10 - right))
    assert number == level
    assert why.startswith(f"{right} of your last 10")


def test_only_the_last_ten_rounds_of_the_level_count():
    old_misses = history(1, 0, 30)
    assert levels.current(old_misses + history(1, 8, 2))[0] == 2
    assert levels.current(history(1, 8, 2) + history(1, 0, 3))[0] == 1  # the last 10: 5 right
    assert levels.current(history(1, 10, 0) + history(2, 8, 2))[0] == 3


def test_the_header_says_the_level_and_why_and_the_level_sets_the_pool(tmp_path):
    write_progress(tmp_path / "p.json", Progress(history=history(1, 9, 1)))
    result = CliRunner().invoke(main, ["drill", "--rounds", "1", "--store", str(tmp_path / "p.json")], input="0\n")
    assert ("Level 2 (plus the extended catalog and equivalent mutants): 9 of your last 10 level-1 rounds were right; "
            "8 right of your last 10 here move you up.") in result.output
    number = menu_ids(levels.levels()[2].answers()).index("log_no_eps") + 1
    assert re.search(rf"^ *{number}  log_no_eps +loss as log", result.output, re.M)  # the level-2 menu
    assert read_progress(tmp_path / "p.json").history[-1].level == 2
    pinned = CliRunner().invoke(main, ["drill", "--rounds", "1", "--level", "1", "--store", str(tmp_path / "p.json")],
                                input="0\n")
    assert "Level 1 (the seven checklist faults): chosen with --level." in pinned.output


def test_level_three_brings_pairs_and_plugs_in_nets():
    three = levels.levels()[3]
    members = [f.id for f in bugs.FAULTS if f.source == "core.family"]
    assert len(three.items()) == len(levels.levels()[2].items()) + len(members) + 21
    assert set(members) <= set(three.items()) and not set(members) & set(levels.levels()[2].items())
    assert all("+" not in item for item in three.items(mode_takes_pairs=False))
    assert three.nets[0] is None and len(three.nets) == 12  # core/net.py's member, then the 11 others
    assert levels.levels()[2].nets == (None,)


# -- hints, watch ------------------------------------------------------------------------------------

def test_fix_hints_go_stage_then_tensor_then_line_and_are_counted(tmp_path):
    result = CliRunner().invoke(main, ["drill", "--mode", "fix", "--bug", "bad_relu_mask", "--rounds", "1",
                                       "--no-watch", "--workdir", str(tmp_path / "w"), "--store",
                                       str(tmp_path / "p.json")], input="h\nh\nh\nh\nq\n")
    assert "hint 1/3: look at the stage 'gradient check' first (then layer isolation)" in result.output
    assert "hint 2/3: the tensor to look at: dZ1" in result.output
    line = int(re.search(r"hint 3/3: line (\d+) of the file, in backward\(\)", result.output).group(1))
    assert (tmp_path / "w" / "round1_net.py").read_text().splitlines()[line - 1].strip() == "dZ1 = dA1 * (dA1 > 0)"
    assert "Score: 0/1 right, 3 hints." in result.output
    assert read_progress(tmp_path / "p.json").history[-1].hints == 3


def test_watch_rechecks_when_the_file_is_saved(tmp_path):
    path = tmp_path / "w" / "round1_net.py"

    def edit_in_an_editor():
        path.write_text(correct_source())  # saved: the watch sees it; nothing is typed ...
        time.sleep(3.0)
        return "q"  # ... and had it not, this would give up

    drill = Drill(mode=Mode.FIX, rounds=1, pool=("missing_div_n",), workdir=tmp_path / "w", poll=0.05)
    result = play(drill, Typist([edit_in_an_editor]), tmp_path / "p.json")
    assert "(saved)" in result.output
    assert "Right.\nIt was missing_div_n" in result.output


# -- the mock interview ------------------------------------------------------------------------------

def interview_drill(tmp_path, person, **settings):
    return Drill(mode=Mode.INTERVIEW, minutes=30, workdir=tmp_path / "w", watch=False, clock=person.clock,
                 now=lambda: 1_780_000_000.0, **settings)


def test_interview_end_to_end_with_a_fake_clock(tmp_path, monkeypatch):
    monkeypatch.setattr(quiz, "make_question", lambda topic, rng: quiz.central_halving())
    person = Person()
    path = tmp_path / "w" / "round1_net.py"

    def implement():
        path.write_text(correct_source())
        return ""

    answers = [person.types("", 60), person.types("h", 30), lambda: (person.types("", 600)(), implement())[1],
               person.types("4", 20), person.types("3", 20)]
    result = play(interview_drill(tmp_path, person), Typist(answers), tmp_path / "p.json")
    assert result.exit_code == 0, result.output
    assert "Mock interview, 30 minutes." in result.output
    assert "Not healthy yet" in result.output and "hint 1/3:" in result.output
    assert "Healthy. Two follow-up questions:" in result.output
    assert "Follow-up 2/2:" in result.output
    assert ("Scorecard:\n  result:      healthy\n  time:        11.5 of 30 minutes\n  submissions: 2\n"
            "  hints:       1\n  follow-ups:  1 of 2 right") in result.output
    (card,) = read_progress(tmp_path / "p.json").interviews
    assert (card.healthy, card.submissions, card.hints, card.followups_right, card.seconds) == (True, 2, 1, 1, 690.0)
    stats = CliRunner().invoke(main, ["stats", "--store", str(tmp_path / "p.json")])
    assert re.search(r"2026-\d\d-\d\d\s+healthy\s+11\.5/30 min\s+2\s+1\s+1/2", stats.output), stats.output


def test_interview_ends_when_time_is_up(tmp_path):
    person = Person()
    result = play(interview_drill(tmp_path, person), Typist([person.types("", 31 * 60)]), tmp_path / "p.json")
    assert "Time is up." in result.output
    assert "  result:      not healthy\n" in result.output and "submissions: 0" in result.output
    assert read_progress(tmp_path / "p.json").modes["interview"].right == 0


# -- stats ----------------------------------------------------------------------------------------------

def test_stats_show_levels_and_accuracy_by_day(tmp_path):
    day = 1_780_000_000.0
    entries = history(1, 3, 1) + tuple(Entry(day + 86400, "quiz", None, "dZ2", Outcome.RIGHT) for _ in range(2))
    entries = tuple(Entry(day if e.mode == "symptoms" else e.when, e.mode, e.level, e.item, e.outcome) for e in entries)
    progress = Progress(history=entries).recorded("levels", "1", Outcome.RIGHT, 1.0)
    write_progress(tmp_path / "p.json", progress)
    result = CliRunner().invoke(main, ["stats", "--store", str(tmp_path / "p.json")])
    assert "level 1" in result.output
    assert re.search(r"\d{4}-\d\d-\d\d  \|#{15}\.{5}\|   75%  \(3/4\)", result.output), result.output
    assert re.search(r"\d{4}-\d\d-\d\d  \|#{20}\|  100%  \(2/2\)", result.output)
    doc = CliRunner().invoke(main, ["stats", "--store", str(tmp_path / "p.json"), "--json"]).output
    assert '"rounds": 4' in doc and '"right": 3' in doc


def test_piped_stdin_to_the_real_command_loses_no_line(tmp_path):
    """Each answer line reaches its own prompt when stdin is a real pipe (no read-ahead swallows lines)."""
    import subprocess
    import sys
    answers = "12\nr\nx\n0\n"  # an answer; then `r` (the full report), a bad answer, the answer
    proc = subprocess.run([sys.executable, "-m", "diagnose", "drill", "--mode", "code", "--rounds", "2", "--seed", "5",
                           "--bug", "mask_a1", "--store", str(tmp_path / "p.json")],
                          input=answers, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Score: 1/2 right." in proc.stdout
    assert proc.stdout.count("(type a line number from 1 to") == 1


def test_implement_hints_name_the_call_that_fails_never_a_pass(tmp_path):
    result = CliRunner().invoke(main, ["drill", "--mode", "implement", "--no-watch", "--workdir", str(tmp_path / "w"),
                                       "--store", str(tmp_path / "p.json")], input="h\nh\nh\nq\n")
    assert ("hint 1/3: forward_loss fails during the stage 'shapes and types': NotImplementedError: "
            "forward_loss: compute the loss and the cache") in result.output
    assert "every stage passes" not in result.output
    line = int(re.search(r"hint 3/3: line (\d+) of the file, in forward_loss\(\), is where it fails",
                         result.output).group(1))
    assert "raise NotImplementedError" in (tmp_path / "w" / "round1_net.py").read_text().splitlines()[line - 1]
    assert "verdict:" not in result.output  # implement hides the verdict too


def test_with_watch_on_enter_still_checks_at_once(tmp_path):
    drill = Drill(mode=Mode.FIX, rounds=1, pool=("no_copy",), workdir=tmp_path / "w", poll=0.05)
    result = play(drill, "\n\nq\n", tmp_path / "p.json")
    assert result.output.count("Not healthy yet") == 2 and "(saved)" not in result.output
    assert "Wrong.\nIt was no_copy" in result.output


def test_r_is_never_taken_as_a_fault_prefix(tmp_path):
    drill = Drill(mode=Mode.SYMPTOMS, rounds=1, pool=("relu_no_mask",))  # relu_no_mask starts with r
    result = play(drill, "r\nrelu_no\n", tmp_path / "p.json")
    assert "(no report yet: it comes after an answer)" in result.output
    assert "Right.\nIt was relu_no_mask" in result.output


def test_fix_rounds_skip_faults_whose_only_flaw_is_a_caution():
    from diagnose.practice.drill import eligible
    fix = eligible(Drill(mode=Mode.FIX), 2)
    assert "log_no_eps" not in fix and "missing_div_n" in fix
    assert "log_no_eps" in eligible(Drill(mode=Mode.SYMPTOMS), 2)  # its inf loss is there to be named


def test_hints_on_an_equivalent_mutant_point_at_no_line(tmp_path):
    drill = Drill(mode=Mode.FIX, rounds=1, pool=("mask_ge",), workdir=tmp_path / "w", watch=False)
    result = play(drill, "h\nh\nh\n\n", tmp_path / "p.json")
    assert "hint 1/3: every stage passes on the last check" in result.output
    assert "hint 2/3: nothing fails: the file may be right as it is" in result.output
    assert "hint 3/3: no line needs changing while every stage passes" in result.output
    assert "Right.\nIt was healthy: mask_ge is an equivalent mutant" in result.output
