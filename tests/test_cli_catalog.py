"""`diagnose list` and `diagnose show`, through click's CliRunner: exact output and exit codes."""
import json

import pytest
from click.testing import CliRunner

import bugs
import diagnose
from bugs import FAULTS
from diagnose.cli.main import main

PUBLIC_KEYS = {"id", "kind", "title", "function", "symptom", "fix"}


def invoke(*args):
    return CliRunner().invoke(main, list(args), prog_name="diagnose")


def test_list_prints_one_row_per_fault_under_a_header():
    result = invoke("list")
    assert result.exit_code == 0 and result.stderr == ""
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["id", "kind", "family", "net", "title"]
    assert [row.split()[0] for row in rows] == [f.id for f in FAULTS]
    at = header.index("family"), header.index("net"), header.index("title")
    for row, fault in zip(rows, FAULTS):
        assert row.split(None, 2)[1] == fault.kind.value
        assert row[at[2]:] == fault.title and row[at[1]:at[2]].strip() == fault.net
        family = row[at[0]:at[1]].strip()
        assert family == ("-" if fault.kind is bugs.Kind.EQUIVALENT else
                          f"checklist {fault.checklist_item}" if fault.checklist_item else family)
    assert "checklist 4" in result.stdout and "other" in result.stdout


def test_list_json_prints_one_document_with_every_fault():
    result = invoke("list", "--json")
    assert result.exit_code == 0 and result.stderr == ""
    doc = json.loads(result.stdout)
    assert list(doc) == ["faults"]
    assert [entry["id"] for entry in doc["faults"]] == [f.id for f in FAULTS]
    for entry, fault in zip(doc["faults"], FAULTS):
        assert PUBLIC_KEYS <= set(entry)
        assert entry == {**fault.to_dict(), "family": entry["family"]}


def test_show_no_copy_marks_the_dz2_assignment():
    result = invoke("show", "--bug", "no_copy")
    assert result.exit_code == 0 and result.stderr == ""
    marked = [line for line in result.stdout.splitlines() if line.startswith(">>")]
    assert len(marked) == 1
    assert marked[0].endswith("dZ2 = P") and "copy" not in marked[0]
    assert "-    dZ2 = P.copy()\n+    dZ2 = P\n" in result.stdout


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.id)
def test_show_prints_the_library_listing_for_every_fault(fault):
    result = invoke("show", "--bug", fault.id)
    assert result.exit_code == 0
    assert result.stdout == bugs.show(fault)


def test_show_unknown_bug_exits_2_and_lists_the_valid_ids():
    result = invoke("show", "--bug", "nope")
    assert result.exit_code == 2 and result.stdout == ""
    assert "Invalid value for '--bug': 'nope' is not one of" in result.stderr
    for fault in FAULTS:
        assert f"'{fault.id}'" in result.stderr


def test_show_without_bug_exits_2():
    result = invoke("show")
    assert result.exit_code == 2
    assert "Missing option '--bug'" in result.stderr


def test_version_prints_the_package_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"diagnose, version {diagnose.__version__}\n"
