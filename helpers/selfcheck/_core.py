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
and raises :class:`NotPassed` unless the answer is right: the error nbgrader keeps names the mistake for the class
report (``tools/misconceptions.py``), and the cell shows the verdict's message alone, not a traceback.

While a check runs:

* every call the student's code makes is watched (a profile hook set for the whole check, so an answer
  object that computes itself later, when it is read, is watched too): a call of this package's own
  implementation of the exercise (the exercise's ``forbidden`` functions, by any name, through any
  helper) or of the check's own code (reached through the check's frame, ``sys._getframe``) ends in
  "write it yourself"; so does switching the watch off (``sys.setprofile``);
* the libraries the check computes with (numpy, numpy.linalg, numpy.random, math, builtins, copy, json) and
  this package's modules and classes, the checks' own included, are *sealed*: a name replaced before the
  check (in an earlier cell) is set back to what it was when ``helpers.selfcheck`` was imported for the
  check's duration, and put back afterwards; a name the student's code replaces during the check
  (``numpy.allclose``, ``builtins.all``, ``helpers.training.sgd_update``, ``Network.zero_grad``,
  ``helpers.selfcheck._core.judge``) ends in "changed numpy.allclose", and is set back at once. The
  probes (:data:`SEEDS`) and the registry (:data:`EXERCISES`) are read-only. ``exit()`` raises
  SystemExit while a check runs, even in IPython (whose ``exit`` would end the kernel).

