r"""helpers.written: every question's reference is right in LaTeX and in the plain syntax, rewrites of it
are right, each catalogued mistake is named, names the question does not permit are refused, and the
source's own answers get the verdicts the notebooks' errata give them."""

import time
from functools import partial
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import losses, written
from helpers import mathtext as mt
from helpers.written import QUESTIONS, check_answer


class Pasted(NamedTuple):
    """An answer of the source, pasted: the question, the text, and the verdict it must get."""

    key: str
    text: str
    ok: bool
    mistake: str
    says: list  # words the message must hold


KEYS = list(QUESTIONS)
MISTAKES = [(key, m) for key, q in QUESTIONS.items() for m in q.mistakes]


def right(key, text):
    verdict = check_answer(key, text)
    assert verdict.ok, f"{key}: {text!r} -> {verdict}"
    return verdict


# ----------------------------------------------------------------------------------------------------
# Every reference, in both syntaxes

PLAIN = {
    "1.2(b) z1": "W1 @ x + b1",
    "1.2(b) z2": "5 * relu(W1 @ x + b1)",
    "1.2(b) z3": "W2 @ (5 * relu(W1 @ x + b1)) + b2",
    "1.2(b) y_hat": "W2 @ (5 * max(0, W1 @ x + b1)) + b2",
    "1.2(c) dl/dW1": "x @ dl_dy_hat @ dy_hat_dz3 @ W2 @ dz2_dz1",
    "1.2(c) dl/db1": "dl_dy_hat @ dy_hat_dz3 @ W2 @ dz2_dz1",
    "1.2(c) dl/dW2": "5 * relu(W1 @ x + b1) @ dl_dy_hat @ dy_hat_dz3",
    "1.2(c) dl/db2": "dl/dy_hat @ dy_hat/dz3",
    "1.2(d) dz2/dz1": "diag(5 * (W1 @ x + b1 > 0))",
    "1.2(d) dy_hat/dz3": "eye(K)",
    "1.2(d) dl/dy_hat": "2 * (y_hat - y).T",
    "1.3(a) z2": "tanh(W1 @ x + b1)",
    "1.3(a) y_hat": "sigmoid(W2 @ tanh(W1 @ x + b1) + b2)",
    "1.3(a) dz2/dz1": "diag(1 - tanh(W1 @ x + b1)**2)",
    "1.3(a) dy_hat/dz3": "diag(sigmoid(z3) * (1 - sigmoid(z3)))",
    "1.3(a) dl/dy_hat": "2 * (y_hat - y).T",
    "1.3(a) dl/dz3": "2 * (y_hat - y).T @ diag(y_hat * (1 - y_hat))",
    "1.3(a) dl/dW1": "x @ dl_dy_hat @ dy_hat_dz3 @ W2 @ dz2_dz1",
    "1.3(a) dl/db1": "dl_dy_hat @ dy_hat_dz3 @ W2 @ dz2_dz1",
    "1.3(a) dl/dW2": "tanh(W1 @ x + b1) @ dl_dy_hat @ dy_hat_dz3",
    "1.3(a) dl/db2": "dl_dy_hat @ dy_hat_dz3",
    "1.3(b) dl/dy_hat": "((y_hat - y) / (y_hat * (1 - y_hat))).T / K",
    "1.3(b) dl/dz3": "(y_hat - y).T / K",
    "1.4 perceptron": "max(0, -y * (b + w.T @ x))",
    "1.4 adaline": "0.5 * (y - (b + w.T @ x))**2",
    "1.4 tanh-logistic": "log(1 + exp(-2 * y * (b + w.T @ x)))",
    "1.5(a) softmax": "exp(z_i) / sum_j(exp(z_j))",
    "1.5(a) softmax with T": "exp(z / T) / sum(exp(z / T))",
    "1.5(b) w": "(x + y) * z * o + z",
    "1.5(b) dw/dx": "z * o",
    "1.5(b) dw/dy": "z*o",
    "1.5(b) dw/dz": "(x + y) * o + 1",
    "1.5(b) dw/do": "(x + y) * z",
    "1.5(c) ReLU'": "1 if x > 0 else 0",
    "1.5(c) LeakyReLU'": "1 if x > 0 else a",
    "1.5(c) Softplus'": "sigmoid(beta * x)",
    "1.5(c) GELU'": "Phi(x) + x * phi(x)",
    "1.5(e) J": "sum_i((y_hat_i - y_i).T @ (y_hat_i - y_i)) / N",
    "1.5(e) dJ/dy_hat_i": "2 / N * (y_hat_i - y_i).T",
}


def test_every_question_has_a_plain_answer_here():
    assert set(PLAIN) == set(QUESTIONS)


@pytest.mark.parametrize("key", KEYS)
def test_the_reference_is_right_in_latex(key):
    verdict = right(key, QUESTIONS[key].reference)
    assert verdict.mistake == "" and str(verdict).startswith("correct: ")


@pytest.mark.parametrize("key", KEYS)
def test_the_reference_is_right_in_the_plain_syntax(key):
    right(key, PLAIN[key])


@pytest.mark.parametrize("key", KEYS)
def test_the_echo_of_the_reference_is_right_again(key):
    q = QUESTIONS[key]
    expr = mt.parse(q.reference, written.MODELS[q.model].vocabulary, asked=q.lhs)
    right(key, expr.latex())
    right(key, expr.plain())
    right(key, check_answer(key, q.reference).reading)


@pytest.mark.parametrize("key", KEYS)
def test_the_reference_with_its_left_side_is_right(key):
    q = QUESTIONS[key]
    right(key, rf"{q.asked} = {q.reference}")


# ----------------------------------------------------------------------------------------------------
# Equivalent rewrites

