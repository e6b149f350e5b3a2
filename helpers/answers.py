"""The answers of problems 1.2(b)-(d) and 1.3(a)-(b) written only in the variables the homework permits.

The homework allows x, y, W1, b1, W2, b2 in (b), and also dl/dy_hat, dz2/dz1, dy_hat/dz3 in (c).
Each :class:`Answer` pairs the LaTeX a notebook shows with the numpy expression of the same formula,
evaluated from those variables alone for one sample. Numerator layout throughout: dl/dy_hat is a
row (1, K), dl/dW2 has the shape of W2^T, (h, K). :func:`verify` compares every answer with the
network's own backward pass and with sympy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from helpers import losses
from helpers._validate import as_array, one_of, shape_is
from helpers.activations import get_activation
from helpers.gradcheck import network_gradients, rel_error
from helpers.homework import MLP
from helpers.verdict import Report, within


@dataclass(frozen=True)
class Problem:
    """One of the homework's settings: f, g and the loss, with their LaTeX."""

    f: str  # activation spec for get_activation
    f_params: tuple
    g: str
    loss: str  # 'mse' (sum over K, the source's ||y_hat - y||^2) or 'bce' (mean over K)
    f_tex: str  # f applied to a LaTeX argument: "5({})^+"
    g_tex: str
    f_prime_tex: str
    dy_hat_dz3_tex: str  # the Jacobian of g at z3 = W2 f(W1 x + b1) + b2
    dl_dy_hat_tex: str

    def activations(self):
        return get_activation(self.f, **dict(self.f_params)), get_activation(self.g)

    def loss_fn(self):
        return partial(losses.mse, reduction="sum") if self.loss == "mse" else partial(losses.bce, reduction="mean")

    def net(self, n, h, K, seed=0):
        f, g = self.activations()
        return MLP(n, h, f, h, K, g, seed=seed)


Z1 = r"W^{(1)}x + b^{(1)}"
SIGMOID_JACOBIAN = (
    r"\operatorname{diag}\big(\sigma(z_3) \odot (1 - \sigma(z_3))\big), "
    r"\quad z_3 = W^{(2)} \tanh\big(W^{(1)}x + b^{(1)}\big) + b^{(2)}"
)
PROBLEMS = {
    "1.2": Problem("scaled_relu", (("scale", 5.0),), "identity", "mse", r"5\big({}\big)^+", "{}",
                   r"5 \cdot \mathbf 1[{} > 0]", r"I_K", r"2(\hat y - y)^\top"),
    "1.3(a)": Problem("tanh", (), "sigmoid", "mse", r"\tanh\big({}\big)", r"\sigma\big({}\big)",
                      r"1 - \tanh^2\big({}\big)", SIGMOID_JACOBIAN, r"2(\hat y - y)^\top"),
    "1.3(b)": Problem("tanh", (), "sigmoid", "bce", r"\tanh\big({}\big)", r"\sigma\big({}\big)",
                      r"1 - \tanh^2\big({}\big)", SIGMOID_JACOBIAN,
                      r"\tfrac1K \big((\hat y - y) \oslash (\hat y \odot (1 - \hat y))\big)^\top"),
}  # fmt: skip


@dataclass
class Answer:
    """One answer: what it is, its formula in the permitted variables (LaTeX), and its value for one sample."""

    quantity: str  # LaTeX of the left-hand side
    formula: str  # LaTeX of the right-hand side
    value: np.ndarray