What in-kernel grading cannot stop: the student's code runs in the same Python process as the grader.
A student who sets out to defeat it can replace what the hidden test calls before it runs (``grade``,
which the hidden cell imports by name, or the seal itself, ``_SEAL``), mutate the grader's data through
the frames (``sys._getframe().f_back.f_locals``: the Trials of the probes already judged) or from a
thread, a garbage-collector callback or a ``__del__`` that runs while the check judges, call this
package's functions through copies of their code (``types.FunctionType(code.replace(...))``) or from a
subprocess, write their own finite differences (as accurate as float64 allows, they pass as the
gradient), or read this package's source (the probes, the reference formulas) and copy it. The cheap
tricks cannot: redefining ``check_X`` in the solution cell, replacing numpy's comparison functions or
the grader's, returning an object that reads the right answer from the check's frame (the answer is
read to plain numbers before the right one exists), calling this package's own implementation of the
exercise or the check's own code, and hard-coding the answers the check cell shows (the hidden test
uses other probes).
"""

from __future__ import annotations

import builtins
import copy
import functools
import json
import operator
import os
import sys
import sysconfig
import types
import warnings
from dataclasses import dataclass, field, replace
from itertools import repeat
from types import MappingProxyType

import numpy as np

from helpers._validate import cut
from helpers.verdict import Verdict

ComplexWarning = getattr(np, "exceptions", np).ComplexWarning  # numpy.exceptions is new in numpy 1.25

# numpy's functions as they were when helpers was imported, before any student code ran: a cell that
# replaces numpy.allclose or numpy.abs later changes nothing here.
_array, _abs, _max, _all, _sum = np.array, np.abs, np.max, np.all, np.sum
_isfinite, _isnan, _argmax = np.isfinite, np.isnan, np.argmax
_getprofile, _setprofile = sys.getprofile, sys.setprofile
# The built-in functions the seal sets the libraries back with, as they were before any student code ran: a function
# that replaces builtins.all must not be able to keep the seal from seeing it.
_builtin = {name: getattr(builtins, name) for name in ("all", "map", "vars", "isinstance", "id", "sorted", "setattr",
                                                       "delattr")}  # fmt: skip
_is = operator.is_

#: The seeds of the probes: the check cell in the notebook uses the practice ones, nbgrader's hidden
#: test the grading ones, so an answer tuned to what the check cell shows does not pass the grade.
SEEDS = MappingProxyType({"practice": (0, 1, 2), "grading": (11, 12, 13)})  # read-only, as the other probes

#: The ids of what goes wrong before an answer can be compared (the class report counts them too).
NOT_WRITTEN, RAISED, JUNK, SHAPE, DIFFERS = "not-written", "raised", "not-numbers", "shape", "differs"
CHANGED_INPUT, CALLS_THE_ANSWER, CHANGED_LIBRARY = "changed-its-input", "calls-the-package", "changed-a-library"

FLOAT64 = (1e-8, 1e-12)  # rtol, atol relative to the answer's scale
FLOAT32 = (3e-5, 1e-6)
FLOAT32_NOTE = " (computed in float32: judged at float32 precision; float64 is expected)"


class NotYet(Exception):
    """Raised inside a check to stop it with a "not yet" verdict naming ``mistake``."""

    def __init__(self, message, mistake=""):
        super().__init__(message)
        self.verdict = Verdict(False, cut(message), mistake=mistake)


# --- where a piece of code comes from ------------------------------------------------------------------

_SELFCHECK_DIR = os.path.dirname(os.path.realpath(__file__)) + os.sep
_HELPERS_DIR = os.path.dirname(_SELFCHECK_DIR.rstrip(os.sep)) + os.sep
_LIBRARY_DIRS = tuple(
    sorted({os.path.realpath(path) + os.sep for key, path in sysconfig.get_paths().items()
            if key in ("stdlib", "platstdlib", "purelib", "platlib")}
           | {os.path.realpath(os.path.dirname(os.path.dirname(np.__file__))) + os.sep})
)  # fmt: skip
_ORIGINS: dict = {}


def _origin(frame):
    """ "check" (helpers.selfcheck), "package" (the rest of helpers), "library" (the standard library and the
    installed packages) or "student" (anything else: a notebook cell, a test) for the code of ``frame``."""
    path = frame.f_code.co_filename
    kind = _ORIGINS.get(path)
    if kind is not None:
        return kind
    if path.startswith("<") and not path.startswith("<frozen"):  # exec'd code: a cell, or a generated method
        module = frame.f_globals.get("__name__", "") or ""
        if module == "helpers.selfcheck" or module.startswith("helpers.selfcheck."):
            return "check"
        return "package" if module == "helpers" or module.startswith("helpers.") else "student"
    real = os.path.realpath(path) if os.path.isabs(path) else path
    if real.startswith(_SELFCHECK_DIR):
        kind = "check"
    elif real.startswith(_HELPERS_DIR):
        kind = "package"
    elif path.startswith("<frozen") or real.startswith(_LIBRARY_DIRS):
        kind = "library"
    else:
        kind = "student"
    _ORIGINS[path] = kind
    return kind


def _from_student(frame):
    """Whether the call whose caller is ``frame`` was made by the student's code: the first frame up the stack
    that is neither a library's nor this package's (outside the checks) is the student's, not a check's."""
    while frame is not None:
        kind = _origin(frame)
        if kind == "check":
            return False
        if kind == "student":
            return True
        frame = frame.f_back
    return False


# --- the registry ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exercise:
    """One exercise: the function a student writes, its check, and what it must not call."""

    function: str
    check: object
    forbidden: tuple = ()
    watched: dict = field(default_factory=dict, compare=False, repr=False)


_REGISTRY: dict = {}
EXERCISES = MappingProxyType(_REGISTRY)  # {function name: Exercise}, read-only: exercise() fills it


def exercise(function, forbidden=()):
    """Register ``check_<function>`` as the check of the exercise whose student function is ``function``.

    forbidden: this package's functions that already compute what the exercise asks, each a function, a
    pair (a kernel, the public name it is reached by), or the dotted name of a function of a module loaded
    lazily (``"helpers.symbolic.network_gradients"``: sympy is not imported for it); a student's function
    that calls one, by any name, is told to write it itself. Code objects are taken now, so replacing a
    function's ``__code__`` later does not unwatch it.
    """

    def register(check):
        if check.__name__ != f"check_{function}":
            raise ValueError(f"the check of {function!r} must be named check_{function}, got {check.__name__}")
        wrapped = returns_verdict(check, function)
        watched = dict(_watched(f) for f in forbidden if not isinstance(f, str))
        watched.update({f: f for f in forbidden if isinstance(f, str)})
        _REGISTRY[function] = Exercise(function, wrapped, tuple(forbidden), watched)
        return wrapped

    return register


# --- the watch on calls ---------------------------------------------------------------------------------


class _Stop(BaseException):
    """Raised by the watch at the student's first forbidden call, to stop its code there (a BaseException, so
    that ``except Exception`` in the student's code does not swallow it; what was called is recorded anyway)."""


