"""What a careless or hostile user of the command line met, each fixed: never a hang, a traceback or a lost file."""
import json
import os

from click.testing import CliRunner

from diagnose.check.isolate import check_file
from diagnose.cli.main import main


def test_check_refuses_a_fifo_at_once_with_exit_2(tmp_path):
    fifo = tmp_path / "net.py"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    result = check_file(fifo, timeout=30)
    assert result.exit_code == 2
    assert result.error == f"{fifo} is not a regular file (a FIFO, a socket or a device); give the Python file that holds your implementation"
    assert result.seconds == 0.0  # refused before any child ran, not after the 30 s limit


def test_check_json_on_a_fifo_is_one_usage_document(tmp_path):
    fifo = tmp_path / "net.py"
    os.mkfifo(fifo)
    out = CliRunner().invoke(main, ["check", str(fifo), "--json"])
    assert out.exit_code == 2
    assert json.loads(out.output)["error"]["kind"] == "usage"
