"""Checks of notebook 04: the losses behind the perceptron, Adaline and tanh-logistic update rules (1.4).

A loss is right when gradient descent on it takes the rule's steps, w <- w + eta (y - y_hat) x, for some
positive rate: its slope in z must be c * (-(y - y_hat)) with one constant c > 0 at every point (the rate
becomes eta / c), whatever constant it adds. So the checks compare slopes, measured by central differences
at points away from the kinks, not values.
"""

from __future__ import annotations

import numpy as np

from helpers import loss_derivation, losses
from helpers.activations import sigmoid
from helpers.selfcheck._core import JUNK, SEEDS, NotYet, Trial, exercise, judge, read, run
from helpers.verdict import Verdict

H = 1e-5  # the step of the central differences: the losses are smooth away from their kinks


def _points(seed):
    """Twelve (z, y): z in [-3, 3] at least 0.1 from the kinks at 0 and +-1, y = -1 and +1 six times each."""
    rng = np.random.default_rng(seed)
    z = rng.uniform(0.15, 3.0, 12) * np.where(np.arange(12) % 3 == 0, -1.0, 1.0) * np.where(np.arange(12) < 6, 1, -1)
    z = np.where(np.abs(np.abs(z) - 1) < 0.1, z + 0.3, z)
    return z, np.where(np.arange(12) % 2 == 0, 1.0, -1.0)


def _slopes(fn, name, z, y):
    """The student's loss's slope in z at each point, by central differences; a "not yet" unless it is a number."""
    slopes = []
    for zi, yi in zip(z, y):
        values = []
        for point in (zi + H, zi - H):
            value = read(run(fn, name, {"z": float(point), "y": float(yi)})[0], f"{name}(z, y)")
            if value.values.size != 1:
                raise NotYet(
                    f"{name} must return a number, the loss of the sample; got shape {value.values.shape}", JUNK
                )
            values.append(float(value.values.ravel()[0]))
        slopes.append((values[0] - values[1]) / (2 * H))
    return np.array(slopes)


def _loss_verdict(fn, name, model, right_slope, mistakes, messages, formula, probes):
    """Right if the slopes are one positive multiple of ``right_slope`` at every point; else a named mistake."""
    factor = loss_derivation.MODELS[model][2]  # descent on our loss with rate factor * eta is the rule
    trials, ratios = [], []
    for seed in SEEDS[probes]:
        z, y = _points(seed)
        got = _slopes(fn, name, z, y)
        reference = right_slope(z, y)
        scale = got @ reference / (reference @ reference)  # the best c: got ~ c * reference
        ratios.append(scale)
        trials.append(
            Trial(read(got, "its slopes"), scale * reference, {m: scale * s(z, y) for m, s in mistakes.items()})
        )
    c = float(np.mean(ratios))
    if not np.allclose(ratios, c, rtol=1e-4):
        c = None
    verdict = judge("its slope", trials, {}, layout_free=True) if c else None
    if verdict is not None and verdict.ok and c > 0:
        rate = factor / c
        multiple = formula if np.isclose(c, 1) else f"{c:.3g} x {formula}"
        rate_text = "eta" if np.isclose(rate, 1) else f"{rate:.3g} eta"
        return Verdict(True, f"{name} is {multiple} (up to a constant, which no gradient sees): gradient descent "
                             f"with rate {rate_text} takes exactly the rule's steps", about=name)  # fmt: skip
    if verdict is not None and verdict.ok:
        return Verdict(False, f"{name}: its slope is {c:.3g} x that of {formula}, a negative multiple: descent would "
                              "climb; flip the sign", about=name, mistake="flipped")  # fmt: skip
    if all(np.allclose(t.answer.values, 0, atol=1e-7) for t in trials):
        return Verdict(False, f"{name}: its slope in z is 0 everywhere: gradient descent would never move "
                              "(is it constant, or flat between jumps?)", about=name, mistake="flat")  # fmt: skip
    for mistake, message in messages.items():
        fitted = []
        for t, (z, y) in zip(trials, (_points(s) for s in SEEDS[probes])):
            wrong = mistakes[mistake](z, y)
            scale = t.answer.values @ wrong / max(wrong @ wrong, 1e-300)
            fitted.append(scale > 0 and np.allclose(t.answer.values, scale * wrong, rtol=1e-4, atol=1e-6))
        if all(fitted):
            return Verdict(False, f"{name}: {message}", about=name, mistake=mistake)
    return Verdict(False, f"{name}: its slope in z is not -(y - y_hat) times one positive constant: at z = "
                          f"{_points(SEEDS[probes][0])[0][0]:.3g}, y = +1 it is {trials[0].answer.values[0]:.4g}",
                   about=name, mistake="differs")  # fmt: skip


def _step(v):
    return (v > 0).astype(float)


PERCEPTRON_MISTAKES = {
    "hinge": (lambda z, y: -y * _step(1 - y * z), "that is the hinge loss of the SVM, max(0, 1 - y z): it also moves "
              "w on correctly classified points with y z < 1, which the perceptron rule never does"),
    "sign": (lambda z, y: y * _step(y * z), "the sign: the loss must grow when y z < 0 (a mistake): max(0, -y z)"),
    "no-max": (lambda z, y: -y + 0 * z, "without max(0, .), correctly classified points would move w too: the rule "
               "moves only on mistakes"),
    "no-y": (lambda z, y: -_step(-z), "y is missing: max(0, -y z)"),
    "squared": (lambda z, y: -2 * y * np.maximum(0, -y * z), "max(0, -y z)^2: its step grows with the margin; the "
                "perceptron's step on a mistake is the same whatever the margin"),
}  # fmt: skip


