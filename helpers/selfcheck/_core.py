"""What every self-check shares: run the student's function safely, read its answer, name the mistake.

A check never raises and never says "correct" to junk: an unwritten function (nbgrader's
``raise NotImplementedError()``), an exception, None, text, complex numbers, NaN or inf, or the
wrong shape each get a "not yet: ..." that says what is wrong.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass

import numpy as np

ComplexWarning = getattr(np, "exceptions", np).ComplexWarning  # numpy.exceptions is new in numpy 1.25

MESSAGE_LENGTH = 200


@dataclass
class Verdict:
    """ok: the answer is right; message: what is right or wrong, in words; about: the name it is about."""

    ok: bool
    message: str
    about: str = ""

    def __str__(self):
        return ("correct: " if self.ok else "not yet: ") + self.message


class NotYet(Exception):
    """Raised inside a check to stop it with a "not yet" verdict."""

    def __init__(self, message):
        super().__init__(message)
        self.verdict = Verdict(False, message)


def _cut(text, limit=MESSAGE_LENGTH):
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check(fn):
    """Decorate a check: whatever goes wrong inside becomes a "not yet" verdict, never an exception."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            with warnings.catch_warnings():
                # Reading a complex answer as float warns; with warnings as errors (as in the tests) that
                # warning would replace the "complex numbers" verdict the answer deserves.
                warnings.simplefilter("ignore", ComplexWarning)
                return fn(*args, **kwargs)
        except NotYet as stop:
            return stop.verdict
        except Exception as exc:  # noqa: BLE001 -- a check must survive any answer
            return Verdict(False, _cut(f"the answer could not be checked: {type(exc).__name__}: {exc}"))

    return wrapper


def call(fn, name, *args):
    """``fn(*args)`` for the student's function ``fn`` (called ``name``); a "not yet" if it cannot run."""
    if not callable(fn):
        raise NotYet(f"{name} must be a function, got {type(fn).__name__}")
    try:
        return fn(*args)
    except NotImplementedError:
        raise NotYet(f"{name} is not written yet: replace `raise NotImplementedError()` with your code") from None
    except SystemExit:
        raise NotYet(f"{name} called exit(): return the answer instead") from None
    except Exception as exc:  # noqa: BLE001
        raise NotYet(_cut(f"{name} raised {type(exc).__name__}: {exc}")) from None


def as_numbers(answer, name):
    """The answer as a float64 array, or a "not yet" saying why it is not an array of real numbers."""
    if answer is None:
        raise NotYet(f"{name} is None: does the function `return` it?")
    if isinstance(answer, (str, bytes)):
        raise NotYet(f"{name} should be numbers, got text {_cut(repr(answer), 40)}")
    if isinstance(answer, dict):
        raise NotYet(f"{name} should be an array of numbers, got a dict")
    try:
        arr = np.asarray(answer)
    except Exception:  # noqa: BLE001 -- ragged lists and the like
        raise NotYet(f"{name} should be an array of numbers, got {type(answer).__name__}") from None
    if arr.dtype.kind == "O":  # numbers numpy keeps as objects, such as sympy's Float: read them as floats
        try:
            arr = np.array(answer, dtype=np.float64)
        except (TypeError, ValueError):
            pass
    if arr.dtype.kind == "c":
        raise NotYet(f"{name} has complex numbers; the answer is real (did a square root or a log go negative?)")
    if arr.dtype.kind not in "biuf":
        raise NotYet(f"{name} should be an array of numbers, got {type(answer).__name__} that numpy cannot read as one")
    arr = arr.astype(np.float64)
    if np.any(np.isnan(arr)):
        raise NotYet(f"{name} contains NaN")
    if np.any(np.isinf(arr)):
        raise NotYet(f"{name} contains inf: something overflowed")
    return arr


def diagnose(name, answer, expected, mistakes=(), rtol=1e-8, transposed_message=None, shape_messages=None):
    """Compare ``answer`` with ``expected`` and name the mistake when the answer matches a known one.

    mistakes: pairs (wrong value, message): the value a typical mistake produces and what to say.
    shape_messages: {wrong shape: message} for typical wrong shapes.
    Also recognised: junk (see :func:`as_numbers`), the transposed shape (said with
    ``transposed_message`` if given), a constant factor.
    """
    with np.errstate(all="ignore"):  # a huge answer may overflow the comparisons; the verdict still says so
        verdict = _compare(name, answer, expected, mistakes, rtol, transposed_message, shape_messages)
    verdict.about = name
    return verdict


def _compare(name, answer, expected, mistakes, rtol, transposed_message, shape_messages):
    try:
        answer = as_numbers(answer, name)
    except NotYet as stop:
        return stop.verdict
    expected = np.asarray(expected, dtype=np.float64)
    close = functools.partial(np.allclose, rtol=rtol, atol=1e-12)
    if expected.ndim == 1 and answer.ndim == 2 and 1 in answer.shape and answer.size == expected.size:
        answer = answer.ravel()  # a vector as a row or a column: the homework writes vectors as columns
    if answer.shape != expected.shape and answer.shape in (shape_messages or {}):
        return Verdict(False, f"{name} has shape {answer.shape}: {shape_messages[answer.shape]}")
    if answer.shape != expected.shape:
        if expected.ndim == 2 and answer.shape == expected.T.shape:
            message = (
                transposed_message or f"{name} has the shape of its transpose {answer.shape}, expected {expected.shape}"
            )
            return Verdict(False, message)
        return Verdict(False, f"{name} has shape {answer.shape}, expected {expected.shape}")
    if close(answer, expected):
        return Verdict(True, f"{name} matches")
    for wrong, message in mistakes:
        wrong = np.asarray(wrong, dtype=np.float64)
        if wrong.shape == answer.shape and close(answer, wrong):
            return Verdict(False, f"{name}: {message}")
    nonzero = np.abs(expected) > 1e-12
    if np.any(nonzero) and close(answer[~nonzero], 0):
        ratio = answer[nonzero] / expected[nonzero]
        if np.isfinite(ratio[0]) and ratio[0] != 0 and close(ratio, ratio[0]):
            return Verdict(False, f"{name} is off by a constant factor {ratio[0]:.4g}")
    err = float(np.max(np.abs(answer - expected)))
    return Verdict(False, f"{name} differs from the expected value by up to {err:.3g}")


def report(verdicts):
    """One verdict for several: correct if all are, else the messages of those that are not.

    Verdicts about different names with the same explanation are said once: "dW1, db1: ...".
    """
    ok = all(v.ok for v in verdicts)
    if ok and all(v.about and v.message == f"{v.about} matches" for v in verdicts):
        return Verdict(True, f"{', '.join(v.about for v in verdicts)} match")
    groups = {}  # explanation -> the names it is about
    for v in verdicts:
        if v.ok == ok:
            prefix = f"{v.about}: "
            explanation = v.message[len(prefix) :] if v.about and v.message.startswith(prefix) else v.message
            groups.setdefault(explanation, []).append(v.about if explanation != v.message else "")
    parts = [f"{', '.join(names)}: {text}" if all(names) else text for text, names in groups.items()]
    return Verdict(ok, "; ".join(parts))


def answer_dict(answer, keys, name):
    """The student's dict answer, or a "not yet" naming the missing keys."""
    if not isinstance(answer, dict):
        raise NotYet(f"{name} must return a dict with the keys {', '.join(keys)}, got {type(answer).__name__}")
    missing = [k for k in keys if k not in answer]
    if missing:
        raise NotYet(f"{name} must return a dict with the keys {', '.join(keys)}; missing {', '.join(missing)}")
    return answer
