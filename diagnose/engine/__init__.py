"""The engine: names the fault in a backward pass from what the subject does on a probe.

The data path reads in one direction: probe -> subject -> stages -> findings -> report,
and the report renders itself as text or JSON (render, remedies). `full` is the
exhaustive elementwise check behind `run --full`.

May import: core, numpy. Never: bugs (the engine must not read a fault's record),
diagnose.check, diagnose.practice, diagnose.mutants, diagnose.cli.
"""
from diagnose.engine.findings import ERROR, HEALTHY, UNKNOWN, Caution, Failure, Finding, Stage, TensorCheck
from diagnose.engine.pipeline import diagnose
from diagnose.engine.probe import Probe, make_probe
from diagnose.engine.report import Report
from diagnose.engine.subject import Subject, SubjectFailed

__all__ = [
    "ERROR", "HEALTHY", "UNKNOWN", "Caution", "Failure", "Finding", "Probe", "Report", "Stage", "Subject",
    "SubjectFailed", "TensorCheck", "diagnose", "make_probe",
]
