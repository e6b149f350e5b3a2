r"""Check a written answer of homework 1: a formula pasted as LaTeX (or typed plainly), judged in the homework's terms.

:func:`check_answer` reads the formula with :mod:`helpers.mathtext`, refuses names the question does not
permit (naming them, with what they stand for), then evaluates the formula and the reference at random
draws of the sizes and of the values, so that a missing transpose shows as a wrong shape and a
coincidence cannot pass. The :class:`Verdict` says: right; or the named mistake of the question's
catalogue (matched numerically on the same draws); or the shape it has and the one numerator layout
gives; or that it differs, and where.

Conventions, as in the notebooks: vectors are columns; numerator layout, so ∂ℓ/∂(vector) is a row,
∂ℓ/∂W⁽¹⁾ has the shape of W⁽¹⁾ᵀ (n×h) and ∂ℓ/∂b⁽¹⁾ is a 1×h row; a missing transpose is wrong: a
column ∂ℓ/∂ŷ (1.2(d)), ∂ℓ/∂z₃ (1.3(b)) or ∂J/∂ŷᵢ (1.5(e)) is denominator layout and is told so.
1.2: f = 5 ReLU, g the identity, ℓ = ‖ŷ − y‖² (the sum); 1.3(a): f = tanh, g = σ, the same ℓ;
1.3(b): the BCE averaged over the K outputs. In every draw the sizes n, h, K are distinct and not 1,
the hidden units z₁ have both signs (none near 0) and the labels of 1.3 hold both classes.

The questions, keys of :data:`QUESTIONS`:

    1.2(b) z1 | z2 | z3 | y_hat                        in x, y, W1, b1, W2, b2
    1.2(c) dl/dW1 | dl/db1 | dl/dW2 | dl/db2          also in ∂ℓ/∂ŷ, ∂z2/∂z1, ∂ŷ/∂z3
    1.2(d) dz2/dz1 | dy_hat/dz3 | dl/dy_hat           z1, z3 and ŷ allowed as abbreviations
    1.3(a) z2 | y_hat | dz2/dz1 | dy_hat/dz3 | dl/dy_hat | dl/dz3 | dl/dW1 | dl/db1 | dl/dW2 | dl/db2
    1.3(b) dl/dy_hat | dl/dz3
    1.4 perceptron | adaline | tanh-logistic           a loss in w, b, x, y (or z, ŷ), right when gradient
                                                      descent on it is the rule w ← w + η(y − ŷ)x
    1.5(a) softmax | softmax with T                   indexed (softmax(z)_i = ...) or as a vector
    1.5(b) w | dw/dx | dw/dy | dw/dz | dw/do          a = x + y, b = z o, c = a b, w = c + z
    1.5(c) ReLU' | LeakyReLU' | Softplus' | GELU'
    1.5(e) J | dJ/dy_hat_i
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from helpers import mathtext as mt
from helpers._validate import one_of
from helpers.activations import sigmoid
from helpers.answers import (  # the formulas of the notebooks' answers: the references, said once
    BCE_GRADIENT,
    DL,
    DY,
    DZ,
    F12,
    F13,
    MSE_GRADIENT,
    NETWORK_VOCABULARY,
    RELU_JACOBIAN,
    SIGMOID_DIAGONAL,
    SIGMOID_JACOBIAN,
    TANH_JACOBIAN,
    THROUGH,
    UPSTREAM,
    Y13,
    Z1,
    Z3_12,
    Z3_13,
)
from helpers.verdict import Verdict

SEED = 20251
TOLERANCE = 1e-8  # relative, entry by entry, between two formulas at one draw
CHECK_STEPS = 12_000  # evaluation steps of one check, at all its draws together (5 times an honest answer's)


@dataclass(frozen=True)
class Mistake:
    """A named mistake: its ``id``, the wrong formula it produces (in the grammar), the ``message``."""

    id: str
    formula: str
    message: str


@dataclass(frozen=True)
class Model:
    """A problem's variables: their kinds, how to draw values, and what each abbreviation stands for.

    draw(rng, sizes) -> values, in mathtext's convention (columns; callables for functions); one draw
    per entry of ``sizes``. dims: the names of the sizes (n, h, K), for messages.
    definitions: name -> LaTeX of what it stands for, in the question's variables (a function:
    (parameter, LaTeX)); hints: the same for names that are described but not substituted.
    columns: the gradients ∂ℓ/∂(vector), which denominator layout writes as columns.
    defaults: values for names an answer may leave out (LeakyReLU's slope a or α, Softplus's β).
    describe(values): one draw in words, for messages.
    """

    vocabulary: dict
    draw: object
    sizes: tuple
    dims: tuple = ()
    definitions: dict = field(default_factory=dict)
    hints: dict = field(default_factory=dict)
    columns: tuple = ()
    defaults: dict = field(default_factory=dict)
    describe: object = None


@dataclass(frozen=True)
class Question:
    """One formula the homework asks for.

    asked: LaTeX of its left side; shown: the same in Unicode, for messages; lhs: what a pasted left side
    may name (mathtext's keys: 'dl_dW1', 'z2', 'l', 'softmax', "relu'"); permitted: the names the answer
    may use (the model's sizes and indices are always allowed); check: 'value' (equal to the reference
    at every draw) or 'loss' (gradient descent on it is the update rule); free_index: (index, size,
    'entries' | 'samples') when the answer holds an index that no sum binds; note: said when right;
    default_note: said when right and the answer left out a name of the reference that has a default (β).
    """

    key: str
    asked: str
    shown: str
    lhs: tuple
    model: str
    permitted: tuple
    reference: str
    mistakes: tuple = ()
    check: str = "value"
    free_index: tuple = ()
    note: str = ""
    forbidden_functions: tuple = ()
    default_note: str = ""

    @property
    def part(self) -> str:
        return self.key.split(" ")[0]


# ----------------------------------------------------------------------------------------------------
# The models: variables and random draws


def _hidden_of_both_signs(rng, n, h):
    """W1 (h, n), x (n, 1), b1 (h, 1) with z1 = W1 x + b1 of both signs, every |entry| > 0.1."""
    while True:
        W1, x, b1 = rng.normal(size=(h, n)), rng.normal(size=(n, 1)), rng.normal(size=(h, 1))
        z1 = W1 @ x + b1
        if (z1 > 0.1).any() and (z1 < -0.1).any() and np.abs(z1).min() > 0.1:
            return W1, x, b1


def _network(f, df, g, dg, loss):
    """Draws of the 2-layer network for one sample: every variable of 1.2 and 1.3, in numerator layout.

    loss: 'mse' (the sum of squares, with real targets), 'mse classes' (the same, with labels in {0, 1}) or
    'bce' (averaged over the K outputs, labels in {0, 1}); labels always hold both classes."""

    def draw(rng, sizes):
        n, h, K = sizes
        W1, x, b1 = _hidden_of_both_signs(rng, n, h)
        W2, b2 = rng.normal(size=(K, h)), rng.normal(size=(K, 1))
        z1 = W1 @ x + b1
        z2 = f(z1)
        z3 = W2 @ z2 + b2
        y_hat = g(z3)
        y = rng.normal(size=(K, 1)) if loss == "mse" else rng.permutation(np.arange(K) % 2).astype(float)[:, None]
        if loss == "bce":
            dl_dy_hat = ((y_hat - y) / (y_hat * (1 - y_hat))).T / K
        else:
            dl_dy_hat = 2 * (y_hat - y).T
        dz2_dz1, dy_hat_dz3 = np.diag(df(z1).ravel()), np.diag(dg(z3).ravel())
        dl_dz3 = dl_dy_hat @ dy_hat_dz3
        dl_dz1 = dl_dz3 @ W2 @ dz2_dz1
        return dict(
            x=x, y=y, W1=W1, b1=b1, W2=W2, b2=b2, z1=z1, z2=z2, z3=z3, y_hat=y_hat, n=n, h=h, K=K, f=f, g=g,
            dl_dy_hat=dl_dy_hat, dz2_dz1=dz2_dz1, dy_hat_dz3=dy_hat_dz3, dz3_dz2=W2, dz1_dx=W1,
            dl_dz3=dl_dz3, dl_dz2=dl_dz3 @ W2, dl_dz1=dl_dz1, dl_dx=dl_dz1 @ W1,
        )  # fmt: skip

    return draw


def _scaled_relu(u):
    return 5 * np.maximum(u, 0.0)


def _d_scaled_relu(u):
    return 5 * (u > 0).astype(float)


def _identity(u):
    return np.array(u, dtype=float)


def _d_tanh(u):
    return 1 - np.tanh(u) ** 2


def _d_sigmoid(u):
    return sigmoid(u) * sigmoid(-u)


NETWORK_SIZES = ((3, 4, 2), (2, 5, 3), (4, 3, 5), (5, 2, 4), (3, 5, 4))  # (n, h, K): distinct, none 1
NETWORK_COLUMNS = ("dl_dy_hat", "dl_dz3", "dl_dz2", "dl_dz1", "dl_dx")


def _network_model(activations, loss, fx, z3, y_hat, f, g, dz2_dz1, dy_hat_dz3, dl_dy_hat):
    definitions = {
        "z1": Z1, "z2": fx, "z3": z3, "y_hat": y_hat, "f": ("u", f), "g": ("u", g), "dz2_dz1": dz2_dz1,
        "dy_hat_dz3": dy_hat_dz3, "dl_dy_hat": dl_dy_hat, "dz3_dz2": "W^{(2)}", "dz1_dx": "W^{(1)}",
        "dl_dz3": f"{DL} {DY}", "dl_dz2": f"{DL} {DY} W^{{(2)}}", "dl_dz1": f"{DL} {DY} W^{{(2)}} {DZ}",
        "dl_dx": f"{DL} {DY} W^{{(2)}} {DZ} W^{{(1)}}",
    }  # fmt: skip
    return Model(
        NETWORK_VOCABULARY, _network(*activations, loss), NETWORK_SIZES, ("n", "h", "K"), definitions,
        columns=NETWORK_COLUMNS, describe=lambda v: f"n = {v['n']}, h = {v['h']}, K = {v['K']}",
    )  # fmt: skip


def _linear_draw(predict):
    """1.4: one sample with label y = ±1 and margin y z set by ``sizes`` = (d, y, y z)."""

    def draw(rng, sizes):
        d, y, margin = sizes
        w, x = rng.normal(size=(d, 1)), rng.normal(size=(d, 1))
        z = margin * y
        b = z - (w.T @ x).item()
        return dict(w=w, x=x, b=b, y=float(y), z=z, y_hat=float(predict(z)), C=0.7, d=d)

    return draw


LINEAR_VOCABULARY = {
    **dict.fromkeys(("w", "x"), "vector"),
    **dict.fromkeys(("b", "y", "z", "y_hat", "C", "d"), "scalar"),
}
# (d, y, y z): misclassified (y z < 0) and right, inside the margin (0 < y z < 1) and outside it
LINEAR_SIZES = ((2, 1, -1.7), (3, -1, -0.6), (4, 1, -0.3), (3, -1, 0.45), (2, 1, 0.8), (4, -1, 1.6), (3, 1, 2.3))
LINEAR_Z = r"b + w^\top x"
PREDICT = {"perceptron": np.sign, "adaline": _identity, "tanh-logistic": np.tanh}
PREDICT_TEX = {
    "perceptron": rf"\operatorname{{sign}}({LINEAR_Z})",
    "adaline": LINEAR_Z,
    "tanh-logistic": rf"\tanh({LINEAR_Z})",
}


def _linear_model(name):
    return Model(
        LINEAR_VOCABULARY, _linear_draw(PREDICT[name]), LINEAR_SIZES, ("d",),
        {"z": LINEAR_Z, "y_hat": PREDICT_TEX[name]}, describe=lambda v: f"y = {v['y']:+.0f}, z = {v['z']:.3g}",
    )  # fmt: skip


def _softmax_draw(rng, sizes):
    K, T = sizes
    return dict(z=1.5 * rng.normal(size=(K, 1)), K=K, T=T)


SOFTMAX_VOCABULARY = {"z": "vector", "K": "scalar", "i": "index", "j": "index", "k": "index"}
SOFTMAX_SIZES = ((3, 0.5), (4, 2.3), (5, 0.35), (4, 1.7), (3, 3.0))  # (K, T): T far from 1


def _graph_draw(rng, sizes):
    """1.5(b): x, y, z, o with the signs ``sizes`` and sizes in [0.4, 2], and the graph's nodes."""
    x, y, z, o = (sign * rng.uniform(0.4, 2.0) for sign in sizes)
    a, b = x + y, z * o
    return dict(x=x, y=y, z=z, o=o, a=a, b=b, c=a * b, w=a * b + z)


GRAPH_VOCABULARY = dict.fromkeys(("x", "y", "z", "o", "a", "b", "c", "w"), "scalar")
GRAPH_SIZES = ((1, 1, 1, 1), (1, -1, 1, -1), (-1, 1, -1, 1), (-1, -1, 1, 1), (1, 1, -1, -1), (-1, 1, 1, -1))


def _activation_draw(rng, sizes):
    """1.5(c): x (``sizes``), LeakyReLU's slope (a or α) and Softplus's β, far from 1 (above or below)."""
    slope = rng.uniform(0.05, 0.4)
    beta = rng.uniform(1.3, 3.0) ** rng.choice([-1, 1])
    return dict(x=float(sizes), a=slope, alpha=slope, beta=beta)


ACTIVATION_VOCABULARY = dict.fromkeys(("x", "a", "alpha", "beta"), "scalar")
ACTIVATION_SIZES = (-2.6, -1.4, -0.7, -0.3, 0.35, 0.9, 1.5, 2.4)  # x, away from the kink at 0


def _objective_draw(rng, sizes):
    """1.5(e): N samples x_i (n, 1), targets y_i (K, 1), a network F_θ(x) = tanh(A x + c), ŷ_i = F_θ(x_i)."""
    N, K, n = sizes
    A, c = rng.normal(size=(K, n)), rng.normal(size=(K, 1))

    def F(u):
        return np.tanh(A @ u + c)

    x, y = rng.normal(size=(N, n, 1)), rng.normal(size=(N, K, 1))
    y_hat = np.stack([F(xi) for xi in x])
    return dict(x=x, y=y, y_hat=y_hat, F=F, F_theta=F, N=N, K=K, n=n, l=np.sum((y_hat - y) ** 2, axis=(1, 2)))


OBJECTIVE_VOCABULARY = {
    **dict.fromkeys(("x", "y", "y_hat", "l"), "samples"),
    **dict.fromkeys(("F", "F_theta"), "function"),
    **dict.fromkeys(("N", "K", "n"), "scalar"),
    **dict.fromkeys(("i", "j", "k"), "index"),
}
OBJECTIVE_SIZES = ((4, 3, 2), (3, 2, 5), (5, 4, 3), (4, 2, 3))  # (N, K, n)

MODELS = {
    "1.2": _network_model(
        (_scaled_relu, _d_scaled_relu, _identity, np.ones_like), "mse", F12, Z3_12, Z3_12, "5(u)^+", "u",
        RELU_JACOBIAN, "I_K", MSE_GRADIENT,
    ),
    "1.3(a)": _network_model(
        (np.tanh, _d_tanh, sigmoid, _d_sigmoid), "mse classes", F13, Z3_13, Y13, r"\tanh(u)", r"\sigma(u)",
        TANH_JACOBIAN, SIGMOID_DIAGONAL, MSE_GRADIENT,
    ),
    "1.3(b)": _network_model(
        (np.tanh, _d_tanh, sigmoid, _d_sigmoid), "bce", F13, Z3_13, Y13, r"\tanh(u)", r"\sigma(u)",
        TANH_JACOBIAN, SIGMOID_DIAGONAL, BCE_GRADIENT,
    ),
    **{f"1.4 {name}": _linear_model(name) for name in PREDICT},
    "1.5(a)": Model(SOFTMAX_VOCABULARY, _softmax_draw, SOFTMAX_SIZES, ("K",), describe=lambda v: f"K = {v['K']}"),
    "1.5(a) T": Model(
        SOFTMAX_VOCABULARY | {"T": "scalar"}, _softmax_draw, SOFTMAX_SIZES, ("K",),
        describe=lambda v: f"K = {v['K']}, T = {v['T']}",
    ),
    "1.5(b)": Model(
        GRAPH_VOCABULARY, _graph_draw, GRAPH_SIZES, (),
        {"a": "x + y", "b": "z o", "c": "(x + y) z o", "w": "(x + y) z o + z"},
        describe=lambda v: ", ".join(f"{k} = {v[k]:.3g}" for k in "xyzo"),
    ),
    "1.5(c)": Model(
        ACTIVATION_VOCABULARY, _activation_draw, ACTIVATION_SIZES, (),
        defaults={("a", "alpha"): 0.01, ("beta",): 1.0}, describe=lambda v: f"x = {v['x']:g}",
    ),
    "1.5(e)": Model(
        OBJECTIVE_VOCABULARY, _objective_draw, OBJECTIVE_SIZES, ("N", "K", "n"),
        hints={"l": r"\ell_i = \lVert F_\theta(x_i) - y_i \rVert^2"}, describe=lambda v: f"N = {v['N']}, K = {v['K']}",
    ),
}  # fmt: skip

# ----------------------------------------------------------------------------------------------------
# The questions and their mistakes: a table, laid out by hand (one mistake a line)

# fmt: off
NET_B = ("x", "y", "W1", "b1", "W2", "b2")
NET_C = (*NET_B, "dl_dy_hat", "dz2_dz1", "dy_hat_dz3")
NET_D = (*NET_B, "z1", "z3", "y_hat")
W_SHAPED = ("that is the gradient shaped like {W} ({shape}), what a descent step subtracts (denominator layout); "
            "numerator layout makes ∂ℓ/∂{W} its transpose, {T}")
COLUMN = ("that is a column ({shape}), denominator layout: numerator layout makes {what} a row, {T}; "
          "a missing transpose is wrong")
NO_G_PRIME = "∂ŷ/∂z₃ is missing: g = σ is no longer the identity"
NO_5 = "the 5 of f = 5(·)⁺ is missing"
NO_PLUS = "the ⁺ of f = 5(·)⁺ is missing: its negative entries become 0"


def _forward_questions(part):
    if part == "1.3(a)":
        return [
            Question("1.3(a) z2", "z_2", "z₂", ("z2",), "1.3(a)", NET_B, F13, (
                Mistake("sigmoid-for-tanh", rf"\sigma\big({Z1}\big)",
                        "f = tanh in 1.3; σ is g, the output's activation"),
                Mistake("relu-of-1.2", F12, "that is the f of 1.2; in 1.3 f = tanh"),
            )),
            Question("1.3(a) y_hat", r"\hat y", "ŷ", ("y_hat",), "1.3(a)", NET_B, Y13, (
                Mistake("no-g", Z3_13, "g = σ is missing: ŷ = σ(z₃)"),
                Mistake("swapped", rf"\tanh\big(W^{{(2)}} \sigma\big({Z1}\big) + b^{{(2)}}\big)",
                        "f and g are swapped: f = tanh inside, g = σ outside"),
            )),
        ]
    z3_mistakes = (
        Mistake("no-b2", rf"W^{{(2)}} {F12}", "b⁽²⁾ is missing: z₃ = W⁽²⁾z₂ + b⁽²⁾"),
        Mistake("no-f", rf"W^{{(2)}}\big({Z1}\big) + b^{{(2)}}", "f is missing: z₃ = W⁽²⁾ f(W⁽¹⁾x + b⁽¹⁾) + b⁽²⁾"),
        Mistake("missing-5", rf"W^{{(2)}}\big({Z1}\big)^+ + b^{{(2)}}", NO_5),
        Mistake("no-relu", rf"W^{{(2)}} 5\big({Z1}\big) + b^{{(2)}}", NO_PLUS),
    )
    return [
        Question("1.2(b) z1", "z_1", "z₁", ("z1",), "1.2", NET_B, Z1, (
            Mistake("no-b1", r"W^{(1)}x", "b⁽¹⁾ is missing: z₁ = W⁽¹⁾x + b⁽¹⁾"),
        )),
        Question("1.2(b) z2", "z_2", "z₂", ("z2",), "1.2", NET_B, F12, (
            Mistake("missing-5", rf"\big({Z1}\big)^+", NO_5),
            Mistake("no-relu", rf"5\big({Z1}\big)", NO_PLUS),
            Mistake("f-prime-for-f", rf"5 \cdot \mathbf 1[{Z1} > 0]",
                    "that is f′(z₁), the derivative; z₂ = f(z₁) = 5(z₁)⁺"),
            Mistake("z1-for-z2", Z1, "that is z₁; z₂ = f(z₁) = 5(z₁)⁺"),
        )),
        Question("1.2(b) z3", "z_3", "z₃", ("z3",), "1.2", NET_B, Z3_12, z3_mistakes),
        Question("1.2(b) y_hat", r"\hat y", "ŷ", ("y_hat",), "1.2", NET_B, Z3_12, z3_mistakes),
    ]


def _gradient_questions(part):
    """The four parameter gradients of 1.2(c) (and of 1.3(a)), in numerator layout."""
    model, fx = ("1.2", F12) if part == "1.2(c)" else ("1.3(a)", F13)
    dl_dw1 = [
        Mistake("W-shaped", rf"\big({THROUGH}\big)^\top x^\top",
                W_SHAPED.format(W="W⁽¹⁾", shape="h×n", T="n×h: x ∂ℓ/∂z₁")),
        Mistake("no-f-prime", rf"x\, {UPSTREAM} W^{{(2)}}", "∂z₂/∂z₁ is missing: the path to W⁽¹⁾ passes through f"),
        Mistake("dl-db1", THROUGH, "that is ∂ℓ/∂b⁽¹⁾; ∂ℓ/∂W⁽¹⁾ also carries x: x ∂ℓ/∂z₁"),
    ]
    dl_db1 = [
        Mistake("column", rf"\big({THROUGH}\big)^\top", COLUMN.format(shape="h×1", what="∂ℓ/∂b⁽¹⁾", T="1×h")),
        Mistake("no-f-prime", rf"{UPSTREAM} W^{{(2)}}", "∂z₂/∂z₁ is missing: the path to b⁽¹⁾ passes through f"),
    ]
    dl_dw2 = [
        Mistake("W-shaped", rf"\big({UPSTREAM}\big)^\top \big({fx}\big)^\top",
                W_SHAPED.format(W="W⁽²⁾", shape="K×h", T="h×K: z₂ ∂ℓ/∂z₃")),
        Mistake("z1-for-z2", rf"\big({Z1}\big) {UPSTREAM}", "that uses z₁ where z₂ = f(z₁) belongs"),
    ]
    dl_db2 = [
        Mistake("column", rf"\big({UPSTREAM}\big)^\top", COLUMN.format(shape="K×1", what="∂ℓ/∂b⁽²⁾", T="1×K")),
        Mistake("dl-dz2", rf"{UPSTREAM} W^{{(2)}}",
                "that is ∂ℓ/∂z₂; b⁽²⁾ enters at z₃ = W⁽²⁾z₂ + b⁽²⁾, where ∂z₃/∂b⁽²⁾ = I"),
    ]
    if part == "1.2(c)":  # g is the identity: ∂ŷ/∂z3 = I, and leaving it out is no mistake
        dl_dw2 += [
            Mistake("missing-5", rf"\big({Z1}\big)^+ {UPSTREAM}", "z₂ = 5(W⁽¹⁾x + b⁽¹⁾)⁺: the 5 is missing"),
            Mistake("f-prime-for-f", rf"5 \cdot \mathbf 1[{Z1} > 0] {UPSTREAM}",
                    "that uses f′(z₁) where z₂ = f(z₁) belongs"),
        ]
    else:
        dl_dw1.append(Mistake("no-dy-hat-dz3", rf"x\, {DL} W^{{(2)}} {DZ}", NO_G_PRIME))
        dl_db1.append(Mistake("no-dy-hat-dz3", rf"{DL} W^{{(2)}} {DZ}", NO_G_PRIME))
        dl_dw2 += [
            Mistake("f-prime-for-f", rf"\big(1 - \tanh^2({Z1})\big) {UPSTREAM}",
                    "that uses f′(z₁) where z₂ = f(z₁) belongs"),
            Mistake("no-dy-hat-dz3", rf"{fx}\, {DL}", NO_G_PRIME),
            Mistake("relu-of-1.2", rf"{F12}\, {UPSTREAM}", "that uses z₂ = 5(W⁽¹⁾x + b⁽¹⁾)⁺ of 1.2; in 1.3 f = tanh"),
        ]
        dl_db2.append(Mistake("no-dy-hat-dz3", DL, NO_G_PRIME))

    def question(name, shown, reference, mistakes):
        asked = rf"\frac{{\partial \ell}}{{\partial {mt.name_latex(name)}}}"
        return Question(f"{part} dl/d{name}", asked, shown, (f"dl_d{name}",), model, NET_C, reference, tuple(mistakes))

    return [
        question("W1", "∂ℓ/∂W⁽¹⁾", rf"x\, {THROUGH}", dl_dw1),
        question("b1", "∂ℓ/∂b⁽¹⁾", THROUGH, dl_db1),
        question("W2", "∂ℓ/∂W⁽²⁾", rf"{fx}\, {UPSTREAM}", dl_dw2),
        question("b2", "∂ℓ/∂b⁽²⁾", UPSTREAM, dl_db2),
    ]


def _dl_dy_hat_question(part):
    if part == "1.3(b)":
        body = r"\big((\hat y - y) \oslash (\hat y \odot (1 - \hat y))\big)"
        return Question("1.3(b) dl/dy_hat", DL, "∂ℓ/∂ŷ", ("dl_dy_hat",), "1.3(b)", NET_D, BCE_GRADIENT, (
            Mistake("column", rf"\tfrac1K {body}", COLUMN.format(shape="K×1", what="∂ℓ/∂ŷ", T="1×K")),
            Mistake("missing-1/K", rf"{body}^\top", "the BCE is the mean over the K outputs: the 1/K is missing"),
            Mistake("sign", r"\tfrac1K \big((y - \hat y) \oslash (\hat y \odot (1 - \hat y))\big)^\top",
                    "the sign is flipped"),
            Mistake("dl-dz3", r"\tfrac1K (\hat y - y)^\top",
                    "that is ∂ℓ/∂z₃, after the cancellation; ∂ℓ/∂ŷ still has the denominator ŷ ⊙ (1 − ŷ)"),
            Mistake("mse", MSE_GRADIENT, "that is the gradient of the squared error (1.3(a)), not of the BCE"),
        ))
    model = "1.2" if part == "1.2(d)" else "1.3(a)"
    return Question(f"{part} dl/dy_hat", DL, "∂ℓ/∂ŷ", ("dl_dy_hat",), model, NET_D, MSE_GRADIENT, (
        Mistake("column", r"2(\hat y - y)", COLUMN.format(shape="K×1", what="∂ℓ/∂ŷ", T="1×K: 2(ŷ − y)ᵀ")),
        Mistake("missing-2", r"(\hat y - y)^\top", "ℓ = ‖ŷ − y‖² has the derivative 2(ŷ − y)ᵀ: the 2 is missing"),
        Mistake("sign", r"2(y - \hat y)^\top", "the sign is flipped: ∂ℓ/∂ŷ = 2(ŷ − y)ᵀ"),
        Mistake("mean", r"\frac{2}{K}(\hat y - y)^\top", "ℓ = ‖ŷ − y‖² is the sum over the K outputs, not the mean"),
    ))


DIAGONAL = "that is the diagonal only, a column; {what} is the {n}×{n} matrix {M}"


def _jacobian_questions(part):
    if part == "1.2(d)":
        return [
            Question("1.2(d) dz2/dz1", DZ, "∂z₂/∂z₁", ("dz2_dz1",), "1.2", NET_D, RELU_JACOBIAN, (
                Mistake("diagonal-only", rf"5 \cdot \mathbf 1[{Z1} > 0]",
                        DIAGONAL.format(what="∂z₂/∂z₁", n="h", M="diag(5·1[z₁ > 0])")),
                Mistake("f-for-f-prime", rf"\operatorname{{diag}}\big(5({Z1})^+\big)",
                        "that is diag(f(z₁)); the Jacobian holds the derivative f′(z₁) = 5·1[z₁ > 0]"),
                Mistake("missing-5", rf"\operatorname{{diag}}\big(\mathbf 1[{Z1} > 0]\big)",
                        "f = 5(·)⁺ has the slope 5, not 1"),
                Mistake("mirrored", rf"\operatorname{{diag}}\big(5 \cdot \mathbf 1[{Z1} < 0]\big)",
                        "f′ is 5 where z₁ > 0 and 0 where z₁ < 0: the condition is reversed"),
            ), note="the value at z₁ = 0, where ReLU has no derivative, is not judged"),
            Question("1.2(d) dy_hat/dz3", DY, "∂ŷ/∂z₃", ("dy_hat_dz3",), "1.2", NET_D, "I_K", (
                Mistake("number-one", "1", "∂ŷ/∂z₃ is the K×K identity matrix I_K, not the number 1"),
                Mistake("g-for-g-prime", r"\operatorname{diag}(z_3)",
                        "that is diag(g(z₃)); g′ = 1, so the Jacobian is I_K"),
            )),
        ]
    return [
        Question("1.3(a) dz2/dz1", DZ, "∂z₂/∂z₁", ("dz2_dz1",), "1.3(a)", NET_D, TANH_JACOBIAN, (
            Mistake("diagonal-only", rf"1 - \tanh^2\big({Z1}\big)",
                    DIAGONAL.format(what="∂z₂/∂z₁", n="h", M="diag(1 − tanh²(z₁))")),
            Mistake("f-for-f-prime", rf"\operatorname{{diag}}\big(\tanh({Z1})\big)",
                    "that is diag(f(z₁)); the Jacobian holds f′(z₁) = 1 − tanh²(z₁)"),
            Mistake("square-missing", rf"\operatorname{{diag}}\big(1 - \tanh({Z1})\big)",
                    "tanh′ = 1 − tanh²: the square is missing"),
        )),
        Question("1.3(a) dy_hat/dz3", DY, "∂ŷ/∂z₃", ("dy_hat_dz3",), "1.3(a)", NET_D, SIGMOID_JACOBIAN, (
            Mistake("diagonal-only", r"\sigma(z_3) \odot (1 - \sigma(z_3))",
                    DIAGONAL.format(what="∂ŷ/∂z₃", n="K", M="diag(σ(z₃) ⊙ (1 − σ(z₃)))")),
            Mistake("sigma-for-sigma-prime", r"\operatorname{diag}(\sigma(z_3))",
                    "that is diag(σ(z₃)); the Jacobian holds σ′(z₃) = σ(z₃) ⊙ (1 − σ(z₃))"),
            Mistake("identity-of-1.2", "I_K", "g = σ now, not the identity: ∂ŷ/∂z₃ = diag(σ′(z₃))"),
        )),
    ]


def _dl_dz3_question(part):
    permitted = (*NET_D, "dl_dy_hat", "dy_hat_dz3")
    asked = r"\frac{\partial \ell}{\partial z_3}"
    if part == "1.3(a)":
        mse = r"2(\hat y - y)^\top \operatorname{diag}\big(\hat y \odot (1 - \hat y)\big)"
        return Question("1.3(a) dl/dz3", asked, "∂ℓ/∂z₃", ("dl_dz3",), "1.3(a)", permitted, mse, (
            Mistake("column", r"\operatorname{diag}\big(\hat y \odot (1 - \hat y)\big) 2(\hat y - y)",
                    COLUMN.format(shape="K×1", what="∂ℓ/∂z₃", T="1×K")),
            Mistake("no-sigma-prime", MSE_GRADIENT, "that is ∂ℓ/∂ŷ; ∂ℓ/∂z₃ also carries ∂ŷ/∂z₃ = diag(σ′(z₃))"),
            Mistake("bce-cancellation", r"(\hat y - y)^\top",
                    "σ′ cancels only with the BCE (1.3(b)); with the squared error "
                    "∂ℓ/∂z₃ = 2(ŷ − y)ᵀ diag(ŷ ⊙ (1 − ŷ))"),
        ))
    bce = r"\tfrac1K (\hat y - y)^\top"
    return Question("1.3(b) dl/dz3", asked, "∂ℓ/∂z₃", ("dl_dz3",), "1.3(b)", permitted, bce, (
        Mistake("column", r"\tfrac1K (\hat y - y)", COLUMN.format(shape="K×1", what="∂ℓ/∂z₃", T="1×K: (1/K)(ŷ − y)ᵀ")),
        Mistake("missing-1/K", r"(\hat y - y)^\top", "the BCE is the mean over the K outputs: the 1/K is missing"),
        Mistake("sign", r"\tfrac1K (y - \hat y)^\top", "the sign is flipped: ∂ℓ/∂z₃ = (1/K)(ŷ − y)ᵀ"),
        Mistake("sigma-prime-kept", rf"{bce} \operatorname{{diag}}\big(\hat y \odot (1 - \hat y)\big)",
                "the σ′ cancels: ∂ℓ/∂ŷ has the denominator ŷ ⊙ (1 − ŷ), and ∂ŷ/∂z₃ = diag(ŷ ⊙ (1 − ŷ))"),
        Mistake("dl-dy-hat", BCE_GRADIENT,
                "that is ∂ℓ/∂ŷ; multiply by ∂ŷ/∂z₃ = diag(ŷ ⊙ (1 − ŷ)), which cancels its denominator"),
    ))


LINEAR_ALL = ("w", "b", "x", "y", "z", "y_hat", "C")
MARGIN = r"y(b + w^\top x)"
RULE = "the perceptron rule"


def _loss_questions():
    def question(name, reference, mistakes, note=""):
        key = f"1.4 {name}"
        return Question(key, r"\ell", "ℓ", ("l",), key, LINEAR_ALL, reference, mistakes, "loss", note=note)

    return [
        question("perceptron", rf"\max(0, -{MARGIN})", (
            Mistake("hinge", rf"\max(0, 1 - {MARGIN})",
                    "that is the hinge loss (SVM): it also moves correctly classified "
                    f"samples inside the margin 0 < y z < 1, which {RULE} leaves alone"),
            Mistake("no-max", rf"-{MARGIN}", f"−yz alone also moves correctly classified samples; {RULE} moves only "
                    "misclassified ones: max(0, −yz)"),
            Mistake("flipped", rf"\max(0, {MARGIN})",
                    "the sign of yz is flipped: this loss is positive on correctly classified samples"),
            Mistake("squared", rf"\max(0, -{MARGIN})^2",
                    f"squaring makes the step grow with |z|; {RULE}'s step does not"),
        ), note="at y z = 0, where max(0, −yz) has a kink, it is not judged"),
        question("adaline", rf"\frac12 (y - ({LINEAR_Z}))^2", (
            Mistake("absolute", rf"\lvert y - ({LINEAR_Z}) \rvert",
                    "the gradient of the absolute error is ±x, not proportional to the error y − ŷ"),
            Mistake("perceptron", rf"\max(0, -{MARGIN})",
                    "that is the perceptron's loss; Adaline's rule steps by the error y − ŷ, with ŷ = z, "
                    "on every sample"),
            Mistake("hinge", rf"\max(0, 1 - {MARGIN})",
                    "that is the hinge loss; Adaline's rule steps by the error y − ŷ"),
        )),
        question("tanh-logistic", rf"\ln\big(1 + e^{{-2{MARGIN}}}\big)", (
            Mistake("squared-error", rf"\frac12 (y - \tanh({LINEAR_Z}))^2",
                    "its gradient carries tanh′(z) = 1 − ŷ²: descent steps by (y − ŷ)(1 − ŷ²)x, not (y − ŷ)x"),
            Mistake("logit-z", rf"\ln\big(1 + e^{{-{MARGIN}}}\big)",
                    "that is the logistic loss of z; ŷ = tanh z = 2σ(2z) − 1 needs it of 2z: ln(1 + e^{−2yz})"),
            Mistake("adaline", rf"\frac12 (y - ({LINEAR_Z}))^2", "that is Adaline's loss, for ŷ = z; here ŷ = tanh z"),
        )),
    ]


def _softmax_questions():
    permitted = ("z", "K", "i", "j", "k")
    common = dict(free_index=("i", "K", "entries"), forbidden_functions=("softmax",))
    lhs = ("softmax", "softargmax", "sigma")  # the homework's name, and Wikipedia's σ(z)_i
    return [
        Question("1.5(a) softmax", r"\operatorname{softmax}(z)_i", "softmax(z)ᵢ", lhs, "1.5(a)", permitted,
                 r"\frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}", (
            Mistake("no-exp-below", r"\frac{e^{z_i}}{\sum_j z_j}",
                    "the denominator sums e^{z_j}, not z_j: then the outputs sum to 1"),
            Mistake("no-exp", r"\frac{z_i}{\sum_j z_j}",
                    "without e^{·} an output can be negative: softmax is e^{z_i} / Σ_j e^{z_j}"),
            Mistake("log-softmax", r"z_i - \ln \sum_j e^{z_j}", "that is log softmax(z)_i; softmax is its exponential"),
            Mistake("sigmoid", r"\sigma(z_i)",
                    "σ squashes each entry alone; softmax divides by the sum over all of them"),
        ), **common),
        Question("1.5(a) softmax with T", r"\operatorname{softmax}(z / T)_i", "softmax(z/T)ᵢ", lhs, "1.5(a) T",
                 (*permitted, "T"), r"\frac{e^{z_i/T}}{\sum_{j=1}^{K} e^{z_j/T}}", (
            Mistake("no-temperature", r"\frac{e^{z_i}}{\sum_j e^{z_j}}",
                    "the temperature T is missing: e^{z_i/T} / Σ_j e^{z_j/T}"),
            Mistake("times-T", r"\frac{e^{T z_i}}{\sum_j e^{T z_j}}", "the logits are divided by T, not multiplied"),
            Mistake("T-in-numerator-only", r"\frac{e^{z_i/T}}{\sum_j e^{z_j}}",
                    "the sum below needs the same e^{z_j/T}"),
            Mistake("T-outside", r"\frac{1}{T}\frac{e^{z_i}}{\sum_j e^{z_j}}",
                    "T divides the logits inside e^{·}, not the result"),
        ), **common),
    ]


def _graph_questions():
    permitted = ("x", "y", "z", "o", "a", "b", "c")

    def question(var, reference, mistakes):
        if var is None:
            return Question("1.5(b) w", "w", "w", ("w",), "1.5(b)", permitted, reference, mistakes)
        asked = rf"\frac{{\partial w}}{{\partial {var}}}"
        key, shown, lhs = f"1.5(b) dw/d{var}", f"∂w/∂{var}", (f"dw_d{var}",)
        return Question(key, asked, shown, lhs, "1.5(b)", permitted, reference, mistakes)

    def through_a(v):
        return (
            Mistake("local-only", "1", f"that is ∂a/∂{v} alone; multiply by ∂w/∂a = b = z o (the chain rule)"),
            Mistake("a-for-b", "x + y", "∂c/∂a = b = z o, not a"),
        )

    return [
        question(None, "(x + y) z o + z", (
            Mistake("no-z", "(x + y) z o", "w = c + z: the + z is missing"),
            Mistake("sum-for-product", "x + y + z o + z", "c = a * b multiplies a and b"),
        )),
        question("x", "z o", through_a("x")),
        question("y", "z o", through_a("y")),
        question("z", "(x + y) o + 1", (
            Mistake("one-path", "(x + y) o", "z reaches w along two paths, through b = z o and directly in w = c + z: "
                    "add the direct path's 1"),
            Mistake("direct-only", "1",
                    "that is the direct path only; z also reaches w through b = z o: add (x + y) o"),
            Mistake("missing-a", "o + 1", "∂w/∂b = a = x + y multiplies ∂b/∂z = o"),
        )),
        question("o", "(x + y) z", (
            Mistake("local-only", "z", "that is ∂b/∂o alone; multiply by ∂w/∂b = a = x + y"),
            Mistake("plus-one", "(x + y) z + 1", "o is used once; the + 1 belongs to z's direct path into w"),
        )),
    ]


KINK = "the value at x = 0, where {f} has no derivative, is not judged"
TANH_U = r"\tanh\big(\sqrt{2/\pi}(x + 0.044715 x^3)\big)"
GELU_TANH_DERIVATIVE = rf"\frac12 (1 + {TANH_U}) + \frac12 x (1 - {TANH_U}^2) \sqrt{{2/\pi}} (1 + 3 \cdot 0.044715 x^2)"


def _activation_questions():
    def question(name, reference, mistakes, note="", default_note=""):
        return Question(f"1.5(c) {name}'", rf"\operatorname{{{name}}}'(x)", f"{name}′(x)", (name.lower() + "'", "f'"),
                        "1.5(c)", ("x", "a", "alpha", "beta"), reference, mistakes, note=note,
                        forbidden_functions=("relu'", "leakyrelu'", "softplus'", "gelu'"), default_note=default_note)

    return [
        question("ReLU", r"\begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}", (
            Mistake("relu-itself", r"\max(0, x)", "that is ReLU itself; its derivative is 1 for x > 0 and 0 for x < 0"),
            Mistake("mirrored", r"\mathbf 1[x < 0]", "the cases are swapped: ReLU′ is 1 for x > 0"),
            Mistake("sign", r"\operatorname{sign}(x)", "sign(x) is −1 for x < 0, where ReLU′ is 0"),
        ), KINK.format(f="ReLU")),
        question("LeakyReLU", r"\begin{cases} 1 & x > 0 \\ a & \text{otherwise} \end{cases}", (
            Mistake("leakyrelu-itself", r"\begin{cases} x & x > 0 \\ a x & \text{otherwise} \end{cases}",
                    "that is LeakyReLU itself; its derivative is 1 for x > 0 and the slope for x < 0"),
            Mistake("relu-prime", r"\mathbf 1[x > 0]", "that is ReLU′: LeakyReLU keeps the small slope for x < 0"),
            Mistake("swapped", r"\begin{cases} a & x > 0 \\ 1 & \text{otherwise} \end{cases}",
                    "the cases are swapped: the slope is 1 for x > 0"),
            Mistake("value-for-slope", r"\begin{cases} 1 & x > 0 \\ a x & \text{otherwise} \end{cases}",
                    "for x < 0, a x is LeakyReLU's value; its slope there is a"),
        ), KINK.format(f="LeakyReLU"), "without a symbol for the slope, it is read as 0.01"),
        question("Softplus", r"\sigma(\beta x)", (
            Mistake("softplus-itself", r"\frac{1}{\beta}\ln(1 + e^{\beta x})",
                    "that is Softplus itself; its derivative is σ(βx)"),
            Mistake("extra-beta", r"\beta\,\sigma(\beta x)", "the β of the chain rule meets the 1/β in front: σ(βx)"),
            Mistake("mirrored", r"\sigma(-\beta x)", "σ(−βx) = 1 − σ(βx): the sign inside is flipped"),
        ), default_note="without β it is read with β = 1, the homework's plot; in general σ(βx)"),
        question("GELU", r"\Phi(x) + x\,\varphi(x)", (
            Mistake("gelu-itself", r"x\,\Phi(x)", "that is GELU itself; its derivative is Φ(x) + x φ(x)"),
            Mistake("product-rule-half", r"\Phi(x)", "the product rule gives two terms: Φ(x) + x φ(x)"),
            Mistake("sign", r"\Phi(x) - x\,\varphi(x)", "the second term is + x φ(x)"),
            Mistake("cdf-for-density", r"\Phi(x) + x\,\Phi(x)",
                    "the second term is x φ(x), with the density φ = Φ′, not the CDF Φ"),
            Mistake("tanh-approximation", GELU_TANH_DERIVATIVE, "that is the derivative of GELU's tanh approximation: "
                    "close, not equal; the exact one is Φ(x) + x φ(x)"),
        )),
    ]


def _objective_questions():
    permitted = ("x", "y", "y_hat", "F", "F_theta", "N", "K", "n", "i", "j", "k")
    squares = r"\sum_{i=1}^{N} \lVert \hat y_i - y_i \rVert^2"
    return [
        Question("1.5(e) J", r"J(\theta)", "J(θ)", ("l",), "1.5(e)", permitted,
                 r"\frac1N \sum_{i=1}^{N} \lVert F_\theta(x_i) - y_i \rVert^2", (
            Mistake("sum", squares, "training with the MSE minimises the mean over the N samples: the 1/N is missing"),
            Mistake("not-squared", r"\frac1N \sum_{i=1}^{N} \lVert \hat y_i - y_i \rVert",
                    "the norm is squared: ‖F_θ(x_i) − y_i‖²"),
            Mistake("mean-over-entries", rf"\frac{{1}}{{N K}} {squares}",
                    "that is PyTorch's MSELoss, the mean over all N·K entries: J/K, with the same minimiser; "
                    "the homework's objective is the mean over the N samples of ‖F_θ(x_i) − y_i‖²"),
            Mistake("half", rf"\frac{{1}}{{2N}} {squares}", "the ½ is a convention of some texts; this MSE has none"),
        )),
        Question("1.5(e) dJ/dy_hat_i", r"\frac{\partial J}{\partial \hat y_i}", "∂J/∂ŷᵢ", ("dl_dy_hat",), "1.5(e)",
                 permitted, r"\frac2N (\hat y_i - y_i)^\top", (
            Mistake("column", r"\frac2N (\hat y_i - y_i)",
                    COLUMN.format(shape="K×1", what="∂J/∂ŷᵢ", T="1×K, as ∂ℓ/∂ŷ in 1.2(d): (2/N)(ŷᵢ − yᵢ)ᵀ")),
            Mistake("sum", r"2 (\hat y_i - y_i)^\top", "J is the mean over the samples: the 1/N is missing"),
            Mistake("missing-2", r"\frac1N (\hat y_i - y_i)^\top", "the square gives the factor 2: (2/N)(ŷᵢ − yᵢ)ᵀ"),
            Mistake("sign", r"\frac2N (y_i - \hat y_i)^\top", "the sign is flipped: (2/N)(ŷᵢ − yᵢ)ᵀ"),
            Mistake("all-samples", r"\frac2N \sum_{j=1}^{N} (\hat y_j - y_j)^\top",
                    "only the term of sample i depends on ŷᵢ: no sum"),
        ), free_index=("i", "N", "samples")),
    ]


QUESTIONS = {q.key: q for q in (
    *_forward_questions("1.2(b)"), *_gradient_questions("1.2(c)"), *_jacobian_questions("1.2(d)"),
    _dl_dy_hat_question("1.2(d)"),
    *_forward_questions("1.3(a)"), *_jacobian_questions("1.3(a)"), _dl_dy_hat_question("1.3(a)"),
    _dl_dz3_question("1.3(a)"), *_gradient_questions("1.3(a)"),
    _dl_dy_hat_question("1.3(b)"), _dl_dz3_question("1.3(b)"),
    *_loss_questions(), *_softmax_questions(), *_graph_questions(), *_activation_questions(), *_objective_questions(),
)}
# fmt: on

# ----------------------------------------------------------------------------------------------------
# Draws, prepared once per question


@dataclass
class _Prepared:
    draws: list  # the values at each draw
    reference: list  # the reference's value at each draw (for 'loss': its gradient and value)
    mistakes: dict  # id -> the mistake's values at the draws


@functools.cache
def _draws(model_key: str) -> tuple:
    """The model's random draws, one per entry of its ``sizes``: the same on every run."""
    model = MODELS[model_key]
    rng = np.random.default_rng([SEED, sum(map(ord, model_key))])
    return tuple(model.draw(rng, sizes) for sizes in model.sizes)


@functools.cache
def _parsed(key: str, formula: str) -> mt.Expr:
    q = QUESTIONS[key]
    return mt.parse(formula, MODELS[q.model].vocabulary, asked=q.lhs)


@functools.cache
def _definitions(model_key: str) -> dict:
    """The model's definitions parsed: name -> Expr (a :class:`~helpers.mathtext.Lambda` for a function)."""
    model = MODELS[model_key]
    out = {}
    for name, formula in model.definitions.items():
        if isinstance(formula, tuple):
            param, body = formula
            out[name] = mt.Lambda(param, mt.parse(body, model.vocabulary | {param: "vector"}))
        else:
            out[name] = mt.parse(formula, model.vocabulary)
    return out


def _defaults_for(model: Model, used: set) -> tuple:
    """The names the answer leaves out that have a default (LeakyReLU's slope unless a or α is written; β)."""
    return tuple(sorted(n for names in model.defaults if not used & set(names) for n in names))


@functools.cache
def _prepared(key: str, defaulted: tuple = ()) -> _Prepared:
    """The draws of a question with the ``defaulted`` names fixed, and its reference and mistakes there."""
    with mt.step_budget(None):  # the references are evaluated once, outside the bound of a check
        return _prepare(key, defaulted)


def _prepare(key: str, defaulted: tuple) -> _Prepared:
    q = QUESTIONS[key]
    fixed = {n: value for names, value in MODELS[q.model].defaults.items() for n in names if n in defaulted}
    draws = [values | fixed for values in _draws(q.model)]
    reference = _parsed(key, q.reference)
    if q.check == "loss":
        ref = [_loss_gradient(q, reference, values) for values in draws]
        mistakes = {m.id: [_loss_gradient(q, _parsed(key, m.formula), v) for v in draws] for m in q.mistakes}
    else:
        ref = [_value(q, reference, values) for values in draws]
        mistakes = {
            m.id: [_value(q, _parsed(key, m.formula), v, r.shape) for v, r in zip(draws, ref)] for m in q.mistakes
        }
    return _Prepared(draws, ref, mistakes)


def _prepared_for(q: Question, expr: mt.Expr) -> _Prepared:
    return _prepared(q.key, _defaults_for(MODELS[q.model], expr.names()))


# ----------------------------------------------------------------------------------------------------
# Values, compared


def _free_indices(q: Question, expr: mt.Expr) -> set:
    vocabulary = MODELS[q.model].vocabulary
    return {n for n in expr.names() if vocabulary.get(n, "index") == "index"}


def _value(q: Question, expr: mt.Expr, values: dict, shape=None) -> np.ndarray:
    """The formula at one draw (an I without size takes ``shape``, the reference's); with a free index i,
    stacked over i: 'entries' into a column, 'samples' into a stack of the samples' values."""
    if not q.free_index:
        return mt.evaluate(expr, values, shape=shape)
    _, size, mode = q.free_index
    count = int(values[size])
    free = _free_indices(q, expr)
    if len(free) > 1:
        raise mt.EvalError(f"it uses the free indices {', '.join(sorted(free))}; one at most")
    if not free:
        v = mt.evaluate(expr, values)
        return np.stack([v] * count) if mode == "samples" else v
    index = free.pop()
    parts = [mt.evaluate(expr, values | {index: k}) for k in range(1, count + 1)]
    if mode == "samples":
        return np.stack(parts)
    if any(p.ndim for p in parts):
        raise mt.EvalError(f"with the index {index}, each entry is a number; this is {mt.shape_str(parts[0].shape)}")
    return np.array(parts, dtype=float)[:, None]


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal shapes and equal entries, to :data:`TOLERANCE` relative to each entry (and to the largest)."""
    if a.shape != b.shape:
        return False
    scale = max(1.0, float(np.max(np.abs(b)))) if b.size else 1.0
    return bool(np.all(np.abs(a - b) <= TOLERANCE * (np.abs(b) + 1e-3 * scale)))


def _shape_text(shape, values, dims) -> str:
    """(4, 3) -> 'h×n' when h = 4 and n = 3 at this draw; () -> 'a number'; a stack -> one sample's shape."""
    if len(shape) == 0:
        return "a number"
    if len(shape) == 3:
        return _shape_text(shape[1:], values, dims)
    names = {}
    for d in dims:
        names.setdefault(int(values[d]), d)
    return "×".join("1" if s == 1 else names.get(s, str(s)) for s in shape)


def _like(shape, values, q: Question) -> str:
    """' (the shape of W⁽¹⁾)' when a permitted matrix of the question has this shape."""
    vocabulary = MODELS[q.model].vocabulary
    same = [n for n in q.permitted if vocabulary.get(n) == "matrix" and np.shape(values.get(n)) == tuple(shape)]
    return f" (the shape of {mt.name_text(same[0])})" if same else ""


def _shape_message(q: Question, got, want, values) -> str:
    if got == () and q.free_index and q.free_index[2] == "entries":  # softmax(z)_i written for one i, or none
        index, size, _ = q.free_index
        entry = f"{q.shown} is entry {index} of a {size}×1 column"
        return f"it is one number, the same for every {index}: {entry}; write it for any {index}, with z_{index}"
    g, w = (_shape_text(s, values, MODELS[q.model].dims) for s in (got, want))
    got2, want2 = tuple(got[-2:]), tuple(want[-2:])
    if len(got2) == 2 and got2 == want2[::-1] and got2 != want2:
        if 1 in want2:
            kind, wanted = ("a column", "a row") if got2[1] == 1 else ("a row", "a column")
            layout = ", denominator layout" if kind == "a column" else ""
            return f"it is {kind} ({g}){layout}; {q.shown} is {wanted}, {w}, in numerator layout: transpose it"
        return f"it is {g}{_like(got2, values, q)}; numerator layout gives {q.shown} the shape {w}: transpose it"
    return f"it is {g}; {q.shown} is {w}"


def _power_hint(expr: mt.Expr, got, want) -> str:
    """A number was wanted and a vector came, with a power of a vector in it: say that it is entry by entry."""
    stack = [expr]
    while want == () and got != () and stack:
        node = stack.pop()
        if isinstance(node, mt.Power) and node.base.kind() in ("column", "row"):
            return " (a power of a vector is taken entry by entry; its squared norm is ‖v‖²)"
        stack.extend(node.children())
    return ""


def _differs_message(q: Question, values_list, prepared: _Prepared) -> str:
    model = MODELS[q.model]
    pairs = list(zip(values_list, prepared.reference, prepared.draws))
    agree = sum(_same(v, r) for v, r, _ in pairs)
    v, r, values = next((v, r, d) for v, r, d in pairs if not _same(v, r))
    where = f" at a random draw ({model.describe(values)})" if model.describe else ""
    if v.ndim == 0:
        text = f"it has the right shape but not the value{where}: {float(v):.4g} where {q.shown} is {float(r):.4g}"
    else:
        gap = np.abs(v - r)
        at = np.unravel_index(int(np.argmax(gap)), gap.shape)
        entry = ", ".join(str(i + 1) for i in at)
        shape = _shape_text(r.shape, values, model.dims)
        text = (
            f"it has the right shape ({shape}) but not the value{where}: entry ({entry}) is {v[at]:.4g} where "
            f"{q.shown} has {r[at]:.4g} (relative difference {gap[at] / max(abs(r[at]), 1e-300):.2g})"
        )
    return text + (f"; it agrees at {agree} of {len(pairs)} draws" if agree else "")


def _evaluate_all(q: Question, expr: mt.Expr, prepared: _Prepared) -> tuple[list | None, str]:
    """Its value at every draw; or None and the message saying why it cannot be computed."""
    model = MODELS[q.model]
    values_list = []
    for values, ref in zip(prepared.draws, prepared.reference):
        try:
            v = _value(q, expr, values, ref.shape)
        except mt.ShapeError as exc:
            shapes = exc.describe(functools.partial(_shape_text, values=values, dims=model.dims))
            return None, f"its shapes do not fit: {shapes}{_jacobian_hint(exc)}{_order_hint(exc)}"
        except mt.EvalError as exc:
            return None, str(exc)
        if not np.all(np.isfinite(v)):
            bad = "NaN" if np.any(np.isnan(v)) else "infinite"
            where = f" ({model.describe(values)})" if model.describe else ""
            return None, f"it is {bad} at a random draw{where}: a logarithm or root of a number < 0, or 1/0?"
        values_list.append(v)
    return values_list, ""


def _jacobian_hint(exc: mt.ShapeError) -> str:
    """⊙ between a square matrix and a vector: the source's ∂ŷ/∂z₃ ⊙ ∂ℓ/∂ŷ."""
    shapes = [s for s in exc.shapes if len(s) == 2]
    if exc.op in ("⊙", "⊘") and any(s[0] == s[1] > 1 for s in shapes) and any(1 in s for s in shapes):
        return ". The chain rule multiplies by a Jacobian matrix; ⊙ works with its diagonal only"
    return ""


def _order_hint(exc: mt.ShapeError) -> str:
    """A product that does not multiply in its order, but would in the other: the order is the mistake."""
    (a, b) = exc.shapes
    if exc.op == "times" and len(a) == len(b) == 2 and b[1] == a[0]:
        return f". In the other order, ${exc.right}$ ${exc.left}$, they would multiply: the order of a product matters"
    return ""


def _shape_words(q: Question, value) -> str:
    """ "a 1×h row" and the like: the shape of the right answer in the problem's sizes ('' for a number)."""
    shape = np.shape(value)
    model = MODELS[q.model]
    if len(shape) != 2 or not model.dims or shape == (1, 1):
        return ""
    draw = model.draw(np.random.default_rng(SEED), model.sizes[0])
    names = {draw[d]: d for d in model.dims if d in draw}
    rows, cols = (names.get(s, str(s)) for s in shape)
    kind = "row" if shape[0] == 1 else "column" if shape[1] == 1 else "matrix"
    article = "an" if rows[0] in "aefhilmnorsxAEFHILMNORSX8" else "a"  # as the letter is said: "an h", "a K"
    return f"{article} {rows}×{cols} {kind}, as numerator layout gives it"


def _diagnose(q: Question, expr: mt.Expr) -> tuple[bool, str, str]:
    """(ok, message, mistake id) for a formula in the permitted names."""
    prepared = _prepared_for(q, expr)
    if q.check == "loss":
        return _diagnose_loss(q, expr, prepared)
    values_list, problem = _evaluate_all(q, expr, prepared)
    if values_list is None:
        return False, problem, ""
    if all(_same(v, r) for v, r in zip(values_list, prepared.reference)):
        defaulted = set(_defaults_for(MODELS[q.model], expr.names())) & _parsed(q.key, q.reference).names()
        said = [
            _shape_words(q, prepared.reference[0]),
            f"equal at all {len(values_list)} draws of sizes and values",
            q.note,
            q.default_note if defaulted else "",
        ]
        return True, "right (" + "; ".join(w for w in said if w) + ")", ""
    for m in q.mistakes:
        if all(_same(v, mv) for v, mv in zip(values_list, prepared.mistakes[m.id])):
            return False, m.message, m.id
    got, want = values_list[0].shape, prepared.reference[0].shape
    if got != want:
        return False, _shape_message(q, got, want, prepared.draws[0]) + _power_hint(expr, got, want), ""
    return False, _differs_message(q, values_list, prepared), ""


# ----------------------------------------------------------------------------------------------------
# 1.4: a loss is right when gradient descent on it is the update rule w <- w + eta (y - y_hat) x


def _loss_at(q: Question, expr: mt.Expr, values: dict, params: np.ndarray) -> float:
    """ℓ at one sample, with (w, b) = ``params`` and z, ŷ recomputed from them."""
    d = values["w"].shape[0]
    w, b = params[:d, None], float(params[d])
    z = b + (w.T @ values["x"]).item()
    y_hat = float(PREDICT[q.key.split(" ", 1)[1]](z))
    v = mt.evaluate(expr, values | dict(w=w, b=b, z=z, y_hat=y_hat))
    if v.ndim:
        raise mt.EvalError(f"a loss is a number; this is {mt.shape_str(v.shape)}{_entrywise_hint(expr)}")
    return float(v)


def _entrywise_hint(expr: mt.Expr) -> str:
    """A loss that is a vector, with two columns side by side in it: say that they multiply entry by entry."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, mt.Mul) and any(op == "ihad" for op, _ in node.rest):
            return " (two columns side by side multiply entry by entry, ⊙ in the echo; their dot product is wᵀx or w·x)"
        stack.extend(node.children())
    return ""


def _loss_gradient(q: Question, expr: mt.Expr, values: dict) -> tuple[np.ndarray, float]:
    """(∂ℓ/∂(w, b) by central differences, ℓ) at one sample."""
    params = np.append(values["w"].ravel(), values["b"])
    grad = np.empty_like(params)
    for k in range(params.size):
        step = np.zeros_like(params)
        step[k] = 1e-6 * max(1.0, abs(params[k]))
        grad[k] = (_loss_at(q, expr, values, params + step) - _loss_at(q, expr, values, params - step)) / (2 * step[k])
    return grad, _loss_at(q, expr, values, params)


def _rule_direction(values: dict) -> np.ndarray:
    """−(y − ŷ)(x, 1): the gradient whose descent is the rule."""
    return -(values["y"] - values["y_hat"]) * np.append(values["x"].ravel(), 1.0)


def _ratio(pairs) -> float | None:
    """The one constant c with g = c r for every pair (g, r) (and g = 0 where r = 0); None if there is none."""
    found = []
    for g, r in pairs:
        scale = max(float(np.linalg.norm(g)), float(np.linalg.norm(r)), 1e-12)
        if np.linalg.norm(r) < 1e-12:
            if np.linalg.norm(g) > 1e-6 * max(1.0, scale):
                return None
            continue
        c = float(g @ r / (r @ r))
        if np.linalg.norm(g - c * r) > 1e-5 * scale:
            return None
        found.append(c)
    if not found:
        return None
    c0 = float(np.median(found))
    return c0 if all(abs(c - c0) <= 1e-5 * max(abs(c0), 1e-9) for c in found) else None


def _rate(c: float) -> str:
    """The learning rate that makes descent on c × (the rule's loss) the rule: '2η' for c = 1/2."""
    for k in range(2, 9):
        if math.isclose(1 / c, k, rel_tol=1e-4):
            return f"{k}η"
        if math.isclose(c, k, rel_tol=1e-4):
            return f"η/{k}"
    return "η" if math.isclose(c, 1, rel_tol=1e-4) else f"{1 / c:.3g}η"


def _diagnose_loss(q: Question, expr: mt.Expr, prepared: _Prepared) -> tuple[bool, str, str]:
    try:
        results = [_loss_gradient(q, expr, values) for values in prepared.draws]
    except mt.ShapeError as exc:
        return False, "its shapes do not fit: " + exc.describe(), ""
    except mt.EvalError as exc:
        return False, str(exc), ""
    if not all(np.all(np.isfinite(g)) and math.isfinite(v) for g, v in results):
        return False, "it is not finite at some sample: a logarithm of a number ≤ 0?", ""
    grads = [g for g, _ in results]
    rule = [_rule_direction(values) for values in prepared.draws]
    c = _ratio(zip(grads, rule))
    if c is not None and c > 0:
        rate = _rate(c)
        head = "right" if rate == "η" else "right up to the step size"
        text = f"{head}: gradient descent on it with rate {rate} is the rule w ← w + η(y − ŷ)x"
        text += _constant_note(results, prepared, c)
        return True, text + (f" ({q.note})" if q.note else ""), ""
    for m in q.mistakes:
        c_m = _ratio(zip(grads, [g for g, _ in prepared.mistakes[m.id]]))
        if c_m is not None and c_m > 0:
            return False, m.message, m.id
    if c is not None and c < 0:
        return False, "its gradient points the wrong way: descent on it moves w by −η(y − ŷ)x, away from the rule", ""
    if all(np.linalg.norm(g) < 1e-9 for g in grads):
        return False, "its gradient is 0 at every sample: descent on it never moves w", ""
    return False, _not_the_rule(grads, rule, prepared.draws), ""


def _not_the_rule(grads, rule, draws) -> str:
    """Name a sample where the gradient is no positive multiple of the rule's direction."""
    head = "descent on it is not the rule: its gradient is not one positive multiple of −(y − ŷ)(x, 1)"
    for g, r, d in zip(grads, rule, draws):
        c = _ratio([(g, r)])
        if c is None or c <= 0:
            return (
                f"{head}; at y = {d['y']:+.0f}, z = {d['z']:.3g} (ŷ = {d['y_hat']:.3g}) its ∂ℓ/∂b is {g[-1]:.4g}, "
                f"where the rule needs a positive multiple of {r[-1]:.4g}"
            )
    return f"{head}: the factor changes from sample to sample, so no one learning rate gives the rule"


def _constant_note(results, prepared: _Prepared, c: float) -> str:
    """Say when the loss differs from the reference (scaled alike) by a constant, which no gradient sees."""
    c_ref = _ratio(zip([g for g, _ in prepared.reference], [_rule_direction(d) for d in prepared.draws]))
    if not c_ref:
        return ""
    scale = c / c_ref
    offsets = [v - scale * v_ref for (_, v), (_, v_ref) in zip(results, prepared.reference)]
    if max(offsets) - min(offsets) > 1e-6 or abs(offsets[0]) < 1e-9:
        return ""
    ours = "ours" if math.isclose(scale, 1, rel_tol=1e-6) else f"{scale:.3g} × ours"
    return (
        f"; it differs from {ours} by a constant ({offsets[0]:.4g}), which no gradient sees: a constant does not matter"
    )


# ----------------------------------------------------------------------------------------------------
# The permitted-variable rule


def _names_list(names) -> str:
    shown = [mt.name_text(n) for n in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _definition_text(model: Model, name: str) -> str:
    if name in model.hints:
        return f"${model.hints[name]}$"
    formula = model.definitions.get(name)
    if isinstance(formula, tuple):
        return f"${mt.name_latex(name)}({formula[0]}) = {formula[1]}$"
    return f"${mt.name_latex(name)} = {formula}$" if formula else ""


def _allowed(q: Question) -> set:
    model = MODELS[q.model]
    return set(q.permitted) | set(model.dims) | {n for n, kind in model.vocabulary.items() if kind == "index"}


def _substituted(q: Question, expr: mt.Expr, layout: str) -> mt.Expr:
    """The formula with every name the question does not permit replaced by what it stands for; in
    'denominator' layout the gradients ∂ℓ/∂(vector) are read as columns, as the source writes them."""
    model = MODELS[q.model]
    allowed = _allowed(q)
    mapping = {n: e for n, e in _definitions(q.model).items() if n not in allowed}
    first = dict(mapping)
    if layout == "denominator":
        for name in model.columns:
            first[name] = mt.Transpose(mapping.get(name, mt.Name(name, model.vocabulary[name])))
    out = mt.substitute(expr, first)
    for _ in range(len(mapping)):
        if not out.names() & set(mapping):
            break
        out = mt.substitute(out, mapping)
    return out


def _not_permitted(q: Question, expr: mt.Expr, bad: list) -> tuple[str, str]:
    """The refusal, naming the names and what they stand for; then the formula read with those definitions
    (in numerator layout, or in denominator layout where only that fits), with its own verdict."""
    model = MODELS[q.model]
    listed = [n for n in q.permitted if model.vocabulary.get(n) != "index" and n not in model.dims]
    definitions = [t for t in (_definition_text(model, n) for n in bad) if t]
    text = f"it uses {_names_list(bad)}, which {q.part} does not permit: write {'it' if len(bad) == 1 else 'them'} "
    text += f"in {', '.join(mt.name_text(n) for n in listed)}" + (f" ({'; '.join(definitions)})" if definitions else "")
    if not all(n in model.definitions for n in bad):
        return text, ""
    for layout in ("numerator", "denominator"):
        ok, message, mistake = _diagnose(q, _substituted(q, expr, layout))
        if layout == "numerator" and message.startswith("its shapes do not fit") and model.columns:
            continue
        how = "with those definitions"
        if layout == "denominator":
            how += " in denominator layout (the gradients ∂ℓ/∂z as columns, as the source writes them)"
        return f"{text}. Read {how}, {'it is right' if ok else message}", mistake
    return text, ""


# ----------------------------------------------------------------------------------------------------
# check_answer


def check_answer(question_key: str, text: str) -> Verdict:
    """Judge ``text``, a formula for the question ``question_key`` (a key of :data:`QUESTIONS`).

    A ValueError names an unknown question (and lists them); a TypeError refuses a ``text`` that is not text.
    Whatever the text, the answer is a :class:`~helpers.verdict.Verdict`, never an exception.
    """
    one_of(question_key, tuple(QUESTIONS), "question_key")
    if not isinstance(text, str):
        raise TypeError(f"text must be the formula as text (a str), got {type(text).__name__}")
    q = QUESTIONS[question_key]
    model = MODELS[q.model]
    try:
        expr = mt.parse(text, model.vocabulary, asked=q.lhs, number=q.check == "loss")
    except mt.FormulaError as exc:
        return Verdict(False, f"could not read it: {exc}")
    except TypeError as exc:
        return Verdict(False, str(exc))
    with mt.step_budget(CHECK_STEPS // 4):  # beyond it, the echo keeps the products its kinds decided
        reading = _reading(q, expr)
    with mt.step_budget(CHECK_STEPS):
        return _judge(q, expr, reading)


def _judge(q: Question, expr: mt.Expr, reading: str) -> Verdict:
    """The verdict on a formula read: its left side, its where-clauses, then every side of a chain."""
    model = MODELS[q.model]
    sides = (expr,)
    if isinstance(expr, mt.Equation):
        if expr.lhs_key:
            message = f"the left side is {mt.name_text(expr.lhs_key)}, but this question asks for {q.shown}"
            return Verdict(False, message, reading=reading)
        redefined = sorted(n for n, _ in expr.definitions if n in model.vocabulary and n not in model.definitions)
        if redefined:
            message = f"it redefines {_names_list(redefined)}, a variable of the problem: define abbreviations only"
            hints = [_definition_text(model, n) for n in redefined if n in model.hints]
            if hints:  # ℓ_i = ‖F_θ(x_i) − y_i‖²: the problem's own definition, which is not substituted
                message += f"; for {'; '.join(hints)}, write the right side in place of the name"
            return Verdict(False, message, reading=reading)
        sides = expr.expanded()
    checked = [_check_side(q, side) for side in sides]
    abbreviated = len(sides) > 1 and any(ok for ok, _, _ in checked)  # one side in the permitted names
    for n, (side, (ok, message, mistake)) in enumerate(zip(sides, checked)):
        if not ok and abbreviated and _right_with_definitions(q, side):
            continue  # z_2 = f(z_1) = 5 ReLU(W1 x + b1): a step in abbreviations, then the answer
        if not ok:
            if len(sides) > 1:
                message = f"the {_ordinal(n + 1)} expression of the chain, ${side.latex()}$: {message}"
            return Verdict(False, message, mistake=mistake, reading=reading)
    message = next(message for ok, message, _ in checked if ok) if abbreviated else message
    return Verdict(True, message, reading=reading)


def _right_with_definitions(q: Question, side: mt.Expr) -> bool:
    """A side of a chain in names the question does not permit, but right when they are read as defined."""
    model = MODELS[q.model]
    if not all(n in model.definitions for n in side.names() - _allowed(q)):
        return False
    return _diagnose(q, _substituted(q, side, "numerator"))[0]


def _reading(q: Question, expr: mt.Expr) -> str:
    """The echo: the formula as understood, products between vectors decided as at the first draw."""
    vocabulary = MODELS[q.model].vocabulary
    values = _draws(q.model)[0] | {n: 1 for n, kind in vocabulary.items() if kind == "index"}
    with np.errstate(all="ignore"):
        return mt.resolve_products(expr, values).latex()


def _check_side(q: Question, expr: mt.Expr) -> tuple[bool, str, str]:
    itself = sorted(expr.functions() & set(q.forbidden_functions))
    if itself:
        return False, f"it uses {', '.join(itself)} itself: write out what it is", ""
    order = list(MODELS[q.model].vocabulary)
    bad = sorted(expr.names() - _allowed(q), key=lambda n: order.index(n) if n in order else len(order))
    if bad:
        message, mistake = _not_permitted(q, expr, bad)
        return False, message, mistake
    return _diagnose(q, expr)


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def grade(question_key, text):
    """The hidden test of a written answer in an nbgrader notebook: nothing if ``text`` is right for the question,
    else :class:`helpers.selfcheck.NotPassed` with the verdict (shown as its message, as the exercises' are).

    In the assignment, a solution cell holds ``answer = r"..."`` (the student's LaTeX) and the grade cell
    after it ``print(check_answer(KEY, answer))``, with this call in its hidden tests.
    """
    from helpers.selfcheck._core import NotPassed, show_verdicts

    verdict = check_answer(question_key, text)
    if not verdict.ok:
        show_verdicts()
        raise NotPassed(question_key, verdict)
