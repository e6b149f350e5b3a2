"""Self-checks of notebook 06: derivatives of the activations (1.5c)."""

from __future__ import annotations

import math

import numpy as np

from helpers.activations import d_gelu, sigmoid, softplus
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


@check
def check_gelu_derivative(fn):
    """Problem 1.5(c): fn(x) -> GELU'(x) = Phi(x) + x phi(x) (exact GELU, not the tanh form); x: (k,)."""
    x = np.linspace(-4, 4, 17)
    cdf = np.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in x])
    pdf = np.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)
    mistakes = [
        (cdf, "that is Phi(x) alone: GELU(x) = x Phi(x) is a product, so add x phi(x) (product rule)"),
        (x * pdf, "that is x phi(x) alone: the product rule also gives Phi(x)"),
        (cdf - x * pdf, "the sign of x phi(x) is flipped: d/dx Phi(x) = +phi(x)"),
        (pdf, "that is phi(x), the density; GELU'(x) = Phi(x) + x phi(x)"),
        (
            d_gelu(x, approximate="tanh"),
            "that is the derivative of the tanh approximation, off by up to 9e-4; differentiate the exact x Phi(x)",
        ),  # fmt: skip
    ]
    return diagnose("GELU'", call(fn, "gelu_derivative", x.copy()), cdf + x * pdf, mistakes)
