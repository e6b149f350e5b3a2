r"""helpers.mathtext: the grammar (LaTeX, its variants, the plain syntax, Unicode), its echo, its evaluation
with shapes, and its refusals (what it cannot read, what is hostile), each with a position and a caret."""

import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import mathtext as mt
from helpers.mathtext import EvalError, FormulaError, ShapeError, evaluate, parse

V = {
    **dict.fromkeys(("x", "y", "b1", "b2", "z1", "z2", "z3", "y_hat"), "vector"),
    **dict.fromkeys(("W1", "W2", "dz2_dz1", "dy_hat_dz3"), "matrix"),
    **dict.fromkeys(("dl_dy_hat", "dl_dz3"), "row"),
    **dict.fromkeys(("n", "h", "K", "a", "b", "T", "beta"), "scalar"),
    **dict.fromkeys(("i", "j", "k"), "index"),
    "f": "function",
}
N_, H_, K_ = 3, 4, 2  # distinct sizes, so that a transpose shows
RNG = np.random.default_rng(7)
VALUES = {
    "x": RNG.normal(size=(N_, 1)), "y": RNG.normal(size=(K_, 1)), "b1": RNG.normal(size=(H_, 1)),
    "b2": RNG.normal(size=(K_, 1)), "z1": RNG.normal(size=(H_, 1)), "z2": RNG.normal(size=(H_, 1)),
    "z3": RNG.normal(size=(K_, 1)), "y_hat": RNG.uniform(0.1, 0.9, size=(K_, 1)), "W1": RNG.normal(size=(H_, N_)),
    "W2": RNG.normal(size=(K_, H_)), "dz2_dz1": np.diag(RNG.normal(size=H_)),
    "dy_hat_dz3": np.diag(RNG.normal(size=K_)),
    "dl_dy_hat": RNG.normal(size=(1, K_)), "dl_dz3": RNG.normal(size=(1, K_)), "n": N_, "h": H_, "K": K_,
    "a": 0.7, "b": -1.3, "T": 0.5, "beta": 2.0, "f": lambda u: 5 * np.maximum(u, 0),
}  # fmt: skip


def value(text, vocabulary=V, values=VALUES, **kw):
    return evaluate(parse(text, vocabulary, **kw), values)


def sigmoid(u):
    return 1 / (1 + np.exp(-u))


# ----------------------------------------------------------------------------------------------------
# Spellings of one name


@pytest.mark.parametrize(
    ("name", "spellings"),
    [
        ("W1", [r"W^{(1)}", "W_1", "W_{1}", "W1", r"\mathbf{W}^{(1)}", "W⁽¹⁾", "W₁", "𝑊^{(1)}", "Ｗ1", "W^(1)"]),
        ("b2", [r"b^{(2)}", "b_2", "b2", "b⁽²⁾"]),
        ("y_hat", [r"\hat{y}", r"\hat y", r"\widehat{y}", "y_hat", "ŷ", "y\u0302"]),
        ("z1", ["z_1", "z_{1}", "z1", "z₁"]),
        ("dl_dy_hat", [
            r"\frac{\partial \ell}{\partial \hat y}", r"\frac{\partial\ell}{\partial\hat{y}}",
            r"\partial\ell/\partial\hat{y}", r"\dfrac{\partial \ell}{\partial \hat y}", r"\frac{d\ell}{d\hat y}",
            r"\frac{\partial \mathcal{L}}{\partial \hat y}",
            r"\frac{\partial J}{\partial \hat y}", "dl_dy_hat", "dl/dy_hat", "∂ℓ/∂ŷ", "dJdy_hat",
        ]),
        ("dz2_dz1", [r"\frac{\partial z_2}{\partial z_1}", "dz2_dz1", "dz2/dz1", r"\partial z_2/\partial z_1"]),
        ("dz2_dz1", ["∂z₂/∂z₁", r"\frac{\partial z_{2}}{\partial z_{1}}"]),
        ("dy_hat_dz3", [r"\frac{\partial \hat y}{\partial z_3}", "dy_hat_dz3", "dy_hat/dz3"]),
        ("beta", [r"\beta", "beta", "β"]),
    ],
)  # fmt: skip
def test_every_spelling_of_a_name_reads_as_the_canonical_name(name, spellings):
    for text in spellings:
        e = parse(text, V)
        assert e.names() == {name}, text
        assert e.latex() == mt.name_latex(name), text
        assert e.plain() == name


def test_canonical_latex_and_unicode_of_names():
    assert mt.name_latex("W1") == "W^{(1)}" and mt.name_text("W1") == "W⁽¹⁾"
    assert mt.name_latex("z3") == "z_3" and mt.name_text("z3") == "z₃"
    assert (
        mt.name_latex("dl_dy_hat") == r"\frac{\partial \ell}{\partial \hat y}" and mt.name_text("dl_dy_hat") == "∂ℓ/∂ŷ"
    )
    assert mt.name_text("dy_hat_dz3") == "∂ŷ/∂z₃" and mt.name_latex("beta") == r"\beta"


