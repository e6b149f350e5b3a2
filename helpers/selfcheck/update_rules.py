"""Self-checks of notebook 04: the losses behind the perceptron, Adaline and tanh-logistic rules (1.4)."""

from __future__ import annotations

import numpy as np

from helpers.activations import sigmoid
from helpers.rules import MODELS
from helpers.selfcheck._core import Verdict, as_numbers, call, check, diagnose

Z = np.linspace(-3, 3, 25)  # includes z = 0, the perceptron's boundary


def _values(fn, name):
    """The student's loss l(z, y) at every z of Z, for y = -1 and y = +1: an array (2, len(Z))."""
    rows = [[call(fn, name, float(z), y) for z in Z] for y in (-1.0, 1.0)]
    return as_numbers(rows, f"the values of {name}")


def _scale(values, reference):
    """c such that values = c * reference + (a constant per label), or None if there is none."""
    dv = values - values[:, :1]
    dr = reference - reference[:, :1]
    if not np.any(dr):
        return None
    c = float(np.sum(dv * dr) / np.sum(dr * dr))
    return c if np.allclose(dv, c * dr, rtol=1e-6, atol=1e-9) else None


def _loss_verdict(fn, name, model, reference, mistakes, formula):
    """Accept any positive multiple of ``reference`` (plus a constant per label): the rate absorbs it."""
    values = _values(fn, name)

    def on_grid(loss):  # (2, len(Z)): y = -1, then y = +1
        return np.broadcast_to(loss(Z[None, :], np.array([[-1.0], [1.0]])), values.shape)

    c = _scale(values, on_grid(reference))
    if c is not None and c > 0:
        rate = MODELS[model][2] / c
        multiple = formula if np.isclose(c, 1) else f"{c:g} x {formula}"
        rate_text = "eta" if np.isclose(rate, 1) else f"{rate:g} eta"
        return Verdict(True, f"{name} is {multiple} (up to a constant): gradient descent with rate {rate_text} "
                             "takes exactly the rule's steps")  # fmt: skip
    if c is not None:
        return Verdict(False, f"{name} is {c:g} x {formula}: a negative multiple, so descent climbs: flip the sign")
    for wrong, message in mistakes:
        c = _scale(values, on_grid(wrong))
        if c is not None and c > 0:
            return Verdict(False, f"{name}: {message}")
    return Verdict(False, f"{name}: its slope in z is not -(y - y_hat) times any positive constant")


@check
def check_perceptron_loss(fn):
    """Problem 1.4: fn(z, y) -> a loss whose gradient descent is the perceptron rule; z a float, y = +-1."""
    mistakes = [
        (lambda z, y: np.maximum(0, y * z), "the sign: the loss must grow when y z < 0 (a mistake): max(0, -y z)"),
        (lambda z, y: np.maximum(0, 1 - y * z), "that is the hinge loss of the SVM: it also moves w on correctly "
                                                 "classified points with y z < 1, which the perceptron rule "
                                                 "never does"),
        (lambda z, y: -y * z, "without max(0, .), correctly classified points would move w too: "
                              "the rule moves only on mistakes"),
        (lambda z, y: np.maximum(0, -z), "y is missing: max(0, -y z)"),
        (lambda z, y: (y - np.sign(z)) ** 2, "(y - sign z)^2 is flat almost everywhere: its gradient is 0 "
                                             "and descent never moves"),
    ]  # fmt: skip
    return _loss_verdict(
        fn, "perceptron_loss", "perceptron", lambda z, y: np.maximum(0, -y * z), mistakes, "max(0, -y z)"
    )


@check
def check_adaline_loss(fn):
    """Problem 1.4: fn(z, y) -> a loss whose gradient descent is the Adaline rule; z a float, y = +-1."""
    mistakes = [
        (lambda z, y: (y - np.tanh(z)) ** 2, "that is a loss for y_hat = tanh(z); Adaline predicts y_hat = z itself"),
        (lambda z, y: np.abs(y - z), "|y - z| has slope -sign(y - z), not -(y - z): "
                                     "the step would not grow with the error"),
        (lambda z, y: (y - np.sign(z)) ** 2, "sign(z) is the perceptron's prediction; Adaline's is z, "
                                             "and (y - sign z)^2 is flat"),
        (lambda z, y: -y * z, "-y z has slope -y: the step would not depend on how far z is from y"),
        (lambda z, y: (y + z) ** 2, "(y + z)^2: the sign of z is flipped, it should be (y - z)^2 / 2"),
    ]  # fmt: skip
    return _loss_verdict(fn, "adaline_loss", "adaline", lambda z, y: 0.5 * (y - z) ** 2, mistakes, "(y - z)^2 / 2")


@check
def check_tanh_logistic_gradient(fn, seed=0):
    """Problem 1.4: fn(w, b, x, y) -> dl/dw of the tanh-logistic loss for one sample; w, x: (d,), y = +-1.

    Checked on six samples, three of each label, stacked into an array (6, d).
    """
    rng = np.random.default_rng(seed)
    w, b = rng.standard_normal(3), 0.3
    xs, ys = rng.standard_normal((6, 3)), np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0])
    z = b + xs @ w
    r = (ys - np.tanh(z))[:, None]
    mistakes = [
        (r * xs, "the sign is flipped: descent must give w + eta (y - y_hat) x, so dl/dw = -(y - y_hat) x"),
        (
            -r * (1 - np.tanh(z) ** 2)[:, None] * xs,
            "an extra tanh'(z): the loss was built so that dl/dz = -(y - tanh z)",
        ),
        (-(ys - sigmoid(z))[:, None] * xs, "y_hat is tanh(z) here, not the sigmoid"),
        (-(1 - np.tanh(z))[:, None] * xs, "right for y = +1 only: write it with y, -(y - tanh z) x"),
        ((1 + np.tanh(z))[:, None] * xs, "right for y = -1 only: write it with y, -(y - tanh z) x"),
    ]
    answers = [call(fn, "tanh_logistic_gradient", w.copy(), b, x.copy(), y) for x, y in zip(xs, ys)]
    try:
        stacked = np.stack([np.asarray(a) for a in answers])  # no dtype: diagnose judges complex or text
    except (TypeError, ValueError):
        stacked = None
    if stacked is None or stacked.shape != xs.shape:  # say what one answer is, in the shape of one sample
        return diagnose("dl/dw", answers[0], -r[0] * xs[0])
    return diagnose("dl/dw", stacked, -r * xs, mistakes)
