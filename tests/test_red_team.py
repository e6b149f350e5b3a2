"""The red team's catalogue (tests/red_team.py) against the exercises' checks (issue 16): every right answer is
right, every realistic mistake gets its verdict, every cheap trick fails, under the notebook's practice probes
and under the grading probes of nbgrader's hidden test; the messages say what to fix; every id of every check's
catalogue is reached by a red-team mistake; the probes tell every named mistake apart; and it all runs fast."""

from __future__ import annotations

import itertools
import json
import re
import sys
import time
import types
from pathlib import Path

import numpy as np
import pytest
from red_team import CATALOGUE, MISTAKE, RIGHT, TRICK

from helpers import selfcheck
from helpers.selfcheck import EXERCISES, _backward, _core
from helpers.selfcheck import loss_derivation as loss_checks
from helpers.verdict import Verdict

PROBES = ("practice", "grading")
ROOT = Path(__file__).resolve().parent.parent


def _notebook_exercises():
    """The exercises the notebooks hold: the grade_id of every solution cell, which is the function's name."""
    names = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell["cell_type"] == "code" and meta.get("solution"):
                names.add(meta["grade_id"])
    return names


THE_EXERCISES = _notebook_exercises()  # 18 today; each must be registered, and each gets every test below
DURATIONS: dict = {}  # (entry number, probes) -> seconds its check took, for the last test
SLOW = 5.0  # seconds: no check of one answer may take longer


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50]


CASES = [
    pytest.param(i, entry, id=f"{entry.exercise}-{i}-{_slug(entry.description)}") for i, entry in enumerate(CATALOGUE)
]


# --- what each check's catalogue holds ---------------------------------------------------------------------


def _mistake_dicts(exercise):
    """The module-level ``*_MISTAKES`` dicts the check of ``exercise`` uses: named in its code, or in the code of
    the functions of its module (and of _backward) it calls, however deep."""
    check = EXERCISES[exercise].check.__wrapped__
    namespaces = [vars(sys.modules[check.__module__]), vars(_backward)]
    ours = {check.__module__, _backward.__name__}
    todo, seen, found = [check.__code__], set(), {}
    while todo:
        code = todo.pop()
        if code in seen:
            continue
        seen.add(code)
        todo += [c for c in code.co_consts if isinstance(c, types.CodeType)]  # lambdas, comprehensions
        for name in code.co_names:
            for namespace in namespaces:
                value = namespace.get(name)
                if name.endswith("_MISTAKES") and isinstance(value, dict):
                    found[name] = value
                elif isinstance(value, types.FunctionType) and value.__module__ in ours:
                    todo.append(value.__code__)
    return found


def _catalogue(exercise):
    """{mistake id: the messages the check says for it} of ``exercise``'s check ({...} templates cut at the first
    brace; a tuple (slope, message) gives its message)."""
    said = {}

    def walk(table):
        for key, value in table.items():
            if isinstance(value, dict):
                walk(value)
            else:
                message = value[1] if isinstance(value, tuple) else value
                said.setdefault(key, set()).add(message.split("{")[0].strip())

    for table in _mistake_dicts(exercise).values():
        walk(table)
    return said


# --- every entry gets its verdict ----------------------------------------------------------------------------


def _outside():
    """The names of the sealed libraries that differ from the seal now, with what they hold (outside a check,
    builtins.exit and quit: the seal's raise SystemExit)."""
    return [(owner, name, attribute, value, current) for owner, name, attribute, value, current in _core._unsealed()]