class _Watch:
    """The calls the student's code makes while the check of ``name`` runs, to the exercise's forbidden
    functions or to the check's own code: ``called`` lists what each was, in order."""

    def __init__(self, name):
        exercise_ = EXERCISES.get(name)
        self.name, self.called, self.stopped = name, [], False
        self.watched = exercise_.watched if exercise_ is not None else {}
        self.by_name = any(isinstance(k, str) for k in self.watched)
        self.hook = self._profile  # one bound method, so that sys.getprofile() can be compared with it

    def _profile(self, frame, event, arg):
        if event != "call":
            return
        code = frame.f_code
        what = self.watched.get(code)
        if what is None:
            origin = _origin(frame)
            if origin == "package" and self.by_name:
                what = self.watched.get(
                    f"{frame.f_globals.get('__name__')}.{getattr(code, 'co_qualname', code.co_name)}"
                )
            elif origin == "check" and code is not _exit.__code__:  # the check's own code, reached through its frame
                what = (frame.f_globals.get("__name__", "helpers.selfcheck"),)
            if what is None:
                return
        if _from_student(frame.f_back):
            self.called.append(what)
            self.stopped = True
            raise _Stop  # CPython unsets a profile hook that raises: whoever catches _Stop sets it again

    def resume(self):
        """Set the hook again after a :class:`_Stop` (CPython removed it)."""
        if self.stopped:
            _setprofile(self.hook)

    def verdict(self):
        """The "not yet" of what the student's code did to the watch, or None."""
        if _getprofile() is not self.hook:
            message = f"{self.name} switched off the check's watch on calls (sys.setprofile): write it without that"
            return Verdict(False, message, mistake=CHANGED_LIBRARY)
        if not self.called:
            return None
        what = self.called[0]
        if isinstance(what, tuple):
            message = f"{self.name} calls the check's own code ({what[0]}): compute the answer from the inputs alone"
        else:
            message = f"write it yourself: {self.name} calls {what}, which is what this exercise asks for"
        return Verdict(False, cut(message), mistake=CALLS_THE_ANSWER)


_WATCHES: list = []  # the watches of the checks running, innermost last


def _restore_profile(previous):
    """Set back the profile hook that ran before the check's: a Python function, or a C profiler such as
    cProfile's (``%prun``), which sys.setprofile cannot take back but which can enable itself again."""
    try:
        _setprofile(previous)
    except TypeError:
        _setprofile(None)
        if hasattr(previous, "enable"):
            previous.enable()


# --- the seal on the libraries a check computes with ----------------------------------------------------

_SEALED_LIBRARIES = ("builtins", "math", "copy", "json", "numpy", "numpy.linalg", "numpy.random")
_UNSEALED = {"_", "__", "___"}  # the last results an interactive session keeps in builtins
_SEAL: list = []  # [(module, class or the registry, its name, {attribute: value} when sealed, its keys, its values)]


def _exit(*args):
    """``exit()`` and ``quit()`` while a check runs: SystemExit, which :func:`run` turns into a verdict."""
    raise SystemExit(*args[:1])


def seal():
    """Take the seal: the names of the libraries a check computes with, and of this package's modules and
    classes, the checks' own included, as they are now (``helpers.selfcheck`` calls it once imported, before
    any student code has run; a test that instruments a check calls it again)."""
    modules = [sys.modules[name] for name in _SEALED_LIBRARIES if name in sys.modules]
    modules += [module for name, module in sorted(sys.modules.items())
                if (name == "helpers" or name.startswith("helpers.")) and module is not None]  # fmt: skip
    owners = []
    for module in modules:
        names = {k: v for k, v in vars(module).items() if k not in _UNSEALED}
        if module is builtins:
            names["exit"] = names["quit"] = _exit
        owners.append((module, module.__name__, names))
        if module is builtins or not module.__name__.startswith("helpers"):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, type) and value.__module__ == module.__name__:
                owners.append((value, f"{module.__name__}.{value.__qualname__}", dict(vars(value))))
    owners.append((_REGISTRY, "helpers.selfcheck.EXERCISES", dict(_REGISTRY)))  # what grade() takes the checks from
    _SEAL[:] = [(owner, name, names, tuple(names), tuple(names.values())) for owner, name, names in owners]


