"""helpers.gradcheck: the stencils' exactness and truncation error, the relative errors on hand-computed
examples, compare and verify_backprop (helpers.verify), round_off's formula, and restoring x whatever happens."""

import numpy as np
import pytest
from numpy.polynomial import Polynomial

from helpers import MLP, losses
from helpers.gradcheck import (
    EPS,
    compare,
    gradient_norm,
    network_gradients,
    norm_rel_error,
    numerical_gradient,
    numerical_network_gradients,
    rel_error,
    round_off,
)
from helpers.verdict import Report, within
from helpers.verify import verify_backprop

# t +- h and t +- 2h are exact in binary, so the only error left is the rounding of p's values.
T, H = 1.25, 2.0**-6


def stencil(p, order, h=H):
    """The stencil's estimate of p'(T) and its rounding bound (p has positive coefficients: no cancellation)."""
    x = np.array([T])
    estimate = numerical_gradient(lambda: p(x[0]), x, h=h, order=order)[0]
    return estimate, 4 * round_off(p(T + 2 * h), h, order=order)


@pytest.mark.parametrize("degree", [0, 1, 2])
def test_the_order_2_stencil_is_exact_to_rounding_up_to_degree_2(degree):
    p = Polynomial([3.0, 2.0, 0.5][: degree + 1])
    estimate, rounding = stencil(p, order=2)
    assert abs(estimate - p.deriv()(T)) <= rounding


def test_the_order_2_stencil_misses_a_cubic_by_c3_h_squared():
    p = Polynomial([3.0, 2.0, 0.5, 0.7])  # (p(t + h) - p(t - h)) / 2h = p'(t) + c3 h^2
    estimate, rounding = stencil(p, order=2)
    assert estimate - p.deriv()(T) == pytest.approx(0.7 * H**2, abs=rounding)
    assert 0.7 * H**2 > 1e6 * rounding  # a truncation error, far above the rounding


@pytest.mark.parametrize("degree", [0, 1, 2, 3, 4])
def test_the_order_4_stencil_is_exact_to_rounding_up_to_degree_4(degree):
    p = Polynomial([1.0, 0.5, 0.25, 0.7, 0.3][: degree + 1])
    estimate, rounding = stencil(p, order=4)
    assert abs(estimate - p.deriv()(T)) <= rounding


def test_the_order_4_stencil_misses_a_quintic_by_minus_4_c5_h_to_the_4():
    # [8 (p(t+h) - p(t-h)) - (p(t+2h) - p(t-2h))] / 12h = p'(t) - h^4 p^(5) / 30 = p'(t) - 4 c5 h^4
    h = 2.0**-3
    p = Polynomial([1.0, 0.5, 0.25, 0.7, 0.3, 0.9])
    estimate, rounding = stencil(p, order=4, h=h)
    assert estimate - p.deriv()(T) == pytest.approx(-4 * 0.9 * h**4, abs=rounding)
    assert 4 * 0.9 * h**4 > 1e6 * rounding


def test_round_off_matches_its_formula():
    # sum over the stencil of 2 |w| eps |J| / h: order 2 has w = 1/2, order 4 has w = 8/12 and -1/12
    assert round_off(-3.0, 1e-3, order=2) == pytest.approx(EPS * 3.0 / 1e-3, rel=1e-15)
    assert round_off(-3.0, 1e-3, order=4) == pytest.approx(1.5 * EPS * 3.0 / 1e-3, rel=1e-15)
    assert round_off(0.0, 1e-3) == 0.0


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([1.0], [3.0], 0.5),  # |1 - 3| / (1 + 3)
        ([1.0, -2.0], [1.0, 2.0], 1.0),  # the worst entry: |-2 - 2| / (2 + 2)
        ([0.0, 2.0], [0.0, 2.0], 0.0),
        (0.0, 0.0, 0.0),  # 0 / max(1e-8, 0)
        ([0.0], [1e-9], 0.1),  # the floor 1e-8 of the denominator: 1e-9 / 1e-8
        ([], [], 0.0),
    ],
)
def test_rel_error_on_hand_computed_examples(a, b, expected):
    assert rel_error(a, b) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    ("a", "b", "atol", "expected"),
    [
        ([3.0, 4.0], [0.0, 0.0], 0.0, 1.0),  # ||a - b|| = 5, max norm 5
        ([3.0, 4.0], [3.0, 5.0], 0.0, 1 / np.sqrt(34.0)),  # 1 / max(5, sqrt 34)
        ([0.0, 0.0], [0.0, 0.0], 0.0, 0.0),  # both zero
        ([0.0], [1e-20], 0.0, 1.0),  # zero against tiny: relative error 1
        ([1.0, 0.0], [1.1, 0.0], 0.05, (0.1 - 0.05 * np.sqrt(2.0)) / 1.1),  # 0.05 per entry forgiven
        ([1.0, 0.0], [1.1, 0.0], 0.1, 0.0),  # all of it forgiven
        ([0.0, 0.0], [1e-20, 0.0], 1e-15, 0.0),
    ],
)
def test_norm_rel_error_on_hand_computed_examples(a, b, atol, expected):
    assert norm_rel_error(a, b, atol=atol) == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_compare_gives_one_row_per_key_with_its_metric():
    grads, reference = {"dJdW": np.array([1.0, 2.0]), "dJdb": np.array([0.5])}, {"dJdW": [1.0, 2.000002], "dJdb": [0.5]}
    rows = compare(grads, reference, tol=1e-6)
    assert [(r.about, r.ok) for r in rows] == [("dJdW", True), ("dJdb", True)]
    assert all("max rel err < 1e-06  ok" in r.message for r in rows)
    assert not compare(grads, reference, tol=1e-7)[0].ok
    rows = compare(grads, reference, tol=1e-9, norm=True)  # fails, so the row shows the error itself
    expected = 2e-6 / np.linalg.norm([1.0, 2.000002])
    assert f"norm rel err = {expected:.1e}  FAIL (tol 1e-09)" in rows[0].message
    assert compare(grads, reference, tol=1e-300, norm=True, atol=1e-5)[0].ok  # the error is forgiven: exactly 0


