"""Reading what a student types into a text box: lists of numbers and name=value pairs.

Input is bounded (length and count) and quoted back cut short, so a pasted novel neither hangs an
explorer nor floods the page with its own error message.
"""

from __future__ import annotations

import math

import numpy as np

from helpers._validate import short, text

MAX_TEXT = 1000
MAX_NUMBERS = 64


def parse_numbers(value, name="logits", max_count=MAX_NUMBERS):
    """'1, 2.5, -3' (commas and/or spaces) -> float64 array of shape (k,), 1 <= k <= max_count."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text such as '1, 2, 3', got {type(value).__name__}")
    text(value, name, MAX_TEXT)
    parts = value.replace(",", " ").split()
    if not parts:
        raise ValueError(f"{name} is empty: type numbers separated by commas, such as '1, 2, 3'")
    if len(parts) > max_count:
        raise ValueError(f"{name} must hold at most {max_count} numbers, got {len(parts)}")
    numbers = []
    for part in parts:
        try:
            numbers.append(float(part))
        except ValueError:
            raise ValueError(f"{name} must be numbers separated by commas; could not read {short(part, 30)}") from None
        if not math.isfinite(numbers[-1]):
            raise ValueError(f"{name} must be finite numbers, got {short(part, 30)}")
    return np.array(numbers)


def parse_assignments(value, name="values"):
    """'x=2, y=-3' -> {'x': 2.0, 'y': -3.0}; ValueError naming what could not be read."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text such as 'x=2, y=-3', got {type(value).__name__}")
    text(value, name, MAX_TEXT)
    out = {}
    for part in filter(None, (p.strip() for p in value.split(","))):
        key, sep, number = (s.strip() for s in part.partition("="))
        if not sep or not key.isidentifier():
            raise ValueError(f"{name} must look like 'x=2, y=-3'; could not read {short(part, 30)}")
        if key in out:
            raise ValueError(f"{name} must give each name once; {short(key, 30)} appears twice")
        try:
            out[key] = float(number)
        except ValueError:
            raise ValueError(f"the value of {key} must be a number; could not read {short(number, 30)}") from None
        if not math.isfinite(out[key]):
            raise ValueError(f"the value of {key} must be finite, got {short(number, 30)}")
    return out