def test_a_run_of_letters_that_is_no_name_is_a_product_of_names():
    e = parse("ab", V)
    assert e.names() == {"a", "b"} and e.latex() == "a b"
    assert evaluate(e, VALUES) == pytest.approx(0.7 * -1.3)
    assert parse("W1x", V).latex() == "W^{(1)} x"
    assert parse(r"-ab^2", V).latex() == "-a b^{2}"  # the power belongs to b
    np.testing.assert_allclose(value(r"W_1x"), VALUES["W1"] @ VALUES["x"])  # TeX: W_1 x


def test_a_letter_subscript_that_makes_no_name_is_an_index():
    vocabulary = {"z": "vector", "z1": "vector", "i": "index"}
    assert parse("z_1", vocabulary).names() == {"z1"}  # a name
    e = parse("z_i", vocabulary)
    assert isinstance(e, mt.Index) and e.names() == {"z", "i"}
    assert evaluate(e, {"z": np.array([[3.0], [4.0]]), "i": 2}) == 4.0
    assert evaluate(parse("z_{1,2}", vocabulary), {"z1": np.array([[3.0], [4.0]])}) == 4.0


# ----------------------------------------------------------------------------------------------------
# Transposes, products, functions


@pytest.mark.parametrize(
    "text",
    ["x^T", r"x^\top", r"x^{\intercal}", "x^{T}", "x.T", "xᵀ", r"x^{\mathsf{T}}", r"\left(x\right)^\top", "x^{⊤}"],
)
def test_every_transpose_spelling(text):
    np.testing.assert_array_equal(value(text), VALUES["x"].T)


@pytest.mark.parametrize("text", [r"(W^{(2)})^\top", r"W^{(2)\top}", r"W^{(2)T}", "W2.T", "W⁽²⁾ᵀ", r"W_2^\top"])
def test_a_transposed_matrix_reads_and_echoes_as_one(text):
    e = parse(text, V)
    assert e.latex() == r"W^{(2)\top}"
    np.testing.assert_array_equal(evaluate(e, VALUES), VALUES["W2"].T)


@pytest.mark.parametrize(
    "text", [r"W^{(1)} x", r"W^{(1)}x", r"W^{(1)} \cdot x", "W1 @ x", r"W^{(1)} \times x", "W⁽¹⁾·x"]
)
def test_products_of_a_matrix_and_a_vector(text):
    np.testing.assert_allclose(value(text), VALUES["W1"] @ VALUES["x"])


@pytest.mark.parametrize(
    "text", [r"z_1 \odot z_2", r"z_1 \circ z_2", "z1 * z2", "z₁ ⊙ z₂", "z_1 z_2", r"z_1 \cdot z_2"]
)
def test_element_wise_products(text):
    np.testing.assert_allclose(value(text), VALUES["z1"] * VALUES["z2"])


@pytest.mark.parametrize(
    "text", [r"z_1 \oslash z_2", "z1 / z2", r"\frac{z_1}{z_2}", r"\dfrac{z_1}{z_2}", r"\tfrac{z_1}{z_2}", "z₁ ÷ z₂"]
)
def test_element_wise_division(text):
    np.testing.assert_allclose(value(text), VALUES["z1"] / VALUES["z2"])


@pytest.mark.parametrize("text", [r"\frac12", r"\frac 1 2", r"\tfrac{1}{2}", "1/2", "½", "0.5", ".5", r"\dfrac{1}{2}"])
def test_numbers_and_fractions(text):
    assert value(text) == 0.5


def test_frac_with_one_token_arguments_takes_one_character_each():
    assert value(r"\frac1K") == 0.5  # 1 and K
    assert value(r"\frac12 + 1") == 1.5


def test_juxtaposed_vectors_of_one_shape_are_read_element_wise_and_echoed_with_odot():
    e = parse(r"\hat y (1 - \hat y)", V)
    assert e.latex() == r"\hat y \odot (1 - \hat y)"
    np.testing.assert_allclose(evaluate(e, VALUES), VALUES["y_hat"] * (1 - VALUES["y_hat"]))
    assert parse(r"\sigma(z_3)(1 - \sigma(z_3))", V).latex() == r"\sigma(z_3) \odot (1 - \sigma(z_3))"
    assert parse("x(1-x)", V).latex() == r"x \odot (1 - x)"
    assert parse("a(1-a)", V).latex() == "a (1 - a)"  # numbers: a product
    assert parse("x^T W^{(1)}", V).latex() == r"x^\top W^{(1)}"  # a row times a matrix: no ⊙


def test_an_inferred_odot_is_decided_again_by_shapes():
    """Two rows of different lengths are no element-wise product: they do not multiply at all."""
    e = parse(r"x^\top \frac{\partial \ell}{\partial \hat y}", V)
    with pytest.raises(ShapeError, match="does not multiply"):
        evaluate(e, VALUES)
    assert mt.resolve_products(e, VALUES).latex() == r"x^\top \frac{\partial \ell}{\partial \hat y}"


def test_precedence_odot_is_looser_than_products_and_division_binds_as_a_product():
    np.testing.assert_allclose(value(r"z_1 \odot W^{(1)} x"), VALUES["z1"] * (VALUES["W1"] @ VALUES["x"]))
    assert value("1/2 (a - b)^2") == pytest.approx(0.5 * 2.0**2)
    assert value("a / b a") == pytest.approx(0.7 / -1.3 * 0.7)
    assert value("-a^2") == pytest.approx(-0.49)
    assert value("2**-1") == 0.5


