"""Check of notebook 05: a stable softmax with a temperature (1.5a)."""

from __future__ import annotations

import numpy as np

from helpers import activations
from helpers.activations import softmax
from helpers.selfcheck._core import SEEDS, Trial, exercise, judge, read, run
from helpers.verdict import Verdict

SOFTMAX_MISTAKES = {
    "times-T": "multiplied by T: softmax(z / T) divides the logits by the temperature",
    "no-T": "the temperature is missing: divide the logits by T",
    "columns": "normalised down the columns: each row (the last axis) must sum to 1",
}
ROW_MESSAGES = {
    "overflow": "softmax gives NaN or inf for the logits [1000, 1001, 1002]: e^1000 overflows; subtract each row's "
    "maximum before exponentiating",
    "batch-max": "softmax gives NaN for the row [1, 2, 0.5]: subtracting the maximum of the whole batch makes every "
    "exponential of that row underflow to 0, and 0/0 is NaN; subtract each row's own maximum",
    "mean-or-min": "softmax gives NaN or inf for a row whose logits spread by 1600 / T: subtracting the row's mean or "
    "minimum leaves exponents up to e^800, which overflow; subtract the row's maximum, so that every exponent is <= 0",
}


def _logits(seed):
    """Rows the typical mistakes fail on: close logits, [1000, 1001, 1002], and logits spread by 1600 T."""
    rng = np.random.default_rng(seed)
    T = (0.5, 2.0, 3.0)[seed % 3]
    spread = np.array([0.0, 800.0, 1600.0]) * T + rng.uniform(-1, 1, 3)
    return np.stack([[1.0, 2.0, 0.5] + rng.uniform(-0.3, 0.3, 3), [1000.0, 1001.0, 1002.0], spread]), T


@exercise("my_softmax", forbidden=((activations._shifted_logits, "helpers.activations.softmax"),))
def check_my_softmax(fn, probes="practice"):
    """Problem 1.5(a): fn(z, temperature) -> softmax(z / T) along the last axis, each row summing to 1; z: (N, K),
    any finite logits, however large or spread (it must not overflow, nor divide 0 by 0). Tried on rows of close
    logits, on [1000, 1001, 1002], and on logits spread by 1600 T, with T = 0.5, 2 and 3."""
    trials = []
    for seed in SEEDS[probes]:
        z, T = _logits(seed)
        raw = run(fn, "my_softmax", {"z": z, "temperature": T})[0]
        with np.errstate(all="ignore"):
            try:
                finite = np.isfinite(np.asarray(raw, dtype=np.float64))
            except (TypeError, ValueError):
                finite = None  # not numbers at all: read says what it is
        if finite is not None and finite.shape == z.shape and not finite.all():
            row = "overflow" if not finite[1].all() else ("batch-max" if not finite[0].all() else "mean-or-min")
            return Verdict(False, ROW_MESSAGES[row], about="softmax", mistake=row)
        answer = read(raw, "softmax")
        e = np.exp(z - z.max(axis=0))
        mistakes = {"times-T": softmax(z * T), "no-T": softmax(z), "columns": e / e.sum(axis=0)}
        trials.append(Trial(answer, softmax(z, T), mistakes))
    return judge("softmax", trials, SOFTMAX_MISTAKES)