_MISSING = object()


def _unsealed():
    """[(owner, its name, attribute, the sealed value, the value now)] for every sealed name that changed."""
    all_, map_, vars_, isinstance_ = _builtin["all"], _builtin["map"], _builtin["vars"], _builtin["isinstance"]
    changed = []
    for owner, name, sealed, keys, values in _SEAL:
        now = owner if isinstance_(owner, dict) else vars_(owner)
        if all_(map_(_is, values, map_(now.get, keys, repeat(_MISSING)))):  # at C speed: the hook sees no call
            continue
        for attribute, value in sealed.items():  # no call per name: the watch's hook sees every call, even C's
            current = now[attribute] if attribute in now else _MISSING
            if current is not value:
                changed += [(owner, name, attribute, value, current)]
    return changed


def _set(owner, attribute, value):
    if _builtin["isinstance"](owner, dict):  # the registry
        owner.pop(attribute, None) if value is _MISSING else owner.__setitem__(attribute, value)
        return
    try:
        if value is _MISSING:
            _builtin["delattr"](owner, attribute)
        else:
            _builtin["setattr"](owner, attribute, value)
    except (AttributeError, TypeError):  # a read-only attribute: nothing can have changed it
        pass


def _reseal():
    """Set every sealed name back; returns the names that had changed, as ``numpy.allclose``."""
    changed = _unsealed()
    for owner, _, attribute, value, _ in changed:
        _set(owner, attribute, value)
    return [f"{name}.{attribute}" for _, name, attribute, _, _ in changed]


def _differences():
    """{(the owner's id, attribute): (owner, dotted name, value now, sealed value)} of the names off the seal."""
    return {(_builtin["id"](o), a): (o, f"{n}.{a}", now, sealed) for o, n, a, sealed, now in _unsealed()}


def _set_back(before):
    """Set every sealed name that changed since ``before`` (a :func:`_differences`) back to what it was then;
    returns their dotted names (inside a check, ``before`` is the seal itself: {})."""
    now, changed = _differences(), []
    for key in before.keys() | now.keys():
        owner, name = (now.get(key) or before[key])[:2]
        then = before[key][2] if key in before else now[key][3]
        current = now[key][2] if key in now else before[key][3]
        if then is not current:
            _set(owner, name.rsplit(".", 1)[1], then)
            changed.append(name)
    return _builtin["sorted"](changed)


def _tampered(name, changed):
    return Verdict(False, cut(f"{name} changed {changed[0]}: a function must leave the libraries it uses as they were "
                              f"(the check has set {changed[0]} back)"), mistake=CHANGED_LIBRARY)  # fmt: skip


def returns_verdict(check, function=None):
    """Decorate a check: whatever goes wrong inside becomes a "not yet" verdict, never an exception; while it
    runs, the student's calls are watched and the libraries sealed (see the module's docstring)."""
    function = function or check.__name__.removeprefix("check_")

    @functools.wraps(check)
    def wrapper(*args, **kwargs):
        outside = _unsealed()  # the kernel's own changes (an earlier cell's): set back for the check's duration
        for owner, _, attribute, value, _ in outside:
            _set(owner, attribute, value)
        watch, previous = _Watch(function), _getprofile()
        _WATCHES.append(watch)
        _setprofile(watch.hook)
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                # A student's answer may overflow or be complex; the verdict says so, warnings would say it twice.
                warnings.simplefilter("ignore", ComplexWarning)
                warnings.simplefilter("ignore", RuntimeWarning)
                verdict = check(*args, **kwargs)
        except _Stop:  # a forbidden call while the answer was read (an answer computing itself late)
            verdict = None
        except NotYet as stop:
            verdict = stop.verdict
        except Exception as exc:  # noqa: BLE001 -- a check must survive any answer
            verdict = Verdict(False, cut(f"the answer could not be checked: {type(exc).__name__}: {_text(exc)}"),
                              mistake=RAISED)  # fmt: skip
        finally:
            changed = _reseal()  # first: what follows may use what the answer replaced
            watch.resume()
            tampering = watch.verdict()
            _restore_profile(previous)
            _WATCHES.pop()
            for owner, _, attribute, _, current in outside:
                _set(owner, attribute, current)
        if changed:
            return _tampered(function, changed)
        return tampering or verdict

    return wrapper


