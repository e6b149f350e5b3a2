"""Deprecated alias of :mod:`helpers.loss_derivation`, its name before 0.2.0; it goes in 0.3.0.

Student editions handed out before 0.2.0 import this name; they keep working, with a warning.
"""

import warnings

from helpers.loss_derivation import *  # noqa: F403

warnings.warn(
    "helpers.rules is now helpers.loss_derivation; the old name goes in backprop-notebooks 0.3.0",
    FutureWarning,
    stacklevel=2,
)
