"""No give-aways: what a drill shows before the answer holds observations, never conclusions.

Two things are concealed. Source shown in code and fix modes loses every comment
(a comment on the changed line, or a line that alone lacks one, would point at the
fault) and the core's module docstring gives way to a neutral header. The engine's
observations lose the interpretations its wording carries: a gloss such as
"(= N with N = 6)" or a layer-isolation sentence that names the mask the code used.
Each rule rewrites one phrase to the plain comparison it came from, so what remains
is still true; tests check every catalog fault's text for the telltale phrases.
"""
import io
import re
import tokenize
from dataclasses import replace

from core.family import NET, parse_net
from diagnose.engine.findings import Stage

NEUTRAL_HEADER = '''"""A two-layer classifier: X -> Z1 = X W1 + b1 -> A1 = ReLU(Z1) -> Z2 = A1 W2 + b2 -> softmax -> CE.

Something in forward_loss() or backward() may be wrong. Find it, fix it, and check the file.
"""
'''

# (pattern, replacement): each turns an interpreted phrase back into the observation under it
OBSERVATION_RULES = (
    (re.compile(r" \(= [^)]*\)"), ""),  # "(= N with N = 6)", "(= 1/N with N = 6)"
    (re.compile(r"\(ratio ([-\d.e+]+) = [^)]*\)"), r"(ratio \1)"),  # "(ratio 6.0000 = N)"
    (re.compile(r"; it equals the mean of -log P\[i, y_j\] over all N x N pairs"), ""),
    (re.compile(r": N = (\d+) times it, the sum over the batch \([^)]*\)"), r": \1 times it"),
    (re.compile(r"^(dZ1 recovered from dW1 and db1|the dZ1 whose dW1 and db1 the subject returns) "
                r"equals \(dZ2 W2\^T\) masked by .*$"),
     r"\1 does not equal (dZ2 W2^T) * (Z1 > 0)"),
    (re.compile(r"^dZ2 recovered from dW2 and db2 has -1/N at every class present in y, in every row$"),
     "dZ2 recovered from dW2 and db2 differs from (P - onehot(y)) / N"),
    (re.compile(r"^dW2 equals Z1\^T dZ2: the pre-activation, not A1$"), "dW2 does not equal A1^T dZ2"),
    # -- the net family's members (engine/member.py) --
    (re.compile(r"^(dZ1 recovered from dW1 and db1|the dZ1 whose dW1 and db1 the subject returns) "
                r"equals \(dZ2 W2\^T\) \* (?!\(Z1 > 0\)$|[a-z_]+'\(Z1\)$).*$"),
     r"\1 does not equal (dZ2 W2^T) times the activation's derivative at Z1"),
    (re.compile(r"^dZ2 recovered from dW2 and db2 is .*, not (.*)$"), r"dZ2 recovered from dW2 and db2 differs from \1"),
    (re.compile(r"; it equals the binary cross-entropy without its \(1 - y\) log\(1 - s\) term"), ""),
    (re.compile(r"equals the ([a-z -]+) summed over the batch$"), r"equals N times the mean \1"),
    (re.compile(r"^dW1 is right but db1 equals the batch sum of dA1, before the mask$"),
     "dW1 passes but db1 does not equal the batch sum of dZ1"),
)


def plain(observed):
    """One finding's observed text with the interpretations taken out."""
    for pattern, replacement in OBSERVATION_RULES:
        observed = pattern.sub(replacement, observed)
    return observed


def concealed(report):
    """A copy of the report whose findings say only what was observed: no meaning, no fault id."""
    findings = tuple(replace(f, observed=plain(f.observed), meaning="", fault=None) for f in report.findings)
    return replace(report, findings=findings)


def observations(report):
    """The report's observations text for a drill, before the answer: no verdict, no gloss, no fault id."""
    return concealed(report).observations_text()


def failing_stages(report):
    """The stages with a failing finding, in the engine's order."""
    failing = {f.stage for f in report.findings if not f.passed}
    return [stage for stage in Stage if stage in failing]


# -- source ----------------------------------------------------------------------------------

def strip_comments(source):
    """The source without its comments (and the spaces before them); every line keeps its number."""
    comments = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.start[1]
    lines = source.splitlines(keepends=True)
    for number, column in comments.items():
        line = lines[number - 1]
        ending = "\n" if line.endswith("\n") else ""
        lines[number - 1] = line[:column].rstrip() + ending
    return "".join(lines)


def neutral_source(source, net=None):
    """A module's source as a drill shows it: its docstring replaced by NEUTRAL_HEADER (naming member `net` of
    the net family when given, e.g. "tanh,softmax_ce"), no comments."""
    source = strip_comments(source)
    match = re.match(r'\s*""".*?"""\n', source, re.S)
    if match:
        source = member_header(net) + source[match.end():]
    return source


def member_header(net):
    """NEUTRAL_HEADER, or its words for another member: 'A two-layer classifier, tanh hidden layer, ...'."""
    if net is None or net == NET:
        return NEUTRAL_HEADER
    first, rest = NEUTRAL_HEADER.split("\n", 1)
    return f'"""A two-layer classifier: {parse_net(net).describe()}.\n' + rest
