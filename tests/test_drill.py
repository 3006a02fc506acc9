"""`diagnose drill` end to end: every mode with right and wrong answers, driven through stdin."""
import inspect
import re

import click
import pytest
from click.testing import CliRunner

import bugs
import core.net
from diagnose.practice import drill as drill_mod
from diagnose.practice import quiz
from diagnose.cli.main import main
from diagnose.practice.drill import Drill, Mode, run
from diagnose.practice.rounds import faulty_lines, mutant_lines
from diagnose.practice.store import Outcome, Progress, Store, read_progress, write_progress
from drill_io import Person, Typist


def invoke(tmp_path, *args, input=""):
    """`diagnose drill ARGS` with answers on stdin and the store in tmp_path (made if need be)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    return CliRunner().invoke(main, ["drill", "--store", str(tmp_path / "p.json"), *args], input=input)


def play(drill, answers, store_path):
    """run(drill) inside CliRunner, so a test can inject the clock; returns the click Result."""
    @click.command()
    def cmd():
        run(drill, Store(store_path, lambda message: click.echo(message, err=True)))
    return CliRunner().invoke(cmd, input=answers)


# -- symptoms ----------------------------------------------------------------------------

def test_symptoms_hides_the_verdict_until_the_answer(tmp_path):
    result = invoke(tmp_path, "--bug", "missing_div_n", "--rounds", "1", "--seed", "1", "--verbose",
                    input="Missing\n")  # a unique prefix, in any case
    assert result.exit_code == 0, result.output
    before, after = result.output.split("Your answer (number, id or its start):", 1)
    assert "gradient check" in before and "analytic/numeric" in before
    assert "verdict:" not in before and "fix:" not in before and "=>" not in before
    assert "(= N" not in before and "missing_div_n" not in before.split("Which fault is it?")[0]
    assert after.startswith(" Right.\nIt was missing_div_n: dZ2 is never divided by N.\nEvidence:\n  - ")
    assert "verdict: missing_div_n" in after and "fix:" in after  # --verbose: the full report
    assert "Score: 1/1 right." in after
    assert read_progress(tmp_path / "p.json").faults["missing_div_n"].right == 1


def test_symptoms_wrong_answer_reveals_the_fault(tmp_path):
    result = invoke(tmp_path, "--bug", "float32", "--rounds", "1", "--seed", "1", input="sign_flipped\n")
    assert result.exit_code == 0, result.output
    assert "Wrong.\nIt was float32: the forward pass runs in float32.\nEvidence:\n  - not float64" in result.output
    assert "verdict: float32" not in result.output  # the full report only on request
    assert "Score: 0/1 right." in result.output and "To practise: float32." in result.output
    tally = read_progress(tmp_path / "p.json").faults["float32"]
    assert (tally.attempts, tally.right, tally.streak) == (1, 0, 0)


def test_symptoms_covers_all_seven_checklist_faults_in_seven_rounds(tmp_path):
    result = invoke(tmp_path, "--rounds", "7", "--seed", "3", input="1\n" * 7)
    drawn = re.findall(r"^It was (\w+):", result.output, re.M)
    assert sorted(drawn) == sorted(drill_mod.DEFAULT_POOL)  # unseen first, none twice before all came up


# -- code ----------------------------------------------------------------------------------

def test_code_right_line_scores(tmp_path):
    (line,) = faulty_lines(bugs.get("labels_n1"))
    result = invoke(tmp_path, "--mode", "code", "--bug", "labels_n1", "--rounds", "1", "--seed", "0",
                    input=f"{line}\n")
    assert result.exit_code == 0, result.output
    assert f"{line:3d}      y = y.reshape(-1, 1)\n" in result.output
    assert "#" not in result.output.split("Line number:")[0]  # no comment names or hints at the fault
    assert "Right.\nIt was labels_n1 (line" in result.output
    assert "+    y = y.reshape(-1, 1)" in result.output  # the diff, after the answer
    assert read_progress(tmp_path / "p.json").modes["code"].right == 1


def test_code_wrong_line_shows_the_diff(tmp_path):
    result = invoke(tmp_path, "--mode", "code", "--bug", "bad_relu_mask", "--rounds", "1", "--seed", "0",
                    input="1\n")
    assert "Wrong.\nIt was bad_relu_mask (line 12)" in result.output
    assert "-    dZ1 = dA1 * (Z1 > 0)" in result.output
    assert read_progress(tmp_path / "p.json").faults["bad_relu_mask"].right == 0


def test_code_invalid_answers_are_asked_again_with_a_hint(tmp_path):
    count = len(mutant_lines(bugs.get("bad_relu_mask")))
    result = invoke(tmp_path, "--mode", "code", "--bug", "bad_relu_mask", "--rounds", "1", "--seed", "0",
                    input=f"twelve\n{count + 1}\n\n12\n")
    assert result.output.count(f"(type a line number from 1 to {count}, or 0 if nothing is wrong)") == 3
    assert "Right." in result.output


def test_a_removed_line_counts_on_either_side_of_the_gap():
    lines = mutant_lines(bugs.get("missing_div_n"))
    gap = faulty_lines(bugs.get("missing_div_n"))
    assert {lines[n - 1].split("#")[0].strip() for n in gap} == {"dZ2[np.arange(N), y] -= 1", "dW2 = A1.T @ dZ2"}


@pytest.mark.parametrize("fault", bugs.FAULTS, ids=lambda f: f.id)
def test_every_fault_has_a_nameable_line(fault):
    lines = faulty_lines(fault)
    assert lines and all(1 <= n <= len(mutant_lines(fault)) for n in lines)


# -- quiz ----------------------------------------------------------------------------------

@pytest.mark.parametrize("answer, verdict", [("log(5)", "Right."), ("1.609", "Right."), ("log(2)", "Wrong."),
                                             ("inf", "Wrong.")])
def test_quiz_checks_the_loss_bound_answer(tmp_path, monkeypatch, answer, verdict):
    monkeypatch.setattr(quiz, "make_question", lambda topic, rng: quiz.loss_max_argmax(5))
    result = invoke(tmp_path, "--mode", "quiz", "--rounds", "1", "--seed", "0", input=f"{answer}\n")
    assert result.exit_code == 0, result.output
    assert f"Your answer: {verdict}\nThe answer: 1.609." in result.output


def test_quiz_re_asks_until_a_choice_is_valid(tmp_path, monkeypatch):
    monkeypatch.setattr(quiz, "make_question", lambda topic, rng: quiz.rel_error_verdict(1e-3))
    result = invoke(tmp_path, "--mode", "quiz", "--rounds", "1", "--seed", "0", input="suspicious\n4\n3\n")
    assert result.output.count("(type the number of an option, 1 to 3)") == 2
    assert "Right." in result.output
    assert read_progress(tmp_path / "p.json").topics["rel_error"].right == 1


def test_quiz_rounds_cover_several_topics(tmp_path):
    result = invoke(tmp_path, "--mode", "quiz", "--rounds", "5", "--seed", "2", input="1\n" * 5)
    progress = read_progress(tmp_path / "p.json")
    assert sum(t.attempts for t in progress.topics.values()) == 5
    assert len(progress.topics) >= 3
    assert "Score: " in result.output


# -- fix and implement -----------------------------------------------------------------------

def correct_source():
    """The core's own source: a correct two-layer classifier."""
    return inspect.getsource(core.net)