def test_compare_needs_every_key_in_the_reference():
    with pytest.raises(ValueError, match=r"reference must have every key of grads; missing \['dJdb'\]"):
        compare({"dJdW": [1.0], "dJdb": [1.0]}, {"dJdW": [1.0]}, tol=1e-6)


def test_a_tolerance_verdict_says_ok_or_fail():
    assert within("dJdW1", 1e-12, 1e-10).ok and within("dJdW1", 1e-12, 1e-10).message.endswith("< 1e-10  ok")
    row = within("dJdW1", 3e-4, 1e-10)
    assert not row.ok and "= 3.0e-04  FAIL (tol 1e-10)" in row.message
    assert not within("dJdW1", float("nan"), 1e-10).ok  # NaN never passes


def test_a_report_is_ok_only_if_every_row_is_and_prints_one_line_each():
    good, bad = within("a", 0.0, 1e-9), within("b", 1.0, 1e-9)
    assert Report([("first:", [good]), ("second:", [good])]).ok
    report = Report([("first:", [good]), ("second:", [good, bad])])
    assert not report.ok
    assert str(report).splitlines() == ["first:", good.message, "second:", good.message, bad.message]


def _problem():
    x = np.array([[0.3, -1.2], [0.8, 0.1]])
    y = np.array([[0.5], [-0.4]])
    return x, y


def test_verify_backprop_passes_a_correct_network():
    x, y = _problem()
    report = verify_backprop(MLP(2, 3, "tanh", 3, 1, "identity", seed=1), x, y, losses.mse)
    assert report.ok, str(report)
    titles = [title for title, _ in report.groups]
    assert titles == ["against sympy:", "against finite differences:"]
    assert all([r.about for r in rows] == ["dJdW1", "dJdb1", "dJdW2", "dJdb2", "dJdx"] for _, rows in report.groups)


class _WrongW1(MLP):
    """An MLP whose backward is 0.1% off in dJ/dW1."""

    def backward(self, dJdy_hat):
        out = super().backward(dJdy_hat)
        self.grads["dJdW1"] *= 1.001
        return out


def test_verify_backprop_fails_exactly_the_wrong_gradient():
    x, y = _problem()
    report = verify_backprop(_WrongW1(2, 3, "tanh", 3, 1, "identity", seed=1), x, y, losses.mse)
    assert not report.ok
    for _, rows in report.groups:
        assert [r.about for r in rows if not r.ok] == ["dJdW1"]


# Finding 5: every perturbed entry is restored, whatever happens in f.


def _failing_after(calls, exc, x):
    count = []

    def f():
        count.append(1)
        if len(count) == calls:
            raise exc
        return float(np.sum(x**2))

    return f


@pytest.mark.parametrize("order", [2, 4])
@pytest.mark.parametrize("calls", [1, 2, 3, 6])
def test_x_is_restored_when_f_raises(order, calls):
    x = np.array([[0.1, -2.5], [3.0, 1e-3]])
    before = x.copy()
    with pytest.raises(ZeroDivisionError):
        numerical_gradient(_failing_after(calls, ZeroDivisionError("boom"), x), x, order=order)
    assert x.tobytes() == before.tobytes()


@pytest.mark.parametrize("order", [2, 4])
def test_x_is_restored_on_keyboard_interrupt(order):
    x = np.array([0.1, -2.5, 3.0])
    before = x.copy()
    with pytest.raises(KeyboardInterrupt):
        numerical_gradient(_failing_after(4, KeyboardInterrupt(), x), x, order=order)
    assert x.tobytes() == before.tobytes()


def test_a_huge_step_is_refused_before_x_is_touched():
    x = np.array([0.1, -2.5])
    before, calls = x.copy(), []
    with pytest.raises(ValueError, match="h must keep x \\+ 2h finite, got h = 1e\\+308"):
        numerical_gradient(lambda: calls.append(1) or 0.0, x, h=1e308)
    assert x.tobytes() == before.tobytes() and calls == []


def test_network_parameters_and_cache_are_restored_when_the_loss_raises():
    net = MLP(2, 3, "tanh", 3, 1, "identity", seed=2)
    x, y = _problem()
    net.forward(x)
    params, cache = {k: v.copy() for k, v in net.parameters.items()}, net.cache
    calls = []

    def loss(y_hat, y):
        calls.append(1)
        if len(calls) == 7:
            raise KeyboardInterrupt
        return losses.mse(y_hat=y_hat, y=y)

    with pytest.raises(KeyboardInterrupt):
        numerical_network_gradients(net, x, y, loss)
    assert all(net.parameters[k].tobytes() == v.tobytes() for k, v in params.items())
    assert net.cache is cache


def test_gradient_norm_is_the_norm_of_every_parameter_gradient():
    net = MLP(2, 3, "tanh", 3, 1, "identity", seed=0)
    x, y = np.random.default_rng(0).standard_normal((4, 2)), np.zeros((4, 1))
    grads = network_gradients(net, x, y, losses.mse)
    expected = np.linalg.norm(np.concatenate([grads[k].ravel() for k in ("dJdW1", "dJdb1", "dJdW2", "dJdb2")]))
    assert gradient_norm(net, x, y, losses.mse) == pytest.approx(expected, rel=1e-14)