REWRITTEN = [
    ("1.2(b) z2", r"5\max(0, W_1 x + b_1)"),
    ("1.2(b) z2", r"\max(0, 5W^{(1)}x + 5b^{(1)})"),
    ("1.2(b) z2", r"5\,\mathrm{ReLU}\left(W^{(1)}x+b^{(1)}\right)"),
    ("1.2(b) z2", r"5 (u)^+, \quad u = W^{(1)} x + b^{(1)}"),
    ("1.2(b) z2", "5(W⁽¹⁾x + b⁽¹⁾)⁺"),
    ("1.2(b) z2", r"$$z_2 = 5\big(W^{(1)}x + b^{(1)}\big)^{+}.$$"),
    ("1.2(b) z3", r"5 W^{(2)} (W^{(1)}x + b^{(1)})^+ + b^{(2)}"),  # distributed
    ("1.2(b) z3", r"b^{(2)} + W^{(2)} \max(0, 5(W^{(1)} x + b^{(1)}))"),
    (
        "1.2(c) dl/dW1",
        r"\left(\frac{\partial z_2}{\partial z_1}^\top W^{(2)\top} \frac{\partial \hat y}{\partial z_3}^\top"
        r" \frac{\partial \ell}{\partial \hat y}^\top x^\top\right)^\top",
    ),  # (AB)ᵀ = BᵀAᵀ
    (
        "1.2(c) dl/dW1",
        r"x \frac{\partial \ell}{\partial \hat y} W^{(2)} \operatorname{diag}(5\cdot\mathbf 1[W^{(1)}x+b^{(1)}>0])",
    ),
    (
        "1.2(c) dl/dW1",
        r"x \left(\left(\frac{\partial \ell}{\partial \hat y} W^{(2)}\right)"
        r" \odot 5\cdot\mathbf 1[W^{(1)}x+b^{(1)}>0]^\top\right)",
    ),  # diag(v) u = v ⊙ u
    ("1.2(c) dl/dW1", "x @ dl/dy_hat @ W2 @ dz2_dz1"),  # ∂ŷ/∂z3 = I in 1.2
    ("1.2(c) dl/db1", r"\left(\frac{\partial \ell}{\partial \hat y} W^{(2)}\right) \frac{\partial z_2}{\partial z_1}"),
    (
        "1.2(c) dl/db1",
        r"(W^{(2)\top} \frac{\partial \ell}{\partial \hat y}^\top \odot 5 \cdot \mathbf 1[W^{(1)}x + b^{(1)} > 0])"
        r"^\top",
    ),
    ("1.2(c) dl/dW2", r"5 (W^{(1)} x + b^{(1)})^+ \frac{\partial \ell}{\partial \hat y}"),
    ("1.2(c) dl/dW2", r"\left(\frac{\partial \ell}{\partial \hat y}^\top (5 (W^{(1)} x + b^{(1)})^+)^\top\right)^\top"),
    ("1.2(d) dl/dy_hat", r"2\hat y^\top - 2y^\top"),
    ("1.2(d) dl/dy_hat", "2(ŷ − y)ᵀ"),
    ("1.2(d) dl/dy_hat", r"2(\hat y - y)^T"),
    ("1.2(d) dl/dy_hat", r"\begin{bmatrix} 2(\hat y_1 - y_1) & \cdots & 2(\hat y_K - y_K) \end{bmatrix}"),
    ("1.2(d) dl/dy_hat", r"2(\hat{y} - y)^\top \text{ where } \hat{y} = W^{(2)} 5(W^{(1)}x + b^{(1)})^+ + b^{(2)}"),
    ("1.2(d) dl/dy_hat", r"2 (W^{(2)} 5(W^{(1)}x + b^{(1)})^+ + b^{(2)} - y)^\top"),
    ("1.2(d) dz2/dz1", r"5\operatorname{diag}(\mathbb{1}(z_1 > 0))"),
    ("1.2(d) dz2/dz1", r"\operatorname{diag}(5\,\mathrm{ReLU}'(z_1))"),
    ("1.2(d) dz2/dz1", r"\text{diag}(5 \cdot \mathbf{1}_{\{z_1 > 0\}})"),
    ("1.2(d) dy_hat/dz3", "I"),
    ("1.2(d) dy_hat/dz3", r"\mathbb{I}"),
    ("1.2(d) dy_hat/dz3", r"\operatorname{diag}(1 + 0 z_3)"),
    ("1.3(a) dy_hat/dz3", r"\operatorname{diag}(\hat y \odot (1 - \hat y))"),
    ("1.3(a) dy_hat/dz3", r"\operatorname{diag}(\sigma'(z_3))"),
    ("1.3(a) dy_hat/dz3", r"\operatorname{diag}((1 - \sigma(z_3)) \odot \sigma(z_3))"),  # reordered ⊙
    ("1.3(a) dy_hat/dz3", r"\operatorname{diag}(\sigma(z_3)\sigma(-z_3))"),
    ("1.3(a) dz2/dz1", r"\operatorname{diag}(\operatorname{sech}^2(W^{(1)}x+b^{(1)}))"),
    ("1.3(a) dz2/dz1", r"I_h - \operatorname{diag}(\tanh(z_1) \odot \tanh(z_1))"),
    ("1.3(a) dl/dz3", r"2(\hat y - y)^\top \operatorname{diag}(\hat y)(I_K - \operatorname{diag}(\hat y))"),
    ("1.3(a) dl/dz3", r"(2(\hat y - y) \odot \hat y \odot (1-\hat y))^\top"),
    ("1.3(a) dl/dz3", r"\frac{\partial \ell}{\partial \hat y}\frac{\partial \hat y}{\partial z_3}"),
    ("1.3(b) dl/dy_hat", r"\frac{1}{K}\left(\frac{\hat y - y}{\hat y \odot (1 - \hat y)}\right)^\top"),
    ("1.3(b) dl/dy_hat", r"\frac{1}{K}\left(\frac{1-y}{1-\hat y} - \frac{y}{\hat y}\right)^\top"),
    ("1.3(b) dl/dz3", r"\frac{1}{K}(\hat y^\top - y^\top)"),
    ("1.3(b) dl/dz3", r"\frac{1}{K}(\sigma(z_3) - y)^\top"),
    ("1.3(b) dl/dz3", r"\frac{\partial \ell}{\partial \hat y}\frac{\partial \hat y}{\partial z_3}"),
    ("1.4 perceptron", "max(0, -y*z)"),
    ("1.4 perceptron", r"-y z \mathbf 1[y z < 0]"),
    ("1.4 perceptron", r"\max(0, -yw^\top x - yb)"),
    ("1.4 perceptron", r"\frac12 (|z| - yz)"),
    ("1.4 tanh-logistic", r"\ln(1 + e^{-2yz})"),
    ("1.4 tanh-logistic", "softplus(-2*y*z)"),
    ("1.4 tanh-logistic", r"-\ln \sigma(2yz)"),
    ("1.4 tanh-logistic", r"\ln \cosh z - yz"),
    ("1.4 adaline", r"\frac{1}{2}(y - \hat y)^2"),
    ("1.4 adaline", r"\frac12 (y - z)^2 + 3"),
    ("1.5(a) softmax", r"\frac{e^{z_k}}{\sum_j e^{z_j}}"),
    ("1.5(a) softmax", r"\frac{e^z}{\sum_j e^{z_j}}"),
    ("1.5(a) softmax", r"\frac{\exp(z_i)}{\sum_{k=1}^K \exp(z_k)}"),
    ("1.5(a) softmax with T", r"\frac{\exp(z_i/T)}{\sum_{k=1}^K \exp(z_k/T)}"),
    ("1.5(a) softmax with T", r"\operatorname{softmax}(z)_i = \frac{e^{z_i/T}}{\sum_j e^{z_j / T}}"),
    ("1.5(b) dw/dz", "a*o + 1"),
    ("1.5(b) dw/dz", "xo + yo + 1"),
    ("1.5(b) dw/dz", r"\frac{\partial w}{\partial z} = o(x + y) + 1"),
    ("1.5(b) dw/dx", "b"),
    ("1.5(b) dw/dx", "oz"),
    ("1.5(c) ReLU'", r"\frac{1+\operatorname{sign}(x)}{2}"),
    ("1.5(c) ReLU'", "(x > 0)"),
    ("1.5(c) ReLU'", r"\begin{cases} 1, & x > 0 \\ 0, & x < 0 \end{cases}"),
    ("1.5(c) ReLU'", r"\begin{cases} 1 & \text{if } x \geq 0 \\ 0 & \text{otherwise} \end{cases}"),
    ("1.5(c) ReLU'", r"\mathbb{1}_{x > 0}"),
    ("1.5(c) LeakyReLU'", r"\begin{cases} 1 & x > 0 \\ 0.01 & x \le 0 \end{cases}"),
    ("1.5(c) LeakyReLU'", r"\begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}"),
    ("1.5(c) Softplus'", r"\frac{1}{1+e^{-\beta x}}"),
    ("1.5(c) Softplus'", r"\frac{e^{\beta x}}{1+e^{\beta x}}"),
    ("1.5(c) Softplus'", r"\sigma(x)"),
    (
        "1.5(c) GELU'",
        r"\frac12\left(1 + \operatorname{erf}\left(\frac{x}{\sqrt2}\right)\right) + \frac{x}{\sqrt{2\pi}} e^{-x^2/2}",
    ),
    ("1.5(c) GELU'", r"\Phi(x) + \frac{x e^{-\frac{x^2}{2}}}{\sqrt{2 \pi}}"),
    ("1.5(e) J", r"\frac1N\sum_{i=1}^N (\hat y_i - y_i)^\top(\hat y_i - y_i)"),
    ("1.5(e) J", r"\frac{1}{N}\sum_{i=1}^{N}\sum_{k=1}^{K}(\hat y_{i,k} - y_{i,k})^2"),
    ("1.5(e) J", r"J(\theta) = \frac1N \sum_i \|\hat y_i - y_i\|^2"),
    ("1.5(e) dJ/dy_hat_i", r"\frac{2}{N}(F_\theta(x_i) - y_i)^\top"),
    ("1.5(e) dJ/dy_hat_i", r"\frac{\partial J}{\partial \hat y_i} = \frac2N(\hat y_i^T - y_i^T)"),
]