def answers(problem, x, y, W1, b1, W2, b2):
    """Every answer of ``problem`` ('1.2', '1.3(a)' or '1.3(b)') for one sample: a list of :class:`Answer`.

    x: (n,), y: (K,), W1: (h, n), b1: (h,), W2: (K, h), b2: (K,).
    """
    p = PROBLEMS[_problem(problem)]
    W1 = as_array(W1, "W1", ndim=2)
    h, n = W1.shape
    x = _shaped(x, "x", (n,), f"n = {n}, the columns of W1")
    b1 = _shaped(b1, "b1", (h,), f"h = {h}, the rows of W1")
    W2 = _shaped(W2, "W2", (None, h), f"h = {h}, the rows of W1")
    K = W2.shape[0]
    y = _shaped(y, "y", (K,), f"K = {K}, the rows of W2")
    b2 = _shaped(b2, "b2", (K,), f"K = {K}, the rows of W2")
    f, g = p.activations()
    z2 = f(W1 @ x + b1)  # f(W1 x + b1): z2, written in the permitted variables
    y_hat = g(W2 @ z2 + b2)  # g(W2 f(W1 x + b1) + b2)
    if p.loss == "mse":
        dl_dy_hat = 2 * (y_hat - y)[None, :]
    else:
        dl_dy_hat = ((y_hat - y) / (y_hat * (1 - y_hat)))[None, :] / y.size
    dz2_dz1 = np.diag(f.deriv(W1 @ x + b1))
    dy_hat_dz3 = np.diag(g.deriv(W2 @ z2 + b2))
    upstream = dl_dy_hat @ dy_hat_dz3  # (1, K)
    through = upstream @ W2 @ dz2_dz1  # (1, h)
    fx = p.f_tex.format(Z1)
    dl, dy, dz = (
        r"\frac{\partial \ell}{\partial \hat y}",
        r"\frac{\partial \hat y}{\partial z_3}",
        r"\frac{\partial z_2}{\partial z_1}",
    )
    z3 = rf"W^{{(2)}} {fx} + b^{{(2)}}"
    return [
        Answer(r"\hat y", p.g_tex.format(z3), y_hat),
        Answer(dl, p.dl_dy_hat_tex + r", \quad \hat y = " + p.g_tex.format(z3), dl_dy_hat),
        Answer(dz, rf"\operatorname{{diag}}\big({p.f_prime_tex.format(Z1)}\big)", dz2_dz1),
        Answer(dy, p.dy_hat_dz3_tex, dy_hat_dz3),
        Answer(r"\frac{\partial \ell}{\partial W^{(2)}}", rf"{fx}\, {dl} {dy}", z2[:, None] @ upstream),
        Answer(r"\frac{\partial \ell}{\partial b^{(2)}}", rf"{dl} {dy}", upstream),
        Answer(r"\frac{\partial \ell}{\partial W^{(1)}}", rf"x\, {dl} {dy} W^{{(2)}} {dz}", x[:, None] @ through),
        Answer(r"\frac{\partial \ell}{\partial b^{(1)}}", rf"{dl} {dy} W^{{(2)}} {dz}", through),
    ]


def _problem(problem):
    """``problem`` if it is a key of :data:`PROBLEMS`, else a ValueError listing them."""
    return one_of(problem, tuple(PROBLEMS), "problem")


def _shaped(value, name, shape, why):
    """``value`` as a float64 array of ``shape`` (None: any size), else an error naming ``name`` and ``why``."""
    arr = as_array(value, name, ndim=len(shape))
    try:
        shape_is(arr, shape, name)
    except ValueError as exc:
        raise ValueError(f"{exc} ({why})") from None
    return arr


#: The names of the answers, in the order :func:`answers` returns them.
NAMES = ("y_hat", "dl_dy_hat", "dz2_dz1", "dy_hat_dz3", "dl_dW2", "dl_db2", "dl_dW1", "dl_db1")


def _numerator_layout(grads):
    """The parameters' gradients of one sample, dJdW1 (h, n), ..., as numerator-layout derivatives dl_dW1 (n, h),
    ..., dl_db1 (1, h): each the transpose (a bias's as a row)."""
    return {f"dl_d{k[3:]}": (v.T if v.ndim == 2 else v[None, :]) for k, v in grads.items() if k != "dJdx"}


def verify(problem, x, y, seed=0, h=4, tol=1e-12):
    """Every answer of ``problem`` for one sample, against the network and against sympy.

    y_hat, dl/dy_hat and the two Jacobians are compared with :func:`helpers.jacobians.mlp_jacobians`;
    the four gradients (in numerator layout) with the network's batched backward pass and with
    sympy's exact derivatives. Entry-wise relative error < ``tol``.
    Returns (the list of :class:`Answer`, a :class:`~helpers.verdict.Report`).
    """
    from helpers import symbolic
    from helpers.jacobians import mlp_jacobians

    p = PROBLEMS[_problem(problem)]
    x, y = as_array(x, "x", ndim=1), as_array(y, "y", ndim=1)
    for arr, name, size in ((x, "x", "n"), (y, "y", "K")):
        if arr.size == 0:
            raise ValueError(f"{name} must hold at least one entry ({size} >= 1), got shape {arr.shape}")
    net = p.net(x.size, h, y.size, seed=seed)
    rows = answers(problem, x, y, *(net.parameters[k] for k in ("W1", "b1", "W2", "b2")))
    jac = mlp_jacobians(net, x, y, p.loss_fn())
    backprop = _numerator_layout(network_gradients(net, x[None, :], y[None, :], p.loss_fn()))
    exact = _numerator_layout(symbolic.network_gradients(net, x[None, :], y[None, :], p.loss_fn()))
    by_network = {**jac, **backprop}
    network_rows = [within(name, rel_error(a.value, by_network[name]), tol) for name, a in zip(NAMES, rows)]
    sympy_rows = [within(name, rel_error(a.value, exact[name]), tol) for name, a in zip(NAMES[4:], rows[4:])]
    return rows, Report([("against the network:", network_rows), ("against sympy:", sympy_rows)])
