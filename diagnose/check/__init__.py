"""Checking a person's own code: load a file and find its form (loader), run it in a child
process under limits (isolate; limits, forkserver, warden, _child), check many files at
once (batch), the regularisation check for a class, the blank template, the pytest helper
`assert_backprop_ok`, and the adapter kit for code of another shape (adapt.py and
adapt_steps.py, public as diagnose.adapt; its blanks in adapter_templates.py).

May import: diagnose.engine, core, numpy. Never: bugs, diagnose.practice, diagnose.mutants,
diagnose.cli.
"""
from diagnose.check.isolate import CheckResult, check_file, diagnose_subject
from diagnose.check.loader import LoadError, load_subject
from diagnose.check.template import write_template

__all__ = ["CheckResult", "LoadError", "check_file", "diagnose_subject", "load_subject", "write_template"]
