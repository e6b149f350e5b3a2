"""The exercises' checks (helpers.selfcheck) through their registry, and the pieces of helpers.selfcheck._core
they share: read, judge, combine, run's watch on calls and on changed inputs, the seal on the libraries, and
grade, nbgrader's hidden test. The answers a student writes are tested in tests/test_red_team.py."""

from __future__ import annotations

import builtins
import cProfile
import json
import sys
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from red_team import TorchLike

from helpers import activations, losses, selfcheck
from helpers.computational_graph import Value
from helpers.homework import MLP
from helpers.selfcheck import EXERCISES, NotPassed, grade
from helpers.selfcheck._core import (
    CALLS_THE_ANSWER,
    CHANGED_INPUT,
    CHANGED_LIBRARY,
    DIFFERS,
    FLOAT32_NOTE,
    JUNK,
    NOT_WRITTEN,
    RAISED,
    SHAPE,
    Answer,
    NotYet,
    Trial,
    _origin,
    answer_dict,
    combine,
    judge,
    numbers,
    read,
    run,
)
from helpers.training import sgd_update
from helpers.verdict import Verdict

CHECKS = sorted(EXERCISES)


def _not_yet(call):
    """The verdict a NotYet raised by ``call()`` carries."""
    with pytest.raises(NotYet) as stop:
        call()
    return stop.value.verdict


# --- every check, through the registry -------------------------------------------------------------------------


def _stub(*args):
    raise NotImplementedError()


@pytest.mark.parametrize("exercise", CHECKS)
def test_an_unwritten_exercise_is_not_written_yet(exercise):
    for probes in ("practice", "grading"):
        verdict = EXERCISES[exercise].check(_stub, probes=probes)
        assert not verdict.ok and verdict.mistake == NOT_WRITTEN, verdict
        assert str(verdict) == f"not yet: {exercise} is not written yet: replace `raise NotImplementedError()` with " \
                               "your code"  # fmt: skip


def _raise(exc):
    def fn(*args):
        raise exc

    return fn


class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no message")


@pytest.mark.parametrize("exercise", CHECKS)
def test_an_exception_is_raised_never_a_crash(exercise):
    check = EXERCISES[exercise].check
    verdict = check(_raise(ZeroDivisionError("division by zero")))
    assert verdict.mistake == RAISED and "raised ZeroDivisionError: division by zero" in verdict.message, verdict
    verdict = check(_raise(ValueError("x" * 100_000)))
    assert verdict.mistake == RAISED and len(verdict.message) <= 200, verdict
    verdict = check(_raise(Unprintable()))
    assert verdict.mistake == RAISED and "Unprintable" in verdict.message, verdict
    assert "could not be checked" not in verdict.message


@pytest.mark.parametrize("exercise", CHECKS)
def test_a_function_that_calls_exit_is_told_to_return(exercise):
    for leave in (_raise(SystemExit(1)), lambda *args: sys.exit(), lambda *args: exit()):  # noqa: PLR1722
        verdict = EXERCISES[exercise].check(leave)
        assert verdict.mistake == RAISED and "called exit(): return the answer instead" in verdict.message, verdict


def test_exit_raises_systemexit_in_a_check_even_where_ipython_made_it_end_the_kernel(monkeypatch):
    ended = []
    monkeypatch.setattr(builtins, "exit", lambda *args: ended.append(args))  # IPython's asks the kernel to end
    verdict = EXERCISES["reflection"].check(lambda phi: exit())  # noqa: PLR1722
    assert verdict.mistake == RAISED and "called exit()" in verdict.message and not ended
    assert builtins.exit is not selfcheck._core._exit  # the kernel's own exit is put back


def test_exit_in_a_notebook_s_namespace_raises_systemexit_in_a_check_and_is_put_back():
    ended = []
    namespace = {"exit": lambda *args: ended.append(args), "np": np}  # IPython puts its exit in the user namespace
    exec("def reflection(phi):\n    exit()", namespace)  # noqa: S102 -- a cell
    verdict = EXERCISES["reflection"].check(namespace["reflection"])
    assert verdict.mistake == RAISED and "called exit()" in verdict.message and not ended
    namespace["exit"]()
    assert ended == [()]


