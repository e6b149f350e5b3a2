"""What every exercise's check shares: run the student's function safely, read its answer, judge it against
the right answer and against each named mistake, and grade it for nbgrader.

A check (``check_<function>`` in the notebook's topic module, registered with :func:`exercise`) makes
its own inputs (several probes, chosen so that each named mistake gives a different answer), runs the
student's function on copies with :func:`run`, reads what came back with :func:`read` *before* it
computes the right answer, and hands the trials to :func:`judge`. It returns a
:class:`~helpers.verdict.Verdict` whose ``mistake`` names the catalogue entry it recognised. A check
never raises and never says "correct" to junk.

Grading: :func:`grade` is the hidden test nbgrader runs. It takes the check from the registry (not
from the student's namespace), runs it on probes other than the ones the notebook's check cell uses,
publishes the verdict for the class report (``tools/misconceptions.py``) and raises
:class:`NotPassed`, which a notebook shows as the verdict's message alone, not as a traceback.

What in-kernel grading cannot stop: the student's code runs in the same Python process as the grader,
so a student who sets out to replace the grader's own functions (``helpers.selfcheck._core.judge``),
or reads this package's source to hard-code the grading probes' answers, can pass. The cheap tricks
cannot: redefining ``check_X`` in the solution cell, replacing numpy's comparison functions (the
judge holds its own references, taken when ``helpers`` is imported), returning an object that reads
the right answer from the check's frame (the answer is read to plain numbers before the right one
exists), and calling this package's own implementation of the exercise (:func:`run` watches every
call the student's function makes).
"""

from __future__ import annotations

import copy
import functools
import json
import sys
import warnings
from dataclasses import dataclass, field, replace

import numpy as np

from helpers._validate import cut
from helpers.verdict import Verdict

ComplexWarning = getattr(np, "exceptions", np).ComplexWarning  # numpy.exceptions is new in numpy 1.25

# numpy's functions as they were when helpers was imported, before any student code ran: a cell that
# replaces numpy.allclose or numpy.abs later changes nothing here.
_array, _abs, _max, _isfinite, _isnan, _argmax = np.array, np.abs, np.max, np.isfinite, np.isnan, np.argmax

#: The seeds of the probes: the check cell in the notebook uses the practice ones, nbgrader's hidden
#: test the grading ones, so an answer tuned to what the check cell shows does not pass the grade.
SEEDS = {"practice": (0, 1, 2), "grading": (11, 12, 13)}

#: The ids of what goes wrong before an answer can be compared (the class report counts them too).
NOT_WRITTEN, RAISED, JUNK, SHAPE, DIFFERS = "not-written", "raised", "not-numbers", "shape", "differs"
CHANGED_INPUT, CALLS_THE_ANSWER = "changed-its-input", "calls-the-package"

FLOAT64 = (1e-8, 1e-12)  # rtol, atol relative to the answer's scale
FLOAT32 = (3e-5, 1e-6)


class NotYet(Exception):
    """Raised inside a check to stop it with a "not yet" verdict naming ``mistake``."""

    def __init__(self, message, mistake=""):
        super().__init__(message)
        self.verdict = Verdict(False, cut(message), mistake=mistake)


def returns_verdict(check):
    """Decorate a check: whatever goes wrong inside becomes a "not yet" verdict, never an exception."""

    @functools.wraps(check)
    def wrapper(*args, **kwargs):
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                # A student's answer may overflow or be complex; the verdict says so, warnings would say it twice.
                warnings.simplefilter("ignore", ComplexWarning)
                warnings.simplefilter("ignore", RuntimeWarning)
                return check(*args, **kwargs)
        except NotYet as stop:
            return stop.verdict
        except Exception as exc:  # noqa: BLE001 -- a check must survive any answer
            return Verdict(False, cut(f"the answer could not be checked: {type(exc).__name__}: {exc}"), mistake=RAISED)

    return wrapper


# --- the registry ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exercise:
    """One exercise: the function a student writes, its check, and what it must not call."""

    function: str
    check: object
    forbidden: tuple = ()


EXERCISES: dict = {}


def exercise(function, forbidden=()):
    """Register ``check_<function>`` as the check of the exercise whose student function is ``function``.

    forbidden: this package's functions that already compute what the exercise asks, each a function or a
    pair (a kernel, the public name it is reached by); a student's function that calls one, by any name, is
    told to write it itself.
    """

    def register(check):
        if check.__name__ != f"check_{function}":
            raise ValueError(f"the check of {function!r} must be named check_{function}, got {check.__name__}")
        wrapped = returns_verdict(check)
        EXERCISES[function] = Exercise(function, wrapped, tuple(forbidden))
        return wrapped

    return register


