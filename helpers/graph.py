"""Deprecated alias of :mod:`helpers.computational_graph`, its name before 0.2.0; it goes in 0.3.0.

Student editions handed out before 0.2.0 import this name; they keep working, with a warning.
"""

import warnings

from helpers.computational_graph import *  # noqa: F403

warnings.warn(
    "helpers.graph is now helpers.computational_graph; the old name goes in backprop-notebooks 0.3.0",
    FutureWarning,
    stacklevel=2,
)