@pytest.mark.parametrize(("key", "text"), REWRITTEN)
def test_equivalent_rewrites_are_right(key, text):
    right(key, text)


def test_notes_come_with_a_right_verdict():
    assert "is not judged" in check_answer("1.5(c) ReLU'", r"\mathbf 1[x > 0]").message
    assert "β = 1" in check_answer("1.5(c) Softplus'", r"\sigma(x)").message
    perceptron = check_answer("1.4 perceptron", r"\max(0, -y(b + w^\top x))")
    assert perceptron.message.startswith("right up to the step size: gradient descent on it with rate 2η is the rule")
    assert check_answer("1.4 perceptron", r"|z| - yz").message.startswith("right: gradient descent on it with rate η")
    assert check_answer("1.4 adaline", r"(y - \hat y)^2").message.startswith("right up to the step size") and "η/2" in (
        check_answer("1.4 adaline", r"(y - \hat y)^2").message
    )
    assert "a constant does not matter" in check_answer("1.4 adaline", r"\frac12 (y - z)^2 + 3").message


# ----------------------------------------------------------------------------------------------------
# The catalogue of mistakes


@pytest.mark.parametrize(("key", "mistake"), MISTAKES, ids=[f"{k} {m.id}" for k, m in MISTAKES])
def test_each_catalogued_mistake_is_named(key, mistake):
    verdict = check_answer(key, mistake.formula)
    assert not verdict.ok
    assert (verdict.mistake, verdict.message) == (mistake.id, mistake.message)
    assert str(verdict) == "not yet: " + mistake.message


@pytest.mark.parametrize(("key", "mistake"), MISTAKES, ids=[f"{k} {m.id}" for k, m in MISTAKES])
def test_each_catalogued_mistake_is_named_in_the_plain_syntax_too(key, mistake):
    q = QUESTIONS[key]
    plain = mt.parse(mistake.formula, written.MODELS[q.model].vocabulary, asked=q.lhs).plain()
    assert check_answer(key, plain).mistake == mistake.id, plain


def _apart(q, a, b):
    """Whether two catalogued formulas differ at the question's probe draws."""
    if q.check == "loss":
        c = written._ratio(zip([g for g, _ in a], [g for g, _ in b]))
        return c is None or c <= 0
    return not all(written._same(u, v) for u, v in zip(a, b))


@pytest.mark.parametrize("key", KEYS)
def test_probe_draws_tell_every_mistake_from_the_answer_and_from_every_other_mistake(key):
    q = QUESTIONS[key]
    prepared = written._prepared(key)
    formulas = {"the reference": prepared.reference, **prepared.mistakes}
    names = list(formulas)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert _apart(q, formulas[a], formulas[b]), f"{key}: {a} and {b} agree at every draw"


@pytest.mark.parametrize("key", [k for k in KEYS if QUESTIONS[k].model.startswith(("1.2", "1.3"))])
def test_network_draws_have_distinct_sizes_and_hidden_units_of_both_signs(key):
    q = QUESTIONS[key]
    for values in written._draws(q.model):
        assert len({values["n"], values["h"], values["K"]}) == 3 and min(values["n"], values["h"], values["K"]) > 1
        assert (values["z1"] > 0).any() and (values["z1"] < 0).any() and np.abs(values["z1"]).min() > 0.1
        if q.model != "1.2":
            assert set(values["y"].ravel()) == {0.0, 1.0}


def test_every_mistake_id_is_unique_within_its_question():
    for q in QUESTIONS.values():
        ids = [m.id for m in q.mistakes]
        assert len(ids) == len(set(ids)), q.key


# ----------------------------------------------------------------------------------------------------
# Shapes, values, names, left sides: the messages


def test_a_missing_transpose_of_a_matrix_says_transpose_it():
    verdict = check_answer("1.2(c) dl/dW1", r"\left(x \frac{\partial \ell}{\partial \hat y} W^{(2)}\right)^\top")
    assert (
        verdict.message
        == ("it is h×n (the shape of W⁽¹⁾); numerator layout gives ∂ℓ/∂W⁽¹⁾ the shape n×h: transpose it")
        and verdict.mistake == ""
    )


def test_a_column_for_a_row_says_denominator_layout():
    verdict = check_answer("1.2(c) dl/db1", r"\left(\frac{\partial \ell}{\partial \hat y} W^{(2)}\right)^\top")
    assert verdict.message == (
        "it is a column (h×1), denominator layout; ∂ℓ/∂b⁽¹⁾ is a row, 1×h, in numerator layout: transpose it"
    )


def test_a_shape_error_names_the_sub_expression_in_latex_with_symbolic_sizes():
    verdict = check_answer("1.2(c) dl/dW1", r"x^\top \frac{\partial \ell}{\partial \hat y} W^{(2)}")
    assert verdict.message == (
        r"its shapes do not fit: $x^\top$ (1×n) times $\frac{\partial \ell}{\partial \hat y}$ (1×K): does not multiply"
    )
    assert verdict.reading == r"x^\top \frac{\partial \ell}{\partial \hat y} W^{(2)}"  # no ⊙: the rows do not match
    jacobian = check_answer(
        "1.3(a) dl/dz3", r"\frac{\partial \hat y}{\partial z_3} \odot \frac{\partial \ell}{\partial \hat y}"
    )
    assert "(K×K) ⊙" in jacobian.message and "⊙ works with its diagonal only" in jacobian.message