def test_sigma_of_is_the_function_and_a_name_before_parentheses_a_product():
    np.testing.assert_allclose(value(r"\sigma(z_3)"), sigmoid(VALUES["z3"]))
    assert value("a(b)") == pytest.approx(0.7 * -1.3)
    np.testing.assert_allclose(value("f(z_1)"), 5 * np.maximum(VALUES["z1"], 0))


U = VALUES["z1"]
FUNCTIONS = [
    (r"\sigma(z_1)", sigmoid(U)), ("sigmoid(z1)", sigmoid(U)), (r"\tanh(z_1)", np.tanh(U)), (r"\tanh z_1", np.tanh(U)),
    (r"\tanh^2(z_1)", np.tanh(U) ** 2), (r"\tanh^{2}(z_1)", np.tanh(U) ** 2), ("tanh(z1)**2", np.tanh(U) ** 2),
    (r"\mathrm{ReLU}(z_1)", np.maximum(U, 0)), (r"\operatorname{ReLU}(z_1)", np.maximum(U, 0)),
    (r"\text{ReLU}(z_1)", np.maximum(U, 0)), ("relu(z1)", np.maximum(U, 0)), (r"(z_1)^+", np.maximum(U, 0)),
    (r"\max(0, z_1)", np.maximum(U, 0)), (r"\max\{0, z_1\}", np.maximum(U, 0)), ("np.maximum(z1, 0)", np.maximum(U, 0)),
    (r"\exp(z_1)", np.exp(U)), (r"e^{z_1}", np.exp(U)), ("exp(z1)", np.exp(U)), (r"\ln(2 + z_1)", np.log(2 + U)),
    (r"\log(2 + z_1)", np.log(2 + U)), (r"\operatorname{sign}(z_1)", np.sign(U)), (r"\text{sgn}(z_1)", np.sign(U)),
    (r"|z_1|", np.abs(U)), (r"\left|z_1\right|", np.abs(U)), (r"\lvert z_1 \rvert", np.abs(U)),
    (r"\sqrt{2 + z_1}", np.sqrt(2 + U)), (r"\sqrt2", np.sqrt(2)), (r"\pi", np.pi), ("e", math.e),
    (r"\Phi(z_1)", 0.5 * (1 + np.vectorize(math.erf)(U / math.sqrt(2)))),
    (r"\varphi(z_1)", np.exp(-(U**2) / 2) / math.sqrt(2 * math.pi)),
    (r"\phi(z_1)", np.exp(-(U**2) / 2) / math.sqrt(2 * math.pi)),
    (r"\operatorname{erf}(z_1)", np.vectorize(math.erf)(U)), (r"\operatorname{softplus}(z_1)", np.log1p(np.exp(U))),
    (r"\sigma'(z_1)", sigmoid(U) * (1 - sigmoid(U))), (r"\tanh'(z_1)", 1 - np.tanh(U) ** 2),
    (r"\operatorname{ReLU}'(z_1)", (U > 0).astype(float)), (r"\operatorname{sech}^2(z_1)", 1 / np.cosh(U) ** 2),
    (r"\operatorname{diag}(z_1)", np.diagflat(U)), (r"\text{diag}(z_1)", np.diagflat(U)),
    (r"\mathrm{diag}(z_1)", np.diagflat(U)),
    (r"\|z_1\|^2", np.sum(U**2)), (r"\lVert z_1 \rVert^2", np.sum(U**2)), (r"\|z_1\|_2^2", np.sum(U**2)),
    (r"\sum_{k=1}^{K} y_k", VALUES["y"].sum()), (r"\sum_k \hat y_k", VALUES["y_hat"].sum()),
    ("sum_j(y_j)", VALUES["y"].sum()),
    (r"\sum_{j} z_{1,j}^2", np.sum(U**2)), ("sum(y)", VALUES["y"].sum()), (r"I_K", np.eye(K_)), ("eye(h)", np.eye(H_)),
    (r"\mathbb{I}_K", np.eye(K_)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), FUNCTIONS, ids=[t for t, _ in FUNCTIONS])
def test_functions_and_constants(text, expected):
    np.testing.assert_allclose(value(text), expected, rtol=1e-12)


INDICATORS = [
    r"\mathbf{1}_{\{z_1 > 0\}}", r"\mathbf 1[z_1 > 0]", r"\mathbb 1(z_1 > 0)", r"\mathbf 1_{z_1 > 0}",
    r"\mathbb{1}\{z_1 > 0\}", r"\mathbb{I}[z_1 > 0]", "(z1 > 0)", r"[z_1 > 0]", "𝟙[z₁ > 0]", r"\mathbf 1[0 < z_1]",
]  # fmt: skip


@pytest.mark.parametrize("text", INDICATORS)
def test_indicator_forms(text):
    np.testing.assert_array_equal(value(text), (VALUES["z1"] > 0).astype(float))


def test_comparisons():
    assert value(r"\mathbf 1[a \ge 0.7]") == 1.0 and value(r"\mathbf 1[a \le 0.6]") == 0.0
    assert value(r"\mathbf 1[a \neq b]") == 1.0 and value("(a >= 0.7)") == 1.0 and value("(a = a)") == 1.0


