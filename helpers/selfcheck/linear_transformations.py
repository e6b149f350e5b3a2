"""Checks of notebook 07: a reflection matrix and two affine layers collapsed into one (1.5d)."""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from helpers import linear_transformations
from helpers.linear_transformations import reflection, rotation
from helpers.selfcheck._core import JUNK, SEEDS, NotYet, Trial, combine, exercise, judge, read, run, with_message

REFLECTION_MISTAKES = {
    "phi-not-2phi": "uses phi where the matrix needs 2 phi: [[cos 2phi, sin 2phi], [sin 2phi, -cos 2phi]]",
    "rotation": "that is a rotation by 2 phi (det +1); a reflection has det -1",
    "perpendicular": "reflects across the perpendicular line (angle phi + 90 degrees)",
    "x-axis": "ignores phi: that is the reflection across the x-axis only",
    "degrees": "phi is already in radians: it was converted again, as if it were degrees",
    "minus-phi": "that reflects across the line at angle -phi: the off-diagonal entries are +sin 2phi",
}
PHIS = MappingProxyType({"practice": (0.4, 1.1, -0.7), "grading": (0.9, 2.0, -1.3)})


@exercise("reflection", forbidden=(linear_transformations.reflection,))
def check_reflection(fn, probes="practice"):
    """Problem 1.5(d): fn(phi) -> the 2x2 reflection across the line through 0 at angle phi (radians).
    Tried at three angles."""
    trials = []
    for phi in PHIS[probes]:
        answer = read(run(fn, "reflection", {"phi": phi})[0], "reflection")
        c, s = np.cos(phi), np.sin(phi)
        mistakes = {"phi-not-2phi": np.array([[c, s], [s, -c]]), "rotation": rotation(2 * phi),
                    "perpendicular": -reflection(phi), "x-axis": np.array([[1.0, 0.0], [0.0, -1.0]]),
                    "degrees": reflection(np.deg2rad(phi)), "minus-phi": reflection(-phi)}  # fmt: skip
        trials.append(Trial(answer, reflection(phi), mistakes))
    return judge("reflection", trials, REFLECTION_MISTAKES)


COLLAPSE_MISTAKES = {
    "W": {
        "order": "the product is in the wrong order: the second layer acts last, W = W2 W1",
        "elementwise": "W2 * W1 multiplies entry by entry; composing the layers is the matrix product W2 @ W1",
    },
    "b": {
        "b1-plus-b2": "W2 acts on b1 too: b = W2 b1 + b2",
        "no-b2": "b2 is missing: b = W2 b1 + b2",
        "swapped": "the layers are swapped in the bias: b = W2 b1 + b2",
        "W2-on-both": "b2 is added after the second layer: W2 acts on b1 only, b = W2 b1 + b2",
        "row-convention": "b1 @ W2 is W2^T b1: with column vectors, as W x + b, b1 goes through W2: b = W2 @ b1 + b2",
    },
}


@exercise("collapse", forbidden=(linear_transformations.collapse,))
def check_collapse(fn, probes="practice"):
    """Problem 1.5(d): fn(W1, b1, W2, b2) -> the pair (W, b) with W x + b = W2 (W1 x + b1) + b2 for every x;
    W1, W2: (n, n), b1, b2: (n,). Tried with n = 2, 3 and 4."""
    W_trials, b_trials = [], []
    for seed, n in zip(SEEDS[probes], (2, 3, 4)):
        rng = np.random.default_rng(seed)
        W1, W2 = rng.standard_normal((2, n, n))
        b1, b2 = rng.standard_normal((2, n))
        answer = run(fn, "collapse", {"W1": W1, "b1": b1, "W2": W2, "b2": b2})[0]
        if not (isinstance(answer, (tuple, list)) and len(answer) == 2):
            raise NotYet(f"collapse must return a pair (W, b), got {type(answer).__name__}", JUNK)
        W, b = read(answer[0], "W"), read(answer[1], "b")
        W_trials.append(Trial(W, W2 @ W1, {"order": W1 @ W2, "elementwise": W2 * W1}))
        b_trials.append(
            Trial(
                b,
                W2 @ b1 + b2,
                {
                    "b1-plus-b2": b1 + b2,
                    "no-b2": W2 @ b1,
                    "swapped": W1 @ b2 + b1,
                    "W2-on-both": W2 @ (b1 + b2),
                    "row-convention": W2.T @ b1 + b2,
                },
            )
        )
    verdict = combine([judge("W", W_trials, COLLAPSE_MISTAKES["W"]),
                       judge("b", b_trials, COLLAPSE_MISTAKES["b"], layout_free=True)])  # fmt: skip
    if verdict.ok:
        verdict = with_message(verdict, "W = W2 W1 and b = W2 b1 + b2: two affine layers are one")
    return verdict
