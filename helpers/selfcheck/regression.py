"""Self-checks of notebook 02: the forward pass (1.2b), backward pass (1.2c) and Jacobians (1.2d).

The backward checks of notebook 03 (1.3a) reuse :func:`backward_verdict`.
"""

from __future__ import annotations

import numpy as np

from helpers.activations import relu
from helpers.answers import PROBLEMS
from helpers.jacobians import mlp_jacobians, parameter_gradients
from helpers.selfcheck._core import answer_dict, call, check, diagnose, report

KEYS = ("dW1", "db1", "dW2", "db2")


def sample(problem, seed):
    """The network of ``problem`` (n = 3, h = 4, K = 2) with its parameters, and one sample (x, y)."""
    p = PROBLEMS[problem]
    net = p.net(3, 4, 2, seed=seed)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(3)
    y = rng.standard_normal(2) if p.loss == "mse" else np.array([1.0, 0.0])
    return net, x, y


def chain(x, W1, b1, W2, f, f_prime, g_prime, dl_dy_hat):
    """The four gradients (shaped like their parameters) from the pieces of the chain, for one sample.

    f, f_prime: arrays f(z1) and f'(z1) (h,); g_prime: g'(z3) (K,); dl_dy_hat: (K,).
    Self-checks build a typical mistake by handing in a wrong piece.
    """
    dl_dz3 = dl_dy_hat * g_prime
    dl_dz1 = (W2.T @ dl_dz3) * f_prime
    return {"dW1": np.outer(dl_dz1, x), "db1": dl_dz1, "dW2": np.outer(dl_dz3, f), "db2": dl_dz3}


TRANSPOSED = {
    "dW2": "dW2 has the shape of W2.T: that is the numerator-layout dl/dW2 = z2 dl/dz3; "
    "the step needs its transpose, shaped like W2: dl/dz3^T z2^T",
    "dW1": "dW1 has the shape of W1.T: the step needs the gradient shaped like W1: dl/dz1^T x^T",
}


def backward_verdict(fn, name, problem, mistakes_of, seed):
    """Run ``fn(x, y, W1, b1, W2, b2)`` on one sample of ``problem`` and compare its dict dW1, db1, dW2, db2.

    mistakes_of(net, x, y, jac) -> {key: [(wrong value, message), ...]} names the typical mistakes.
    """
    net, x, y = sample(problem, seed)
    jac = mlp_jacobians(net, x, y, PROBLEMS[problem].loss_fn())
    grads = {f"d{k}": v for k, v in parameter_gradients(jac).items()}
    params = (net.parameters[k].copy() for k in ("W1", "b1", "W2", "b2"))
    answer = answer_dict(call(fn, name, x.copy(), y.copy(), *params), KEYS, name)
    mistakes = mistakes_of(net, x, y, jac)
    verdicts = [
        diagnose(k, answer[k], grads[k], mistakes.get(k, []), transposed_message=TRANSPOSED.get(k)) for k in KEYS
    ]
    return report(verdicts)


def _regression_mistakes(net, x, y, jac):
    W1, b1, W2, _ = net.parameters.values()
    z1, z2 = jac["z1"], jac["z2"]
    step = (z1 > 0).astype(float)
    dl_dy_hat = jac["dl_dy_hat"][0]
    wrong = {
        "off by a factor 5: f = 5 ReLU, so f'(z1) = 5 * 1[z1 > 0]": chain(x, W1, b1, W2, z2, step, 1, dl_dy_hat),
        "z2 = 5 ReLU(z1), not ReLU(z1)": chain(x, W1, b1, W2, relu(z1), 5 * step, 1, dl_dy_hat),
        "missing the factor 2 of the squared error": chain(x, W1, b1, W2, z2, 5 * step, 1, dl_dy_hat / 2),
        "the sign is flipped: dl/dy_hat = 2 (y_hat - y), not 2 (y - y_hat)": chain(
            x, W1, b1, W2, z2, 5 * step, 1, -dl_dy_hat
        ),
    }
    return {k: [(grads[k], message) for message, grads in wrong.items()] for k in KEYS}


