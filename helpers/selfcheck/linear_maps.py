"""Self-checks of notebook 07: linear maps and stacked layers (1.5d)."""

from __future__ import annotations

import numpy as np

from helpers import linear
from helpers.selfcheck._core import NotYet, call, check, diagnose


@check
def check_reflection(fn):
    """Problem 1.5(d): fn(phi) -> the 2x2 reflection across the line through 0 at angle phi (radians)."""
    phi = 0.4
    c, s = np.cos(phi), np.sin(phi)
    mistakes = [
        (
            np.array([[c, s], [s, -c]]),
            "uses phi where the matrix needs 2 phi: [[cos 2phi, sin 2phi], [sin 2phi, -cos 2phi]]",
        ),
        (linear.rotation(2 * phi), "that is a rotation by 2 phi (det +1); a reflection has det -1"),
        (-linear.reflection(phi), "reflects across the perpendicular line (angle phi + 90 degrees)"),
        (np.array([[1.0, 0.0], [0.0, -1.0]]), "ignores phi: that is the reflection across the x-axis only"),
    ]
    return diagnose("reflection", call(fn, "reflection", phi), linear.reflection(phi), mistakes)


@check
def check_collapse(fn):
    """Problem 1.5(d): fn(W1, b1, W2, b2) -> (W, b) with W x + b = W2 (W1 x + b1) + b2; all 2x2 and (2,)."""
    rng = np.random.default_rng(3)
    W1, W2 = rng.standard_normal((2, 2, 2))
    b1, b2 = rng.standard_normal((2, 2))
    answer = call(fn, "collapse", W1.copy(), b1.copy(), W2.copy(), b2.copy())
    if not (isinstance(answer, (tuple, list)) and len(answer) == 2):
        raise NotYet(f"collapse must return a pair (W, b), got {type(answer).__name__}")
    W, b = answer
    verdict = diagnose(
        "W", W, W2 @ W1, [(W1 @ W2, "the product is in the wrong order: the second layer acts last, W = W2 W1")]
    )
    if not verdict.ok:
        return verdict
    mistakes = [
        (b1 + b2, "W2 acts on b1 too: b = W2 b1 + b2"),
        (W2 @ b1, "b2 is missing: b = W2 b1 + b2"),
        (W1 @ b2 + b1, "the layers are swapped in the bias: b = W2 b1 + b2"),
    ]
    verdict = diagnose("b", b, W2 @ b1 + b2, mistakes)
    if verdict.ok:
        verdict.message = "W = W2 W1 and b = W2 b1 + b2: two affine layers are one"
    return verdict
