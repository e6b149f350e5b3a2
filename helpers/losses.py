"""Losses, each returning ``(J, gradient)``: J the reduced loss, the gradient with respect to the first argument.

Shapes: the prediction and target have the same shape, any shape; J is a float and the gradient
has the prediction's shape. ``reduction='mean'`` divides by the number of elements, as PyTorch
does; ``reduction='sum'`` adds them up (the source's ||y_hat - y||^2); ``reduction='none'`` returns
the loss of each element (an array of the prediction's shape) with its gradient, as PyTorch's does.

Code that is handed a loss calls it through :func:`call_loss`, with keywords: ``loss(y_hat=..., y=...)``.
So both argument orders work, ``mse(y_hat, y)`` here and the homework's ``mse_loss(y, y_hat)``,
and a loss of logits (``bce_with_logits(z, y)``) is refused with a message instead of silently
receiving the arguments swapped.
"""

from __future__ import annotations

import functools
import inspect
import math

import numpy as np

from helpers._validate import as_array, in_interval, labels_in, one_of, same_shape
from helpers.activations import sigmoid, softplus

_BCE_LOG_CLAMP = -100.0  # PyTorch's BCELoss clamps log(p) at -100
_BCE_EPS = 1e-12  # and its backward divides by max(p (1 - p), 1e-12)


def call_loss(loss, y_hat, y):
    """``loss(y_hat=y_hat, y=y)``, checked: returns (J, dJ/dy_hat) with the gradient of ``y_hat``'s shape.

    loss: a function taking the keywords ``y_hat`` and ``y`` and returning ``(J, dJ/dy_hat)``, such as
    ``losses.mse``, ``functools.partial(losses.mse, reduction="sum")`` or the homework's ``mse_loss``.
    """
    return loss_result(as_loss(loss), y_hat, y)


def as_loss(loss):
    """``loss``, once it is known to be a function that accepts ``y_hat=`` and ``y=``; else a TypeError.

    A loop that calls one loss many times (:func:`helpers.training.train`) checks it once with this and then
    calls :func:`loss_result`.
    """
    if not callable(loss):
        raise TypeError(f"loss must be a function loss(y_hat=..., y=...) -> (J, dJ/dy_hat), got {type(loss).__name__}")
    try:
        inspect.signature(loss).bind(y_hat=None, y=None)
    except TypeError:
        name = getattr(getattr(loss, "func", loss), "__name__", type(loss).__name__)
        raise TypeError(
            f"loss must accept the keyword arguments y_hat= and y= (as helpers.losses.mse and helpers.mse_loss do); "
            f"{name}{inspect.signature(loss)} does not"
        ) from None
    except ValueError:  # no signature to inspect (a builtin): let the call speak for itself
        pass
    return loss


def loss_result(loss, y_hat, y):
    """(J, dJ/dy_hat) of a loss :func:`as_loss` accepted, its result checked: a scalar J, a gradient of
    ``y_hat``'s shape."""
    result = loss(y_hat=y_hat, y=y)
    if not (isinstance(result, tuple) and len(result) == 2):
        raise TypeError(f"loss must return a pair (J, dJ/dy_hat), got {type(result).__name__}")
    J, grad = result
    if type(J) is not float:  # the package's losses return a float; anything else is checked in full
        J = as_array(J, "the J the loss returned", finite=False)
        if J.ndim != 0:
            raise ValueError(
                f"loss must return a scalar J (reduction 'mean' or 'sum'), got an array of shape {J.shape}"
            )
    if not (type(grad) is np.ndarray and grad.dtype == np.float64):  # a float64 array needs no conversion
        grad = as_array(grad, "the gradient the loss returned", finite=False)
    same_shape(grad, np.asarray(y_hat), "the gradient the loss returned", "y_hat")
    return float(J), grad


def _pair(pred, target, pred_name, target_name):
    pred = as_array(pred, pred_name)
    target = as_array(target, target_name)
    same_shape(pred, target, pred_name, target_name)
    if pred.size == 0:
        raise ValueError(f"{pred_name} must hold at least one element, got shape {pred.shape}")
    return pred, target


def _reduce(per_element, grad, reduction):
    one_of(reduction, ("mean", "sum", "none"), "reduction")
    if reduction == "none":
        return per_element, grad
    J, grad = reduce_each(per_element[None], grad[None], reduction)
    return float(J[0]), grad[0]


def reduce_each(per_element, grad, reduction):
    """Reduce each run's losses as ``reduction`` ('mean' or 'sum') does: per_element, grad (R, ...) -> J (R,), grad.

    Run r's J is what ``reduction`` makes of ``per_element[r]`` alone (a stack of networks trained at once,
    :func:`helpers.training.train_rates`, gets each network's own J). A mean whose sum overflows while every
    term is finite is computed from the terms scaled by the largest, so it stays finite.
    """
    one_of(reduction, ("mean", "sum"), "reduction")
    within = tuple(range(1, per_element.ndim))  # the axes within a run (summed in memory order, as np.sum does)
    if reduction == "sum":
        return per_element.sum(axis=within), grad
    n = per_element[0].size
    with np.errstate(over="ignore"):  # checked below: a sum of finite terms may overflow where the mean does not
        total = per_element.sum(axis=within)
    J = total / n
    overflowed = ~np.isfinite(total) & np.isfinite(per_element).all(axis=within)
    if overflowed.any():  # |mean| <= scale: add the terms / scale, so nothing overflows
        big = per_element[overflowed]
        scale = np.abs(big).max(axis=within).reshape((-1,) + (1,) * len(within))
        J[overflowed] = (big / scale).sum(axis=within) / n * scale.ravel()
    return J, grad / n