# --- running the student's function -------------------------------------------------------------------


def _code_of(obj):
    """The code object of a function, method or kernel (what the profiler sees when it is called)."""
    obj = getattr(obj, "__func__", obj)
    return getattr(obj, "__code__", obj)


def _watched(entry):
    """(code object, what to call it) of a forbidden entry: a function, or a pair (kernel, its public name)."""
    if isinstance(entry, tuple):
        return _code_of(entry[0]), entry[1]
    return _code_of(entry), _label(entry)


def _label(obj):
    """``helpers.module.function`` of a forbidden function, or of a code object (a closure such as an op's backward)."""
    code = _code_of(obj)
    module = code.co_filename.rsplit("helpers", 1)[-1].removesuffix(".py").replace("/", ".").replace("\\", ".")
    return f"helpers{module}.{code.co_qualname if hasattr(code, 'co_qualname') else code.co_name}"


def _snapshot(value):
    """Plain data to tell whether ``value`` changed: arrays copied, a network's parameters and gradients."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if hasattr(value, "parameters") and hasattr(value, "grads"):  # a Network
        return {"parameters": _snapshot(value.parameters), "grads": _snapshot(value.grads)}
    if hasattr(value, "data") and hasattr(value, "grad"):  # a graph Value
        return {"data": value.data, "grad": value.grad}
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    return copy.deepcopy(value)


def _differ(a, b):
    if isinstance(a, dict):
        return set(a) != set(b) or any(_differ(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray):
        return a.shape != b.shape or not bool(np.all((a == b) | (_isnan(a) & _isnan(b))))
    return a != b


def run(fn, name, inputs, may_change=()):
    """``fn(*inputs.values())`` on copies of the inputs; returns (its answer, the copies as it left them).

    name: the student function's name, an exercise of the registry.

    inputs: {argument name: value}, in the order the function takes them. may_change: "name" (the
    argument may change at all, a network being trained) or "name.attribute" (only that part, a
    network's "grads"). A call that raises, that calls one of the exercise's ``forbidden`` functions
    (this package's own implementation of it), or that changes an input it should not, ends in a "not yet".
    """
    if not callable(fn):
        raise NotYet(f"{name} must be a function, got {type(fn).__name__}", JUNK)
    handed = copy.deepcopy(dict(inputs))  # at once: inputs that share an object (a graph's nodes) still share it
    before = {k: _snapshot(v) for k, v in handed.items()}
    forbidden = EXERCISES[name].forbidden if name in EXERCISES else ()
    watched = dict(_watched(f) for f in forbidden)
    called = []

    def profile(frame, event, arg):
        if event == "call" and frame.f_code in watched:
            called.append(watched[frame.f_code])

    previous = sys.getprofile()
    sys.setprofile(profile if watched else previous)
    try:
        answer = fn(*handed.values())
    except NotImplementedError:
        message = f"{name} is not written yet: replace `raise NotImplementedError()` with your code"
        raise NotYet(message, NOT_WRITTEN) from None
    except SystemExit:
        raise NotYet(f"{name} called exit(): return the answer instead", RAISED) from None
    except Exception as exc:  # noqa: BLE001
        raise NotYet(f"{name} raised {type(exc).__name__}: {exc}", RAISED) from None
    finally:
        sys.setprofile(previous)
    if called:
        message = f"write it yourself: {name} calls {called[0]}, which is what this exercise asks for"
        raise NotYet(message, CALLS_THE_ANSWER)
    for key, old in before.items():
        now = _snapshot(handed[key])
        parts = old.keys() if isinstance(old, dict) and key not in may_change else [None]
        for part in parts:
            if key in may_change or f"{key}.{part}" in may_change:
                continue
            if _differ(old if part is None else old[part], now if part is None else now[part]):
                what = key if part is None else f"{key}.{part}"
                raise NotYet(f"{name} changed its input {what}; it must leave it as it was given", CHANGED_INPUT)
    return answer, handed


# --- reading an answer ---------------------------------------------------------------------------------


@dataclass
class Answer:
    """An answer read to plain float64 numbers; ``float32`` if the student computed it in single precision."""

    values: np.ndarray
    float32: bool = False


def read(answer, name):
    """The student's answer as float64 numbers (any shape), or a "not yet" that says why it is not numbers.

    Torch tensors and float32 arrays are read (judged at float32 precision); sympy numbers and lists too.
    Nothing of the answer object is kept: only its numbers, read before any right answer exists.
    """
    if answer is None:
        raise NotYet(f"{name} is None: does the function `return` it?", JUNK)
    if isinstance(answer, (str, bytes)):
        raise NotYet(f"{name} should be numbers, got text {cut(repr(answer), 40)}", JUNK)
    if isinstance(answer, (dict, set)):
        raise NotYet(f"{name} should be an array of numbers, got a {type(answer).__name__}", JUNK)
    if hasattr(answer, "detach") and hasattr(answer, "cpu"):  # a torch tensor, perhaps with requires_grad
        answer = answer.detach().cpu().numpy()
    try:
        raw = _array(answer)
    except Exception:  # noqa: BLE001 -- ragged lists and the like
        raise NotYet(f"{name} should be an array of numbers, got {type(answer).__name__}", JUNK) from None
    if raw.dtype.kind == "O":  # numbers numpy keeps as objects, such as sympy's Float
        try:
            raw = _array(raw.tolist(), dtype=np.float64)
        except (TypeError, ValueError):
            message = f"{name} should be numbers, got {type(answer).__name__} that numpy cannot read"
            raise NotYet(message, JUNK) from None
    if raw.dtype.kind == "c":
        raise NotYet(f"{name} has complex numbers; the answer is real (did a square root or a log go negative?)", JUNK)
    if raw.dtype.kind not in "biuf":
        raise NotYet(f"{name} should be an array of numbers, got {type(answer).__name__} of {raw.dtype}", JUNK)
    values = _array(raw, dtype=np.float64)
    if bool(np.any(_isnan(values))):
        raise NotYet(f"{name} contains NaN", JUNK)
    if not bool(np.all(_isfinite(values))):
        raise NotYet(f"{name} contains inf: something overflowed", JUNK)
    return Answer(values, raw.dtype.kind == "f" and raw.dtype.itemsize < 8)


def _fit(values, shape, layout_free):
    """``values`` in ``shape`` where the question allows another layout of the same numbers: a vector as a
    row, a column or flat (``layout_free``), a number as any one-element array. None if it does not fit."""
    if values.shape == shape:
        return values
    if values.size == 1 and int(np.prod(shape)) == 1:
        return values.reshape(shape)
    vector = lambda s: len(s) <= 1 or (len(s) == 2 and 1 in s)  # noqa: E731
    if layout_free and values.size == int(np.prod(shape)) and vector(values.shape) and vector(shape):
        return values.reshape(shape)
    return None


# --- judging ------------------------------------------------------------------------------------------


@dataclass
class Trial:
    """One probe: the answer read, the right value, and the value of each named mistake ({id: value})."""

    answer: Answer
    expected: np.ndarray
    mistakes: dict = field(default_factory=dict)


def _close(a, b, precision):
    rtol, atol = precision
    scale = max(float(_max(_abs(b))) if b.size else 0.0, 1.0)
    return a.shape == b.shape and bool(np.all(_abs(a - b) <= atol * scale + rtol * _abs(b)))


def judge(name, trials, messages, layout_free=False, shapes=None):
    """The verdict on ``trials``: right if the answer matches on every probe; else the mistake of ``messages``
    ({id: what to say}) whose value it matches on every probe; else what differs, and where.

    layout_free: a vector may come as a row, a column or flat. shapes: {id: message} for wrong shapes
    (the key ``"transposed"`` for the transposed one), named before any value is compared.
    """
    precision = FLOAT32 if any(t.answer.float32 for t in trials) else FLOAT64
    note = " (computed in float32: judged at float32 precision; float64 is expected)" if precision is FLOAT32 else ""
    fitted = [_fit(t.answer.values, np.shape(t.expected), layout_free) for t in trials]
    if all(f is not None and _close(f, np.asarray(t.expected), precision) for f, t in zip(fitted, trials)):
        return Verdict(True, f"{name} matches{note}", about=name)
    for mistake, message in messages.items():
        values = [np.asarray(t.mistakes[mistake], dtype=np.float64) for t in trials]
        matched = [_fit(t.answer.values, v.shape, layout_free) for t, v in zip(trials, values)]
        if all(m is not None and _close(m, v, precision) for m, v in zip(matched, values)):
            return Verdict(False, f"{name}: {message}", about=name, mistake=mistake)
    bad = next(i for i, (f, t) in enumerate(zip(fitted, trials)) if f is None or not _close(f, t.expected, precision))
    got, expected = trials[bad].answer.values, np.asarray(trials[bad].expected)
    if fitted[bad] is None:
        if expected.ndim == 2 and got.shape == expected.T.shape and "transposed" in (shapes or {}):
            return Verdict(False, f"{name} has shape {got.shape}: {shapes['transposed']}", about=name, mistake=SHAPE)
        said = (shapes or {}).get(got.shape, "")
        detail = f": {said}" if said else f", expected {expected.shape}"
        return Verdict(False, f"{name} has shape {got.shape}{detail}", about=name, mistake=SHAPE)
    return Verdict(False, f"{name} {_where(fitted[bad], expected)}", about=name, mistake=DIFFERS)


def _where(got, expected):
    """Which entry differs most from the right value, by how much, and how many entries differ."""
    error = _abs(got - expected)
    at = np.unravel_index(int(_argmax(error)), got.shape) if got.ndim else ()
    index = f"[{', '.join(map(str, at))}]" if at else ""
    relative = float(error[at]) / max(abs(float(expected[at])), 1e-300)
    wrong = int(np.sum(error > FLOAT64[1] + FLOAT64[0] * _abs(expected)))
    of = f"; {wrong} of {got.size} entries differ" if got.size > 1 else ""
    return (f"differs: {index or 'it'} is {float(got[at]):.6g} where {float(expected[at]):.6g} is right "
            f"(off by {float(error[at]):.3g}, {relative:.1%} of it){of}")  # fmt: skip


def combine(verdicts):
    """One verdict for several (the keys of a dict answer): right if all are; else the wrong ones' messages,
    an explanation shared by several keys said once ("dJdW1, dJdb1: ..."), the mistake the first one names."""
    if all(v.ok for v in verdicts):
        return Verdict(True, f"{', '.join(v.about for v in verdicts)} match")
    groups = {}
    for v in verdicts:
        if not v.ok:
            text = v.message[len(v.about) + 2 :] if v.message.startswith(f"{v.about}: ") else v.message
            groups.setdefault(text, []).append(v.about)
    parts = [f"{', '.join(names)}: {text}" if not text.startswith(names[0]) else text for text, names in groups.items()]
    mistake = next(v.mistake for v in verdicts if not v.ok)
    return Verdict(False, cut("; ".join(parts)), mistake=mistake)


def answer_dict(answer, keys, name):
    """The student's dict answer, or a "not yet" naming the missing keys."""
    if not isinstance(answer, dict):
        raise NotYet(f"{name} must return a dict with the keys {', '.join(keys)}, got {type(answer).__name__}", JUNK)
    missing = [k for k in keys if k not in answer]
    if missing:
        raise NotYet(f"{name} must return a dict with the keys {', '.join(keys)}; missing {', '.join(missing)}", JUNK)
    return answer


# --- grading ------------------------------------------------------------------------------------------

#: The MIME type of the verdict :func:`grade` publishes into the autograded notebook, for the class report.
VERDICT_MIME = "application/vnd.backprop-notebooks.verdict+json"


class NotPassed(Exception):
    """The hidden test of an exercise failed; its message is the verdict's."""


def _show_verdict_only(shell, etype, value, tb, tb_offset=None):
    """IPython's handler for :class:`NotPassed`: the cell's error output is the verdict, not a traceback."""
    return [f"{etype.__name__}: {value}"]


def grade(function, fn):
    """The hidden test of the exercise whose student function is ``function``: its registered check on the
    grading probes. Publishes the verdict; raises :class:`NotPassed` with its message unless it is right."""
    verdict = EXERCISES[function].check(fn, probes="grading")
    record = {"exercise": function, "ok": verdict.ok, "mistake": verdict.mistake, "message": verdict.message}
    try:
        from IPython import get_ipython
        from IPython.display import display

        shell = get_ipython()
    except ImportError:  # not in IPython: nothing to publish to
        shell = None
    if shell is not None:
        display({VERDICT_MIME: json.loads(json.dumps(record))}, raw=True)
        shell.set_custom_exc((NotPassed,), _show_verdict_only)
    if not verdict.ok:
        raise NotPassed(str(verdict))
    return verdict


def with_message(verdict, message):
    """``verdict`` with another message (a right answer's summary)."""
    return replace(verdict, message=message)
