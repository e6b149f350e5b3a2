"""Input checks shared by every module: each error names the argument, what was expected and what came.

Messages quote what came in at most :data:`QUOTE` characters, so a million-character input never
floods a page.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

QUOTE = 60  # characters of a value quoted inside a message
MESSAGE_LENGTH = 200  # characters of a whole message shown to a student (a verdict, an explorer's error)


def cut(text: str, limit: int = MESSAGE_LENGTH) -> str:
    """``text``, cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def short(value, limit: int = QUOTE) -> str:
    """``repr(value)``, cut to ``limit`` characters with an ellipsis."""
    return cut(repr(value), limit)


def _what(value) -> str:
    """A short description of what came: the type, and for arrays the dtype."""
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype}"
    return type(value).__name__


def as_array(value, name: str, *, ndim: int | None = None, finite: bool = True) -> np.ndarray:
    """``value`` as a new float64 array of real numbers (never a view of the caller's array).

    Raises TypeError for text, None, booleans, complex or object entries; ValueError for the
    wrong number of dimensions and, when ``finite``, for NaN or inf. With ``finite=False`` NaN
    and inf pass through, so that they propagate instead of disappearing.
    """
    expected = f"{name} must be a real number or an array of real numbers"
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{expected}, got {_what(value)} {short(value, 30)}")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{expected}, got {_what(value)} ({exc})") from None
    if raw.dtype.kind not in "iuf":
        kinds = {"b": "booleans", "c": "complex numbers", "U": "text", "S": "bytes", "O": "objects"}
        got = kinds.get(raw.dtype.kind, f"dtype {raw.dtype}")
        raise TypeError(f"{expected}, got {got} ({short(value, 30)})")
    arr = np.array(raw, dtype=np.float64)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].ravel()[0]
        raise ValueError(f"{name} must be finite, got a non-finite entry ({bad})")
    return arr


def same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise a ValueError if two arrays differ in shape."""
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}")


def shape_is(arr: np.ndarray, shape: tuple, name: str) -> None:
    """Raise a ValueError unless ``arr.shape == shape`` (``None`` in ``shape`` matches any size)."""
    ok = arr.ndim == len(shape) and all(s is None or s == t for s, t in zip(shape, arr.shape))
    if not ok:
        want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + (",)" if len(shape) == 1 else ")")
        raise ValueError(f"{name} must have shape {want}, got {arr.shape}")


def labels_in(y: np.ndarray, allowed: tuple, name: str) -> None:
    """Raise a ValueError if ``y`` holds a value outside ``allowed``."""
    bad = ~np.isin(y, allowed)
    if np.any(bad):
        labels = ", ".join(str(float(a)) for a in allowed)
        raise ValueError(f"{name} must hold only the labels {{{labels}}}, got {float(y[bad].ravel()[0])}")


def in_interval(x: np.ndarray, lo: float, hi: float, name: str) -> None:
    """Raise a ValueError if ``x`` leaves the closed interval [lo, hi]."""
    bad = (x < lo) | (x > hi)
    if np.any(bad):
        raise ValueError(f"{name} must lie in [{lo}, {hi}], got {float(x[bad].ravel()[0])}")


def _finite_float(value, name: str, expected: str) -> float:
    """A real number (not a bool) as a finite float; an int too large for a float counts as infinite."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {expected}, got {_what(value)} {short(value, 30)}")
    try:
        out = float(value)
    except OverflowError:
        out = math.inf
    if not math.isfinite(out):
        raise ValueError(f"{name} must be a finite number, got {short(value, 30)}")
    return out


def real(value, name: str) -> float:
    """``value`` as a float if it is a finite real number (not a bool), else raise naming ``name``."""
    return _finite_float(value, name, "a real number")


def positive(value, name: str) -> float:
    """``value`` as a float if it is a finite number > 0, else raise naming ``name``."""
    out = _finite_float(value, name, "a real number > 0")
    if out <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {short(value, 30)}")
    return out


def between(value, lo: float, hi: float, name: str) -> float:
    """``value`` as a float if it is a real number in [lo, hi], else raise naming ``name``."""
    value = real(value, name)
    if not lo <= value <= hi:
        raise ValueError(f"{name} must lie in [{lo:g}, {hi:g}], got {value:g}")
    return value


def integer(value, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an int if it is an integer (not a bool, not 3.5 or '3') in [``minimum``, ``maximum``]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_what(value)} {short(value, 30)}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {short(value, 30)}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be an integer <= {maximum:_}, got {short(value, 30)}")
    return int(value)


def boolean(value, name: str) -> bool:
    """``value`` if it is True or False (not 1, not 'yes'), else a TypeError naming ``name``."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {_what(value)} {short(value, 30)}")
    return value


def one_of(value, choices: tuple, name: str):
    """Raise a ValueError unless ``value`` is one of ``choices``."""
    if not isinstance(value, (str, int, float, type(None))) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {short(value, 30)}")
    return value


def text(value, name: str, max_length: int) -> str:
    """``value`` if it is a string of at most ``max_length`` characters, else raise naming ``name``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text, got {_what(value)}")
    if len(value) > max_length:
        raise ValueError(f"{name} must be at most {max_length} characters, got {len(value)}")
    return value