def test_a_product_in_the_wrong_order_says_so():
    verdict = check_answer(
        "1.2(c) dl/dW1", r"\frac{\partial \ell}{\partial \hat y} W^{(2)} \frac{\partial z_2}{\partial z_1} x"
    )
    assert verdict.message.startswith("its shapes do not fit: ")
    assert verdict.message.endswith(
        r"In the other order, $x$ $\frac{\partial \ell}{\partial \hat y} W^{(2)} \frac{\partial z_2}{\partial z_1}$, "
        "they would multiply: the order of a product matters"
    )
    assert "the order of a product matters" in check_answer("1.2(b) z1", r"x W^{(1)} + b^{(1)}").message


def test_a_wrong_value_says_where_and_by_how_much():
    verdict = check_answer("1.2(c) dl/dW2", r"5(W^{(1)}x)^+ \frac{\partial\ell}{\partial\hat y}")
    assert verdict.message.startswith("it has the right shape (h×K) but not the value at a random draw (n = 3, h = 4")
    assert "entry (" in verdict.message and "relative difference" in verdict.message
    leaky = check_answer("1.5(c) LeakyReLU'", r"\begin{cases} 1 & x > 0 \\ 0.1 & x \le 0 \end{cases}")
    assert "0.1 where LeakyReLU′(x) is 0.01" in leaky.message and "it agrees at 4 of 8 draws" in leaky.message


def test_a_power_of_a_vector_where_a_number_is_wanted_is_explained():
    verdict = check_answer("1.5(e) J", r"\frac1N\sum_{i=1}^N (\hat y_i - y_i)^2")
    assert verdict.message.startswith("it is K×1; J(θ) is a number") and "entry by entry" in verdict.message


@pytest.mark.parametrize(
    ("key", "text", "names", "definition"),
    [
        ("1.2(c) dl/dW1", r"x \frac{\partial \ell}{\partial z_1}", "∂ℓ/∂z₁", r"$\frac{\partial \ell}{\partial z_1} = "),
        (
            "1.2(c) dl/dW2",
            r"z_2 \frac{\partial \ell}{\partial \hat y}",
            "z₂",
            r"$z_2 = 5\big(W^{(1)}x + b^{(1)}\big)^+$",
        ),
        ("1.2(b) z3", "W2 z2 + b2", "z₂", r"$z_2 = 5\big(W^{(1)}x + b^{(1)}\big)^+$"),
        ("1.2(b) z2", "5 relu(z1)", "z₁", r"$z_1 = W^{(1)}x + b^{(1)}$"),
        ("1.2(b) y_hat", r"g(z_3)", "z₃ and g", r"$g(u) = u$"),
        ("1.2(d) dl/dy_hat", r"\frac{\partial \ell}{\partial z_3}", "∂ℓ/∂z₃", "$"),
        ("1.5(b) dw/dz", "w", "w", "$w = (x + y) z o + z$"),
        ("1.5(e) J", r"\frac1N \sum_i \ell_i", "ℓ", r"$\ell_i = \lVert F_\theta(x_i) - y_i \rVert^2$"),
    ],
)
def test_names_the_question_does_not_permit_are_refused_naming_them(key, text, names, definition):
    verdict = check_answer(key, text)
    assert not verdict.ok
    assert verdict.message.startswith(f"it uses {names}, which {QUESTIONS[key].part} does not permit: write ")
    assert definition in verdict.message


def test_a_refused_name_is_read_with_its_definition_for_a_second_opinion():
    assert check_answer("1.2(b) z3", "W2 z2 + b2").message.endswith("Read with those definitions, it is right")
    wrong = check_answer("1.2(b) z3", "W2 z1 + b2")
    assert wrong.mistake == "no-f" and wrong.message.endswith("f is missing: z₃ = W⁽²⁾ f(W⁽¹⁾x + b⁽¹⁾) + b⁽²⁾")


def test_a_left_side_for_another_quantity_is_refused():
    verdict = check_answer("1.2(c) dl/dW1", r"\frac{\partial \ell}{\partial W^{(2)}} = x")
    assert verdict.message == "the left side is ∂ℓ/∂W⁽²⁾, but this question asks for ∂ℓ/∂W⁽¹⁾"


def test_a_where_clause_may_not_redefine_a_variable():
    verdict = check_answer("1.2(b) z1", r"W^{(1)} x + b^{(1)}, \quad x = b^{(1)}")
    assert "redefines x" in verdict.message


def test_a_wrong_step_of_a_chain_is_named():
    verdict = check_answer("1.2(d) dl/dy_hat", r"2(\hat y - y)^\top = 2(\hat y - y)")
    assert verdict.message.startswith(r"the 2nd expression of the chain, $2 (\hat y - y)$: that is a column")
    assert verdict.mistake == "column"


def test_an_unreadable_text_gets_a_verdict_with_the_position():
    verdict = check_answer("1.2(b) z1", r"W^{(1)}x + {b^{(1)}")
    assert not verdict.ok and verdict.reading == ""
    assert verdict.message.startswith("could not read it: expected '}' to close the '{' at position 11")
    assert verdict.message.endswith("^")


def test_using_the_asked_function_itself_is_refused():
    assert check_answer("1.5(c) ReLU'", r"\mathrm{ReLU}'(x)").message == "it uses relu' itself: write out what it is"
    assert "softmax itself" in check_answer("1.5(a) softmax with T", r"\operatorname{softmax}(z/T)").message


def test_the_reading_shows_inferred_products():
    assert check_answer("1.3(a) dy_hat/dz3", r"\operatorname{diag}(\sigma(z_3)(1 - \sigma(z_3)))").reading == (
        r"\operatorname{diag}(\sigma(z_3) \odot (1 - \sigma(z_3)))"
    )


def test_verdicts_are_small_frozen_dataclasses():
    verdict = check_answer("1.2(b) z1", "W1 x + b1")
    assert (verdict.ok, verdict.mistake, verdict.reading) == (True, "", "W^{(1)} x + b^{(1)}")
    assert str(verdict).startswith("correct: right (an h×1 column")
    with pytest.raises(AttributeError):
        verdict.ok = False


def test_an_unknown_question_is_a_value_error_listing_the_questions():
    with pytest.raises(ValueError, match=r"question_key must be one of .*1\.2\(b\) z1"):
        check_answer("1.9 nothing", "x")


# ----------------------------------------------------------------------------------------------------
# The source's own answers (/work/shared/source), pasted answer by answer, and their verdicts

