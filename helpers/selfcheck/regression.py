"""Self-checks of notebook 02: the forward pass (1.2b), backward pass (1.2c) and Jacobians (1.2d)."""

from __future__ import annotations

from functools import partial

import numpy as np

from helpers import losses
from helpers.activations import get_activation
from helpers.homework import MLP
from helpers.jacobians import mlp_jacobians, parameter_gradients
from helpers.selfcheck._core import answer_dict, call, check, diagnose, report


def _problem(seed):
    """The 1.2 network (f = 5 ReLU, g = identity, n = 3, h = 4, K = 2) and one sample."""
    net = MLP(3, 4, get_activation("scaled_relu", scale=5.0), 4, 2, "identity", seed=seed)
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal(3), rng.standard_normal(2)
    return net, x, y, mlp_jacobians(net, x, y, partial(losses.mse, reduction="sum"))


@check
def check_regression_backward(fn, seed=0):
    """Problem 1.2(c): fn(x, y, W1, b1, W2, b2) -> dict dW1, db1, dW2, db2 for one sample.

    f = 5 ReLU, g = identity, loss ||y_hat - y||^2; x: (n,), y: (K,), W1: (h, n), W2: (K, h).
    Each gradient is shaped like its parameter (what the descent step subtracts, PyTorch's W.grad).
    """
    net, x, y, jac = _problem(seed)
    grads = parameter_gradients(jac)
    answer = call(
        fn, "backward_one_sample", x.copy(), y.copy(), *(net.parameters[k].copy() for k in ("W1", "b1", "W2", "b2"))
    )
    answer = answer_dict(answer, ("dW1", "db1", "dW2", "db2"), "backward_one_sample")
    mistakes = {
        "dW2": [(grads["W2"] / 5, "5 times too small: z2 = 5 ReLU(z1), not ReLU(z1)")],
        "dW1": [(grads["W1"] / 5, "off by a factor 5: f = 5 ReLU, so f'(z1) = 5 * 1[z1 > 0]")],
        "db1": [(grads["b1"] / 5, "off by a factor 5: f = 5 ReLU, so f'(z1) = 5 * 1[z1 > 0]")],
    }
    transposed = {
        "dW2": "dW2 has the shape of W2.T: that is the numerator-layout dl/dW2 = z2 dl/dz3; "
        "the step needs its transpose, shaped like W2: dl/dz3^T z2^T",
        "dW1": "dW1 has the shape of W1.T: the step needs the gradient shaped like W1: dl/dz1^T x^T",
    }
    verdicts = []
    for key in ("dW1", "db1", "dW2", "db2"):
        expected = grads[key[1:]]
        common = [
            (expected / 2, "missing the factor 2 of the squared error"),
            (-expected, "the sign is flipped: dl/dy_hat = 2 (y_hat - y), not 2 (y - y_hat)"),
        ]
        verdicts.append(diagnose(key, answer[key], expected, mistakes.get(key, []) + common,
                                 transposed_message=transposed.get(key)))  # fmt: skip
    return report(verdicts)
