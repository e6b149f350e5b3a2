"""Self-checks of notebook 07: linear maps and stacked layers (1.5d)."""

from __future__ import annotations

import numpy as np

from helpers import linear
from helpers.selfcheck._core import call, check, diagnose


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