NOT_PERMITTED = "does not permit"
SOURCE = [  # each answer of the source, as pasted, and the verdict it must get
    Pasted(
        "1.2(b) z1",
        r"z_1 = W^{(1)}x + b^{(1)} \in \mathbb{R}^h.",
        True,
        "",
        ["right"],
    ),
    Pasted(
        "1.2(b) z2",
        r"z_2 = f(z_1) = 5 \operatorname{ReLU}(z_1) \in \mathbb{R}^h.",
        False,
        "",
        [
            "the 1st expression of the chain, $f(z_1)$",
            "it uses z₁ and f, which 1.2(b) does not permit",
            "Read with those definitions, it is right",
        ],
    ),
    Pasted(
        "1.2(b) z3",
        r"z_3 = W^{(2)} z_2 + b^{(2)} \in \mathbb{R}^K.",
        False,
        "",
        ["it uses z₂", NOT_PERMITTED, "it is right"],
    ),
    Pasted(
        "1.2(b) y_hat",
        r"\hat{y} = g(z_3) = z_3 \in \mathbb{R}^K.",
        False,
        "",
        ["it uses z₃ and g", NOT_PERMITTED],
    ),
    Pasted(
        "1.2(c) dl/dW2",
        r"\frac{\partial \ell}{\partial W^{(2)}} = \left(\frac{\partial \ell}{\partial z_3} \right) "
        r"z_2^\top",
        False,
        "W-shaped",
        [
            "it uses z₂ and ∂ℓ/∂z₃, which 1.2(c) does not permit",
            "in denominator layout",
            "the gradient shaped like W⁽²⁾ (K×h)",
            "numerator layout makes ∂ℓ/∂W⁽²⁾ its transpose, h×K",
        ],
    ),
    Pasted(
        "1.2(c) dl/db2",
        r"\frac{\partial \ell}{\partial b^{(2)}} = \frac{\partial \ell}{\partial z_3}",
        False,
        "",
        ["it uses ∂ℓ/∂z₃", NOT_PERMITTED, "Read with those definitions, it is right"],
    ),
    Pasted(
        "1.2(c) dl/dW1",
        r"\frac{\partial \ell}{\partial W^{(1)}} = \left(\frac{\partial \ell}{\partial z_1} \right) "
        r"x^\top",
        False,
        "W-shaped",
        ["it uses ∂ℓ/∂z₁", NOT_PERMITTED, "the gradient shaped like W⁽¹⁾ (h×n)"],
    ),
    Pasted(
        "1.2(c) dl/db1",
        r"\frac{\partial \ell}{\partial b^{(1)}} = \frac{\partial \ell}{\partial z_1}",
        False,
        "",
        ["it uses ∂ℓ/∂z₁", NOT_PERMITTED],
    ),
    Pasted(
        "1.2(d) dz2/dz1",
        r"\frac{\partial z_2}{\partial z_1} = \begin{bmatrix} 5 \cdot \mathbf{1}_{\{z_{1,1} > 0\}} & "
        r"0 & \cdots & 0 \\ 0 & 5 \cdot \mathbf{1}_{\{z_{1,2} > 0\}} & \cdots & 0 \\ \vdots & & "
        r"\ddots & \vdots \\ 0 & 0 & \cdots & 5 \cdot \mathbf{1}_{\{z_{1,m} > 0\}} \end{bmatrix} = "
        r"\text{diag}(5 \cdot \mathbf{1}_{\{z_1 > 0\}}) \in \mathbb{R}^{m \times m}.",
        True,
        "",
        ["right", "not judged"],
    ),
    Pasted(
        "1.2(d) dy_hat/dz3",
        r"\frac{\partial \hat{y}}{\partial z_3} = \begin{bmatrix} 1 & 0 & \cdots & 0 \\ 0 & 1 & "
        r"\cdots & 0 \\ \vdots & & \ddots & \vdots \\ 0 & 0 & \cdots & 1 \end{bmatrix} = I_K \in "
        r"\mathbb{R}^{K \times K}.",
        True,
        "",
        ["right"],
    ),
    Pasted(
        "1.2(d) dl/dy_hat",
        r"\frac{\partial \ell}{\partial \hat{y}} = \begin{bmatrix} 2(\hat{y}_1 - y_1) \\ 2(\hat{y}_2 "
        r"- y_2) \\ \vdots \\ 2(\hat{y}_K - y_K) \end{bmatrix} \in \mathbb{R}^K.",
        False,
        "column",
        ["a column (K×1), denominator layout", "a missing transpose is wrong"],
    ),
    Pasted(
        "1.3(a) z2",
        r"z_2 = f(z_1) = \tanh(z_1)",
        False,
        "",
        ["it uses z₁ and f", NOT_PERMITTED],
    ),
    Pasted(
        "1.3(a) y_hat",
        r"\hat{y} = g(z_3) = \sigma(z_3).",
        False,
        "",
        ["it uses z₃ and g", NOT_PERMITTED, "it is right"],
    ),
    Pasted(
        "1.3(a) dz2/dz1",
        r"\frac{\partial z_2}{\partial z_1} = 1 - \tanh^2(z_1)",
        False,
        "diagonal-only",
        ["the diagonal only, a column", "h×h matrix"],
    ),
    Pasted(
        "1.3(a) dy_hat/dz3",
        r"\frac{\partial \hat{y}}{\partial z_3} = \sigma(z_3)(1 - \sigma(z_3)).",
        False,
        "diagonal-only",
        ["the diagonal only", "K×K matrix"],
    ),
    Pasted(
        "1.3(a) dl/dy_hat",
        r"\frac{\partial \ell}{\partial \hat{y}} = 2(\hat{y} - y),",
        False,
        "column",
        ["denominator layout"],
    ),
    Pasted(
        "1.3(a) dl/dz3",
        r"\frac{\partial \ell}{\partial z_3} = \frac{\partial \hat{y}}{\partial z_3} \odot "
        r"\frac{\partial \ell}{\partial \hat{y}}",
        False,
        "",
        ["(K×K) ⊙", "(1×K)", "The chain rule multiplies by a Jacobian matrix"],
    ),
    Pasted(
        "1.3(a) dl/dW2",
        r"\frac{\partial \ell}{\partial W^{(2)}} = \frac{\partial \ell}{\partial z_3} z_2^\top",
        False,
        "W-shaped",
        ["it uses z₂ and ∂ℓ/∂z₃", "shaped like W⁽²⁾"],
    ),
    Pasted(
        "1.3(a) dl/db2",
        r"\frac{\partial \ell}{\partial b^{(2)}} = \frac{\partial \ell}{\partial z_3}",
        False,
        "",
        ["it uses ∂ℓ/∂z₃", NOT_PERMITTED],
    ),
    Pasted(
        "1.3(a) dl/dW1",
        r"\frac{\partial \ell}{\partial W^{(1)}} = \frac{\partial \ell}{\partial z_1} x^\top",
        False,
        "W-shaped",
        ["it uses ∂ℓ/∂z₁", "shaped like W⁽¹⁾"],
    ),
    Pasted(
        "1.3(a) dl/db1",
        r"\frac{\partial \ell}{\partial b^{(1)}} = \frac{\partial \ell}{\partial z_1}",
        False,
        "",
        ["it uses ∂ℓ/∂z₁"],
    ),
    Pasted(
        "1.3(a) dz2/dz1",
        r"\frac{\partial z_2}{\partial z_1} = \begin{bmatrix} 1 - \tanh^2(z_{1,1}) & 0 & \cdots & 0 "
        r"\\ 0 & 1 - \tanh^2(z_{1,2}) & \cdots & 0 \\ \vdots & & \ddots & \vdots \\ 0 & 0 & \cdots & "
        r"1 - \tanh^2(z_{1,m}) \end{bmatrix} = \text{diag}(1 - \tanh^2(z_1)) \in \mathbb{R}^{m \times "
        "m},",
        True,
        "",
        ["right"],
    ),
    Pasted(
        "1.3(a) dy_hat/dz3",
        r"\frac{\partial \hat{y}}{\partial z_3} = \begin{bmatrix} \sigma(z_{3,1})(1 - "
        r"\sigma(z_{3,1})) & 0 & \cdots & 0 \\ 0 & \sigma(z_{3,2})(1 - \sigma(z_{3,2})) & \cdots & 0 "
        r"\\ \vdots & & \ddots & \vdots \\ 0 & 0 & \cdots & \sigma(z_{3,K})(1 - \sigma(z_{3,K})) "
        r"\end{bmatrix} = \text{diag}(\sigma(z_3)(1 - \sigma(z_3))) \in \mathbb{R}^{K \times K}.",
        True,
        "",
        ["right"],
    ),
    Pasted(
        "1.3(a) dl/dy_hat",
        r"\frac{\partial \ell}{\partial \hat{y}} = 2(\hat{y} - y) = \begin{bmatrix} 2(\hat{y}_1 - "
        r"y_1) \\ 2(\hat{y}_2 - y_2) \\ \vdots \\ 2(\hat{y}_K - y_K) \end{bmatrix} \in \mathbb{R}^K.",
        False,
        "column",
        ["the 1st expression of the chain", "denominator layout"],
    ),
    Pasted(
        "1.3(b) dl/dy_hat",
        r"\frac{\partial \ell_{BCE}}{\partial \hat{y}} = \frac{1}{K} \frac{\hat{y} - y}{\hat{y}(1 - "
        r"\hat{y})} \in \mathbb{R}^K,",
        False,
        "column",
        ["a column (K×1), denominator layout"],
    ),
    Pasted(
        "1.3(b) dl/dz3",
        r"\frac{\partial \ell_{BCE}}{\partial z_3} = \frac{\partial \ell_{BCE}}{\partial \hat{y}} "
        r"\odot \frac{\partial \hat{y}}{\partial z_3} = \frac{1}{K} \frac{\hat{y} - y}{\hat{y}(1 - "
        r"\hat{y})} \odot (\hat{y}(1 - \hat{y})) = \frac{1}{K} (\hat{y} - y),",
        False,
        "",
        ["the 1st expression of the chain", "(1×K) ⊙", "diagonal only"],
    ),
    Pasted(
        "1.3(b) dl/dz3",
        r"\frac{\partial \ell_{BCE}}{\partial z_3} = \frac{1}{K} (\hat{y} - y) \in \mathbb{R}^K.",
        False,
        "column",
        ["denominator layout"],
    ),
    Pasted(
        "1.3(a) dz2/dz1",
        r"\frac{\partial z_2}{\partial z_1} = \begin{bmatrix} 1 - \tanh^2(z_{1,1}) & 0 & \cdots & 0 "
        r"\\ 0 & 1 - \tanh^2(z_{1,2}) & \cdots & 0 \\ \vdots & & \ddots & \vdots \\ 0 & 0 & \cdots & "
        r"1 - \tanh^2(z_{1,m}) \end{bmatrix} \in \mathbb{R}^{m \times m},",
        True,
        "",
        ["right"],
    ),
    Pasted(
        "1.3(a) dy_hat/dz3",
        r"\frac{\partial \hat{y}}{\partial z_3} = \begin{bmatrix} \hat{y}_1(1 - \hat{y}_1) & 0 & "
        r"\cdots & 0 \\ 0 & \hat{y}_2(1 - \hat{y}_2) & \cdots & 0 \\ \vdots & & \ddots & \vdots \\ 0 "
        r"& 0 & \cdots & \hat{y}_K(1 - \hat{y}_K) \end{bmatrix} \in \mathbb{R}^{K \times K}.",
        True,
        "",
        ["right"],
    ),
    Pasted(
        "1.4 perceptron",
        r"\ell_{\text{perceptron}}(w, b; x, y) = \max(0, -y(b + w^\top x)).",
        True,
        "",
        ["right up to the step size", "rate 2η"],
    ),
    Pasted(
        "1.4 perceptron",
        r"\ell_{\text{perceptron}}(w) = \max\left(0, -y(b + w^\top x)\right).",
        True,
        "",
        ["rate 2η"],
    ),
    Pasted(
        "1.4 adaline",
        r"\ell_{\text{adaline}}(w, b; x, y) = \frac{1}{2} (y - (b + w^\top x))^2",
        True,
        "",
        ["right: gradient descent on it with rate η is the rule"],
    ),
    Pasted(
        "1.4 tanh-logistic",
        r"\ell_{\text{logistic}}(w, b; x, y) = -\frac{1}{2}[(1 + y) \ln(1 + \tanh(b + w^\top x)) + (1 "
        r"- y) \ln(1 - \tanh(b + w^\top x))]",
        True,
        "",
        ["rate η", "by a constant (-0.6931)", "a constant does not matter"],
    ),
    Pasted(
        "1.4 tanh-logistic",
        r"\ell_{\text{logistic}}(\hat{y}) = -\frac{1}{2}[(1 + y) \ln(1 + \hat{y}) + (1 - y) \ln(1 - "
        r"\hat{y})] + C",
        True,
        "",
        ["rate η", "a constant does not matter"],
    ),
    Pasted(
        "1.5(a) softmax",
        r"\text{softmax}(z_i) = \frac{e^{z_i}}{\sum_j e^{z_j}}.",
        True,
        "",
        ["right"],
    ),
    Pasted(
        "1.5(a) softmax with T",
        r"\text{softmax}(z_i) = \frac{e^{z_i}}{\sum_j e^{z_j}}.",
        False,
        "no-temperature",
        ["the temperature T is missing"],
    ),
    Pasted(
        "1.5(e) J",
        r"\mathcal{L}_{\text{MSE}}(\theta) = \frac{1}{N} \sum_{i=1}^N \|F_{\theta}(x_i) - y_i\|^2.",
        True,
        "",
        ["right"],
    ),
    Pasted(
        "1.5(e) J",
        r"\mathcal{L}_{\text{MSE}}(\theta) = \frac{1}{N} \sum_{i=1}^N \|\hat{y}_i - y_i\|^2.",
        True,
        "",
        ["right"],
    ),
    Pasted(
        "1.5(e) J",
        r"\mathcal{L}_{\text{MSE}}(\theta) = \frac{1}{N} \sum_{i=1}^N \ell_i = \frac{1}{N} "
        r"\sum_{i=1}^N \|\hat{y}_i - y_i\|^2.",
        False,
        "",
        ["the 1st expression of the chain", "it uses ℓ, which 1.5(e) does not permit"],
    ),
]