JUNK_ANSWERS = {
    "None": lambda *a: None,
    "text": lambda *a: "0.5",
    "bytes": lambda *a: b"0.5",
    "a set": lambda *a: {0.5},
    "complex": lambda *a: np.ones(3) + 1j,
    "nan": lambda *a: np.nan,
    "inf": lambda *a: np.full(3, np.inf),
    "an object": lambda *a: object(),
    "ragged": lambda *a: [[1.0, 2.0], [3.0]],
    "a huge int": lambda *a: 10**400,
    "a dict of junk": lambda *a: {"dJdW1": "a", "dJdb1": None, "dJdW2": 1j, "dJdb2": np.inf},
    "a wrong shape": lambda *a: np.zeros((7, 5)),
    "not a function": 3,
}


@pytest.mark.parametrize("junk", list(JUNK_ANSWERS))
@pytest.mark.parametrize("exercise", CHECKS)
def test_junk_is_not_yet_and_never_crashes(exercise, junk):
    verdict = EXERCISES[exercise].check(JUNK_ANSWERS[junk])
    assert isinstance(verdict, Verdict) and not verdict.ok and str(verdict).startswith("not yet: "), verdict
    assert verdict.message and len(verdict.message) <= 400 and "could not be checked" not in verdict.message, verdict
    assert verdict.mistake and verdict.mistake != CALLS_THE_ANSWER, verdict


def test_junk_says_what_came():
    check = EXERCISES["objective_gradient"].check
    assert check(lambda *a: None).message == "dJ/dy_hat is None: does the function `return` it?"
    assert check(lambda *a: "0.5").mistake == JUNK and "got text '0.5'" in check(lambda *a: "0.5").message
    assert "complex numbers" in check(lambda *a: np.ones(3) + 1j).message
    assert "contains NaN" in check(lambda *a: np.full((5, 3), np.nan)).message
    assert "contains inf" in check(lambda *a: np.full((5, 3), np.inf)).message
    assert check(3).message == "objective_gradient must be a function, got int"


# --- read ----------------------------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
def test_read_gives_float64_numbers_and_says_whether_they_came_in_float32():
    for answer, values, single in [
        (np.arange(3), [0, 1, 2], False),
        (np.arange(3.0, dtype=np.float32), [0, 1, 2], True),
        ([1, 2.5], [1, 2.5], False),
        ([np.float32(1), 2.5], [1, 2.5], True),  # numpy would make it float64: one entry in float32 is enough
        (np.float16(0.5), 0.5, True),
        (True, 1.0, False),
        (sp.Float(0.25), 0.25, False),
        (sp.Matrix([[1, sp.Rational(1, 2)]]), [[1, 0.5]], False),
        (Fraction(1, 4), 0.25, False),
        (TorchLike([1.5, 2]), [1.5, 2], True),
        ([TorchLike(1.5), TorchLike(2)], [1.5, 2], True),
        (np.asmatrix([[1.0, 2.0]]), [[1, 2]], False),
        ((x for x in (1.0, 2.0)), [1, 2], False),
        (map(float, (1, 2)), [1, 2], False),
        ({"a": 1.0, "b": 2.0}.values(), [1, 2], False),
    ]:
        got = read(answer, "it")
        assert isinstance(got, Answer) and got.values.dtype == np.float64 and got.float32 is single, answer
        assert type(got.values) is np.ndarray and np.array_equal(got.values, values), answer


def test_read_keeps_nothing_of_the_answer():
    source = np.array([1.0, 2.0])
    got = read(source, "it")
    source[0] = 99.0
    assert got.values[0] == 1.0


def test_read_says_why_an_answer_is_not_numbers():
    for answer, words in [
        (None, "it is None: does the function `return` it?"),
        ("0.5", "it should be numbers, got text '0.5'"),
        (b"0.5", "got text"),
        ({"a": 1}, "it should be an array of numbers, got a dict"),
        ({1.0}, "got a set"),
        ([[1.0], [2.0, 3.0]], "got list that numpy cannot read"),
        (object(), "got object that numpy cannot read"),
        (np.array(["a"]), "got ndarray of <U1"),
        (1 + 2j, "complex numbers"),
        ([1.0, np.nan], "contains NaN"),
        ([1.0, np.inf], "contains inf: something overflowed"),
        (sp.Symbol("x"), "got Symbol that numpy cannot read"),
    ]:
        verdict = _not_yet(lambda answer=answer: read(answer, "it"))
        assert verdict.mistake == JUNK and words in verdict.message, (answer, verdict)


def test_numbers_keeps_nan_and_inf():
    values, single = numbers([np.nan, np.inf, 1.0], "it")
    assert np.isnan(values[0]) and np.isinf(values[1]) and not single


# --- judge and combine ----------------------------------------------------------------------------------------