CASES = [
    r"\begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
    r"\begin{cases} 1 & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}",
    r"\begin{cases} 1, & x > 0, \\ 0, & \text{otherwise.} \end{cases}",
    r"\begin{cases} 1 & \text{for } x > 0 \\ 0 & \text{else} \end{cases}",
    "1 if x > 0 else 0",
    r"1 \text{ if } x > 0 \text{ else } 0",
]


@pytest.mark.parametrize("text", CASES)
def test_piecewise_formulas(text):
    vocabulary = {"x": "scalar"}
    for x in (-1.5, -0.2, 0.3, 2.0):
        assert value(text, vocabulary, {"x": x}) == (1.0 if x > 0 else 0.0)


def test_cases_are_element_wise_on_vectors():
    e = parse(r"\begin{cases} z_1 & z_1 > 0 \\ a z_1 & \text{otherwise} \end{cases}", V)
    np.testing.assert_allclose(evaluate(e, VALUES), np.where(U > 0, U, 0.7 * U))


def test_identity_without_size_takes_its_neighbours():
    np.testing.assert_allclose(value(r"W^{(2)} I"), VALUES["W2"])
    np.testing.assert_allclose(value(r"I + \frac{\partial z_2}{\partial z_1}"), np.eye(H_) + VALUES["dz2_dz1"])
    assert evaluate(parse("I", V), VALUES, shape=(3, 3)).shape == (3, 3)
    with pytest.raises(EvalError, match="I_K"):
        evaluate(parse("I", V), VALUES)


def test_the_bare_bold_one_is_refused_as_ambiguous():
    with pytest.raises(FormulaError, match="ambiguous"):
        parse(r"\mathbf{1}", V)


def test_matrices_entry_by_entry_and_with_dots():
    assert value(r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}").tolist() == [[1, 2], [3, 4]]
    column = r"\begin{bmatrix} 2(\hat y_1 - y_1) \\ \vdots \\ 2(\hat y_K - y_K) \end{bmatrix}"
    np.testing.assert_allclose(value(column), 2 * (VALUES["y_hat"] - VALUES["y"]))
    row = r"\begin{bmatrix} 2(\hat y_1 - y_1) & \cdots & 2(\hat y_K - y_K) \end{bmatrix}"
    np.testing.assert_allclose(value(row), 2 * (VALUES["y_hat"] - VALUES["y"]).T)
    diagonal = (
        r"\begin{bmatrix} \tanh(z_{1,1}) & 0 & \cdots & 0 \\ 0 & \tanh(z_{1,2}) & \cdots & 0 \\"
        r" \vdots & & \ddots & \vdots \\ 0 & 0 & \cdots & \tanh(z_{1,m}) \end{bmatrix}"
    )
    np.testing.assert_allclose(value(diagonal), np.diagflat(np.tanh(U)))
    ones = r"\begin{bmatrix} 1 & \cdots & 0 \\ \vdots & \ddots & \vdots \\ 0 & \cdots & 1 \end{bmatrix}"
    assert parse(ones, V) is not None
    with pytest.raises(EvalError, match="pattern"):  # the first entry does not follow the last
        value(r"\begin{bmatrix} 3 \\ \vdots \\ y_K \end{bmatrix}")


# ----------------------------------------------------------------------------------------------------
# Decoration, left sides, chains, where-clauses


DECORATED = [
    r"\left( z_1 + z_2 \right)", r"\big( z_1 + z_2 \big)", r"\Big(z_1+z_2\Big)", r"\bigg( z_1 + z_2 \bigg)",
    r"z_1\,+\;z_2", r"z_1 \: + \! z_2", r"z_1~+\ z_2", r"{z_1} + {z_2}", r"\displaystyle z_1 + z_2", "z_1 + z_2.",
    "z_1 + z_2,", "$z_1 + z_2$", "$$z_1 + z_2$$", r"\[z_1 + z_2\]", r"\(z_1 + z_2\)", "z_1 + z_2 \\quad",
    "  z_1 +\n z_2\t",
    r"\left. z_1 + z_2 \right.",
]  # fmt: skip


@pytest.mark.parametrize("text", DECORATED)
def test_spacing_and_decoration_are_ignored(text):
    np.testing.assert_allclose(value(text), VALUES["z1"] + VALUES["z2"])


def test_a_left_side_naming_the_asked_quantity_is_dropped():
    e = parse(r"\frac{\partial \ell}{\partial W^{(1)}} = x \frac{\partial \ell}{\partial \hat y}", V, asked=("dl_dW1",))
    assert isinstance(e, mt.Equation) and e.lhs_key == "" and len(e.sides) == 1
    assert e.latex().startswith(r"\frac{\partial \ell}{\partial W^{(1)}} = x")
    other = parse(r"\frac{\partial \ell}{\partial W^{(2)}} = x", V, asked=("dl_dW1",))
    assert other.lhs_key == "dl_dW2"
    assert parse(r"\ell_{\text{perceptron}}(w, b; x, y) = a", V, asked=("l",)).lhs_key == ""
    assert parse(r"\mathrm{ReLU}'(x) = a", V, asked=("relu'",)).lhs_key == ""
    assert parse(r"\text{softmax}(z)_i = a", V, asked=("softmax",)).lhs_key == ""


def test_a_chain_keeps_every_side():
    e = parse(r"z_2 = a z_1 = z_1 a", V, asked=("z2",))
    assert [s.latex() for s in e.sides] == ["a z_1", "z_1 a"]