# --- running the student's function -------------------------------------------------------------------


def _code_of(obj):
    """The code object of a function, method or kernel (what the profiler sees when it is called)."""
    obj = getattr(obj, "__func__", obj)
    return getattr(obj, "__code__", obj)


def _watched(entry):
    """(code object, what to call it) of a forbidden entry: a function, or a pair (a kernel, its public name)."""
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
        return _array(value)  # a plain ndarray, whatever subclass came
    if hasattr(value, "parameters") and hasattr(value, "grads"):  # a Network
        return {"parameters": _snapshot(value.parameters), "grads": _snapshot(value.grads)}
    if hasattr(value, "data") and hasattr(value, "grad"):  # a graph Value
        return {"data": value.data, "grad": value.grad}
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    return copy.deepcopy(value)


def _differ(a, b):
    if type(a) is not type(b):
        return True
    if isinstance(a, dict):
        return set(a) != set(b) or any(_differ(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray):
        return a.shape != b.shape or a.dtype != b.dtype or not bool(_all((a == b) | (_isnan(a) & _isnan(b))))
    return bool(a != b)


def run(fn, name, inputs, may_change=()):
    """``fn(*inputs.values())`` on copies of the inputs; returns (its answer, the copies as it left them).

    name: the student function's name, an exercise of the registry.

    inputs: {argument name: value}, in the order the function takes them. may_change: "name" (the
    argument may change at all, a network being trained) or "name.attribute" (only that part, a
    network's "grads"). A call that raises, that calls one of the exercise's ``forbidden`` functions
    (this package's own implementation of it) or the check's own code, that changes a library it uses,
    or that changes an input it should not, ends in a "not yet".
    """
    if not callable(fn):
        raise NotYet(f"{name} must be a function, got {type(fn).__name__}", JUNK)
    handed = copy.deepcopy(dict(inputs))  # at once: inputs that share an object (a graph's nodes) still share it
    before = {k: _snapshot(v) for k, v in handed.items()}
    watch = _WATCHES[-1] if _WATCHES and _WATCHES[-1].name == name else None
    own = watch is None  # run outside a check: watch this call alone
    libraries = _differences() if own else {}  # inside a check the libraries are as sealed before each call
    if own:
        watch, previous = _Watch(name), _getprofile()
        _setprofile(watch.hook)
    namespace = getattr(fn, "__globals__", None)  # a notebook's: IPython puts its exit there, which ends the kernel
    exits = {word: namespace[word] for word in ("exit", "quit") if _builtin["isinstance"](namespace, dict)
             and word in namespace}  # fmt: skip
    for word in exits:
        namespace[word] = _exit
    try:
        answer = fn(*handed.values())
    except _Stop:  # stopped at a forbidden call: the verdict below says which
        answer = None
    except NotImplementedError:
        message = f"{name} is not written yet: replace `raise NotImplementedError()` with your code"
        raise NotYet(message, NOT_WRITTEN) from None
    except SystemExit:
        raise NotYet(f"{name} called exit(): return the answer instead", RAISED) from None
    except Exception as exc:  # noqa: BLE001
        raise NotYet(f"{name} raised {type(exc).__name__}: {_text(exc)}", RAISED) from None
    finally:
        changed = _set_back(libraries)  # first: what follows may use what the answer replaced
        if exits:
            namespace.update(exits)
        watch.resume()
        tampering = watch.verdict()
        if own:
            _restore_profile(previous)
    if changed:
        raise NotYet(_tampered(name, changed).message, CHANGED_LIBRARY)
    if tampering is not None:
        raise NotYet(tampering.message, tampering.mistake)
    for key, old in before.items():
        now = _snapshot(handed[key])
        parts = old.keys() if isinstance(old, dict) and isinstance(now, dict) and key not in may_change else [None]
        for part in parts:
            if key in may_change or f"{key}.{part}" in may_change:
                continue
            if _differ(old if part is None else old[part], now if part is None else now.get(part, _MISSING)):
                what = key if part is None else f"{key}.{part}"
                raise NotYet(f"{name} changed its input {what}; it must leave it as it was given", CHANGED_INPUT)
    return answer, handed


# --- reading an answer ---------------------------------------------------------------------------------


@dataclass
class Answer:
    """An answer read to plain float64 numbers; ``float32`` if the student computed it in single precision."""

    values: np.ndarray
    float32: bool = False


_LIST_LIKE = (types.GeneratorType, map, filter, zip, type({}.values()))


def _text(exc):
    """What an exception says, even one whose __str__ raises."""
    try:
        return cut(str(exc))
    except Exception:  # noqa: BLE001
        return f"(an exception whose message cannot be shown: {type(exc).__name__})"


def _torch_like(value):
    return hasattr(value, "detach") and hasattr(value, "cpu") and hasattr(value, "numpy")


def _unwrap(value, depth=0):
    """``value`` with torch tensors turned into numpy arrays, inside lists and tuples too; and whether any of
    its numbers is in single (or half) precision."""
    if _torch_like(value):  # a torch tensor, perhaps with requires_grad
        value = value.detach().cpu().numpy()
    if isinstance(value, _LIST_LIKE):  # a list in all but name: map(...), a generator, net.grads.values()
        value = list(value)
    if isinstance(value, (list, tuple)) and depth < 4 and len(value) <= 100_000:
        parts = [_unwrap(v, depth + 1) for v in value]
        return [v for v, _ in parts], any(single for _, single in parts)
    single = isinstance(value, (np.ndarray, np.generic)) and value.dtype.kind == "f" and value.dtype.itemsize < 8
    return value, single


def numbers(answer, name):
    """The student's answer as a float64 array (any shape, NaN and inf kept) and whether it came in single
    precision; a "not yet" that says why unless it is numbers. Reads torch tensors, float32 arrays, lists,
    sympy numbers; keeps nothing of the answer object."""
    if answer is None:
        raise NotYet(f"{name} is None: does the function `return` it?", JUNK)
    if isinstance(answer, (str, bytes)):
        raise NotYet(f"{name} should be numbers, got text {cut(repr(answer), 40)}", JUNK)
    if isinstance(answer, (dict, set)):
        raise NotYet(f"{name} should be an array of numbers, got a {type(answer).__name__}", JUNK)
    what = type(answer).__name__
    try:
        answer, single = _unwrap(answer)
        raw = _array(answer)
    except Exception:  # noqa: BLE001 -- ragged lists and the like
        raise NotYet(f"{name} should be an array of numbers, got {what} that numpy cannot read", JUNK) from None
    if raw.dtype.kind == "O":  # numbers numpy keeps as objects, such as sympy's Float
        try:
            raw = _array(raw.tolist(), dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            raise NotYet(f"{name} should be numbers, got {what} that numpy cannot read", JUNK) from None
    if raw.dtype.kind == "c":
        raise NotYet(f"{name} has complex numbers; the answer is real (did a square root or a log go negative?)", JUNK)
    if raw.dtype.kind not in "biuf":
        raise NotYet(f"{name} should be an array of numbers, got {what} of {raw.dtype}", JUNK)
    single = single or (raw.dtype.kind == "f" and raw.dtype.itemsize < 8)
    return _array(raw, dtype=np.float64), single


def read(answer, name):
    """The student's answer as float64 numbers (any shape), or a "not yet" that says why it is not numbers.

    Torch tensors and float32 arrays are read (judged at float32 precision); sympy numbers and lists too.
    Nothing of the answer object is kept: only its numbers, read before any right answer exists.
    """
    values, single = numbers(answer, name)
    if not bool(_all(~_isnan(values))):
        raise NotYet(f"{name} contains NaN", JUNK)
    if not bool(_all(_isfinite(values))):
        raise NotYet(f"{name} contains inf: something overflowed", JUNK)
    return Answer(values, single)


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
    return a.shape == b.shape and bool(_all(_abs(a - b) <= atol * scale + rtol * _abs(b)))


def precision_of(trials, precision=None):
    """(the precision to judge ``trials`` at, the note a right answer gets): float32 if any answer is."""
    single = any(t.answer.float32 for t in trials)
    if precision is not None:
        return precision, FLOAT32_NOTE if single else ""
    return (FLOAT32, FLOAT32_NOTE) if single else (FLOAT64, "")


def judge(name, trials, messages, layout_free=False, shapes=None, precision=None):
    """The verdict on ``trials``: right if the answer matches on every probe; else the mistake of ``messages``
    ({id: what to say}) whose value it matches on every probe; else what differs, and where.

    layout_free: a vector may come as a row, a column or flat. shapes: {id: message} for wrong shapes
    (the key ``"transposed"`` for the transposed one), named before any value is compared. precision:
    (rtol, atol) to judge at, instead of float64's (float32's for an answer computed in float32).
    """
    precision, note = precision_of(trials, precision)
    fitted = [_fit(t.answer.values, np.shape(t.expected), layout_free) for t in trials]
    if all(f is not None and _close(f, np.asarray(t.expected), precision) for f, t in zip(fitted, trials)):
        return Verdict(True, f"{name} matches{note}", about=name)
    for mistake, message in messages.items():
        values = [np.asarray(t.mistakes[mistake], dtype=np.float64) for t in trials]
        matched = [_fit(t.answer.values, v.shape, layout_free) for t, v in zip(trials, values)]
        if all(m is not None and _close(m, v, precision) for m, v in zip(matched, values)):
            return Verdict(False, f"{name}: {message}", about=name, mistake=mistake)
    bad = next(i for i, (f, t) in enumerate(zip(fitted, trials)) if f is None or not _close(f, t.expected, precision))
    got, expected = trials[bad].answer.values, np.asarray(trials[bad].expected, dtype=np.float64)
    if fitted[bad] is None:
        if expected.ndim == 2 and got.shape == expected.T.shape and "transposed" in (shapes or {}):
            return Verdict(False, f"{name} has shape {got.shape}: {shapes['transposed']}", about=name, mistake=SHAPE)
        said = (shapes or {}).get(got.shape, "")
        detail = f": {said}" if said else f", expected {expected.shape}"
        return Verdict(False, f"{name} has shape {got.shape}{detail}", about=name, mistake=SHAPE)
    if precision is FLOAT64 and all(f is not None and _close(f, np.asarray(t.expected), FLOAT32)
                                    for f, t in zip(fitted, trials)):  # fmt: skip
        error = max(float(_max(_abs(f - t.expected))) / max(float(_max(_abs(t.expected))), 1e-300)
                    for f, t in zip(fitted, trials))  # fmt: skip
        return Verdict(False, f"{name} is right to float32 precision only (off by {error:.1g} of its size): part of it "
                              "was computed in float32; compute it all in float64, or return the float32 result",
                       about=name, mistake=DIFFERS)  # fmt: skip
    return Verdict(False, f"{name} {where(fitted[bad], expected, precision)}", about=name, mistake=DIFFERS)


def where(got, expected, precision=FLOAT64):
    """Which entry differs most from the right value, by how much, and how many entries differ."""
    error = _abs(got - expected)
    at = np.unravel_index(int(_argmax(error)), got.shape) if got.ndim else ()
    index = f"[{', '.join(map(str, at))}]" if at else ""
    right = float(expected[at])
    relative = f", {float(error[at]) / abs(right):.3g} times its size" if abs(right) > 1e-12 else ""
    rtol, atol = precision
    scale = max(float(_max(_abs(expected))) if expected.size else 0.0, 1.0)
    wrong = int(_sum(error > atol * scale + rtol * _abs(expected)))
    of = f"; {wrong} of {got.size} entries differ" if got.size > 1 else ""
    return (f"differs: {index or 'it'} is {float(got[at]) + 0.0:.6g} where {right + 0.0:.6g} is right "
            f"(off by {float(error[at]):.3g}{relative}){of}")  # fmt: skip


def combine(verdicts):
    """One verdict for several (the keys of a dict answer): right if all are; else the wrong ones' messages,
    an explanation shared by several keys said once ("dJdW1, dJdb1: ..."), the mistake the first one names."""
    if all(v.ok for v in verdicts):
        note = FLOAT32_NOTE if any(v.message.endswith(FLOAT32_NOTE) for v in verdicts) else ""
        return Verdict(True, f"{', '.join(v.about for v in verdicts)} match{note}")
    groups = {}  # (what is said, whether it is said of the key) -> the keys it is said of
    for v in verdicts:
        if not v.ok:
            named = bool(v.about) and v.message.startswith(f"{v.about}: ")
            groups.setdefault((v.message[len(v.about) + 2 :] if named else v.message, named), []).append(v.about)
    parts = [f"{', '.join(names)}: {text}" if named else text for (text, named), names in groups.items()]
    mistake = next(v.mistake for v in verdicts if not v.ok)
    return Verdict(False, cut("; ".join(parts)), mistake=mistake)


def answer_dict(answer, keys, name, renamed=None):
    """The student's dict answer, or a "not yet" naming the missing keys (and their new names, for a dict with
    the keys of ``renamed`` {old key: new key})."""
    if not isinstance(answer, dict):
        raise NotYet(f"{name} must return a dict with the keys {', '.join(keys)}, got {type(answer).__name__}", JUNK)
    missing = [k for k in keys if k not in answer]
    if missing:
        old = [f"{o} is now {n}" for o, n in (renamed or {}).items() if o in answer and n in missing]
        said = f" ({', '.join(old)})" if old else ""
        raise NotYet(f"{name} must return a dict with the keys {', '.join(keys)}; missing {', '.join(missing)}{said}",
                     JUNK)  # fmt: skip
    return answer


# --- grading ------------------------------------------------------------------------------------------


class NotPassed(Exception):
    """The hidden test of an exercise failed. ``str()`` of it is a JSON record {"exercise", "mistake", "message"},
    which nbgrader keeps as the error's value in the autograded notebook (``tools/misconceptions.py`` counts
    them); the cell shows only the verdict's message (:func:`show_verdicts`)."""

    def __init__(self, function, verdict):
        self.function, self.verdict = function, verdict
        record = {"exercise": function, "mistake": verdict.mistake or DIFFERS, "message": verdict.message}
        super().__init__(json.dumps(record))


def _show_verdict_only(shell, etype, value, tb, tb_offset=None):
    """IPython's handler for :class:`NotPassed`: the cell's error output is the verdict, not a traceback. IPython
    discards what a handler returns, so it shows it itself (ipykernel sends it as the cell's error)."""
    stb = [f"{etype.__name__}: {value.verdict}"]
    show = getattr(shell, "_showtraceback", None)
    if show is not None:
        show(etype, value, stb)
    else:
        print(stb[0], file=sys.stderr)
    return stb


def show_verdicts():
    """In IPython, show a :class:`NotPassed` as its verdict's message, not as a traceback; elsewhere nothing."""
    try:
        from IPython import get_ipython
    except ImportError:  # not in IPython
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((NotPassed,), _show_verdict_only)


def grade(function, fn):
    """The hidden test of the exercise whose student function is ``function``: its registered check (from the
    registry, not the student's namespace) on the grading probes. Returns None if it is right (so the grade cell
    shows nothing more), else raises :class:`NotPassed` with it."""
    verdict = EXERCISES[function].check(fn, probes="grading")
    if not verdict.ok:
        show_verdicts()
        raise NotPassed(function, verdict)


def with_message(verdict, message):
    """``verdict`` with another message (a right answer's summary), keeping the note of an answer in float32."""
    return replace(verdict, message=message + (FLOAT32_NOTE if verdict.message.endswith(FLOAT32_NOTE) else ""))
