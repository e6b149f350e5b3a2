"""Checks of notebook 06: the derivatives of Softplus and GELU (1.5c)."""

from __future__ import annotations

import math

import numpy as np

from helpers import activations
from helpers.activations import sigmoid, softplus
from helpers.gradcheck import numerical_gradient
from helpers.selfcheck._core import SEEDS, Trial, exercise, judge, read, run

SOFTPLUS_MISTAKES = {
    "no-beta": "beta is missing: d/dx log(1 + e^(beta x)) / beta = sigma(beta x)",
    "extra-beta": "an extra factor beta: the 1/beta in front cancels the beta of the chain rule",
    "softplus-itself": "that is softplus itself, not its derivative",
    "sign": "sigma(-beta x) = 1 - sigma(beta x): the sign inside is flipped",
    "beta-divides": "sigma(x / beta): beta multiplies x inside, e^(beta x)",
    "no-chain-beta": "sigma(beta x) / beta: the chain rule's d(beta x)/dx = beta cancels the 1/beta in front",
    "sigmoid-derivative": "that is beta sigma'(beta x), the derivative of sigma(beta x): one derivative too many; "
    "d/dx Softplus_beta(x) = sigma(beta x)",
}


@exercise("softplus_derivative", forbidden=((activations._d_softplus, "helpers.activations.d_softplus"),
                                            numerical_gradient))  # fmt: skip
def check_softplus_derivative(fn, probes="practice"):
    """Problem 1.5(c): fn(x, beta) -> d/dx Softplus_beta(x), the smooth one (no threshold), for x of shape (k,);
    the same shape (a row or column is accepted). Tried on x from -6 to 6 with beta = 0.5, 2 and 3."""
    trials = []
    for seed, beta in zip(SEEDS[probes], (0.5, 2.0, 3.0)):
        x = np.linspace(-6, 6, 13) + np.random.default_rng(seed).uniform(-0.2, 0.2, 13)
        answer = read(run(fn, "softplus_derivative", {"x": x, "beta": beta})[0], "Softplus'")
        mistakes = {"no-beta": sigmoid(x), "extra-beta": beta * sigmoid(beta * x),
                    "softplus-itself": softplus(x, beta, threshold=np.inf), "sign": sigmoid(-beta * x),
                    "beta-divides": sigmoid(x / beta), "no-chain-beta": sigmoid(beta * x) / beta,
                    "sigmoid-derivative": beta * sigmoid(beta * x) * sigmoid(-beta * x)}  # fmt: skip
        trials.append(Trial(answer, sigmoid(beta * x), mistakes))
    return judge("Softplus'", trials, SOFTPLUS_MISTAKES, layout_free=True)


GELU_MISTAKES = {
    "Phi-only": "that is Phi(x) alone: GELU(x) = x Phi(x) is a product, so add x phi(x) (product rule)",
    "x-phi-only": "that is x phi(x) alone: the product rule also gives Phi(x)",
    "sign": "the sign of x phi(x) is flipped: d/dx Phi(x) = +phi(x)",
    "density": "that is phi(x), the density; GELU'(x) = Phi(x) + x phi(x)",
    "tanh-approximation": "that is the derivative of the tanh approximation, off by up to 9e-4; differentiate the "
    "exact x Phi(x)",
    "gelu-itself": "that is GELU itself, x Phi(x), not its derivative",
    "no-normalisation": "phi(x) = e^(-x^2 / 2) / sqrt(2 pi): the 1 / sqrt(2 pi) is missing",
    "erf-without-sqrt2": "Phi(x) = (1 + erf(x / sqrt 2)) / 2: the sqrt 2 inside erf is missing",
}


@exercise("gelu_derivative", forbidden=((activations._d_gelu, "helpers.activations.d_gelu"), numerical_gradient))
def check_gelu_derivative(fn, probes="practice"):
    """Problem 1.5(c): fn(x) -> GELU'(x) = Phi(x) + x phi(x) of the exact GELU (not its tanh form), x of shape (k,);
    the same shape (a row or column is accepted). Tried on x from -4 to 4."""
    trials = []
    for seed in SEEDS[probes]:
        x = np.linspace(-4, 4, 17) + np.random.default_rng(seed).uniform(-0.1, 0.1, 17)
        answer = read(run(fn, "gelu_derivative", {"x": x})[0], "GELU'")
        cdf = np.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in x])
        pdf = np.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)
        mistakes = {"Phi-only": cdf, "x-phi-only": x * pdf, "sign": cdf - x * pdf, "density": pdf,
                    "tanh-approximation": activations._d_gelu(x, "tanh"), "gelu-itself": x * cdf,
                    "no-normalisation": cdf + x * np.exp(-0.5 * x**2),
                    "erf-without-sqrt2": np.array([0.5 * math.erfc(-v) for v in x]) + x * pdf}  # fmt: skip
        trials.append(Trial(answer, cdf + x * pdf, mistakes))
    return judge("GELU'", trials, GELU_MISTAKES, layout_free=True)