def _trials(answers, expected, mistakes=None):
    return [Trial(Answer(np.asarray(a, dtype=np.float64), np.asarray(a).dtype == np.float32), np.asarray(e),
                  {m: v[i] for m, v in (mistakes or {}).items()}) for i, (a, e) in enumerate(zip(answers, expected))]  # fmt: skip # noqa: E501


RIGHT = [np.array([1.0, -2.0, 3.0]), np.array([0.5, 4.0, -1.0])]


def test_judge_accepts_the_right_answer_to_float64_precision():
    assert judge("v", _trials(RIGHT, RIGHT), {}).ok
    assert judge("v", _trials([r * (1 + 1e-10) for r in RIGHT], RIGHT), {}) == Verdict(True, "v matches", about="v")
    verdict = judge("v", _trials([r * (1 + 1e-6) for r in RIGHT], RIGHT), {})
    assert verdict.mistake == DIFFERS and "right to float32 precision only" in verdict.message


def test_judge_accepts_float32_at_float32_precision_with_a_note():
    verdict = judge("v", _trials([(r * (1 + 1e-6)).astype(np.float32) for r in RIGHT], RIGHT), {})
    assert verdict.ok and verdict.message == f"v matches{FLOAT32_NOTE}"
    assert judge("v", _trials([(r * (1 + 1e-3)).astype(np.float32) for r in RIGHT], RIGHT), {}).mistake == DIFFERS


def test_judge_takes_a_vector_as_a_row_a_column_or_flat_only_where_allowed():
    for layout in (lambda r: r[None, :], lambda r: r[:, None], lambda r: list(r)):
        assert judge("v", _trials([layout(r) for r in RIGHT], RIGHT), {}, layout_free=True).ok
        assert judge("v", _trials([layout(r) for r in RIGHT], RIGHT), {}).mistake in ("", SHAPE)
    assert judge("v", _trials([r[:, None] for r in RIGHT], RIGHT), {}).mistake == SHAPE
    numbers_ = [np.array(2.0), np.array(-1.0)]
    assert judge("n", _trials([[[2.0]], [-1.0]], numbers_), {}).ok  # a number as any one-element array


def test_judge_names_a_mistake_only_when_it_matches_on_every_probe():
    doubled = [2 * r for r in RIGHT]
    messages = {"halved": "half of it", "doubled": "twice it"}
    mistakes = {"halved": [r / 2 for r in RIGHT], "doubled": doubled}
    verdict = judge("v", _trials(doubled, RIGHT, mistakes), messages)
    assert verdict == Verdict(False, "v: twice it", about="v", mistake="doubled")
    once = [doubled[0], RIGHT[1] + 1]
    assert judge("v", _trials(once, RIGHT, mistakes), messages).mistake == DIFFERS


def test_judge_says_where_it_differs_and_by_how_much():
    wrong = [RIGHT[0], np.array([0.5, 4.5, -1.0])]
    verdict = judge("v", _trials(wrong, RIGHT), {})
    assert verdict.message == "v differs: [1] is 4.5 where 4 is right (off by 0.5, 0.125 times its size)" \
                              "; 1 of 3 entries differ"  # fmt: skip
    zero = judge("v", _trials([np.array([1.0])] * 2, [np.array([0.0])] * 2), {})
    assert zero.message == "v differs: [0] is 1 where 0 is right (off by 1)"  # nothing "times" 0
    minus = judge("v", _trials([np.array(-0.0)] * 2, [np.array(3.0)] * 2), {})
    assert "it is 0 where 3 is right" in minus.message  # never "-0"


def test_judge_names_a_wrong_shape():
    matrix = [np.arange(6.0).reshape(2, 3)] * 2
    shapes = {"transposed": "one row per sample", (6,): "not flat"}
    assert judge("m", _trials([m.T for m in matrix], matrix), {}, shapes=shapes).message == \
        "m has shape (3, 2): one row per sample"  # fmt: skip
    assert judge("m", _trials([m.ravel() for m in matrix], matrix), {}, shapes=shapes).message == \
        "m has shape (6,): not flat"  # fmt: skip
    assert judge("m", _trials([m[:1] for m in matrix], matrix), {}).message == "m has shape (1, 3), expected (2, 3)"


def test_judge_does_not_use_the_numpy_a_student_patched(monkeypatch):
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(np, "isclose", lambda a, b, *r, **k: np.ones(np.shape(a), dtype=bool))
    monkeypatch.setattr(np, "abs", lambda v, *a, **k: np.zeros(np.shape(v)))
    monkeypatch.setattr(np, "all", lambda *a, **k: True)
    assert judge("v", _trials([r + 1 for r in RIGHT], RIGHT), {}).mistake == DIFFERS


