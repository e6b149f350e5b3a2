"""Check of notebook 05: a stable softmax with a temperature (1.5a)."""

from __future__ import annotations

import numpy as np

from helpers import activations
from helpers.activations import softmax
from helpers.selfcheck._core import SEEDS, Answer, Trial, exercise, judge, numbers, read, run
from helpers.verdict import Verdict

SOFTMAX_MISTAKES = {
    "times-T": "multiplied by T: softmax(z / T) divides the logits by the temperature",
    "no-T": "the temperature is missing: divide the logits by T",
    "columns": "normalised down the columns: each row (the last axis) must sum to 1",
    "batch-sum": "divided by the sum over the whole batch: each row must sum to 1 on its own, "
    "e / e.sum(axis=-1, keepdims=True)",
    "no-keepdims": "e / e.sum(axis=-1) divides column j by the sum of row j: keep the summed axis, "
    "e / e.sum(axis=-1, keepdims=True)",
    "log-softmax": "those are the log-probabilities, log softmax(z / T); softmax is their exponential",
}
#: The mistakes told by the rows where the answer is NaN or inf (over all the probes, with T = 0.5, 2 and 3).
ROW_MISTAKES = {
    "overflow": "softmax gives NaN or inf for the logits [1000, 1001, 1002] with T = {T:g}: e^(1000 / T) "
    "overflows; subtract each row's maximum of z / T before exponentiating, so that every exponent is <= 0",
    "batch-max": "softmax gives NaN for the row {row} with T = {T:g}: subtracting the maximum of the whole batch (or "
    "of a column) makes every exponential of that row underflow to 0, and 0/0 is NaN; subtract each row's own maximum",
    "mean-or-min": "softmax gives NaN or inf for a row whose logits spread by 1600 / T: subtracting the row's mean or "
    "minimum leaves exponents up to e^800, which overflow; subtract the row's maximum, so that every exponent is <= 0",
}


def _logits(seed):
    """Rows the typical mistakes fail on: close logits, [1000, 1001, 1002], and logits spread by 1600 T."""
    rng = np.random.default_rng(seed)
    T = (0.5, 2.0, 3.0)[seed % 3]
    spread = np.array([0.0, 800.0, 1600.0]) * T + rng.uniform(-1, 1, 3)
    return np.stack([[1.0, 2.0, 0.5] + rng.uniform(-0.3, 0.3, 3), [1000.0, 1001.0, 1002.0], spread]), T


def _row_mistake(failing):
    """The verdict on answers with NaN or inf rows, from [(z, T, the answer)] of every probe: row 0 (close logits)
    is NaN (0/0) only if more than the row's maximum was subtracted; row 1 ([1000, 1001, 1002])
    overflows at T = 0.5 unless the maximum of z / T was; row 2 (spread by 1600 T) overflows unless it was."""
    failing = [(z, T, values, ~np.all(np.isfinite(values), axis=1)) for z, T, values in failing]
    for z, T, values, _ in failing:
        if np.any(np.isnan(values[0])):
            row = "[" + ", ".join(f"{v:.3g}" for v in z[0]) + "]"
            return "batch-max", ROW_MISTAKES["batch-max"].format(row=row, T=T)
    for _, T, _, rows in failing:
        if rows[1]:
            return "overflow", ROW_MISTAKES["overflow"].format(T=T)
    if all(rows[2] for *_, rows in failing) and len(failing) == len(SEEDS["practice"]):
        return "mean-or-min", ROW_MISTAKES["mean-or-min"]
    return None


@exercise("my_softmax", forbidden=((activations._shifted_logits, "helpers.activations.softmax"),))
def check_my_softmax(fn, probes="practice"):
    """Problem 1.5(a): fn(z, temperature) -> softmax(z / T) along the last axis, each row summing to 1; z: (N, K),
    any finite logits, however large or spread (it must not overflow, nor divide 0 by 0). Tried on rows of close
    logits, on [1000, 1001, 1002], and on logits spread by 1600 T, with T = 0.5, 2 and 3."""
    answers, failing = [], []
    for seed in SEEDS[probes]:
        z, T = _logits(seed)
        raw = run(fn, "my_softmax", {"z": z, "temperature": T})[0]
        values, single = numbers(raw, "softmax")  # NaN and inf kept: which rows they are in tells the mistake
        if values.shape == z.shape and not np.all(np.isfinite(values)):
            failing.append((z, T, values))
        answers.append((z, T, values, single))
    if failing:
        named = _row_mistake(failing)
        if named:
            return Verdict(False, named[1], about="softmax", mistake=named[0])
    trials = []
    for z, T, values, single in answers:
        answer = Answer(read(values, "softmax").values, single)
        s = z / T
        e = np.exp(s - s.max(axis=-1, keepdims=True))
        mistakes = {"times-T": softmax(z * T), "no-T": softmax(z), "columns": softmax(z, T, axis=0),
                    "batch-sum": e / e.sum(), "no-keepdims": e / e.sum(axis=-1),
                    "log-softmax": activations.log_softmax(z, T)}  # fmt: skip
        trials.append(Trial(answer, softmax(z, T), mistakes))
    return judge("softmax", trials, SOFTMAX_MISTAKES)