def test_fix_scores_when_the_edited_file_checks_healthy(tmp_path):
    path = tmp_path / "work" / "round1_net.py"

    def fix_it():
        assert "dZ2 /= N" not in path.read_text()  # the drill wrote the mutant
        path.write_text(correct_source())
        return ""

    result = CliRunner().invoke(main, ["drill", "--mode", "fix", "--bug", "missing_div_n", "--rounds", "1",
                                       "--seed", "0", "--workdir", str(tmp_path / "work"), "--no-watch",
                                       "--store", str(tmp_path / "p.json")], input=Typist([fix_it]))
    assert result.exit_code == 0, result.output
    assert "Right.\nIt was missing_div_n" in result.output
    assert read_progress(tmp_path / "p.json").faults["missing_div_n"].right == 1


def test_fix_unedited_file_is_not_healthy_until_given_up(tmp_path):
    result = invoke(tmp_path, "--mode", "fix", "--bug", "missing_div_n", "--rounds", "1", "--seed", "0",
                    "--workdir", str(tmp_path / "work"), "--no-watch", input="\nmaybe\ngive up\n")
    assert result.exit_code == 0, result.output
    assert "Not healthy yet" in result.output
    checked, revealed = result.output.split("Not healthy yet", 1)
    assert "gradient check: FAIL" in checked  # the observations while the fault is still hidden,
    assert "verdict:" not in checked and "missing_div_n" not in checked  # not the verdict
    assert "(press Enter to check the file, h for a hint, or q to give up ('give up'))" in result.output
    assert "Wrong.\nIt was missing_div_n" in result.output
    assert "-    dZ2 /= N" in result.output


