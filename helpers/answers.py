"""The answers of problems 1.2(b)-(d) and 1.3(a)-(b) written only in the variables the homework permits.

The homework allows x, y, W1, b1, W2, b2 in (b), and also dl/dy_hat, dz2/dz1, dy_hat/dz3 in (c). The
formulas are LaTeX, said once here: the notebooks show them, :func:`answers` evaluates exactly that
LaTeX (with :mod:`helpers.mathtext`) for one sample, :func:`verify` compares every value with the
network's own backward pass and with sympy, and :mod:`helpers.written` judges a student's written
answer against them. Numerator layout throughout: dl/dy_hat is a row (1, K), dl/dW2 has the shape of
W2^T, (h, K); vectors are columns, as the homework writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from helpers import losses
from helpers import mathtext as mt
from helpers._validate import as_array, one_of, shape_is
from helpers.activations import get_activation
from helpers.gradcheck import network_gradients, rel_error
from helpers.homework import MLP
from helpers.verdict import Report, within

# The pieces of the formulas, in LaTeX.
Z1 = r"W^{(1)}x + b^{(1)}"
DL = r"\frac{\partial \ell}{\partial \hat y}"
DY = r"\frac{\partial \hat y}{\partial z_3}"
DZ = r"\frac{\partial z_2}{\partial z_1}"
F12 = rf"5\big({Z1}\big)^+"
F13 = rf"\tanh\big({Z1}\big)"
Z3_12 = rf"W^{{(2)}} {F12} + b^{{(2)}}"
Z3_13 = rf"W^{{(2)}} {F13} + b^{{(2)}}"
Y13 = rf"\sigma\big({Z3_13}\big)"
RELU_JACOBIAN = rf"\operatorname{{diag}}\big(5 \cdot \mathbf 1[{Z1} > 0]\big)"
TANH_JACOBIAN = rf"\operatorname{{diag}}\Big(1 - \tanh^2\big({Z1}\big)\Big)"
SIGMOID_DIAGONAL = r"\operatorname{diag}\big(\sigma(z_3) \odot (1 - \sigma(z_3))\big)"
SIGMOID_JACOBIAN = rf"{SIGMOID_DIAGONAL}, \quad z_3 = {Z3_13}"
MSE_GRADIENT = r"2(\hat y - y)^\top"
BCE_GRADIENT = r"\tfrac1K \big((\hat y - y) \oslash (\hat y \odot (1 - \hat y))\big)^\top"
UPSTREAM = f"{DL} {DY}"  # dl/dz3 in the permitted variables
THROUGH = f"{DL} {DY} W^{{(2)}} {DZ}"  # dl/dz1

#: The kinds of the names the formulas use (helpers.mathtext's vocabulary).
NETWORK_VOCABULARY = {
    **dict.fromkeys(("x", "y", "b1", "b2", "z1", "z2", "z3", "y_hat"), "vector"),
    **dict.fromkeys(("W1", "W2", "dz2_dz1", "dy_hat_dz3", "dz3_dz2", "dz1_dx"), "matrix"),
    **dict.fromkeys(("dl_dy_hat", "dl_dz3", "dl_dz2", "dl_dz1", "dl_dx"), "row"),
    **dict.fromkeys(("f", "g"), "function"),
    **dict.fromkeys(("n", "h", "K"), "scalar"),
    **dict.fromkeys(("i", "j", "k"), "index"),
}


@dataclass(frozen=True)
class Problem:
    """One of the homework's settings: f, g and the loss, and the LaTeX of its answers in the permitted variables."""

    f: str  # activation spec for get_activation
    f_params: tuple
    g: str
    loss: str  # 'mse' (sum over K, the source's ||y_hat - y||^2) or 'bce' (mean over K)
    z2: str  # f(W1 x + b1)
    y_hat: str
    dz2_dz1: str
    dy_hat_dz3: str
    dl_dy_hat: str

    def activations(self):
        return get_activation(self.f, **dict(self.f_params)), get_activation(self.g)

    def loss_fn(self):
        return partial(losses.mse, reduction="sum") if self.loss == "mse" else partial(losses.bce, reduction="mean")

    def net(self, n, h, K, seed=0):
        f, g = self.activations()
        return MLP(n, h, f, h, K, g, seed=seed)

    def formulas(self):
        """{answer name: (LaTeX of its left side, LaTeX of its formula)}, in the order the notebooks show them."""
        return {
            "y_hat": (r"\hat y", self.y_hat),
            "dl_dy_hat": (DL, rf"{self.dl_dy_hat}, \quad \hat y = {self.y_hat}"),
            "dz2_dz1": (DZ, self.dz2_dz1),
            "dy_hat_dz3": (DY, self.dy_hat_dz3),
            "dl_dW2": (r"\frac{\partial \ell}{\partial W^{(2)}}", rf"{self.z2}\, {UPSTREAM}"),
            "dl_db2": (r"\frac{\partial \ell}{\partial b^{(2)}}", UPSTREAM),
            "dl_dW1": (r"\frac{\partial \ell}{\partial W^{(1)}}", rf"x\, {THROUGH}"),
            "dl_db1": (r"\frac{\partial \ell}{\partial b^{(1)}}", THROUGH),
        }


PROBLEMS = {
    "1.2": Problem("scaled_relu", (("scale", 5.0),), "identity", "mse", F12, Z3_12, RELU_JACOBIAN, "I_K",
                   MSE_GRADIENT),
    "1.3(a)": Problem("tanh", (), "sigmoid", "mse", F13, Y13, TANH_JACOBIAN, SIGMOID_JACOBIAN, MSE_GRADIENT),
    "1.3(b)": Problem("tanh", (), "sigmoid", "bce", F13, Y13, TANH_JACOBIAN, SIGMOID_JACOBIAN, BCE_GRADIENT),
}  # fmt: skip

#: The names of the answers, in the order :func:`answers` returns them.
NAMES = tuple(PROBLEMS["1.2"].formulas())


@dataclass
class Answer:
    """One answer: its name, its left side and formula in the permitted variables (LaTeX), and the value of that
    formula for one sample (vectors as columns)."""

    name: str
    quantity: str
    formula: str
    value: np.ndarray


def answers(problem, x, y, W1, b1, W2, b2):
    """Every answer of ``problem`` ('1.2', '1.3(a)' or '1.3(b)') for one sample: a list of :class:`Answer`, each
    formula's LaTeX evaluated by :mod:`helpers.mathtext`.

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
    values = {"x": x[:, None], "y": y[:, None], "W1": W1, "b1": b1[:, None], "W2": W2, "b2": b2[:, None],
              "n": n, "h": h, "K": K}  # fmt: skip
    rows = []
    for name, (quantity, formula) in p.formulas().items():
        value = mt.evaluate(mt.parse(formula, NETWORK_VOCABULARY), values, shape=(K, K))
        values[name] = value  # the permitted Jacobians of (c) are the values of (d)'s formulas
        rows.append(Answer(name, quantity, formula, value))
    return rows


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
    network_rows = [within(a.name, rel_error(_like(a.value, by_network[a.name]), by_network[a.name]), tol)
                    for a in rows]  # fmt: skip
    sympy_rows = [within(a.name, rel_error(a.value, exact[a.name]), tol) for a in rows[4:]]
    return rows, Report([("against the network:", network_rows), ("against sympy:", sympy_rows)])


def _like(value, reference):
    """``value`` in ``reference``'s shape when it is the same vector laid out otherwise (a column for a 1-D array)."""
    return value.reshape(reference.shape) if value.size == reference.size and value.ndim != reference.ndim else value