@pytest.mark.parametrize(
    ("key", "text", "ok", "mistake", "says"), SOURCE, ids=[f"{s[0]} {i}" for i, s in enumerate(SOURCE)]
)
def test_the_sources_answers_get_the_verdicts_of_the_errata(key, text, ok, mistake, says):
    verdict = check_answer(key, text)
    assert (verdict.ok, verdict.mistake) == (ok, mistake), str(verdict)
    for words in says:
        assert words in verdict.message, f"{words!r} not in {verdict.message!r}"


def test_every_formula_of_the_source_is_in_the_table():
    """Each display formula the source gives for a question of the catalogue is pasted above."""
    keys = {key for key, *_ in SOURCE}
    assert {"1.2(b) z1", "1.2(b) z2", "1.2(b) z3", "1.2(b) y_hat"} <= keys
    assert {k for k in KEYS if k.startswith(("1.2(c)", "1.2(d)"))} <= keys
    assert {"1.4 perceptron", "1.4 adaline", "1.4 tanh-logistic", "1.5(a) softmax", "1.5(e) J"} <= keys


# ----------------------------------------------------------------------------------------------------
# The references agree with the rest of the package


def _draw_arrays(values):
    return (
        values["x"].ravel(),
        values["y"].ravel(),
        values["W1"],
        values["b1"].ravel(),
        values["W2"],
        values["b2"].ravel(),
    )


