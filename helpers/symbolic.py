"""The same activations, losses and network written in sympy and differentiated by sympy.

This is the independent oracle of the tests and the source of the derivations the notebooks show:
each activation's sympy expression stands in its record, beside the function it checks; this module
builds losses and whole networks from them and differentiates exactly. Importing it imports sympy;
``import helpers`` does not. :mod:`helpers.verify` compares the package against it.
"""

from __future__ import annotations

import functools
import inspect

import mpmath
import numpy as np
import sympy as sp

from helpers._validate import as_array, one_of, shape_is
from helpers.activations import get_activation
from helpers.network import as_network


def _heaviside(x, h0=0.5):
    return mpmath.mpf(1) if x > 0 else (mpmath.mpf(0) if x < 0 else mpmath.mpf(h0))


_MODULES = [{"Heaviside": _heaviside}, "mpmath"]


def activation_expr(spec, z):
    """The sympy expression of an activation (a name or an Activation) at the sympy expression ``z``.

    Read from the activation's record (:data:`helpers.activations.ACTIVATIONS`), with its parameters.
    Softplus is the smooth log(1 + e^{beta z}) / beta: PyTorch's threshold switch is a float shortcut.
    """
    return get_activation(spec).expr(z)


def loss_expr(name, p, y):
    """Per-element loss as a sympy expression of the prediction ``p`` and label ``y``.

    Names: 'mse' (p - y)^2, 'bce' on probabilities, 'bce_with_logits' (p is the logit),
    'perceptron' max(0, -y p), 'adaline' (y - p)^2 / 2, 'tanh_logistic' in the source's form.
    """
    s = 1 / (1 + sp.exp(-p))
    exprs = {
        "mse": lambda: (p - y) ** 2,
        "bce": lambda: -(y * sp.log(p) + (1 - y) * sp.log(1 - p)),
        "bce_with_logits": lambda: -(y * sp.log(s) + (1 - y) * sp.log(1 - s)),
        "perceptron": lambda: sp.Max(0, -y * p),
        "adaline": lambda: (y - p) ** 2 / 2,
        "tanh_logistic": lambda: -((1 + y) * sp.log(1 + sp.tanh(p)) + (1 - y) * sp.log(1 - sp.tanh(p))) / 2,
    }
    one_of(name, tuple(exprs), "loss")
    return exprs[name]()


def derivative(expr, var):
    """d expr / d var by sympy.

    ReLU-like terms u H(u) differentiate to u' H(u) + u u' delta(u); every delta stands beside the
    factor u that vanishes where it fires, so the delta terms are dropped.
    """
    return sp.diff(expr, var).replace(sp.DiracDelta, lambda *args: sp.S.Zero)


def evaluate(expr, values, dps=40):
    """Evaluate a sympy expression at ``{symbol: float}`` with mpmath at ``dps`` digits; returns a float."""
    fn = sp.lambdify(list(values), expr, modules=_MODULES)
    with mpmath.workdps(dps):
        return float(fn(*[mpmath.mpf(float(v)) for v in values.values()]))


def elementwise(expr_of, grid, dps=1000):
    """Evaluate ``expr_of(z)`` (a sympy function of one symbol) at each float of ``grid``; same shape.

    The naive forms cancel catastrophically far out (1 + erf(-21), 1 - tanh(50)^2, log(1 + e^-1600)),
    so the default is 1000 digits: enough for every |z| <= 800 of the tests.
    """
    z = sp.Symbol("z", real=True)
    fn = sp.lambdify(z, expr_of(z), modules=_MODULES)
    grid = np.asarray(grid, dtype=np.float64)
    with mpmath.workdps(dps):
        out = [float(fn(mpmath.mpf(float(v)))) for v in grid.ravel()]
    return np.array(out).reshape(grid.shape)


def loss_of(loss):
    """The per-element sympy name and the reduction of a loss callable, for :func:`network_gradients`.

    loss: ``helpers.losses.mse``/``bce``/``adaline``, a ``functools.partial`` of one with ``reduction``,
    or the homework's ``mse_loss``/``bce_loss``. Returns e.g. ``("mse", "sum")``.
    """
    from helpers import homework, losses

    fn, keywords = (loss.func, dict(loss.keywords)) if isinstance(loss, functools.partial) else (loss, {})
    known = {losses.mse: "mse", losses.bce: "bce", losses.adaline: "adaline",
             homework.mse_loss: "mse", homework.bce_loss: "bce"}  # fmt: skip
    if fn not in known or set(keywords) - {"reduction"}:
        raise ValueError(
            "loss must be helpers.losses.mse, bce or adaline (optionally functools.partial(..., reduction=...)) "
            f"or the homework's mse_loss/bce_loss, to be rebuilt in sympy; got {getattr(fn, '__name__', fn)!r}"
        )
    default = inspect.signature(fn).parameters.get("reduction")
    reduction = keywords.get("reduction", default.default if default else "mean")
    return known[fn], one_of(reduction, ("mean", "sum"), "reduction")


def _objective(net, X, params, y, name, reduction):
    """J as a sympy expression, from sympy matrices X (N, n_0) and params W1, b1, ... (b's as rows (1, n_l))."""
    Z = X
    for layer, act in enumerate(net.activations, start=1):
        pre = Z * params[f"W{layer}"].T + sp.ones(Z.shape[0], 1) * params[f"b{layer}"]
        Z = pre.applyfunc(act.expr)
    terms = [loss_expr(name, Z[i, j], sp.nsimplify(y[i, j])) for i in range(y.shape[0]) for j in range(y.shape[1])]
    return sp.Add(*terms) / (y.size if reduction == "mean" else 1)


def network_gradients(net, x, y, loss, dps=40):
    """Gradients of J = loss(y_hat=net(x), y=y) of a :class:`~helpers.network.Network` at its parameters, by sympy.

    loss: as in :func:`loss_of` (the same callables :func:`helpers.gradcheck.network_gradients` takes).
    Builds the network on one symbol per entry of x (N, n_0) and of every W{l}, b{l}, differentiates
    J with ``sp.diff`` and evaluates with mpmath at ``dps`` digits. Returns the same dict as
    :func:`helpers.gradcheck.network_gradients`: dJdW1, dJdb1, ..., dJdx.
    """
    as_network(net)
    x = as_array(x, "x", ndim=2)
    shape_is(x, (None, net.sizes[0]), "x")
    if len(x) == 0:
        raise ValueError(f"x must hold at least one sample, got shape {x.shape}")
    y = as_array(y, "y", ndim=2)
    shape_is(y, (len(x), net.sizes[-1]), "y")
    name, reduction = loss_of(loss)
    arrays = {"x": x}
    arrays.update({k: (v if v.ndim == 2 else v[None, :]) for k, v in net.parameters.items()})
    mats = {k: sp.Matrix(*v.shape, lambda i, j, k=k: sp.Symbol(f"{k}_{i}_{j}", real=True)) for k, v in arrays.items()}
    J = _objective(net, mats["x"], {k: m for k, m in mats.items() if k != "x"}, y, name, reduction)
    symbols = [s for m in mats.values() for s in m]
    fn = sp.lambdify(symbols, [derivative(J, s) for s in symbols], modules=_MODULES)
    with mpmath.workdps(dps):
        flat = iter(float(g) for g in fn(*[mpmath.mpf(float(e)) for v in arrays.values() for e in v.ravel()]))
    out = {}
    for key, arr in arrays.items():
        shape = arr.shape if key == "x" else net.parameters[key].shape
        out[f"dJd{key}"] = np.array([next(flat) for _ in range(arr.size)]).reshape(shape)
    return out
