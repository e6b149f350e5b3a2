"""Input checks shared by every module: each error names the argument, what was expected and what came."""

from __future__ import annotations

import numbers

import numpy as np


def as_array(value, name: str, *, ndim: int | None = None) -> np.ndarray:
    """Return ``value`` as a finite float64 array, or raise a TypeError/ValueError naming ``name``."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a number or an array of numbers, got {type(value).__name__}")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a number or an array of numbers, got {type(value).__name__}") from exc
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
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
        want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
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


def positive(value, name: str) -> float:
    """Return ``value`` as a float if it is a finite number > 0, else raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number > 0, got {type(value).__name__}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def one_of(value, choices: tuple, name: str):
    """Raise a ValueError unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return value