def test_where_clauses_define_abbreviations():
    for text in (
        r"u \odot u, \quad u = W^{(1)}x + b^{(1)}",
        r"u \odot u \quad \text{where } u = W^{(1)}x + b^{(1)}",
        r"u * u where u = W1 @ x + b1",
        r"u \odot u,\; u = v + b^{(1)},\; v = W^{(1)} x",
    ):
        z1 = VALUES["W1"] @ VALUES["x"] + VALUES["b1"]
        e = parse(text, V)
        assert e.names() == {"W1", "x", "b1"}, text
        np.testing.assert_allclose(evaluate(e, VALUES), z1 * z1)


def test_where_clause_errors():
    with pytest.raises(FormulaError, match="does not use it"):
        parse(r"z_1, \quad u = x", V)
    with pytest.raises(FormulaError, match="circle"):
        parse(r"u, \quad u = v, \quad v = u", V)
    with pytest.raises(FormulaError, match="definition 'name = ...'"):
        parse(r"z_1, \quad z_2", V)


# ----------------------------------------------------------------------------------------------------
# Unicode


def test_unicode_as_pasted_from_a_rendered_pdf():
    np.testing.assert_allclose(value("σ(z₃) ⊙ (1 − σ(z₃))"), sigmoid(VALUES["z3"]) * (1 - sigmoid(VALUES["z3"])))
    np.testing.assert_allclose(value("2(ŷ − y)ᵀ"), 2 * (VALUES["y_hat"] - VALUES["y"]).T)
    assert value("‖ŷ − y‖²") == pytest.approx(np.sum((VALUES["y_hat"] - VALUES["y"]) ** 2))
    assert value("∑ₖ yₖ") == pytest.approx(VALUES["y"].sum())
    assert value("√(a·a)") == pytest.approx(0.7)
    assert value("𝑎 × 𝑏") == pytest.approx(0.7 * -1.3)  # mathematical italic letters
    assert value("ａ") == pytest.approx(0.7)  # fullwidth
    assert parse("∂ℓ/∂ŷ", V).names() == {"dl_dy_hat"}


@pytest.mark.parametrize(
    ("text", "position", "char", "name", "hint"),
    [
        ("W^{(1)}х", 7, "х", "CYRILLIC SMALL LETTER HA", "type the Latin x"),
        ("а + b", 0, "а", "CYRILLIC SMALL LETTER A", "type the Latin a"),
        ("x + ο", 4, "ο", "GREEK SMALL LETTER OMICRON", "type the Latin o"),
        ("x + ж", 4, "ж", "CYRILLIC SMALL LETTER ZHE", "Latin letters"),
        ("x + 字", 4, "字", "CJK UNIFIED IDEOGRAPH-5B57", "Latin letters"),
    ],
)
def test_look_alike_letters_are_refused_naming_them(text, position, char, name, hint):
    with pytest.raises(FormulaError) as err:
        parse(text, V)
    assert err.value.position == position
    assert err.value.message.startswith(f"position {position}: {char!r} is {name}")
    assert hint in err.value.message


# ----------------------------------------------------------------------------------------------------
# Errors: position, caret, what was expected


@pytest.mark.parametrize(
    ("text", "at", "message"),
    [
        ("W^{(1)} x + {b^{(1)}", len("W^{(1)} x + {b^{(1)}"), "expected '}' to close the '{' at position 12"),
        (r"W^{(1)} x + q", 12, "a name the question does not know: 'q'"),
        (r"x + \foo", 4, r"unknown command \foo"),
        ("x + (y", 6, "expected ')' to close the '(' at position 4"),
        ("x +", 3, "expected a term"),
        ("x + )", 4, "expected a number, a name or '('"),
        (r"x \ge", 2, "expected an operator"),
        (r"\begin{cases} 1 & x > 0 \end{bmatrix}", 24, r"expected \end{cases}"),
        ("W", 0, "did you mean W⁽¹⁾ or W⁽²⁾?"),
        ("x'", 1, "only a function takes a derivative"),
        (r"\sum y_k", 0, r"write the index of the sum"),
        ("x % comment", 2, "TeX comment"),
        ("", 0, "empty"),
    ],
)
def test_errors_point_at_the_position_and_say_what_was_expected(text, at, message):
    with pytest.raises(FormulaError) as err:
        parse(text, V)
    assert err.value.position == at, err.value
    assert message in err.value.message
    caret_line = str(err.value).split("\n")[2]
    assert caret_line == " " * (2 + at) + "^"  # under the position, after the two spaces of indent


def test_the_caret_sits_under_the_position():
    with pytest.raises(FormulaError) as err:
        parse(r"\frac{\partial \ell}{\partial \hat y} + q", V)
    lines = str(err.value).split("\n")
    assert lines[0] == "a name the question does not know: 'q'"
    assert lines[1][lines[2].index("^")] == "q"


def test_a_long_text_is_shown_around_the_position():
    text = "x + " * 200 + "q"
    with pytest.raises(FormulaError) as err:
        parse(text, V)
    line, caret_line = str(err.value).split("\n")[1:]
    assert line.strip().startswith("...") and len(line) < 100
    assert line[caret_line.index("^")] == "q"


def test_formula_error_is_a_value_error():
    assert issubclass(FormulaError, ValueError) and issubclass(ShapeError, ValueError)


