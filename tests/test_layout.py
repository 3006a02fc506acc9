"""The dependency direction of the packages, enforced by reading every module's imports.

engine <- check <- practice, engine <- mutants, and only the command line sees all; core
imports nothing of ours and bugs only core. A later change cannot quietly break it.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = ("core", "bugs", "diagnose")

# package -> the project packages its modules may import (its own always allowed)
ALLOWED = {
    "core": set(),
    "bugs": {"core"},
    "diagnose.engine": {"core"},
    "diagnose.check": {"core", "diagnose.engine"},
    "diagnose.practice": {"core", "bugs", "diagnose.engine", "diagnose.check"},
    "diagnose.mutants": {"core", "bugs", "diagnose.engine"},
}


def module_name(path, root=ROOT):
    """'diagnose.engine.stages.shapes' for diagnose/engine/stages/shapes.py."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path, root=ROOT):
    """The absolute names of the project modules that one file imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path, root).rsplit(".", 0 if path.name == "__init__.py" else 1)[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names]  # `from diagnose import quiz`
    return [n for n in names if n.split(".")[0] in OURS]


def owner(name):
    """The entry of ALLOWED that a module belongs to, or None (the cli and the package roots)."""
    return next((p for p in sorted(ALLOWED, key=len, reverse=True) if name == p or name.startswith(p + ".")), None)


def violations(root=ROOT):
    """['diagnose/engine/x.py imports bugs', ...] for every import the rules forbid."""
    found = []
    for package in ALLOWED:
        for path in sorted((root / package.replace(".", "/")).rglob("*.py")):
            for name in imported(path, root):
                target = owner(name)
                if target is None and name in ("diagnose", "diagnose.__version__"):
                    continue  # the version string and the package root's public names
                if target != package and target not in ALLOWED[package]:
                    found.append(f"{path.relative_to(root)} imports {name}")
    return found


def test_every_package_imports_only_what_its_docstring_allows():
    assert violations() == []


def test_the_rule_check_fails_when_an_engine_module_imports_bugs(tmp_path):
    for package in ("core", "bugs", "diagnose/engine", "diagnose/check", "diagnose/practice", "diagnose/mutants"):
        (tmp_path / package).mkdir(parents=True)
    (tmp_path / "diagnose/engine/probe.py").write_text("import numpy as np\nimport bugs\n")
    (tmp_path / "diagnose/check/loader.py").write_text("from diagnose.practice.store import Store\n")
    (tmp_path / "diagnose/mutants/runs.py").write_text("from diagnose import drill\n")
    (tmp_path / "core/net.py").write_text("from diagnose.engine import probe\n")
    assert violations(tmp_path) == [
        "core/net.py imports diagnose.engine",
        "core/net.py imports diagnose.engine.probe",
        "diagnose/engine/probe.py imports bugs",
        "diagnose/check/loader.py imports diagnose.practice.store",
        "diagnose/check/loader.py imports diagnose.practice.store.Store",
        "diagnose/mutants/runs.py imports diagnose.drill",
    ]


def test_a_relative_import_is_resolved_before_it_is_judged(tmp_path):
    (tmp_path / "diagnose/engine/stages").mkdir(parents=True)
    (tmp_path / "diagnose/engine/stages/shapes.py").write_text("from ...practice import quiz\n")
    assert imported(tmp_path / "diagnose/engine/stages/shapes.py", tmp_path) == [
        "diagnose.practice", "diagnose.practice.quiz"]


@pytest.mark.parametrize("package", [p for p in ALLOWED if p.startswith("diagnose.")])
def test_each_subpackage_says_in_its_docstring_what_it_may_import(package):
    init = ROOT / package.replace(".", "/") / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    assert doc and "May import" in doc and "Never" in doc