def _sensible(entry, verdict, catalogue):
    """The message of ``verdict`` names what to fix, in the homework's terms."""
    text = verdict.message
    assert text and len(text) <= 400, verdict
    assert str(verdict).startswith("correct: " if verdict.ok else "not yet: "), verdict
    assert "could not be checked" not in text and "Traceback" not in text and "<locals>" not in text, verdict
    if verdict.ok:
        if any(word in entry.description for word in ("float32", "torch-like")):
            assert "float32" in text, verdict
        return
    words = {
        "differs": ("where", "right to float32 precision only"),
        "shape": ("has shape", "must return a number"),
        "not-numbers": ("None", "text", "numbers", "dict", "pair", "missing"),
        "raised": ("raised",),
        "changed-its-input": ("changed its input",),
        "calls-the-package": ("write it yourself", "the check's own code"),
        "changed-a-library": ("set", "switched off"),
    }.get(verdict.mistake)
    if words is None:  # a catalogue id: its message is said
        assert any(message in text for message in catalogue[verdict.mistake]), verdict
    else:
        assert any(word in text for word in words), verdict


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")  # the np.matrix answer's own
@pytest.mark.parametrize("probes", PROBES)
@pytest.mark.parametrize(("number", "entry"), CASES)
def test_every_entry_gets_its_verdict(number, entry, probes):
    profile, before = sys.getprofile(), _outside()
    start = time.perf_counter()
    verdict = EXERCISES[entry.exercise].check(entry.fn, probes=probes)
    DURATIONS[number, probes] = seconds = time.perf_counter() - start
    after = _outside()
    if after != before:  # the check must set back what the answer changed, and put back what it found
        _core._reseal()
        for owner, _, attribute, _, current in before:
            _core._set(owner, attribute, current)
    assert after == before, f"the check of {entry.exercise} left {set(after) ^ set(before)} changed"
    assert sys.getprofile() is profile, "the check left its watch on calls installed"
    assert isinstance(verdict, Verdict)
    expected = entry.expected_under(probes)
    got = "right" if verdict.ok else verdict.mistake
    assert got == expected, f"{entry.exercise}, {entry.description}: expected {expected}, got {verdict}"
    _sensible(entry, verdict, _catalogue(entry.exercise))
    assert seconds < SLOW, f"{entry.exercise}, {entry.description}: {seconds:.1f} s"


# --- the catalogue is complete -------------------------------------------------------------------------------


def test_every_exercise_is_registered_as_its_check():
    assert len(THE_EXERCISES) >= 18, "the notebooks' solution cells were not found"
    assert set(EXERCISES) == THE_EXERCISES, "registered in helpers.selfcheck but in no notebook, or the reverse"
    for name, exercise in EXERCISES.items():
        assert exercise.function == name
        assert exercise.check.__name__ == f"check_{name}"
        assert getattr(selfcheck, f"check_{name}") is exercise.check
        assert f"check_{name}" in selfcheck.__all__
        assert exercise.forbidden, f"{name}: no function of the package is forbidden to it"


@pytest.mark.parametrize("exercise", sorted(THE_EXERCISES))
def test_the_red_team_has_every_kind_of_answer(exercise):
    entries = [e for e in CATALOGUE if e.exercise == exercise]
    kinds = {kind: [e for e in entries if e.kind == kind] for kind in (RIGHT, MISTAKE, TRICK)}
    assert len(kinds[RIGHT]) >= 3 and len(kinds[MISTAKE]) >= 8 and len(kinds[TRICK]) >= 6, {
        k: len(v) for k, v in kinds.items()
    }
    assert all(e.expected == "right" for e in kinds[RIGHT])
    assert all(e.expected != "right" for e in kinds[MISTAKE])
    tricks = {e.expected_under("grading") for e in kinds[TRICK]}
    assert {"calls-the-package", "changed-a-library", "not-numbers"} <= tricks, tricks
    assert "right" not in tricks  # an answer tuned to the practice probes fails the hidden test
    assert len({e.description for e in entries}) == len(entries), "two entries say the same"


@pytest.mark.parametrize("exercise", sorted(THE_EXERCISES))
def test_every_catalogue_id_is_reached_by_a_red_team_mistake(exercise):
    ids = set(_catalogue(exercise))
    assert ids, f"{exercise}: its check names no mistake"
    reached = {e.expected_under(p) for e in CATALOGUE if e.exercise == exercise and e.kind != RIGHT for p in PROBES}
    assert ids <= reached, f"{exercise}: no red-team mistake gets {sorted(ids - reached)}"


# --- the probes tell the named mistakes apart ---------------------------------------------------------------