# ----------------------------------------------------------------------------------------------------
# Hostile input: refused quickly, nothing run, no RecursionError

HOSTILE = [
    ("x" * 2001, "at most 2000"),
    ("x+" * 5000, "at most 2000"),
    ("(" * 41 + "x" + ")" * 41, "nested deeper than 40"),
    ("{" * 60 + "x" + "}" * 60, "nested deeper than 40"),
    (r"\frac{" * 45 + "x" + "}{2}" * 45, "nested deeper than 40"),
    (r"\sqrt{" * 45 + "x" + "}" * 45, "nested deeper than 40"),
    (r"\left[" * 45 + "x" + r"\right]" * 45, "nested deeper than 40"),
    (r"\input{/etc/passwd}", r"\input is a TeX command"),
    (r"x + \include{secret}", r"\include is a TeX command"),
    (r"\def\x{y}\x", r"\def is a TeX command"),
    (r"\newcommand{\x}{y}", r"\newcommand is a TeX command"),
    (r"\let\x=y", r"\let is a TeX command"),
    (r"\catcode`\^=11", r"\catcode is a TeX command"),
    (r"\immediate\write18{rm -rf /}", r"\immediate is a TeX command"),
    (r"\write18{ls}", r"\write is a TeX command"),
    (r"\foo{x}", r"unknown command \foo"),
    (r"\begin{document}", "unknown environment"),
    ("W^{(1)}х", "CYRILLIC SMALL LETTER HA"),
    ("x\x00", "unexpected character"),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE, ids=[m for _, m in HOSTILE])
def test_hostile_input_is_refused_quickly_with_a_clear_message(text, message):
    start = time.perf_counter()
    with pytest.raises(FormulaError, match=message.replace("\\", "\\\\").replace("^", "\\^")):
        parse(text, V)
    assert time.perf_counter() - start < 0.5  # measured at most 1 ms: a bound that catches a runaway parse


@pytest.mark.parametrize(
    "text",
    [
        r"\tanh " * 60 + "x", r"\sum_k " * 60 + "y_k", "x if a > 0 else " * 100 + "x", "-" * 1999 + "x",
        "x" * 2000, "x^{" * 100 + "2" + "}" * 100, "x" + "'" * 1000, "x^\\top" * 300, "a+" * 999 + "a",
        "(" * 40 + "x" + ")" * 40, r"e^{" * 39 + "1" + "}" * 39,
    ],
)  # fmt: skip
def test_no_input_raises_anything_but_a_formula_error(text):
    start = time.perf_counter()
    try:
        e = parse(text, V)
        evaluate(e, VALUES)
    except (FormulaError, EvalError):
        pass
    assert time.perf_counter() - start < 2.0  # measured at most 0.1 s


def test_evaluation_is_bounded():
    with pytest.raises(EvalError, match="terms"):
        value(r"\sum_{k=1}^{10^9} k")
    with pytest.raises(EvalError, match="steps"):
        value(r"\sum_{i=1}^{999} \sum_{j=1}^{999} a")


# ----------------------------------------------------------------------------------------------------
# Evaluation: shapes, no broadcasting, numbers


def test_no_broadcasting_of_a_column_against_a_row():
    with pytest.raises(ShapeError) as err:
        value(r"\hat y + \hat y^\top")
    assert err.value.left == r"\hat y" and err.value.right == r"\hat y^\top" and err.value.shapes == ((2, 1), (1, 2))
    assert "adds only equal shapes" in str(err.value)


def test_a_shape_error_names_both_sub_expressions_and_shapes():
    with pytest.raises(ShapeError) as err:
        value(r"W^{(2)\top} \frac{\partial \ell}{\partial z_3} + a")
    assert err.value.left == r"W^{(2)\top}" and err.value.right == r"\frac{\partial \ell}{\partial z_3}"
    assert str(err.value) == r"$W^{(2)\top}$ (4×2) times $\frac{\partial \ell}{\partial z_3}$ (1×2): does not multiply"
    assert err.value.describe(lambda s: "×".join({4: "h", 2: "K", 1: "1"}[d] for d in s)).startswith(
        r"$W^{(2)\top}$ (h×K) times"
    )
    with pytest.raises(ShapeError, match=r"^\$x\$ \(3×1\) times \$W\^\{\(1\)\}\$ \(4×3\): does not multiply$"):
        value(r"x^\top x + x W^{(1)}")
    with pytest.raises(ShapeError, match="diag takes a vector"):
        value(r"\operatorname{diag}(W^{(1)})")


def test_a_one_by_one_result_is_a_number_and_1d_values_are_columns():
    e = parse(r"x^\top x \, x", V)
    np.testing.assert_allclose(evaluate(e, VALUES), (VALUES["x"].T @ VALUES["x"]).item() * VALUES["x"])
    assert evaluate(parse("x", V), {"x": np.array([1.0, 2.0])}).shape == (2, 1)
    assert evaluate(parse("a", V), {"a": np.array([[3.0]])}).shape == ()


def test_overflow_and_nan_give_inf_and_nan_without_a_warning():
    assert np.isinf(value(r"e^{2000 a}"))
    assert np.isnan(value(r"\ln(b)"))
    assert np.isinf(value("a / 0"))


