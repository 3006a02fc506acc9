"""Code we did not write: hand-written nets in other people's styles, each with the verdict it deserves.

Every file in tests/corpus/ is a complete implementation in a style unlike the core
(classes, tuples for caches, one-hot matrices, loops, no epsilon, other names) and
states on its first line what a careful reviewer would say of it:
`# expect: VERDICT[; cautions: ID, ID][; net: MEMBER]`. The diagnoser never sees that line: it is
a comment, and the verdict comes from running the file through `check` like any
other. Correct files must be healthy (at most cautions); faulty ones must be named.
"""
import re
from pathlib import Path

import pytest

from diagnose.check.batch import check_files
from diagnose.check.isolate import make_limits

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("*.py"))
EXPECT = re.compile(r"# expect: (\w+)(?:; cautions: ([\w, ]+))?(?:; net: ([\w,:.]+))?$")
SEEDS = (0, 1, 2)
KNOWN_MISSES = {}  # file: why the diagnoser still gets it wrong (a strict xfail: fixing it makes the test fail)


def expected(path):
    """(verdict, sorted caution ids, the member of the net family or None) from the file's first line."""
    match = EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} must start with '# expect: VERDICT[; cautions: ID, ...]'"
    cautions = sorted(c.strip() for c in (match.group(2) or "").split(",") if c.strip())
    return match.group(1), cautions, match.group(3)


@pytest.fixture(scope="module")
def results():
    """{seed: {file name: CheckResult}}: the whole corpus through one fork server per seed."""
    limits = make_limits(timeout=60)
    return {seed: {r.path.rsplit("/", 1)[-1]: r for r in check_files([str(f) for f in FILES], seed=seed, shape=None,
                                                                        limits=limits, jobs=2)}
            for seed in SEEDS}


def test_the_corpus_holds_correct_and_faulty_files():
    verdicts = [expected(f)[0] for f in FILES]
    assert verdicts.count("healthy") >= 5 and len(verdicts) - verdicts.count("healthy") >= 5


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_each_hand_written_file_gets_the_verdict_and_cautions_it_deserves(results, path, seed, request):
    if path.name in KNOWN_MISSES:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_MISSES[path.name], strict=True))
    verdict, cautions, net = expected(path)
    result = results[seed][path.name]
    assert result.report is not None, result.error
    assert result.report.verdict == verdict
    assert sorted(c.id for c in result.report.cautions) == cautions
    assert result.exit_code == (0 if verdict == "healthy" else 1)
    if net is not None:
        assert result.report.net == net
