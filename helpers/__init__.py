"""backprop-notebooks helpers: the shared code of the notebooks.

``import helpers`` loads numpy only; ``helpers.symbolic`` (sympy), ``helpers.plotting`` and
``helpers.widgets`` (matplotlib, ipywidgets) load when first used.
"""

from __future__ import annotations

import importlib

from helpers.network import MLP, Network, bce_loss, mse_loss

__all__ = ["MLP", "Network", "bce_loss", "mse_loss"]

_LAZY = {"symbolic", "plotting", "widgets"}


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f"helpers.{name}")
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