def test_indices_out_of_range_and_unbound():
    with pytest.raises(EvalError, match="numbered 1 to 2"):
        value("y_5")
    with pytest.raises(EvalError, match="not bound"):
        value("y_k")


def test_names_lists_the_symbols_not_the_bound_indices_or_functions():
    assert parse(r"\sum_{k=1}^{K} y_k \ln \hat y_k", V).names() == {"K", "y", "y_hat"}
    assert parse(r"\sigma(W^{(1)}x) + \mathbf 1[z_1 > 0]", V).functions() == {"sigma"}
    assert parse(r"\operatorname{ReLU}'(z_1)", V).functions() == {"relu'"}


# ----------------------------------------------------------------------------------------------------
# Properties: text -> parse -> value, and the echo reads back as the same formula


def _atoms():
    return st.sampled_from([("a", "a", 0.7), ("b", "b", -1.3), ("2", "2", 2.0), ("0.5", "0.5", 0.5), ("3", "3", 3.0)])


def _combine(children):
    unary = st.tuples(
        st.sampled_from(["neg", "sigma", "tanh", "abs", "square", "exp"]),
        children,
    ).map(_unary)
    binary = st.tuples(st.sampled_from(["+", "-", "juxt", "cdot", "*", "frac", "odot"]), children, children).map(
        _binary
    )
    return unary | binary


def _unary(args):
    op, (lt, pt, v) = args
    v = float(np.clip(v, -50, 50))
    if op == "neg":
        return f"-({lt})", f"-({pt})", -v
    if op == "sigma":
        return rf"\sigma({lt})", f"sigmoid({pt})", 1 / (1 + math.exp(-v))
    if op == "tanh":
        return rf"\tanh\left({lt}\right)", f"tanh({pt})", math.tanh(v)
    if op == "abs":
        return rf"\left|{lt}\right|", f"abs({pt})", abs(v)
    if op == "square":
        return f"({lt})^{{2}}", f"({pt})**2", v * v
    return rf"e^{{{lt}}}", f"exp({pt})", math.exp(v)


def _binary(args):
    op, (la, pa, a), (lb, pb, b) = args
    if op == "+":
        return f"{la} + {lb}", f"{pa} + {pb}", a + b
    if op == "-":
        return f"{la} - ({lb})", f"{pa} - ({pb})", a - b
    if op == "frac" and abs(b) > 1e-3:
        return rf"\frac{{{la}}}{{{lb}}}", f"({pa}) / ({pb})", a / b
    latex = {"juxt": f"({la})({lb})", "cdot": rf"({la}) \cdot ({lb})", "*": f"({la}) * ({lb})"}
    plain = {"juxt": f"({pa}) @ ({pb})", "*": f"({pa})*({pb})"}
    return latex.get(op, rf"({la}) \odot ({lb})"), plain.get(op, f"({pa}) * ({pb})"), a * b


FORMULAS = st.recursive(_atoms(), _combine, max_leaves=12)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(FORMULAS)
def test_random_formulas_read_to_their_value_in_latex_and_plain(formula):
    latex, plain, expected = formula
    if not math.isfinite(expected) or abs(expected) > 1e12:
        return
    for text in (latex, plain):
        e = parse(text, V)
        got = float(evaluate(e, VALUES))
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-9), text
        for echo in (e.latex(), e.plain()):  # the echo reads back as the same formula
            assert float(evaluate(parse(echo, V), VALUES)) == pytest.approx(expected, rel=1e-9, abs=1e-9), echo


MATRIX_TERMS = st.sampled_from(
    [r"\frac{\partial z_2}{\partial z_1}", r"W^{(2)\top} W^{(2)}", r"\operatorname{diag}(z_1)", "I_h", "(z_1 z_2^T)"]
)


@settings(derandomize=True, max_examples=100, deadline=None)
@given(st.lists(MATRIX_TERMS, min_size=1, max_size=5))
def test_random_matrix_chains_and_their_transposes(terms):
    """A B ... z = ((A B ... z)ᵀ)ᵀ = (zᵀ ... Bᵀ Aᵀ)ᵀ, as written and as echoed back."""
    text = " ".join(terms) + " z_1"
    product = value(text)
    flipped = r"\left(z_1^\top " + " ".join(rf"\left({t}\right)^\top" for t in reversed(terms)) + r"\right)^\top"
    np.testing.assert_allclose(value(flipped), product, rtol=1e-10, atol=1e-12)
    for echo in (parse(text, V).latex(), parse(text, V).plain(), parse(flipped, V).latex()):
        np.testing.assert_allclose(value(echo), product, rtol=1e-10, atol=1e-12)


TOKENS = st.sampled_from(
    ["x", "y", "W_1", r"\hat y", "^", "_", "{", "}", "(", ")", "[", "]", "+", "-", "*", "/", r"\frac", r"\sigma",
     r"\odot", "2", r"\top", r"\sum", "k", "=", ",", r"\quad", "|", r"\|", r"\mathbf 1", ">", "&", r"\\", " ",
     r"\begin{cases}", r"\end{cases}", r"\left(", r"\right)", "'", ".T", "@", "ŷ", "х", r"\partial", r"\ell"]
)  # fmt: skip


