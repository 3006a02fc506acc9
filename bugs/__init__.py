"""The fault catalog: records of real backprop mistakes, injected into the core as mutants."""
from bugs.catalog import CATALOG, FAULTS, by_kind, get
from bugs.fault import Fault, Kind
from bugs.mutant import FaultDoesNotApply, apply, changed_lines, diff, make_mutant, show

__all__ = [
    "CATALOG", "FAULTS", "Fault", "FaultDoesNotApply", "Kind",
    "apply", "by_kind", "changed_lines", "diff", "get", "make_mutant", "show",
]
