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
from helpers.gradcheck import numerical_gradient
from helpers.selfcheck._core import SEEDS, SHAPE, Answer, NotYet, Trial, exercise, judge, read, run
from helpers.verdict import Verdict

H = 1e-5  # the step of the central differences: the losses are smooth away from their kinks
H32 = 0.05  # the step for a loss computed in float32, whose rounding over 1e-5 would swamp its slope
SLOPES32 = (1e-3, 1e-4)  # rtol, atol of slopes measured on float32 losses (the points are >= 0.1 from a kink)

#: What the checks of the three losses say about a slope of the wrong kind ({formula}: the right loss's).
SLOPE_MISTAKES = {
    "flipped": "its slope is {c:.3g} x that of {formula}, a negative multiple: descent would climb; flip the sign",
    "the-slope": "that is the slope dl/dz of {formula}, not a loss: return a loss whose slope in z is that",
    "flat": "its slope in z is 0 everywhere: gradient descent would never move (is it constant, or flat between "
    "jumps?)",
}


def _points(seed):
    """Twelve (z, y): z in [-3, 3] at least 0.1 from the kinks at 0 and +-1, y = -1 and +1 six times each."""
    rng = np.random.default_rng(seed)
    z = rng.uniform(0.15, 3.0, 12) * np.where(np.arange(12) % 3 == 0, -1.0, 1.0) * np.where(np.arange(12) < 6, 1, -1)
    z = np.where(np.abs(np.abs(z) - 1) < 0.1, z + 0.3, z)
    return z, np.where(np.arange(12) % 2 == 0, 1.0, -1.0)


def _losses_at(fn, name, z, y, h):
    """The student's loss at z + h and z - h for each point; and whether any came in single precision."""
    values, single = [], False
    for zi, yi in zip(z, y):
        for point in (zi + h, zi - h):
            value = read(run(fn, name, {"z": float(point), "y": float(yi)})[0], f"{name}(z, y)")
            if value.values.size != 1:
                raise NotYet(f"{name} must return a number, the loss of the sample; got shape {value.values.shape}",
                             SHAPE)  # fmt: skip
            values.append(float(value.values.ravel()[0]))
            single = single or value.float32
    return np.array(values).reshape(-1, 2), single


def _slopes(fn, name, z, y):
    """The student's loss's slope in z at each point, by central differences, its value there, and whether it
    is computed in float32 (then measured again with a step its rounding does not swamp)."""
    values, single = _losses_at(fn, name, z, y, H)
    h = H
    if single:
        values, h = _losses_at(fn, name, z, y, H32)[0], H32
    return (values[:, 0] - values[:, 1]) / (2 * h), values.mean(axis=1), single


def _losses_slopes(fn, name, z, y, h):
    values = _losses_at(fn, name, z, y, h)[0]
    return (values[:, 0] - values[:, 1]) / (2 * h)


def _multiple(got, reference, precision):
    """c if ``got`` is c x ``reference`` for one c > 0 (within ``precision``), else None."""
    scale = float(got @ reference / max(float(reference @ reference), 1e-300))
    rtol, atol = precision
    size = max(float(np.max(np.abs(scale * reference))), 1.0)
    close = np.all(np.abs(got - scale * reference) <= atol * size + rtol * np.abs(scale * reference))
    return scale if scale > 0 and bool(close) else None


def _loss_verdict(fn, name, model, right_slope, mistakes, messages, formula, probes):
    """Right if the slopes are one positive multiple of ``right_slope`` at every point; else a named mistake."""
    factor = loss_derivation.MODELS[model][2]  # descent on our loss with rate factor * eta is the rule
    measured = []
    for seed in SEEDS[probes]:
        z, y = _points(seed)
        measured.append((z, y, *_slopes(fn, name, z, y)))
    single = any(m[4] for m in measured)
    precision = SLOPES32 if single else (1e-4, 1e-6)
    trials, ratios = [], []
    for z, y, slopes, _, _ in measured:  # the right slope made only now that the answer is read
        reference = right_slope(z, y)
        scale = float(slopes @ reference / (reference @ reference))
        ratios.append(scale)
        trials.append(Trial(Answer(slopes, single), scale * reference))
    c = float(np.mean(ratios))
    consistent = c != 0 and all(abs(r - c) <= precision[0] * abs(c) for r in ratios)
    verdict = judge("its slope", trials, {}, layout_free=True, precision=SLOPES32 if single else None)
    if consistent and verdict.ok and c > 0:
        rate = factor / c
        multiple = formula if abs(c - 1) < 1e-6 else f"{c:.3g} x {formula}"
        rate_text = "eta" if abs(rate - 1) < 1e-6 else f"{rate:.3g} eta"
        note = " (computed in float32: its slope measured at float32 precision)" if single else ""
        return Verdict(True, f"{name} is {multiple} (up to a constant, which no gradient sees): gradient descent "
                             f"with rate {rate_text} takes exactly the rule's steps{note}", about=name)  # fmt: skip
    if consistent and verdict.ok:
        return _named(name, "flipped", c=c, formula=formula)
    if all(_multiple(values, right_slope(z, y), precision) for z, y, _, values, _ in measured):
        return _named(name, "the-slope", formula=formula)
    if all(np.allclose(slopes, 0, atol=1e-7 if not single else 1e-4) for _, _, slopes, _, _ in measured):
        return _named(name, "flat", formula=formula)
    for mistake, message in messages.items():
        if all(_multiple(slopes, mistakes[mistake](z, y), precision) for z, y, slopes, _, _ in measured):
            return Verdict(False, f"{name}: {message}", about=name, mistake=mistake)
    if not single and all(_multiple(_losses_slopes(fn, name, z, y, H32), right_slope(z, y), SLOPES32)
                          for z, y, *_ in measured):  # fmt: skip
        return Verdict(False, f"{name} is right to float32 precision only: part of it was computed in float32 (z, "
                              "perhaps); compute it all in float64, or return the float32 result", about=name,
                       mistake="differs")  # fmt: skip
    z, y, slopes = measured[0][:3]
    reference = right_slope(z, y)
    scale = ratios[0] if ratios[0] > 0 else 1.0
    i = int(np.argmax(np.abs(slopes - scale * reference)))
    said = formula if abs(scale - 1) < 1e-6 else f"{scale:.3g} x {formula}"
    return Verdict(False, f"{name}: its slope in z must be one positive constant times -(y - y_hat), the slope of "
                          f"{formula}, at every point: at z = {z[i]:.3g}, y = {y[i]:+.0f} it is {slopes[i]:.4g}, "
                          f"where {said}'s is {scale * reference[i]:.4g}", about=name, mistake="differs")  # fmt: skip