def _apart(a, b):
    """Whether two values differ by more than ten times float32's tolerance (or in shape)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.size != b.size:
        return True
    a, b = a.ravel(), b.ravel()
    scale = max(float(np.max(np.abs(b))) if b.size else 0.0, 1.0)
    return not bool(np.all(np.abs(a - b) <= 1e-5 * scale + 3e-4 * np.abs(b)))


def _not_apart(values, expected):
    """The pairs (mistake, "right" or another mistake) whose values are not apart, of one probe."""
    named = list(values)
    return [(m, "right") for m in named if not _apart(values[m], expected)] + [
        (m, n) for m, n in itertools.combinations(named, 2) if not _apart(values[m], values[n])
    ]


@pytest.mark.parametrize("probes", PROBES)
@pytest.mark.parametrize("exercise", sorted(THE_EXERCISES - {"perceptron_loss", "adaline_loss"}))
def test_the_probes_tell_every_named_mistake_apart(exercise, probes):
    """Each named mistake's value differs from the right one and from every other named mistake on every probe,
    so that the name a verdict gives is the student's mistake: per quantity judged, and over the four
    gradients of a backward pass, whose mistakes are named jointly."""
    calls = []

    def spy(name, trials, messages, *args, **kwargs):
        calls.append((name, trials, messages))
        return Verdict(True, f"{name} matches", about=name)

    modules = {sys.modules[EXERCISES[exercise].check.__module__], _backward}
    right = next(e.fn for e in CATALOGUE if e.exercise == exercise and e.kind == RIGHT)
    try:
        for module in modules:
            module.judge = spy
        _core.seal()  # the check runs sealed: the seal must hold the spy
        assert EXERCISES[exercise].check(right, probes=probes).ok
    finally:
        for module in modules:
            module.judge = _core.judge
        _core.seal()
    together = [trials for _, trials, messages in calls if not messages and trials and trials[0].mistakes]
    problems = []
    for name, trials, messages in calls:
        for i, trial in enumerate(trials):
            values = {m: trial.mistakes[m] for m in messages}
            problems += [(name, i, pair) for pair in _not_apart(values, trial.expected)]
    for i in range(len(together[0]) if together else 0):
        expected = np.concatenate([np.ravel(trials[i].expected) for trials in together])
        values = {m: np.concatenate([np.ravel(trials[i].mistakes[m]) for trials in together])
                  for m in together[0][i].mistakes}  # fmt: skip
        problems += [("the gradients", i, pair) for pair in _not_apart(values, expected)]
    assert any(messages for _, _, messages in calls) or together, "no named mistake was judged"
    assert not problems, problems


@pytest.mark.parametrize("probes", PROBES)
@pytest.mark.parametrize("loss", ["perceptron", "adaline"])
def test_the_points_tell_every_loss_slope_apart(loss, probes):
    """1.4: no named mistake's slope, nor the right one's, is a positive multiple of another's at the points of
    any probe (the losses are judged by slopes, up to a positive factor)."""
    table = {"perceptron": loss_checks.PERCEPTRON_MISTAKES, "adaline": loss_checks.ADALINE_MISTAKES}[loss]
    slopes = {m: slope for m, (slope, _) in table.items()}
    slopes["right"] = {"perceptron": lambda z, y: -y * (y * z < 0), "adaline": lambda z, y: z - y}[loss]
    for seed in _core.SEEDS[probes]:
        z, y = loss_checks._points(seed)
        assert set(y) == {-1.0, 1.0} and np.all(np.abs(z) >= 0.1) and np.all(np.abs(np.abs(z) - 1) >= 0.1)
        for a, b in itertools.permutations(slopes, 2):
            assert not loss_checks._multiple(slopes[a](z, y), slopes[b](z, y), loss_checks.SLOPES32), (seed, a, b)


# --- time ------------------------------------------------------------------------------------------------------


def test_the_whole_catalogue_runs_in_reasonable_time():
    """Run last (the file's order): the checks of the whole catalogue, under both probe sets, take under a
    minute together (about 20 s on one core)."""
    if len(DURATIONS) < 2 * len(CATALOGUE):
        pytest.skip("run with test_every_entry_gets_its_verdict for every entry and both probe sets")
    total = sum(DURATIONS.values())
    slowest = max(DURATIONS, key=DURATIONS.get)
    print(f"\n{len(DURATIONS)} checks of {len(CATALOGUE)} red-team answers: {total:.1f} s, slowest "
          f"{DURATIONS[slowest]:.2f} s ({CATALOGUE[slowest[0]].exercise}, {slowest[1]})")  # fmt: skip
    assert total < 60, f"{total:.1f} s"


def test_the_readme_counts_the_catalogue():
    assert f"{len(CATALOGUE)} answers more" in (ROOT / "README.md").read_text(), "README's count of tests/red_team.py"