@check
def check_regression_backward(fn, seed=0):
    """Problem 1.2(c): fn(x, y, W1, b1, W2, b2) -> dict dW1, db1, dW2, db2 for one sample.

    f = 5 ReLU, g = identity, loss ||y_hat - y||^2; x: (n,), y: (K,), W1: (h, n), W2: (K, h).
    Each gradient is shaped like its parameter (what the descent step subtracts, PyTorch's W.grad).
    """
    return backward_verdict(fn, "backward_one_sample", "1.2", _regression_mistakes, seed)


@check
def check_forward(fn, seed=0):
    """Problem 1.2(b): fn(x, W1, b1, W2, b2) -> y_hat (K,) of the 1.2 network for one sample x (n,)."""
    net, x, _ = sample("1.2", seed)
    W1, b1, W2, b2 = (net.parameters[k] for k in ("W1", "b1", "W2", "b2"))
    mistakes = [
        (W2 @ relu(W1 @ x + b1) + b2, "missing the 5 of f = 5 ReLU"),
        (W2 @ (5 * (W1 @ x + b1)) + b2, "f lost its ReLU: 5 (W1 x + b1)^+ clips negative entries to 0"),
        (W2 @ (5 * relu(W1 @ x)) + b2, "b1 is missing: Linear1 computes W1 x + b1"),
        (W2 @ (5 * relu(W1 @ x + b1)), "b2 is missing: Linear2 computes W2 z2 + b2"),
    ]
    answer = call(fn, "forward_one_sample", x.copy(), *(v.copy() for v in (W1, b1, W2, b2)))
    return diagnose("y_hat", answer, W2 @ (5 * relu(W1 @ x + b1)) + b2, mistakes)


@check
def check_jacobians(fn, seed=0):
    """Problem 1.2(d): fn(x, y, W1, b1, W2, b2) -> dict dz2_dz1 (h, h), dy_hat_dz3 (K, K), dl_dy_hat (1, K).

    Numerator layout: dl_dy_hat is a row.
    """
    net, x, y = sample("1.2", seed)
    jac = mlp_jacobians(net, x, y, PROBLEMS["1.2"].loss_fn())
    params = (net.parameters[k].copy() for k in ("W1", "b1", "W2", "b2"))
    answer = answer_dict(
        call(fn, "jacobians", x.copy(), y.copy(), *params), ("dz2_dz1", "dy_hat_dz3", "dl_dy_hat"), "jacobians"
    )
    z1, h, K = jac["z1"], len(jac["z1"]), len(y)
    return report([
        diagnose("dz2_dz1", answer["dz2_dz1"], jac["dz2_dz1"], [
            (np.diag((z1 > 0).astype(float)), "the diagonal is 5 * 1[z1 > 0]: f = 5 ReLU"),
            (np.diag(5 * relu(z1)), "that is diag(f(z1)); the Jacobian holds the slopes f'(z1) = 5 * 1[z1 > 0]"),
        ], shape_messages={(h,): "that is its diagonal; the Jacobian is the (h, h) matrix diag(5 * 1[z1 > 0])"}),
        diagnose("dy_hat_dz3", answer["dy_hat_dz3"], jac["dy_hat_dz3"],
                 [(np.ones((K, K)), "g is the identity: I_K, ones on the diagonal only")],
                 shape_messages={(K,): "that is its diagonal; the Jacobian is the (K, K) identity I_K",
                                 (): "the Jacobian of g: R^K -> R^K is the (K, K) matrix I_K, not the number 1"}),
        diagnose("dl_dy_hat", answer["dl_dy_hat"], jac["dl_dy_hat"], [
            (jac["dl_dy_hat"] / 2, "missing the factor 2 of the squared error"),
            (-jac["dl_dy_hat"], "the sign is flipped: 2 (y_hat - y), not 2 (y - y_hat)"),
        ], transposed_message="dl_dy_hat is a column; in numerator layout the gradient of a scalar is a row (1, K)",
            shape_messages={(K,): "numerator layout makes it a row of shape (1, K): 2 (y_hat - y)^T"}),
    ])  # fmt: skip