def test_fix_never_overwrites_an_earlier_file(tmp_path):
    earlier = tmp_path / "round1_net.py"
    earlier.write_text("# my earlier work\n")
    result = invoke(tmp_path, "--mode", "fix", "--bug", "no_copy", "--rounds", "1", "--seed", "0",
                    "--workdir", str(tmp_path), "--no-watch", input="give up\n")
    assert earlier.read_text() == "# my earlier work\n"
    assert "round1_net_2.py holds a two-layer classifier" in result.output
    assert "The correct two-layer classifier" not in (tmp_path / "round1_net_2.py").read_text()
    assert "dZ2 = P\n" in (tmp_path / "round1_net_2.py").read_text()


def test_implement_scores_a_correct_implementation(tmp_path):
    path = tmp_path / "work" / "round1_net.py"

    def implement():
        path.write_text(correct_source())
        return ""

    result = CliRunner().invoke(main, ["drill", "--mode", "implement", "--seed", "0", "--workdir",
                                       str(tmp_path / "work"), "--store", str(tmp_path / "p.json"), "--no-watch"],
                                input=Typist(["", implement]))
    assert result.exit_code == 0, result.output
    assert "Not healthy yet" in result.output  # the blank template first
    assert "Right." in result.output and "Score: 1/1 right." in result.output
    assert read_progress(tmp_path / "p.json").modes["implement"].right == 1
    assert "The reference" not in result.output


def test_implement_given_up_shows_the_reference(tmp_path):
    result = invoke(tmp_path, "--mode", "implement", "--seed", "0", "--workdir", str(tmp_path / "work"),
                    "--no-watch", input="give up\n")
    assert "Wrong.\n\nThe reference, from core/net.py:" in result.output
    assert "    dZ2 /= N  # dL/dZ2 = (P - onehot(y)) / N for the mean loss" in result.output
    assert read_progress(tmp_path / "p.json").modes["implement"].attempts == 1


# -- ending early, time limits, determinism ----------------------------------------------------

def test_end_of_input_mid_round_ends_cleanly_with_the_score_saved(tmp_path):
    (line,) = faulty_lines(bugs.get("labels_n1"))
    result = invoke(tmp_path, "--mode", "code", "--bug", "labels_n1", "--rounds", "3", "--seed", "0",
                    input=f"{line}\n")
    assert result.exit_code == 0
    assert "Drill stopped." in result.output
    assert "Score: 1/1 right (stopped after 1 of 3 rounds)." in result.output
    assert "Traceback" not in result.output and "Aborted" not in result.output
    assert read_progress(tmp_path / "p.json").faults["labels_n1"].attempts == 1


def test_ctrl_c_ends_cleanly_with_the_score_saved(tmp_path):
    def ctrl_c():
        raise KeyboardInterrupt

    result = CliRunner().invoke(main, ["drill", "--mode", "code", "--bug", "bad_relu_mask", "--rounds", "3",
                                       "--seed", "0", "--store", str(tmp_path / "p.json")],
                                input=Typist(["1", ctrl_c]))
    assert result.exit_code == 0, result.output
    assert "Score: 0/1 right (stopped after 1 of 3 rounds)." in result.output
    assert read_progress(tmp_path / "p.json").modes["code"].attempts == 1