def reduction_of(loss):
    """'mean' or 'sum', the reduction ``loss`` applies, when ``loss`` is one of this module's losses (or a
    ``functools.partial`` of one fixing only ``reduction``); None for any other function.

    Only this module's losses are known to give each element's loss and gradient with ``reduction='none'``,
    which :func:`helpers.training.train_rates` uses to train a stack of networks at once.
    """
    func, fixed = loss, {}
    if isinstance(loss, functools.partial) and not loss.args:
        func, fixed = loss.func, loss.keywords
    if not any(func is known for known in _REDUCIBLE) or set(fixed) - {"reduction"}:
        return None  # compared by identity: a wrapper (functools.wraps copies the name) may not take reduction=
    reduction = fixed.get("reduction", inspect.signature(func).parameters["reduction"].default)
    return reduction if reduction in ("mean", "sum") else None


def mse(y_hat, y, reduction="mean"):
    """Squared error: sum or mean of (y_hat - y)^2; gradient 2 (y_hat - y) (/ number of elements)."""
    y_hat, y = _pair(y_hat, y, "y_hat", "y")
    r = y_hat - y
    return _reduce(r**2, 2.0 * r, reduction)


def bce(y_hat, y, reduction="mean"):
    """Binary cross-entropy on probabilities y_hat in [0, 1], labels y in {0, 1}.

    -[y log y_hat + (1 - y) log(1 - y_hat)], logs clamped at -100 as in PyTorch;
    gradient (y_hat - y) / max(y_hat (1 - y_hat), 1e-12), as in PyTorch's backward.
    """
    y_hat, y = _pair(y_hat, y, "y_hat", "y")
    in_interval(y_hat, 0.0, 1.0, "y_hat")
    labels_in(y, (0.0, 1.0), "y")
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(y_hat), _BCE_LOG_CLAMP)
        log_1mp = np.maximum(np.log1p(-y_hat), _BCE_LOG_CLAMP)
    per = -(y * log_p + (1.0 - y) * log_1mp)
    grad = (y_hat - y) / np.maximum(y_hat * (1.0 - y_hat), _BCE_EPS)
    return _reduce(per, grad, reduction)


def bce_with_logits(z, y, reduction="mean"):
    """BCE of sigma(z) (z: logits) against labels y in {0, 1}; gradient sigma(z) - y.

    softplus(z) - y z, written max(z, 0) - y z + log1p(e^-|z|) so that the large terms cancel
    exactly before the small one is added (softplus(40) - 40 would lose log1p(e^-40) entirely).
    """
    z, y = _pair(z, y, "z", "y")
    labels_in(y, (0.0, 1.0), "y")
    per = (np.maximum(z, 0.0) - y * z) + np.log1p(np.exp(-np.abs(z)))
    grad = (1.0 - y) * sigmoid(z) - y * sigmoid(-z)  # = sigma(z) - y without cancellation for y = 1
    return _reduce(per, grad, reduction)


def perceptron(z, y, reduction="mean"):
    """Perceptron loss max(0, -y z) for labels y in {-1, +1}.

    Gradient -y where y z < 0, 0 where y z > 0, and the subgradient -y/2 at y z = 0, so that
    the gradient is -(y - sign(z)) / 2 everywhere: descent with rate 2 eta is the perceptron rule
    with rate eta, including sign(0) = 0.
    """
    z, y = _pair(z, y, "z", "y")
    labels_in(y, (-1.0, 1.0), "y")
    margin = y * z
    return _reduce(np.maximum(0.0, -margin), -y * np.heaviside(-margin, 0.5), reduction)


def adaline(y_hat, y, reduction="mean"):
    """Adaline (least mean squares) loss (y - y_hat)^2 / 2; gradient y_hat - y."""
    y_hat, y = _pair(y_hat, y, "y_hat", "y")
    r = y_hat - y
    return _reduce(0.5 * r**2, r, reduction)


def tanh_logistic(z, y, reduction="mean"):
    """The loss of problem 1.4.3 for y_hat = tanh(z), labels y in {-1, +1}.

    -1/2 [(1 + y) ln(1 + y_hat) + (1 - y) ln(1 - y_hat)] = softplus(-2 y z) - ln 2, computed in the
    second form, where tanh z = +-1 does not make it log(0); gradient -(y - tanh z) = -2 y sigma(-2 y z).

    Each element's loss is finite at any z of the right sign (y z >= 0: it lies in (-ln 2, 0]) and, of the
    wrong sign, while |z| <= 8.98e307 (it is about 2 |z|); beyond that its value 2 |z| - ln 2 exceeds the
    largest float64 (1.8e308) and it is inf, as IEEE arithmetic rounds it, without a warning. The
    gradient is finite at every finite z.
    """
    z, y = _pair(z, y, "z", "y")
    labels_in(y, (-1.0, 1.0), "y")
    with np.errstate(over="ignore"):  # |2 z| > 1.8e308 is +-inf: loss inf or -ln 2, gradient -2y or 0, the limits
        m = -2.0 * y * z
    per = softplus(m, threshold=np.inf) - math.log(2.0)
    return _reduce(per, -2.0 * y * sigmoid(m), reduction)


#: This module's losses, each taking ``reduction`` (:func:`reduction_of`).
_REDUCIBLE = (mse, bce, bce_with_logits, perceptron, adaline, tanh_logistic)