def _answer_keys(problem):
    """The questions of helpers.answers.answers(problem)'s rows, in their order."""
    forward, jacobians, backward = ("1.2(b)", "1.2(d)", "1.2(c)") if problem == "1.2" else ("1.3(a)",) * 3
    loss = "1.3(b)" if problem == "1.3(b)" else jacobians
    return [
        f"{forward} y_hat", f"{loss} dl/dy_hat", f"{jacobians} dz2/dz1", f"{jacobians} dy_hat/dz3",
        f"{backward} dl/dW2", f"{backward} dl/db2", f"{backward} dl/dW1", f"{backward} dl/db1",
    ]  # fmt: skip


@pytest.mark.parametrize("problem", ["1.2", "1.3(a)", "1.3(b)"])
def test_the_references_equal_helpers_answers(problem):
    from helpers import answers

    for values in written._draws(problem):
        rows = answers.answers(problem, *_draw_arrays(values))
        for key, row in zip(_answer_keys(problem), rows, strict=True):
            q = QUESTIONS[key]
            expected = row.value[:, None] if row.value.ndim == 1 else row.value
            got = written._value(q, written._parsed(key, q.reference), values)
            np.testing.assert_allclose(got, expected, rtol=1e-10)


@pytest.mark.parametrize("problem", ["1.2", "1.3(a)", "1.3(b)"])
def test_the_latex_of_helpers_answers_is_right(problem):
    """The formulas the notebooks show (helpers/answers.py) pass the checker, with their left sides."""
    from helpers import answers

    rows = answers.answers(problem, *_draw_arrays(written._draws(problem)[0]))
    for key, row in zip(_answer_keys(problem), rows, strict=True):
        right(key, f"{row.quantity} = {row.formula}")


def test_the_references_of_1_4_have_the_gradients_of_helpers_losses():
    for name, loss in (("perceptron", losses.perceptron), ("adaline", None), ("tanh-logistic", losses.tanh_logistic)):
        q = QUESTIONS[f"1.4 {name}"]
        prepared = written._prepared(q.key)
        for values, (grad, _) in zip(prepared.draws, prepared.reference):
            z = np.array([values["z"]])
            if loss is None:
                _, dl_dz = losses.adaline(z, np.array([values["y"]]))
            else:
                _, dl_dz = loss(z, np.array([values["y"]]))
            np.testing.assert_allclose(grad, dl_dz[0] * np.append(values["x"].ravel(), 1.0), rtol=1e-6, atol=1e-9)


def test_the_references_of_1_5_equal_the_package():
    from helpers.activations import d_gelu, d_leaky_relu, d_relu, d_softplus, softmax

    for values in written._prepared("1.5(c) ReLU'").draws:
        x = np.array([values["x"]])
        for key, expected in (("ReLU'", d_relu(x)), ("LeakyReLU'", d_leaky_relu(x, values["a"])),
                              ("Softplus'", d_softplus(x, beta=values["beta"])), ("GELU'", d_gelu(x))):  # fmt: skip
            q = QUESTIONS[f"1.5(c) {key}"]
            got = written._value(q, written._parsed(q.key, q.reference), values)
            np.testing.assert_allclose(got, expected[0], rtol=1e-12)
    for values in written._draws("1.5(a) T"):
        q = QUESTIONS["1.5(a) softmax with T"]
        got = written._value(q, written._parsed(q.key, q.reference), values)
        np.testing.assert_allclose(got.ravel(), softmax(values["z"].ravel(), temperature=values["T"]), rtol=1e-12)
    for values in written._draws("1.5(b)"):  # w = (x + y) z o + z, and its derivatives by central differences
        q = QUESTIONS["1.5(b) w"]
        assert written._value(q, written._parsed(q.key, q.reference), values) == pytest.approx(values["w"])
        for var in "xyzo":
            q = QUESTIONS[f"1.5(b) dw/d{var}"]
            step = {**values, var: values[var] + 1e-6}, {**values, var: values[var] - 1e-6}
            w = [(v["x"] + v["y"]) * v["z"] * v["o"] + v["z"] for v in step]
            got = written._value(q, written._parsed(q.key, q.reference), values)
            assert got == pytest.approx((w[0] - w[1]) / 2e-6, rel=1e-7)
    for values in written._draws("1.5(e)"):
        q = QUESTIONS["1.5(e) J"]
        J, grad = losses.mse(values["y_hat"][..., 0], values["y"][..., 0], reduction="sum")
        assert written._value(q, written._parsed(q.key, q.reference), values) == pytest.approx(J / values["N"])
        q = QUESTIONS["1.5(e) dJ/dy_hat_i"]
        rows = written._value(q, written._parsed(q.key, q.reference), values)
        np.testing.assert_allclose(rows[:, 0, :], grad / values["N"], rtol=1e-12)


# ----------------------------------------------------------------------------------------------------
# Speed and robustness


def test_every_check_answers_quickly():
    for key in KEYS:
        check_answer(key, PLAIN[key])  # draws prepared once
    for key in KEYS:
        start = time.perf_counter()
        check_answer(key, QUESTIONS[key].reference)
        assert time.perf_counter() - start < 1.0, key  # measured at most 20 ms


@settings(derandomize=True, max_examples=150, deadline=None)
@given(
    st.sampled_from(KEYS), st.lists(st.sampled_from([*"xyzWb12^_{}()+-*/ ,=ŷхσ⊙ᵀ|", r"\frac", r"\hat"])).map("".join)
)
def test_check_answer_never_raises(key, text):
    verdict = check_answer(key, text)
    assert isinstance(verdict, written.Verdict) and verdict.message


def test_check_answer_refuses_hostile_text_quickly():
    for text in (r"\input{/etc/passwd}", "(" * 100, "x" * 5000, r"\def\x{x}"):
        start = time.perf_counter()
        verdict = check_answer("1.2(b) z1", text)
        assert not verdict.ok and verdict.message.startswith("could not read it")
        assert time.perf_counter() - start < 0.5  # measured at most a few ms: a bound that catches a runaway parse


def test_defaults_for_an_omitted_slope_or_beta():
    """Without a symbol, LeakyReLU's slope is 0.01 and Softplus's β is 1; with one, they are drawn."""
    assert written._defaults_for(written.MODELS["1.5(c)"], {"x"}) == ("a", "alpha", "beta")
    assert written._defaults_for(written.MODELS["1.5(c)"], {"x", "alpha"}) == ("beta",)
    slope = partial(check_answer, "1.5(c) LeakyReLU'")
    assert slope(r"\begin{cases} 1 & x > 0 \\ 0.01 & x \le 0 \end{cases}").ok
    assert not slope(r"\begin{cases} 1 & x > 0 \\ 0.01 a/a & x \le 0 \end{cases}").ok  # a is used: it is drawn