@pytest.mark.parametrize("seconds, outcome", [(2.0, Outcome.RIGHT), (30.0, Outcome.LATE)])
def test_a_right_answer_after_the_time_limit_is_late(tmp_path, monkeypatch, seconds, outcome):
    monkeypatch.setattr(quiz, "make_question", lambda topic, rng: quiz.central_halving())
    person = Person()
    drill = Drill(mode=Mode.QUIZ, rounds=1, seed=0, time_limit=10.0, clock=person.clock)
    result = play(drill, Typist([person.types("4", seconds)]), tmp_path / "p.json")
    tally = read_progress(tmp_path / "p.json").topics["finite_differences"]
    late = outcome is Outcome.LATE
    assert (tally.right, tally.late, tally.streak, tally.times) == (not late, late, int(not late), (seconds,))
    assert ("Right, but late: 30.0 s against a limit of 10 s." in result.output) == late
    assert ("Score: 0/1 right, 1 late." in result.output) == late


def test_the_answer_time_counts_every_retry(tmp_path, monkeypatch):
    monkeypatch.setattr(quiz, "make_question", lambda topic, rng: quiz.central_halving())
    person = Person()
    answers = Typist([person.types("four", 7.0), person.types("4", 5.0)])
    play(Drill(mode=Mode.QUIZ, rounds=1, clock=person.clock), answers, tmp_path / "p.json")
    assert read_progress(tmp_path / "p.json").topics["finite_differences"].times == (12.0,)


def test_same_seed_and_answers_give_the_same_output(tmp_path):
    args = ("--mode", "code", "--rounds", "4", "--seed", "11")
    first = invoke(tmp_path / "a", *args, input="3\n7\n12\n9\n")
    second = invoke(tmp_path / "b", *args, input="3\n7\n12\n9\n")
    assert first.output == second.output
    assert first.output.count("== Round") == 4


def test_missed_faults_come_back_in_later_drills(tmp_path):
    """With labels_n1 missed and the others known well, it comes first whatever the seed."""
    known = Progress()
    for fault_id in drill_mod.DEFAULT_POOL:
        outcome = Outcome.WRONG if fault_id == "labels_n1" else Outcome.RIGHT
        for _ in range(3):
            known = known.recorded("faults", fault_id, outcome, 1.0)
    drawn = {"known": 0, "fresh": 0}
    for seed in range(20):
        for where, progress in (("known", known), ("fresh", Progress())):
            (tmp_path / where).mkdir(exist_ok=True)
            write_progress(tmp_path / where / "p.json", progress)  # each one-round drill starts from the same store
            result = invoke(tmp_path / where, "--mode", "code", "--rounds", "1", "--seed", str(seed), input="1\n")
            drawn[where] += "It was labels_n1 " in result.output
    # box 1 (due now) against box 4 (due in 8 rounds); from a fresh store 1/7 of seeds (2.9 of 20)
    assert drawn["known"] == 20 and drawn["fresh"] <= 6, drawn


# -- usage errors ------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["--mode", "nope"], ["--bug", "nope"], ["--rounds", "0"], ["--time-limit", "0"],
    ["--mode", "quiz", "--bug", "labels_n1"], ["--mode", "implement", "--bug", "labels_n1"],
    ["--level", "4"], ["--level", "0"], ["--bug", "labels_n1", "--level", "2"], ["--minutes", "0"],
    ["--mode", "interview", "--rounds", "2"],
])
def test_usage_errors_exit_2_without_a_traceback(tmp_path, args):
    result = invoke(tmp_path, *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "Error:" in result.stderr


def test_a_workdir_that_cannot_be_made_is_a_usage_error(tmp_path):
    (tmp_path / "file").write_text("")
    result = invoke(tmp_path, "--mode", "fix", "--workdir", str(tmp_path / "file" / "sub"))
    assert result.exit_code == 2 and "--workdir" in result.stderr and "Traceback" not in result.output


def test_seed_is_shown_so_a_session_can_be_replayed(tmp_path):
    result = invoke(tmp_path, "--mode", "quiz", "--rounds", "1", input="")
    seed = int(re.search(r"seed (\d+)\.", result.output).group(1))
    assert 0 <= seed < 2**32
    assert "Drill: quiz, 1 round," in result.output
