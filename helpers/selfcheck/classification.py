"""Self-checks of notebook 03: tanh/sigmoid with MSE (1.3a) and BCE (1.3b), and deep stacks (1.3c)."""

from __future__ import annotations

import numpy as np

from helpers.activations import sigmoid
from helpers.selfcheck._core import call, check, diagnose


@check
def check_bce_output_gradient(fn, seed=0):
    """Problem 1.3(b): fn(y_hat, y) -> dl/dz3 for one sample, l = mean over K of BCE(sigma(z3), y); shapes (K,)."""
    rng = np.random.default_rng(seed)
    y_hat = sigmoid(2 * rng.standard_normal(4))
    y = np.array([0.0, 1.0, 1.0, 0.0])
    k = y.size
    mistakes = [
        (y_hat - y, "missing the 1/K of the mean over the K outputs"),
        (
            (y_hat - y) * y_hat * (1 - y_hat) / k,
            "multiplied by sigma'(z3) again: it already cancelled the 1/(y_hat (1 - y_hat)) of dl/dy_hat",
        ),
        ((y - y_hat) / k, "the sign is flipped: dl/dz3 = (y_hat - y) / K"),
        ((y_hat - y) / (y_hat * (1 - y_hat)) / k, "that is dl/dy_hat; multiply by dy_hat/dz3 = y_hat (1 - y_hat)"),
    ]
    answer = call(fn, "bce_output_gradient", y_hat.copy(), y.copy())
    return diagnose("dl/dz3", answer, (y_hat - y) / k, mistakes)