def test_combine_says_a_shared_explanation_once_and_names_each_key():
    right, float32 = Verdict(True, "a matches", about="a"), Verdict(True, f"b matches{FLOAT32_NOTE}", about="b")
    assert combine([right, float32]) == Verdict(True, f"a, b match{FLOAT32_NOTE}")
    wrong = [Verdict(False, "W: wrong order", about="W", mistake="order"),
             Verdict(False, "b: b2 is missing", about="b", mistake="no-b2"),
             Verdict(False, "c: b2 is missing", about="c", mistake="no-b2"),
             Verdict(False, "d differs: it is 1 where 2 is right", about="d", mistake=DIFFERS)]  # fmt: skip
    assert combine(wrong) == Verdict(False, "W: wrong order; b, c: b2 is missing; d differs: it is 1 where 2 is right",
                                     mistake="order")  # fmt: skip


def test_answer_dict_names_the_missing_keys_and_their_new_names():
    assert answer_dict({"a": 1, "b": 2}, ("a", "b"), "f") == {"a": 1, "b": 2}
    assert _not_yet(lambda: answer_dict([1, 2], ("a", "b"), "f")).message == \
        "f must return a dict with the keys a, b, got list"  # fmt: skip
    verdict = _not_yet(lambda: answer_dict({"a": 1, "old": 2}, ("a", "b"), "f", renamed={"old": "b"}))
    assert verdict == Verdict(False, "f must return a dict with the keys a, b; missing b (old is now b)", mistake=JUNK)


# --- run: copies, the watch on calls, changed inputs, the seal ------------------------------------------------


def test_run_hands_copies_and_returns_them_as_the_function_left_them():
    z = np.array([[1.0, 2.0]])
    answer, given = run(lambda z, t: z * 2, "my_softmax", {"z": z, "temperature": 1.0})
    assert np.array_equal(answer, [[2.0, 4.0]]) and given["z"] is not z and np.array_equal(given["z"], z)


def test_run_refuses_the_package_s_own_implementation_by_any_name():
    sm = activations.softmax
    for fn in (
        lambda z, t: sm(z, t),  # another name
        lambda z, t: np.exp(activations.log_softmax(z, t)),  # another function of the same kernel
        lambda z, t: np.apply_along_axis(lambda r: activations.softmax(r, t), 1, z),
    ):  # called by numpy
        verdict = _not_yet(lambda fn=fn: run(fn, "my_softmax", {"z": np.ones((2, 3)), "temperature": 1.0}))
        assert verdict == Verdict(False, "write it yourself: my_softmax calls helpers.activations.softmax, which is "
                                         "what this exercise asks for", mistake=CALLS_THE_ANSWER)  # fmt: skip
    assert sys.getprofile() is None


def test_a_check_refuses_the_package_called_late_while_the_answer_is_read():
    class Late:
        def __init__(self, z, t):
            self.z, self.t = z, t

        def __array__(self, dtype=None, copy=None):
            return activations.softmax(self.z, self.t)

    verdict = EXERCISES["my_softmax"].check(lambda z, t: Late(z, t))
    assert verdict.mistake == CALLS_THE_ANSWER and "helpers.activations.softmax" in verdict.message


def test_a_check_refuses_its_own_code_reached_through_the_frames():
    def backward(x, y, W1, b1, W2, b2):
        frame = sys._getframe(1)
        while "gradients" not in frame.f_locals:
            frame = frame.f_back
        return frame.f_locals["gradients"](x, y, W1, b1, W2, b2)[0]

    verdict = EXERCISES["backward_one_sample"].check(backward)
    assert verdict == Verdict(False, "backward_one_sample calls the check's own code (helpers.selfcheck._backward): "
                                     "compute the answer from the inputs alone", mistake=CALLS_THE_ANSWER)  # fmt: skip


def test_switching_the_watch_off_is_refused():
    def softmax(z, t):
        sys.setprofile(None)
        return activations.softmax(z, t)

    verdict = EXERCISES["my_softmax"].check(softmax)
    assert verdict.mistake == CHANGED_LIBRARY and "sys.setprofile" in verdict.message
    assert sys.getprofile() is None


