"""The README cannot go stale: its catalog table and Quickstart are checked here."""
import pathlib
import re

from diagnose.mutants.views import catalog_markdown

README = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_readme_catalog_table_matches_the_records():
    assert catalog_markdown() in README


def test_quickstart_is_one_block_of_two_commands_and_ci_runs_the_second():
    block = re.search(r"## Quickstart\n\n```\n(.*?)```", README, re.S).group(1).strip().splitlines()
    assert len(block) == 2 and "diagnose run --bug missing_div_n" in block[0]
    ci = (pathlib.Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert block[1] in ci


def test_readme_member_fault_table_matches_the_records():
    assert catalog_markdown("core.family") in README