def _named(name, mistake, **said):
    return Verdict(False, f"{name}: {SLOPE_MISTAKES[mistake].format(**said)}", about=name, mistake=mistake)


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
    "logistic": (lambda z, y: -y * sigmoid(-y * z), "that is the logistic loss log(1 + e^(-y z)): it moves w on every "
                 "point, correctly classified ones too, and never stops; the perceptron moves only on mistakes, by "
                 "the same step whatever the margin"),
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
    "no-square": (lambda z, y: -1 + 0 * z, "(y - z) / 2 has the same slope everywhere: the step would not grow with "
                  "the error; square it, (y - z)^2 / 2"),
    "rule-times-z": (lambda z, y: 2 * z - y, "-(y - z) z, built as the perceptron's, has slope 2z - y: with y_hat = z "
                     "the prediction moves with z too; (y - z)^2 / 2 has slope -(y - z)"),
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
    "w-for-x": "dz/dw = x: dl/dw = -(y - tanh z) x, not ... w",
    "no-half": "twice dl/dw: the loss has a 1/2 in front, -1/2 [(1 + y) ln(1 + y_hat) + (1 - y) ln(1 - y_hat)], so "
    "dl/dz = -(y - tanh z)",
}


@exercise("tanh_logistic_gradient", forbidden=(losses.tanh_logistic, loss_derivation.loss_step,
                                               loss_derivation.rule_step, numerical_gradient))  # fmt: skip
def check_tanh_logistic_gradient(fn, probes="practice"):
    """Problem 1.4: fn(w, b, x, y) -> dl/dw of the tanh-logistic loss for one sample, shape (d,) (a row or column
    is accepted); w, x: (d,), b a number, y = +-1. Tried on six samples of each probe, three of each label."""
    trials = []
    for seed in SEEDS[probes]:
        rng = np.random.default_rng(seed)
        w, b = rng.standard_normal(3), float(rng.uniform(0.3, 1.0))
        xs, ys = rng.standard_normal((6, 3)), np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0])
        got, single = [], False
        for x, y in zip(xs, ys):
            one = read(run(fn, "tanh_logistic_gradient", {"w": w, "b": b, "x": x, "y": y})[0], "dl_dw")
            if one.values.size != x.size:
                said = {
                    1: f"that is one number (dl/dz?); dl/dw = dl/dz x has one entry per weight, ({x.size},)",
                    x.size + 1: f"one entry per weight, ({x.size},): the bias's gradient is not part of dl/dw",
                }
                said = said.get(one.values.size, f"it has one entry per weight, shape ({x.size},)")
                raise NotYet(f"dl_dw has shape {one.values.shape}: {said}", SHAPE)
            got.append(one.values.ravel())
            single = single or one.float32
        z = b + xs @ w
        r = (ys - np.tanh(z))[:, None]
        mistakes = {
            "sign": r * xs,
            "extra-tanh-prime": -r * (1 - np.tanh(z) ** 2)[:, None] * xs,
            "sigmoid": -(ys - sigmoid(z))[:, None] * xs,
            "plus-1-only": -(1 - np.tanh(z))[:, None] * xs,
            "minus-1-only": (1 + np.tanh(z))[:, None] * xs,
            "no-bias": -(ys - np.tanh(xs @ w))[:, None] * xs,
            "w-for-x": -r * w,
            "no-half": -2 * r * xs,
        }
        trials.append(Trial(Answer(np.stack(got), single), -r * xs, mistakes))
    return judge("dl_dw", trials, TANH_LOGISTIC_MISTAKES)
