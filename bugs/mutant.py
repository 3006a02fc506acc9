"""Build a mutant from the core's own source: one exact replacement, recompiled.

The mutant is a fresh module holding the whole of `core/net.py` with a single
function's text changed, so it never drifts from the core and `train_step`
calls the mutant's own `forward_loss` and `backward`. A member fault's mutant is
`core/family.py` set to compute its member (its `NET` line), with the fault's text
changed: its `forward_loss(X, y, params)` and `backward(cache, params)` are that member's.
"""
import ast
import difflib
import inspect
import linecache
import types

import core.family
import core.net


class FaultDoesNotApply(ValueError):
    """A record's text does not occur exactly once in its function."""


def core_source():
    """The current text of `core/net.py`."""
    return inspect.getsource(core.net)


def member_source(net):
    """The text of `core/family.py` with its NET line naming `net`, so its functions compute that member."""
    source = inspect.getsource(core.family)
    line = f'NET = "{core.family.NET}"'
    if source.count(line) != 1:
        raise FaultDoesNotApply(f"core/family.py must hold {line!r} exactly once")
    return source.replace(line, f'NET = "{core.family.parse_net(net)}"')


def source_for(fault):
    """The source a fault is applied to: core/net.py, or core/family.py set to the fault's member."""
    return core_source() if fault.source == "core.net" else member_source(fault.net)


def source_label(fault):
    """The file a fault's diff is against: `core/net.py` or `core/family.py (ACT,HEAD)`."""
    return "core/net.py" if fault.source == "core.net" else f"core/family.py ({fault.net})"


def function_span(source, name):
    """(start, end) character offsets of top-level function `name` in source."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            lines = source.splitlines(keepends=True)
            start = sum(len(line) for line in lines[: node.lineno - 1])
            end = sum(len(line) for line in lines[: node.end_lineno])
            return start, end
    raise FaultDoesNotApply(f"the source has no function {name!r}")


def apply(fault, source=None):
    """The source with `fault.find` replaced inside `fault.function`; it must occur exactly once."""
    source = source_for(fault) if source is None else source
    start, end = function_span(source, fault.function)
    body = source[start:end]
    count = body.count(fault.find)
    if count != 1:
        raise FaultDoesNotApply(
            f"fault {fault.id}: its text occurs {count} times in {fault.function}(), expected exactly once: "
            f"{fault.find!r}"
        )
    return source[:start] + body.replace(fault.find, fault.replace) + source[end:]


def make_mutant(fault, *more):
    """A module like `core.net` in which exactly these faults (usually one) are present."""
    faults = (fault, *more)
    if any((f.source, f.net) != (fault.source, fault.net) for f in more):
        raise FaultDoesNotApply(f"faults of different sources or members cannot be combined: {fault.id} is "
                                f"{source_label(fault)}")
    source = source_for(fault)
    for each in faults:
        source = apply(each, source)
    ids = "+".join(f.id for f in faults)
    filename = f"<mutant {ids}>"
    # register the text so tracebacks and inspect can show the mutant's lines
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    module = types.ModuleType(f"bugs.mutants.{ids}", f"{source_label(fault)} with {ids}")
    module.__file__ = filename
    module.fault, module.faults = fault, faults
    exec(compile(source, filename, "exec"), module.__dict__)
    return module


def function_source(source, name):
    """The text of top-level function `name`."""
    start, end = function_span(source, name)
    return source[start:end]


def changed_lines(fault):
    """1-based line numbers, within the mutant's function, of the lines the fault wrote."""
    before = function_source(source_for(fault), fault.function).splitlines()
    after = function_source(apply(fault), fault.function).splitlines()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    lines = []
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            lines.extend(range(j1 + 1, j2 + 1))
        elif tag == "delete":
            lines.append(j1 + 1)  # a removed line: mark the line that now stands in its place
    return lines


def diff(fault):
    """Unified diff of the mutant's function against the core's."""
    before = function_source(source_for(fault), fault.function).splitlines(keepends=True)
    after = function_source(apply(fault), fault.function).splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, source_label(fault), f"mutant {fault.id}"))


def show(fault):
    """The mutant's function with the faulty lines marked `>>`, then the diff against the core."""
    src = function_source(apply(fault), fault.function).splitlines()
    marked = set(changed_lines(fault))
    listing = [f"{'>>' if i in marked else '  '} {i:3d}  {line}" for i, line in enumerate(src, 1)]
    removed = "" if fault.replace else "   (>> marks where a line was removed)\n"
    header = f"{fault.id} ({fault.kind.value}): {fault.title}\nin {fault.function}():\n"
    return header + "\n".join(listing) + "\n" + removed + "\n" + diff(fault)