def test_a_profiler_running_around_a_check_runs_on_after_it():
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        assert EXERCISES["reflection"].check(lambda phi: [[np.cos(2 * phi), np.sin(2 * phi)],
                                                           [np.sin(2 * phi), -np.cos(2 * phi)]]).ok  # fmt: skip
        assert sys.getprofile() is profiler
    finally:
        profiler.disable()


def test_run_refuses_a_changed_input_and_names_it():
    def changes(z, t):
        z[0, 0] = 5.0
        return z

    verdict = _not_yet(lambda: run(changes, "my_softmax", {"z": np.ones((2, 3)), "temperature": 1.0}))
    assert verdict == Verdict(False, "my_softmax changed its input z; it must leave it as it was given",
                              mistake=CHANGED_INPUT)  # fmt: skip


def test_run_lets_the_named_parts_change_and_no_other():
    net = MLP(2, 3, "relu", 3, 1, "identity")
    x, y = np.ones((4, 2)), np.zeros((4, 1))

    def backward(net, x, y):
        net.backward(losses.mse(net.forward(x), y)[1])

    def step(net, x, y):
        backward(net, x, y)
        sgd_update(net, 0.1)

    assert run(backward, "gradient_norms", {"net": net, "x": x, "y": y}, may_change=("net.grads",))
    assert run(step, "gradient_norms", {"net": net, "x": x, "y": y}, may_change=("net",))
    verdict = _not_yet(lambda: run(step, "gradient_norms", {"net": net, "x": x, "y": y}, may_change=("net.grads",)))
    assert verdict.message == "gradient_norms changed its input net.parameters; it must leave it as it was given"
    a = Value(2.0)

    def into_data(a):
        a.data += 1

    assert _not_yet(lambda: run(into_data, "mul_backward", {"a": a}, may_change=("a.grad",))).message == \
        "mul_backward changed its input a.data; it must leave it as it was given"  # fmt: skip


def test_a_library_the_function_changes_is_set_back_and_named():
    allclose = np.allclose

    def lies(y_hat, y):
        np.allclose = lambda *a, **k: True
        return y_hat

    verdict = EXERCISES["objective_gradient"].check(lies)
    assert np.allclose is allclose
    assert verdict == Verdict(False, "objective_gradient changed numpy.allclose: a function must leave the libraries "
                                     "it uses as they were (the check has set numpy.allclose back)",
                              mistake=CHANGED_LIBRARY)  # fmt: skip


def test_a_library_changed_before_the_check_does_not_change_its_verdict_and_is_put_back(monkeypatch):
    lying = lambda *a, **k: True  # noqa: E731
    monkeypatch.setattr(np, "maximum", lambda a, b, *r, **k: a)  # an earlier cell's
    monkeypatch.setattr(builtins, "all", lying)
    verdict = EXERCISES["forward_one_sample"].check(lambda x, W1, b1, W2, b2: W2 @ (5 * (W1 @ x + b1)) + b2)
    assert verdict.mistake == "no-relu"  # judged with numpy's own maximum and Python's own all
    assert builtins.all is lying  # the kernel is left as the check found it


# --- where code comes from ----------------------------------------------------------------------------------------


def test_the_watch_tells_the_check_the_package_a_library_and_the_student_apart():
    frames = {}

    def here():
        frames["student"] = sys._getframe()

    here()
    assert _origin(frames["student"]) == "student"
    frame = sys._getframe()
    while frame.f_back is not None:  # pytest's frames, up the stack
        frame = frame.f_back
    assert _origin(frame) == "library"
    assert _origin(type("F", (), {"f_code": judge.__code__, "f_globals": {}})) == "check"
    assert _origin(type("F", (), {"f_code": sgd_update.__code__, "f_globals": {}})) == "package"


# --- grade, the hidden test ------------------------------------------------------------------------------------------


def _right_softmax(z, t):
    s = z / t
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_grade_returns_nothing_for_a_right_answer_on_the_grading_probes():
    assert grade("my_softmax", _right_softmax) is None  # the grade cell shows the check's verdict only


def test_grade_raises_not_passed_naming_the_exercise_and_the_mistake():
    with pytest.raises(NotPassed) as failed:
        grade("my_softmax", lambda z, t: _right_softmax(z * t * t, t))
    message = "softmax: multiplied by T: softmax(z / T) divides the logits by the temperature"
    assert failed.value.verdict == Verdict(False, message, about="softmax", mistake="times-T")
    assert json.loads(str(failed.value)) == {"exercise": "my_softmax", "mistake": "times-T", "message": message}


