"""Self-checks of notebook 04: the losses behind the perceptron, Adaline and tanh-logistic rules (1.4)."""

from __future__ import annotations

import numpy as np

from helpers.activations import sigmoid
from helpers.selfcheck._core import call, check, diagnose


@check
def check_tanh_logistic_gradient(fn, seed=0):
    """Problem 1.4: fn(w, b, x, y) -> dl/dw of the tanh-logistic loss for one sample; w, x: (d,), y = +-1."""
    rng = np.random.default_rng(seed)
    w, x, b, y = rng.standard_normal(3), rng.standard_normal(3), 0.3, -1.0
    z = b + w @ x
    r = y - np.tanh(z)
    mistakes = [
        (r * x, "the sign is flipped: descent must give w + eta (y - y_hat) x, so dl/dw = -(y - y_hat) x"),
        (-r * (1 - np.tanh(z) ** 2) * x, "an extra tanh'(z): the loss was built so that dl/dz = -(y - tanh z) exactly"),
        (-(y - sigmoid(z)) * x, "y_hat is tanh(z) here, not the sigmoid"),
    ]
    answer = call(fn, "tanh_logistic_gradient", w.copy(), b, x.copy(), y)
    return diagnose("dl/dw", answer, -r * x, mistakes)