def test_the_default_of_a_parameter_is_said_only_when_the_answer_leaves_it_out():
    with_beta = check_answer("1.5(c) Softplus'", r"\frac{1}{1 + e^{-\beta x}}")
    without = check_answer("1.5(c) Softplus'", r"\frac{1}{1 + e^{-x}}")
    assert with_beta.ok and without.ok
    assert "β = 1" not in with_beta.message and "read with β = 1" in without.message
    slope = check_answer("1.5(c) LeakyReLU'", r"\begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}")
    assert slope.ok and "0.01" not in slope.message


# ----------------------------------------------------------------------------------------------------
# Red-team regressions: answers that got a wrong verdict, and what each must get

RED_TEAM_RIGHT = [
    ("1.2(b) z1", r"W^{[1]} x + b^{[1]}"),  # bracketed layers
    (
        "1.2(c) dl/dW1",
        r"\frac{\partial \ell}{\partial W^{[1]}} = x \frac{\partial \ell}{\partial \hat y} W^{[2]} "
        r"\frac{\partial z_2}{\partial z_1}",
    ),  # fmt: skip
    ("1.2(d) dl/dy_hat", r"2(\hat{\mathbf{y}}-\mathbf{y})^T"),  # bold under a hat
    ("1.5(e) dJ/dy_hat_i", r"\frac{2}{N}(\hat{\boldsymbol{y}}_i - \boldsymbol{y}_i)^\top"),
    ("1.4 perceptron", r"-\min(0, y(w^Tx+b))"),  # ^T takes one character, as in TeX
    ("1.4 adaline", r"\frac{1}{2}(y - w^Tx - b)^2"),
    ("1.4 tanh-logistic", r"\log(1+\exp(-2y(w^Tx+b)))"),
    ("1.4 perceptron", r"\max(0, -y(\mathbf{w} \cdot \mathbf{x} + b))"),  # w · x in a loss: the dot product
    ("1.4 adaline", r"\frac12 (y - w \cdot x - b)^2"),
    ("1.4 tanh-logistic", r"\ln(1 + e^{-2y(w\cdot x+b)})"),
    ("1.2(d) dl/dy_hat", "2 (ŷ - y)⊤"),  # an unraised ⊤ from a PDF
    ("1.4 perceptron", "max(0, −y(w⊤x + b))"),
    ("1.2(b) z2", r"5\left(W^{(1)}x+b^{(1)}\right)_+"),  # (u)_+
    ("1.3(a) dz2/dz1", r"I - \operatorname{diag}(\tanh(z_1))^2"),  # diag(v)^2, a matrix power
    ("1.3(a) dy_hat/dz3", r"\operatorname{diag}(\hat y) - \operatorname{diag}(\hat y)^2"),
    ("1.2(d) dy_hat/dz3", r"I_{K\times K}"),
    ("1.5(a) softmax", r"\sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}"),  # Wikipedia's left side
    ("1.5(a) softmax", r"\text{softargmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}"),  # the homework's name
    ("1.2(b) z2", r"z_2 = f(z_1) = 5 \operatorname{ReLU}(W^{(1)}x + b^{(1)})"),  # a chain ending in the answer
    ("1.2(b) z3", r"z_3 = W^{(2)} z_2 + b^{(2)} = W^{(2)} 5\max(0, W^{(1)}x + b^{(1)}) + b^{(2)}"),
    ("1.3(a) y_hat", r"\hat y = g(z_3) = \sigma(z_3) = \sigma(W_2 \tanh(W_1 x + b_1) + b_2)"),
]


@pytest.mark.parametrize(("key", "text"), RED_TEAM_RIGHT)
def test_red_team_right_answers_are_right(key, text):
    right(key, text)


def test_the_echo_shows_the_dot_product_of_a_loss_and_keeps_the_element_wise_product_in_a_diag():
    assert (
        check_answer("1.4 adaline", r"\frac12 (y - w \cdot x - b)^2").reading == r"\frac{1}{2} (y - w^\top x - b)^{2}"
    )
    jacobian = check_answer("1.3(a) dy_hat/dz3", r"\operatorname{diag}(\sigma(z_3) \cdot (1 - \sigma(z_3)))")
    assert jacobian.ok and r"\odot" in jacobian.reading
    juxtaposed = check_answer("1.4 adaline", r"\frac12 (y - w x - b)^2")
    assert not juxtaposed.ok and "entry by entry" in juxtaposed.message and "wᵀx" in juxtaposed.message


def test_a_chain_with_a_wrong_side_is_still_wrong():
    for text in (
        r"z_2 = f(z_1) = 5\max(0, W_1x + b_1) = \max(0, W_1 x + b_1)",
        r"z_2 = \max(0, z_1) = 5\max(0, W_1x + b_1)",  # a wrong step in abbreviations
    ):
        assert not check_answer("1.2(b) z2", text).ok, text
    wrong = check_answer("1.2(b) z3", r"z_3 = W^{(2)} z_1 + b^{(2)} = W^{(2)} 5\max(0, W^{(1)}x + b^{(1)}) + b^{(2)}")
    assert not wrong.ok and wrong.message.startswith("the 1st expression of the chain")


def test_softmax_for_one_entry_says_to_write_it_for_any_i():
    verdict = check_answer("1.5(a) softmax", r"\frac{e^{z_1}}{\sum_j e^{z_j}}")
    assert not verdict.ok and "the same for every i" in verdict.message and "z_i" in verdict.message


def test_a_where_clause_for_the_per_sample_loss_says_to_write_it_out():
    verdict = check_answer("1.5(e) J", r"\frac{1}{N}\sum_{i=1}^{N} \ell_i, \quad \ell_i = \|F_\theta(x_i) - y_i\|^2")
    assert not verdict.ok and "write the right side in place of the name" in verdict.message


def test_a_derivative_of_f_is_refused_saying_so():
    verdict = check_answer("1.2(d) dz2/dz1", r"\operatorname{diag}(f'(z_1))")
    assert not verdict.ok and "f′ (the derivative of f) is not read" in verdict.message


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("1.5(a) softmax", r"\frac{e^{z_i}}{\sum_{j=1}^{1000}\sum_{k=1}^{1000} e^{z_1}}"),
        ("1.5(e) J", r"\frac1N\sum_{i=1}^{1000}\sum_{j=1}^{1000}\|F_\theta(x_1) - y_1\|^2"),
        ("1.4 perceptron", r"\sum_{i=1}^{1000}\sum_{j=1}^{1000} \max(0, -y(w^\top x + b))"),
        ("1.4 tanh-logistic", r"\sum_{i=1}^{999} \ln(1+e^{-2yz})"),  # under the bound of one evaluation
    ],
)
def test_a_formula_too_long_to_evaluate_at_every_draw_is_refused_quickly(key, text):
    check_answer(key, "x")  # draws prepared once
    start = time.perf_counter()
    verdict = check_answer(key, text)
    assert not verdict.ok and "too many steps" in verdict.message
    assert time.perf_counter() - start < 0.5  # measured at most 0.08 s