def test_grade_uses_the_grading_probes_not_the_practice_ones():
    shown = {0.4: None, 1.1: None, -0.7: None}  # the practice angles, answered; the x-axis's reflection elsewhere

    def reflection(phi):
        if phi in shown:
            return [[np.cos(2 * phi), np.sin(2 * phi)], [np.sin(2 * phi), -np.cos(2 * phi)]]
        return [[1.0, 0.0], [0.0, -1.0]]

    assert EXERCISES["reflection"].check(reflection).ok
    with pytest.raises(NotPassed, match="ignores phi"):
        grade("reflection", reflection)


def test_grade_takes_the_check_from_the_registry_not_the_student_s_namespace(monkeypatch):
    monkeypatch.setattr(selfcheck, "check_my_softmax", lambda fn, probes="practice": Verdict(True, "fake"))
    with pytest.raises(NotPassed):
        grade("my_softmax", lambda z, t: z)


class FakeShell:
    def __init__(self):
        self.handlers, self.shown = [], []

    def set_custom_exc(self, types, handler):
        self.handlers.append((types, handler))

    def _showtraceback(self, etype, value, stb):  # ipykernel sends it as the cell's error output
        self.shown.append((etype, value, stb))


def test_grade_shows_a_failed_verdict_as_its_message_not_a_traceback_inside_ipython(monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    with pytest.raises(NotPassed):  # not in IPython: nothing to install
        grade("my_softmax", lambda z, t: z)
    shell = FakeShell()
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    assert grade("my_softmax", _right_softmax) is None and shell.handlers == []  # a right answer: nothing to show
    with pytest.raises(NotPassed) as failed:
        grade("my_softmax", lambda z, t: _right_softmax(z, 1.0))
    ((types_, handler),) = shell.handlers
    assert types_ == (NotPassed,)
    shown = "NotPassed: not yet: softmax: the temperature is missing: divide the logits by T"
    assert handler(shell, NotPassed, failed.value, None) == [shown]  # the verdict, no traceback
    assert shell.shown == [(NotPassed, failed.value, [shown])]  # IPython discards what it returns: shown by it


# --- the names of before 0.2.0 ------------------------------------------------------------------------------------


def test_the_old_names_of_the_checks_still_work_with_a_warning():
    with pytest.warns(FutureWarning, match="check_softmax: it is now check_my_softmax"):
        assert selfcheck.check_softmax is selfcheck.check_my_softmax
    with pytest.raises(AttributeError):
        selfcheck.check_nothing  # noqa: B018


def test_the_old_one_step_exercise_is_checked_as_the_epoch_it_makes():
    def training_step(net, x, y, lr):
        J, dJdy_hat = losses.mse(y_hat=net.forward(x), y=y)
        net.zero_grad()
        net.backward(dJdy_hat)
        sgd_update(net, lr)
        return J

    with pytest.warns(FutureWarning, match="the exercise is now train_epoch"):
        check = selfcheck.check_training_step
    assert check(training_step).ok
    assert check(lambda net, x, y, lr: training_step(net, x, y, 0.05)).mistake == "lr-ignored"


def test_the_old_gradient_keys_are_still_read_by_the_old_check_name():
    def backward(x, y, W1, b1, W2, b2):
        z1 = W1 @ x + b1
        z2 = 5 * np.maximum(z1, 0)
        dl_dz3 = 2 * (W2 @ z2 + b2 - y)
        dl_dz1 = (W2.T @ dl_dz3) * 5 * (z1 > 0)
        grads = (np.outer(dl_dz1, x), dl_dz1, np.outer(dl_dz3, z2), dl_dz3)
        return dict(zip(("d" + p for p in ("W1", "b1", "W2", "b2")), grads))  # the keys of before 0.2.0

    with pytest.warns(FutureWarning):
        assert selfcheck.check_regression_backward(backward).ok
    verdict = selfcheck.check_backward_one_sample(backward)
    assert verdict.mistake == JUNK and "(dW1 is now dJdW1, db1 is now dJdb1" in verdict.message


# --- what the 1.4 checks say ----------------------------------------------------------------------------------------


def test_the_loss_checks_name_the_learning_rate_that_makes_descent_the_rule():
    check = EXERCISES["perceptron_loss"].check
    assert "rate 2 eta" in check(lambda z, y: max(0.0, -y * z)).message
    assert "rate eta" in check(lambda z, y: abs(z) - y * z).message
    assert "rate 0.5 eta" in EXERCISES["adaline_loss"].check(lambda z, y: (y - z) ** 2).message