@settings(derandomize=True, max_examples=400, deadline=None)
@given(st.lists(TOKENS, max_size=30).map("".join))
def test_any_token_soup_is_read_or_refused_with_a_formula_error(text):
    try:
        e = parse(text, V)
    except FormulaError as err:
        assert 0 <= err.position <= len(text)
        return
    try:
        evaluate(e, VALUES)
    except EvalError:
        pass
    e.latex(), e.plain(), e.names()


# ----------------------------------------------------------------------------------------------------
# Red-team regressions: spellings students use, and their readings


@pytest.mark.parametrize(
    ("name", "spellings"),
    [
        ("W1", [r"W^{[1]}", "W^[1]", r"\mathbf{W}^{[1]}"]),
        ("y_hat", [r"\hat{\mathbf{y}}", r"\widehat{\boldsymbol{y}}", r"\hat{\bm y}", r"\hat\mathbf{y}"]),
        ("dl_dW1", [r"\frac{\partial \ell}{\partial W^{[1]}}"]),
    ],
)
def test_bracketed_layers_and_a_bold_letter_under_a_hat(name, spellings):
    vocabulary = V | {"dl_dW1": "matrix"}
    for text in spellings:
        assert parse(text, vocabulary) == mt.Name(name, vocabulary[name]), text


def test_a_one_letter_superscript_is_one_character_as_in_tex():
    np.testing.assert_allclose(value("x^Tx"), VALUES["x"].T @ VALUES["x"])
    assert parse("W_1^Tx", V).latex() == r"W^{(1)\top} x"


def test_an_unraised_top_from_a_pdf_is_a_transpose():
    for text in ("(ŷ − y)⊤", "(ŷ − y)^⊤", "(ŷ − y)^{⊤}", "(ŷ − y)^{ ⊤ }"):
        assert parse(text, V).latex() == r"(\hat y - y)^\top", text
    assert parse("W^{(1)⊤}x", V).latex() == r"W^{(1)\top} x"  # raised already: inside ^{...}


def test_a_positive_part_as_a_subscript():
    for text in (r"(z_1)_+", r"[z_1]_{+}", r"\left(z_1\right)_+"):
        np.testing.assert_allclose(value(text), np.maximum(VALUES["z1"], 0), err_msg=text)


def test_a_whole_power_of_a_square_matrix_is_the_matrix_power():
    e = parse(r"\operatorname{diag}(z_1)^2", V)
    assert e.latex() == r"\operatorname{diag}(z_1)^{2}"  # no ∘: the matrix power
    np.testing.assert_allclose(evaluate(e, VALUES), np.diag(VALUES["z1"].ravel() ** 2))
    np.testing.assert_allclose(value("dz2_dz1**3"), np.linalg.matrix_power(VALUES["dz2_dz1"], 3))
    with pytest.raises(ShapeError, match="not square"):
        value(r"W_1^2")
    for exponent in ("0.5", "0/0", "-1"):
        with pytest.raises(ShapeError, match="write the product"):
            value(rf"\operatorname{{diag}}(z_1)^{{{exponent}}}")
    assert parse(r"W_1^2", V).latex() == r"(W^{(1)})^{2}"  # no double superscript


def test_identity_with_a_square_size():
    np.testing.assert_allclose(value(r"I_{K \times K}"), np.eye(K_))


def test_dot_product_of_two_columns_in_a_number():
    """With number=True (a loss), w · x of two columns is wᵀx; elsewhere it stays element-wise."""
    e = parse(r"x \cdot x + a", V, number=True)
    assert e.latex() == r"x^\top x + a"
    np.testing.assert_allclose(evaluate(e, VALUES), VALUES["x"].T @ VALUES["x"] + 0.7)
    assert parse(r"2x \cdot x", V, number=True).latex() == r"(2 x)^\top x"
    assert parse(r"x \cdot x", V).latex() == r"x \odot x"
    assert parse(r"x x", V, number=True).latex() == r"x \odot x"  # juxtaposed: element-wise still


def test_a_derivative_of_a_vocabulary_function_is_refused_saying_so():
    with pytest.raises(FormulaError, match="f′ \\(the derivative of f\\) is not read"):
        parse("f'(z_1)", V)


def test_a_step_budget_bounds_many_evaluations_together():
    e = parse(r"\sum_{i=1}^{900} a", V)
    with mt.step_budget(5000):
        for _ in range(2):
            evaluate(e, VALUES)
        with pytest.raises(EvalError, match="too many steps"):
            for _ in range(5):
                evaluate(e, VALUES)
    for _ in range(10):  # outside it, each evaluation has its own bound only
        evaluate(e, VALUES)


def test_the_echo_never_stacks_two_superscripts():
    vocabulary = V | {"dl_dW1": "matrix"}
    for text, echo in [
        (r"\exp(a)^2", r"(e^{a})^{2}"),
        (r"\exp(x)^T", r"(e^{x})^\top"),
        (r"\frac{\partial \ell}{\partial W^{(1)}}^\top", r"(\frac{\partial \ell}{\partial W^{(1)}})^\top"),
        (r"W_1^T", r"W^{(1)\top}"),
    ]:
        assert parse(text, vocabulary).latex() == echo, text


def test_numpy_names_say_how_this_grammar_writes_them():
    with pytest.raises(FormulaError, match="np.dot\\(A, B\\) is A @ B"):
        parse("np.dot(W1, x)", V)
