"""Gradient checking: central finite differences, CS231n's relative error, backprop's gradients of a network.

Finite differences of a function whose values carry a rounding error of about eps |J| have an
absolute error of about eps |J| / h on top of the truncation error; :func:`round_off` gives that
floor, and the norm-wise comparisons below allow for it.
"""

from __future__ import annotations

import numbers

import numpy as np

from helpers._validate import as_array, positive, real, short
from helpers.losses import call_loss
from helpers.network import as_network
from helpers.verdict import within

# Central-difference stencils as (k, w): f'(x) ~ sum w (f(x + k h) - f(x - k h)) / h.
# Differences are taken in pairs so that a constant f gives exactly 0.
# Order 2 is exact for polynomials of degree <= 2, order 4 for degree <= 4.
STENCILS = {2: ((1, 1 / 2),), 4: ((1, 8 / 12), (2, -1 / 12))}
EPS = np.finfo(np.float64).eps


def numerical_gradient(f, x, h=1e-5, order=2):
    """d f() / d x by central differences; ``x`` (a float64 array, any shape) is perturbed in place.

    f: a function of no arguments returning a float that reads ``x``.
    order: 2 (f(x+h) - f(x-h)) / 2h, or 4 for the five-point stencil (error O(h^4)).
    Every entry is restored whatever happens, an exception in ``f`` or Ctrl-C included.
    Returns an array of x's shape.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments returning a number, got {type(f).__name__}")
    order = _order(order)
    h = positive(h, "h")
    _perturbable(x, h)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        try:
            total = 0.0
            for k, w in STENCILS[order]:
                x[i] = old + k * h
                up = _value(f)
                x[i] = old - k * h
                total += w * (up - _value(f))
        finally:
            x[i] = old
        grad[i] = total / h
    return grad


def _order(order):
    if isinstance(order, bool) or order not in STENCILS:
        raise ValueError(f"order must be 2 or 4, got {short(order, 30)}")
    return int(order)


def _perturbable(x, h):
    """Raise unless x is a writable, finite float64 array in which x +- 2h differ from x and stay finite."""
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = f"an array of dtype {x.dtype}" if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"x must be a float64 numpy array that f reads (it is perturbed in place), got {got}")
    if not x.flags.writeable:
        raise ValueError("x must be a writable array (it is perturbed in place), got a read-only one")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x must be finite, got a non-finite entry ({x[~np.isfinite(x)].ravel()[0]})")
    top = float(np.max(np.abs(x), initial=0.0))
    if not np.isfinite(top + 2 * h):
        raise ValueError(f"h must keep x + 2h finite, got h = {h:g} for |x| up to {top:g}")
    if np.any(np.abs(x) + h == np.abs(x)):
        raise ValueError(f"h must be large enough that x + h differs from x, got h = {h:g} for |x| up to {top:g}")


def _value(f):
    """f() as a float; a TypeError naming f if it returns anything but a real number (NaN passes through)."""
    value = f()
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.ndarray)) or np.ndim(value) != 0:
        raise TypeError(f"f must return a real number, got {type(value).__name__} {short(value, 30)}")
    return float(as_array(value, "the value f returned", finite=False))


def round_off(J, h, order=4):
    """The absolute error that rounding J (to about eps |J|) puts into a central difference with step h."""
    J, h = real(J, "J"), positive(h, "h")
    return sum(2 * abs(w) for _, w in STENCILS[_order(order)]) * EPS * abs(J) / h


def _pair(a, b):
    a, b = as_array(a, "a", finite=False), as_array(b, "b", finite=False)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return a, b


def rel_error(a, b):
    """CS231n's relative error: max |a - b| / max(1e-8, |a| + |b|) over all entries; NaN propagates."""
    a, b = _pair(a, b)
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def norm_rel_error(a, b, atol=0.0):
    """Norm-wise relative error max(||a - b|| - atol sqrt(size), 0) / max(||a||, ||b||); 0 when both are 0.

    atol: an absolute error per entry to forgive, such as :func:`round_off` for finite differences.
    """
    a, b = _pair(a, b)
    atol = real(atol, "atol")
    if atol < 0:
        raise ValueError(f"atol must be >= 0, got {atol:g}")
    excess = max(float(np.linalg.norm(a - b)) - atol * np.sqrt(a.size), 0.0)
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return float(excess / scale) if scale > 0 else excess


def network_gradients(net, x, y, loss):
    """Backprop gradients of J = loss(y_hat=net.forward(x), y=y)[0]: dict dJdW1, dJdb1, ..., dJdx.

    loss: loss(y_hat=..., y=...) -> (J, dJ/dy_hat), e.g. ``helpers.losses.mse``.
    The network's gradients are zeroed first, so the result is this one pass.
    """
    as_network(net)
    net.zero_grad()
    _, dJdy_hat = call_loss(loss, net.forward(x), y)
    dJdx = net.backward(dJdy_hat)
    return {**{k: v.copy() for k, v in net.grads.items()}, "dJdx": dJdx}


def gradient_norm(net, x, y, loss):
    """||grad_theta J||: the norm of the gradient of J with respect to all of the network's parameters."""
    grads = network_gradients(net, x, y, loss)
    return float(np.sqrt(sum(np.sum(g**2) for name, g in grads.items() if name != "dJdx")))


def numerical_network_gradients(net, x, y, loss, h=1e-3, order=4):
    """The same dict as :func:`network_gradients`, by finite differences of J.

    Defaults: the five-point stencil with h = 1e-3, truncation error O(h^4) ~ 1e-12 and
    round-off ~ eps |J| / h ~ 1e-13 for a loss of order 1. The network's parameters and cache
    are as they were afterwards.
    """
    as_network(net)
    x = as_array(x, "x")
    cache = net.cache

    def J():
        return call_loss(loss, net.forward(x), y)[0]

    try:
        out = {f"dJd{k}": numerical_gradient(J, v, h, order) for k, v in net.parameters.items()}
        out["dJdx"] = numerical_gradient(J, x, h, order)
    finally:
        net.cache = cache
    return out


def compare(grads, reference, tol, norm=False, atol=0.0):
    """One :class:`~helpers.verdict.Verdict` per key of ``grads`` against ``reference[key]``, made by
    :func:`~helpers.verdict.within`.

    norm=False uses :func:`rel_error` (entry-wise, CS231n); norm=True uses :func:`norm_rel_error`
    with ``atol`` forgiven per entry.
    """
    missing = [k for k in grads if k not in reference]
    if missing:
        raise ValueError(f"reference must have every key of grads; missing {short(missing, 40)}")
    if norm:
        return [within(k, norm_rel_error(grads[k], reference[k], atol), tol, "norm rel err") for k in grads]
    return [within(k, rel_error(grads[k], reference[k]), tol) for k in grads]
