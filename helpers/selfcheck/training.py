"""Self-checks of notebook 01: the five SGD steps (1.2a) and the gradient of the MSE objective (1.5e)."""

from __future__ import annotations

import numpy as np

from helpers.selfcheck._core import call, check, diagnose


@check
def check_objective_gradient(fn, seed=0):
    """Problem 1.5(e): fn(y_hat, y) -> dJ/dy_hat of J = 1/N sum_i ||y_hat_i - y_i||^2; y_hat, y: (N, K)."""
    rng = np.random.default_rng(seed)
    y_hat, y = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    n, k = y.shape
    r = y_hat - y
    mistakes = [
        (r / n, "missing the factor 2 of the squared error"),
        (2 * r / (n * k), "divided by N*K, PyTorch's mean over all entries; J averages over the N samples only"),
        (2 * r, "missing the 1/N of the mean over the dataset"),
        (-2 * r / n, "the sign is flipped: d(y_hat - y)^2 / dy_hat = +2 (y_hat - y)"),
    ]
    answer = call(fn, "objective_gradient", y_hat.copy(), y.copy())
    return diagnose("dJ/dy_hat", answer, 2 * r / n, mistakes)
