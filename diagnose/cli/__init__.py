"""The command line: thin click wrappers over library functions that tests call directly.

May import anything in the project; nothing imports it but `python -m diagnose` and the
`diagnose` console script.
"""
from diagnose.cli.main import main

__all__ = ["main"]
