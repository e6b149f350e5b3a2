"""Self-checks of notebook 06: derivatives of the activations (1.5c)."""

from __future__ import annotations

import numpy as np

from helpers.activations import sigmoid, softplus
from helpers.selfcheck._core import call, check, diagnose


@check
def check_softplus_derivative(fn):
    """Problem 1.5(c): fn(x, beta) -> d/dx softplus_beta(x) = sigma(beta x); x: (k,)."""
    x, beta = np.linspace(-3, 3, 7), 2.0
    mistakes = [
        (sigmoid(x), "beta is missing: d/dx log(1 + e^(beta x)) / beta = sigma(beta x)"),
        (beta * sigmoid(beta * x), "an extra factor beta: the 1/beta in front cancels the beta of the chain rule"),
        (softplus(x, beta), "that is softplus itself, not its derivative"),
        (sigmoid(-beta * x), "sigma(-beta x) = 1 - sigma(beta x): the sign inside is flipped"),
    ]
    return diagnose("softplus'", call(fn, "softplus_derivative", x.copy(), beta), sigmoid(beta * x), mistakes)
