"""Self-checks of notebook 05: softmax with a temperature (1.5a)."""

from __future__ import annotations

import numpy as np

from helpers.activations import softmax
from helpers.selfcheck._core import Verdict, call, check, diagnose


@check
def check_softmax(fn):
    """Problem 1.5(a): fn(z, temperature) -> softmax(z / T) along the last axis; z: (N, K)."""
    z = np.array([[1.0, 2.0, 0.5], [1000.0, 1001.0, 1002.0]])
    t = 0.5
    with np.errstate(all="ignore"):
        answer = call(fn, "my_softmax", z.copy(), t)
        e = np.exp(z - z.max(axis=0))
    try:
        finite = np.isfinite(np.asarray(answer, dtype=np.float64))
    except (TypeError, ValueError):
        finite = None  # not numbers at all: diagnose says what it is
    if finite is not None and finite.shape == z.shape and not finite.all():
        if not finite[1].all():
            return Verdict(False, "softmax gives NaN or inf for the logits [1000, 1001, 1002]: e^1000 overflows; "
                                  "subtract each row's maximum before exponentiating")  # fmt: skip
        return Verdict(False, "softmax gives NaN for the row [1, 2, 0.5]: subtracting the maximum of the whole "
                              "batch (1002) makes every e^(z - 1002) of that row underflow to 0, and 0/0 is NaN; "
                              "subtract each row's own maximum")  # fmt: skip
    mistakes = [
        (softmax(z * t), "multiplied by T: softmax(z / T) divides the logits by the temperature"),
        (softmax(z), "the temperature is missing: divide the logits by T"),
        (e / e.sum(axis=0), "normalised down the columns: each row (the last axis) must sum to 1"),
    ]
    return diagnose("softmax", answer, softmax(z, t), mistakes)
