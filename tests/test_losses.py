"""Losses and their gradients against sympy (60 digits, 1e-12 relative) and five-point differences (1e-8)."""

import math
import warnings

import numpy as np
import pytest
import sympy as sp

from helpers import losses, symbolic
from helpers.activations import sigmoid
from helpers.gradcheck import numerical_gradient

rng = np.random.default_rng(7)
PRED = {
    "mse": rng.standard_normal((3, 4)),
    "adaline": rng.standard_normal((3, 4)),
    "bce": rng.uniform(0.02, 0.98, (3, 4)),
    "bce_with_logits": 4 * rng.standard_normal((3, 4)),
    "perceptron": rng.standard_normal((3, 4)),
    "tanh_logistic": 3 * rng.standard_normal((3, 4)),
}
LABELS = {
    "mse": rng.standard_normal((3, 4)),
    "adaline": rng.choice([-1.0, 1.0], (3, 4)),
    "bce": rng.choice([0.0, 1.0], (3, 4)),
    "bce_with_logits": rng.choice([0.0, 1.0], (3, 4)),
    "perceptron": rng.choice([-1.0, 1.0], (3, 4)),
    "tanh_logistic": rng.choice([-1.0, 1.0], (3, 4)),
}
NAMES = list(PRED)


def _sympy_per_element(name, pred, y):
    p, t = sp.symbols("p t", real=True)
    e = symbolic.loss_expr(name, p, t)
    de = symbolic.derivative(e, p)
    val = np.vectorize(lambda a, b: symbolic.evaluate(e, {p: a, t: b}, dps=60))(pred, y)
    grad = np.vectorize(lambda a, b: symbolic.evaluate(de, {p: a, t: b}, dps=60))(pred, y)
    return val, grad


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_loss_and_gradient_match_sympy(name, reduction):
    pred, y = PRED[name], LABELS[name]
    val, grad = getattr(losses, name)(pred, y, reduction=reduction)
    ref_val, ref_grad = _sympy_per_element(name, pred, y)
    n = pred.size if reduction == "mean" else 1
    assert val == pytest.approx(ref_val.sum() / n, rel=1e-12, abs=1e-15)
    np.testing.assert_allclose(grad, ref_grad / n, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_gradient_matches_finite_differences(name):
    pred, y = PRED[name].copy(), LABELS[name]
    fn = getattr(losses, name)
    fd = numerical_gradient(lambda: fn(pred, y, reduction="sum")[0], pred, h=1e-5, order=4)
    np.testing.assert_allclose(fn(pred, y, reduction="sum")[1], fd, rtol=1e-8, atol=1e-10)


def test_mean_is_sum_over_number_of_elements():
    pred, y = PRED["mse"], LABELS["mse"]
    s, gs = losses.mse(pred, y, reduction="sum")
    m, gm = losses.mse(pred, y, reduction="mean")
    assert m == pytest.approx(s / pred.size, rel=1e-15)
    np.testing.assert_allclose(gm, gs / pred.size, rtol=1e-15)


def test_bce_through_sigmoid_cancels_to_y_hat_minus_y_over_K():
    """dl/dz3 = dl/dy_hat * sigma'(z3) = (y_hat - y) / K for the mean BCE over K outputs."""
    z3 = np.array([[-2.0, 0.3, 1.7, 4.0]])
    y = np.array([[0.0, 1.0, 1.0, 0.0]])
    y_hat = sigmoid(z3)
    _, dl_dyhat = losses.bce(y_hat, y, reduction="mean")
    dl_dz3 = dl_dyhat * y_hat * (1 - y_hat)
    np.testing.assert_allclose(dl_dz3, (y_hat - y) / z3.shape[1], rtol=1e-13)
    np.testing.assert_allclose(losses.bce_with_logits(z3, y)[1], (y_hat - y) / 4, rtol=1e-13)
    z, t = sp.symbols("z t", real=True)
    s = 1 / (1 + sp.exp(-z))
    bce = symbolic.loss_expr("bce", s, t)
    assert sp.simplify(sp.diff(bce, z) - (s - t)) == 0


def test_tanh_logistic_is_the_source_formula_and_softplus_minus_ln2():
    z, y = PRED["tanh_logistic"], LABELS["tanh_logistic"]
    y_hat = np.tanh(z)
    source = -0.5 * ((1 + y) * np.log(1 + y_hat) + (1 - y) * np.log(1 - y_hat))
    per_element = np.logaddexp(0, -2 * y * z) - math.log(2)
    assert losses.tanh_logistic(z, y, reduction="sum")[0] == pytest.approx(source.sum(), rel=1e-12)
    assert losses.tanh_logistic(z, y, reduction="sum")[0] == pytest.approx(per_element.sum(), rel=1e-14)
    np.testing.assert_allclose(losses.tanh_logistic(z, y, reduction="sum")[1], -(y - y_hat), rtol=1e-12, atol=1e-15)


def test_perceptron_gradient_is_half_the_rule_including_the_boundary():
    z = np.array([-2.0, 0.0, 0.0, 3.0, 1.0])
    y = np.array([1.0, 1.0, -1.0, 1.0, -1.0])
    _, g = losses.perceptron(z, y, reduction="sum")
    np.testing.assert_array_equal(g, -(y - np.sign(z)) / 2)


@pytest.mark.parametrize(
    ("fn", "pred", "y", "expected_value", "expected_grad"),
    [
        # softplus(40) = 40 + log1p(e^-40); gradient sigma(40) - 0 and sigma(-40) - 1
        (losses.bce_with_logits, [40.0], [0.0], 40 + math.log1p(math.exp(-40)), [1 / (1 + math.exp(-40))]),
        (losses.bce_with_logits, [-40.0], [0.0], math.log1p(math.exp(-40)), [math.exp(-40) / (1 + math.exp(-40))]),
        (losses.bce_with_logits, [40.0], [1.0], math.log1p(math.exp(-40)), [-math.exp(-40) / (1 + math.exp(-40))]),
        # tanh-logistic at z = +-50: softplus(-+100) - ln 2
        (losses.tanh_logistic, [50.0], [1.0], math.log1p(math.exp(-100)) - math.log(2), [-2 * math.exp(-100)]),
        (losses.tanh_logistic, [-50.0], [1.0], 100 + math.log1p(math.exp(-100)) - math.log(2), [-2.0]),
        # BCE on probabilities at 0 and 1: PyTorch clamps the log at -100
        (losses.bce, [0.0], [1.0], 100.0, [-1e12]),
        (losses.bce, [1.0], [1.0], 0.0, [0.0]),
    ],
)
def test_extreme_inputs(fn, pred, y, expected_value, expected_grad):
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise"):
        warnings.simplefilter("error")
        val, grad = fn(np.array(pred), np.array(y), reduction="sum")
    assert np.isfinite(val) and np.all(np.isfinite(grad))
    assert val == pytest.approx(expected_value, rel=1e-14, abs=1e-300)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-13, atol=0)
