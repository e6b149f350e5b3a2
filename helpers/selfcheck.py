"""Self-checks for the notebooks' "Try it" exercises: they run the student's function on fixed
inputs and say in words what is wrong, recognising the typical mistakes of each exercise.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from helpers import losses
from helpers.activations import get_activation, sigmoid
from helpers.jacobians import mlp_jacobians
from helpers.network import MLP


@dataclass
class Verdict:
    """ok: the answer is right; message: what is right or wrong, in words."""

    ok: bool
    message: str

    def __str__(self):
        return ("correct: " if self.ok else "not yet: ") + self.message


def diagnose(name, answer, expected, mistakes=(), rtol=1e-8, transposed_message=None):
    """Compare ``answer`` with ``expected`` and name the mistake when the answer matches a known one.

    mistakes: pairs (wrong value, message): the value a typical mistake produces and what to say.
    Also recognised: no answer, the transposed shape (said with ``transposed_message`` if given),
    a constant factor.
    """
    expected = np.asarray(expected, dtype=np.float64)
    if answer is None:
        return Verdict(False, f"{name} is None: the function does not return it yet")
    try:
        answer = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return Verdict(False, f"{name} should be an array of numbers, got {type(answer).__name__}")
    close = partial(np.allclose, rtol=rtol, atol=1e-12)
    if answer.shape != expected.shape:
        if expected.ndim == 2 and answer.shape == expected.T.shape:
            message = (
                transposed_message or f"{name} has the shape of its transpose {answer.shape}, expected {expected.shape}"
            )
            return Verdict(False, message)
        return Verdict(False, f"{name} has shape {answer.shape}, expected {expected.shape}")
    if close(answer, expected):
        return Verdict(True, f"{name} matches")
    for wrong, message in mistakes:
        if close(answer, wrong):
            return Verdict(False, f"{name}: {message}")
    nonzero = np.abs(expected) > 1e-12
    if np.any(nonzero):
        ratio = answer[nonzero] / expected[nonzero]
        if close(ratio, ratio[0]) and close(answer[~nonzero], 0):
            return Verdict(False, f"{name} is off by a constant factor {ratio[0]:.4g}")
    err = float(np.max(np.abs(answer - expected)))
    return Verdict(False, f"{name} differs from the expected value by up to {err:.3g}")


def _report(verdicts):
    ok = all(v.ok for v in verdicts)
    return Verdict(ok, "; ".join(v.message for v in verdicts if v.ok == ok))


def check_objective_gradient(fn, seed=0):
    """Problem 1.5(e): fn(y_hat, y) -> dL/dy_hat of L = 1/N sum_i ||y_hat_i - y_i||^2; y_hat, y: (N, K)."""
    rng = np.random.default_rng(seed)
    y_hat, y = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    n, k = y.shape
    r = y_hat - y
    mistakes = [
        (r / n, "missing the factor 2 of the squared error"),
        (2 * r / (n * k), "divided by N*K, PyTorch's mean over all entries; L averages over the N samples only"),
        (2 * r, "missing the 1/N of the mean over the dataset"),
        (-2 * r / n, "the sign is flipped: d(y_hat - y)^2 / dy_hat = +2 (y_hat - y)"),
    ]
    return diagnose("dL/dy_hat", fn(y_hat.copy(), y.copy()), 2 * r / n, mistakes)


def check_regression_backward(fn, seed=0):
    """Problem 1.2(c): fn(x, y, W1, b1, W2, b2) -> dict dW1, db1, dW2, db2 for one sample.

    f = 5 ReLU, g = identity, loss ||y_hat - y||^2; x: (n,), y: (K,), W1: (h, n), W2: (K, h).
    """
    net = MLP(3, 4, get_activation("scaled_relu", scale=5.0), 4, 2, "identity", seed=seed)
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal(3), rng.standard_normal(2)
    J = mlp_jacobians(net, x, y, partial(losses.mse, reduction="sum"))
    answer = fn(x.copy(), y.copy(), *(net.parameters[k].copy() for k in ("W1", "b1", "W2", "b2")))
    if not isinstance(answer, dict):
        return Verdict(False, f"return a dict with keys dW1, db1, dW2, db2, got {type(answer).__name__}")
    mistakes = {
        "dW2": [(J["dl_dW2"] / 5, "5 times too small: z2 = 5 ReLU(z1), not ReLU(z1)")],
        "dW1": [(J["dl_dW1"] / 5, "off by a factor 5: f = 5 ReLU, so f'(z1) = 5 * 1[z1 > 0]")],
        "db1": [(J["dl_db1"] / 5, "off by a factor 5: f = 5 ReLU, so f'(z1) = 5 * 1[z1 > 0]")],
    }
    transposed = {"dW2": "dW2 has the shape of W2.T: did you swap the outer product? dl/dW2 = dl/dz3 z2^T"}
    verdicts = []
    for key in ("dW1", "db1", "dW2", "db2"):
        expected = J[f"dl_{key}"]
        common = [
            (expected / 2, "missing the factor 2 of the squared error"),
            (-expected, "the sign is flipped: dl/dy_hat = 2 (y_hat - y), not 2 (y - y_hat)"),
        ]
        verdicts.append(diagnose(key, answer.get(key), expected, mistakes.get(key, []) + common,
                                 transposed_message=transposed.get(key)))  # fmt: skip
    return _report(verdicts)


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
    return diagnose("dl/dz3", fn(y_hat.copy(), y.copy()), (y_hat - y) / k, mistakes)


def check_logistic_gradient(fn, seed=0):
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
    return diagnose("dl/dw", fn(w.copy(), b, x.copy(), y), -r * x, mistakes)


def check_softmax(fn):
    """Problem 1.5(a): fn(z, temperature) -> softmax(z / T) along the last axis; z: (N, K)."""
    from helpers.activations import softmax

    z = np.array([[1.0, 2.0, 0.5], [1000.0, 1001.0, 1002.0]])
    t = 0.5
    with np.errstate(all="ignore"):
        answer = fn(z.copy(), t)
        if answer is not None and not np.all(np.isfinite(np.asarray(answer, dtype=np.float64))):
            return Verdict(False, "softmax gives NaN or inf for the logits [1000, 1001, 1002]: e^1000 overflows; "
                                  "subtract each row's maximum before exponentiating")  # fmt: skip
        e = np.exp(z - z.max(axis=0))
    mistakes = [
        (softmax(z * t), "multiplied by T: softmax(z / T) divides the logits by the temperature"),
        (softmax(z), "the temperature is missing: divide the logits by T"),
        (e / e.sum(axis=0), "normalised down the columns: each row (the last axis) must sum to 1"),
    ]
    return diagnose("softmax", answer, softmax(z, t), mistakes)


def check_softplus_derivative(fn):
    """Problem 1.5(c): fn(x, beta) -> d/dx softplus_beta(x) = sigma(beta x); x: (k,)."""
    from helpers.activations import softplus

    x, beta = np.linspace(-3, 3, 7), 2.0
    mistakes = [
        (sigmoid(x), "beta is missing: d/dx log(1 + e^(beta x)) / beta = sigma(beta x)"),
        (beta * sigmoid(beta * x), "an extra factor beta: the 1/beta in front cancels the beta of the chain rule"),
        (softplus(x, beta), "that is softplus itself, not its derivative"),
        (sigmoid(-beta * x), "sigma(-beta x) = 1 - sigma(beta x): the sign inside is flipped"),
    ]
    return diagnose("softplus'", fn(x.copy(), beta), sigmoid(beta * x), mistakes)


def check_reflection(fn):
    """Problem 1.5(d): fn(phi) -> the 2x2 reflection across the line through 0 at angle phi (radians)."""
    from helpers import linear

    phi = 0.4
    c, s = np.cos(phi), np.sin(phi)
    mistakes = [
        (
            np.array([[c, s], [s, -c]]),
            "uses phi where the matrix needs 2 phi: [[cos 2phi, sin 2phi], [sin 2phi, -cos 2phi]]",
        ),
        (linear.rotation(2 * phi), "that is a rotation by 2 phi (det +1); a reflection has det -1"),
        (-linear.reflection(phi), "reflects across the perpendicular line (angle phi + 90 degrees)"),
        (np.array([[1.0, 0.0], [0.0, -1.0]]), "ignores phi: that is the reflection across the x-axis only"),
    ]
    return diagnose("reflection", fn(phi), linear.reflection(phi), mistakes)


def check_mul_backward(fn):
    """Problem 1.5(b): fn(a, b, out) adds the gradients of out = a * b into a.grad and b.grad (Values)."""
    from helpers.graph import Value

    a, b = Value(3.0), Value(-2.0)
    a.grad, b.grad = 0.5, 0.25  # gradient that earlier uses of a and b have already collected
    out = Value(a.data * b.data, (a, b), "*")
    out.grad = 1.5
    fn(a, b, out)
    answer = [a.grad, b.grad]
    mistakes = [
        ([-3.0, 4.5], "assigned with = instead of adding with +=: a node used twice (x*x) must sum both gradients"),
        ([0.5 + 3.0 * 1.5, 0.25 - 2.0 * 1.5], "swapped: d(a*b)/da = b, so a.grad += b.data * out.grad"),
        ([0.5 - 2.0, 0.25 + 3.0], "forgot out.grad: the chain rule multiplies the local derivative by it"),
    ]
    verdict = diagnose("[a.grad, b.grad]", answer, [0.5 - 2.0 * 1.5, 0.25 + 3.0 * 1.5], mistakes)
    if verdict.ok:
        x = Value(4.0)
        square = Value(16.0, (x, x), "*")
        square.grad = 1.0
        fn(x, x, square)
        verdict = diagnose("x.grad for x*x", x.grad, 8.0, [(4.0, "x*x gives 4: the second update overwrote the first")])
        if verdict.ok:
            verdict.message = "a.grad and b.grad add up correctly, and x*x gives x.grad = 2x"
    return verdict