@exercise("perceptron_loss", forbidden=(losses.perceptron, loss_derivation.loss_step, loss_derivation.rule_step))
def check_perceptron_loss(fn, probes="practice"):
    """Problem 1.4: fn(z, y) -> a number, a loss whose gradient descent is the perceptron rule; z a float, y = +-1.

    Its slope in z (measured at 36 points away from the kinks, both labels) must be one positive multiple of
    the slope of max(0, -y z); the check names the learning rate that makes descent the rule."""
    return _loss_verdict(fn, "perceptron_loss", "perceptron", lambda z, y: -y * _step(-y * z),
                         {m: s for m, (s, _) in PERCEPTRON_MISTAKES.items()},
                         {m: msg for m, (_, msg) in PERCEPTRON_MISTAKES.items()}, "max(0, -y z)", probes)  # fmt: skip


ADALINE_MISTAKES = {
    "tanh": (lambda z, y: -2 * (y - np.tanh(z)) * (1 - np.tanh(z) ** 2), "that is a loss for y_hat = tanh(z); Adaline "
             "predicts y_hat = z itself"),
    "absolute": (lambda z, y: -np.sign(y - z), "|y - z| has slope -sign(y - z), not -(y - z): the step would not grow "
                 "with the error"),
    "linear": (lambda z, y: -y + 0 * z, "-y z has slope -y: the step would not depend on how far z is from y"),
    "flipped-prediction": (lambda z, y: 2 * (y + z), "(y + z)^2: the sign of z is flipped; it should be (y - z)^2 / 2"),
    "cubed": (lambda z, y: -3 * (y - z) ** 2 * np.sign(y - z), "|y - z|^3: its step grows with the square of the "
              "error; Adaline's grows with the error"),
}  # fmt: skip


@exercise("adaline_loss", forbidden=(losses.adaline, loss_derivation.loss_step, loss_derivation.rule_step))
def check_adaline_loss(fn, probes="practice"):
    """Problem 1.4: fn(z, y) -> a number, a loss whose gradient descent is the Adaline rule; z a float, y = +-1.

    Its slope in z must be one positive multiple of z - y at every point tried."""
    return _loss_verdict(fn, "adaline_loss", "adaline", lambda z, y: z - y,
                         {m: s for m, (s, _) in ADALINE_MISTAKES.items()},
                         {m: msg for m, (_, msg) in ADALINE_MISTAKES.items()}, "(y - z)^2 / 2", probes)  # fmt: skip


TANH_LOGISTIC_MISTAKES = {
    "sign": "the sign is flipped: descent must give w + eta (y - y_hat) x, so dl/dw = -(y - y_hat) x",
    "extra-tanh-prime": "an extra tanh'(z): the loss was built so that dl/dz = -(y - tanh z)",
    "sigmoid": "y_hat is tanh(z) here, not the sigmoid",
    "plus-1-only": "right for y = +1 only: write it with y, -(y - tanh z) x",
    "minus-1-only": "right for y = -1 only: write it with y, -(y - tanh z) x",
    "no-bias": "z = b + w.x: the bias b is missing from z",
}


@exercise(
    "tanh_logistic_gradient", forbidden=(losses.tanh_logistic, loss_derivation.loss_step, loss_derivation.rule_step)
)
def check_tanh_logistic_gradient(fn, probes="practice"):
    """Problem 1.4: fn(w, b, x, y) -> dl/dw of the tanh-logistic loss for one sample, shape (d,) (a row or column
    is accepted); w, x: (d,), b a number, y = +-1. Tried on six samples of each probe, three of each label."""
    trials = []
    for seed in SEEDS[probes]:
        rng = np.random.default_rng(seed)
        w, b = rng.standard_normal(3), float(rng.uniform(0.3, 1.0))
        xs, ys = rng.standard_normal((6, 3)), np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0])
        got = []
        for x, y in zip(xs, ys):
            one = read(run(fn, "tanh_logistic_gradient", {"w": w, "b": b, "x": x, "y": y})[0], "dl/dw")
            if one.values.size != x.size:
                raise NotYet(
                    f"dl/dw has shape {one.values.shape}: it has one entry per weight, shape ({x.size},)", JUNK
                )
            got.append(one.values.ravel())
        z = b + xs @ w
        r = (ys - np.tanh(z))[:, None]
        mistakes = {
            "sign": r * xs,
            "extra-tanh-prime": -r * (1 - np.tanh(z) ** 2)[:, None] * xs,
            "sigmoid": -(ys - sigmoid(z))[:, None] * xs,
            "plus-1-only": -(1 - np.tanh(z))[:, None] * xs,
            "minus-1-only": (1 + np.tanh(z))[:, None] * xs,
            "no-bias": -(ys - np.tanh(xs @ w))[:, None] * xs,
        }
        trials.append(Trial(read(np.stack(got), "dl/dw"), -r * xs, mistakes))
    return judge("dl/dw", trials, TANH_LOGISTIC_MISTAKES)
