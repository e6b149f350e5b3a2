"""Each "Try it" self-check accepts a right answer and names each typical mistake fed to it."""

import numpy as np
import pytest

from helpers import selfcheck


def test_diagnose_basics():
    expected = np.arange(6.0).reshape(2, 3) + 1
    assert selfcheck.diagnose("A", expected.copy(), expected).ok
    assert "None" in selfcheck.diagnose("A", None, expected).message
    assert "transpose" in selfcheck.diagnose("A", expected.T, expected).message
    assert "constant factor 3" in selfcheck.diagnose("A", 3 * expected, expected).message
    assert "differs" in selfcheck.diagnose("A", expected + np.eye(2, 3), expected).message


def _check(checker, fn, words):
    verdict = checker(fn)
    assert verdict.ok == (words is None), verdict
    if words:
        assert words in verdict.message, verdict


# 1.5(e): dL/dy_hat of 1/N sum ||y_hat_i - y_i||^2
OBJECTIVE = {
    "right": (lambda yh, y: 2 * (yh - y) / len(y), None),
    "no 2": (lambda yh, y: (yh - y) / len(y), "missing the factor 2"),
    "N*K": (lambda yh, y: 2 * (yh - y) / y.size, "divided by N*K"),
    "no 1/N": (lambda yh, y: 2 * (yh - y), "missing the 1/N"),
    "sign": (lambda yh, y: 2 * (y - yh) / len(y), "sign is flipped"),
    "transposed": (lambda yh, y: (2 * (yh - y) / len(y)).T, "transpose"),
}


@pytest.mark.parametrize("case", list(OBJECTIVE))
def test_objective_gradient_check(case):
    _check(selfcheck.check_objective_gradient, *OBJECTIVE[case])


def _regression_backward(scale_f=5.0, factor2=2.0, sign=1.0, swap_outer=False, relu_z2=False):
    def fn(x, y, W1, b1, W2, b2):
        z1 = W1 @ x + b1
        z2 = 5 * np.maximum(z1, 0)
        dl_dz3 = sign * factor2 * (W2 @ z2 + b2 - y)
        dl_dz1 = (W2.T @ dl_dz3) * scale_f * (z1 > 0)
        a2 = np.maximum(z1, 0) if relu_z2 else z2
        dW2 = np.outer(a2, dl_dz3) if swap_outer else np.outer(dl_dz3, a2)
        return {"dW2": dW2, "db2": dl_dz3, "dW1": np.outer(dl_dz1, x), "db1": dl_dz1}

    return fn


REGRESSION = {
    "right": (_regression_backward(), None),
    "swapped outer product": (_regression_backward(swap_outer=True), "dW2 has the shape of W2.T"),
    "no factor 5": (_regression_backward(scale_f=1.0), "off by a factor 5"),
    "no factor 2": (_regression_backward(factor2=1.0), "missing the factor 2"),
    "sign": (_regression_backward(sign=-1.0), "sign is flipped"),
    "relu instead of f in dW2": (_regression_backward(relu_z2=True), "z2 = 5 ReLU(z1)"),
}


@pytest.mark.parametrize("case", list(REGRESSION))
def test_regression_backward_check(case):
    _check(selfcheck.check_regression_backward, *REGRESSION[case])


def test_regression_backward_check_wants_a_dict():
    assert "dict" in selfcheck.check_regression_backward(lambda *a: (1, 2)).message
    assert "missing db2" in selfcheck.check_regression_backward(lambda *a: {"dW1": 0, "db1": 0, "dW2": 0}).message


BCE = {
    "right": (lambda yh, y: (yh - y) / y.size, None),
    "no 1/K": (lambda yh, y: yh - y, "missing the 1/K"),
    "sigma' twice": (lambda yh, y: (yh - y) * yh * (1 - yh) / y.size, "sigma'(z3) again"),
    "sign": (lambda yh, y: (y - yh) / y.size, "sign is flipped"),
    "stopped at dl/dy_hat": (lambda yh, y: (yh - y) / (yh * (1 - yh)) / y.size, "that is dl/dy_hat"),
}


@pytest.mark.parametrize("case", list(BCE))
def test_bce_output_gradient_check(case):
    _check(selfcheck.check_bce_output_gradient, *BCE[case])


def _sig(z):
    return 1 / (1 + np.exp(-z))


LOGISTIC = {
    "right": (lambda w, b, x, y: -(y - np.tanh(b + w @ x)) * x, None),
    "sign": (lambda w, b, x, y: (y - np.tanh(b + w @ x)) * x, "sign is flipped"),
    "extra tanh'": (lambda w, b, x, y: -(y - np.tanh(b + w @ x)) * (1 - np.tanh(b + w @ x) ** 2) * x, "extra tanh'"),
    "sigmoid": (lambda w, b, x, y: -(y - _sig(b + w @ x)) * x, "not the sigmoid"),
    "no x": (lambda w, b, x, y: -(y - np.tanh(b + w @ x)), "has shape ()"),
}


@pytest.mark.parametrize("case", list(LOGISTIC))
def test_tanh_logistic_gradient_check(case):
    _check(selfcheck.check_tanh_logistic_gradient, *LOGISTIC[case])


def _softmax(z, t, shift=True, axis=-1):
    s = z / t
    e = np.exp(s - s.max(axis=axis, keepdims=True)) if shift else np.exp(s)
    return e / e.sum(axis=axis, keepdims=True)


SOFTMAX = {
    "right": (lambda z, t: _softmax(z, t), None),
    "no max subtracted": (lambda z, t: _softmax(z, t, shift=False), "subtract each row's maximum"),
    "times T": (lambda z, t: _softmax(z * t * t, t), "multiplied by T"),
    "no T": (lambda z, t: _softmax(z, 1.0), "temperature is missing"),
    "wrong axis": (lambda z, t: np.exp(z - z.max(0)) / np.exp(z - z.max(0)).sum(0), "columns"),
}


@pytest.mark.parametrize("case", list(SOFTMAX))
def test_softmax_check(case):
    _check(selfcheck.check_softmax, *SOFTMAX[case])


SOFTPLUS = {
    "right": (lambda x, b: _sig(b * x), None),
    "no beta": (lambda x, b: _sig(x), "beta is missing"),
    "extra beta": (lambda x, b: b * _sig(b * x), "extra factor beta"),
    "softplus itself": (lambda x, b: np.log1p(np.exp(b * x)) / b, "softplus itself"),
    "sign": (lambda x, b: 1 - _sig(b * x), "sign inside is flipped"),
}


@pytest.mark.parametrize("case", list(SOFTPLUS))
def test_softplus_derivative_check(case):
    _check(selfcheck.check_softplus_derivative, *SOFTPLUS[case])


def _reflect(angle):
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, s], [s, -c]])


REFLECTION = {
    "right": (lambda p: _reflect(2 * p), None),
    "phi not 2 phi": (lambda p: _reflect(p), "needs 2 phi"),
    "rotation": (lambda p: np.array([[np.cos(2 * p), -np.sin(2 * p)], [np.sin(2 * p), np.cos(2 * p)]]), "det +1"),
    "perpendicular": (lambda p: _reflect(2 * p + np.pi), "perpendicular"),
    "x-axis only": (lambda p: np.diag([1.0, -1.0]), "ignores phi"),
}


@pytest.mark.parametrize("case", list(REFLECTION))
def test_reflection_check(case):
    _check(selfcheck.check_reflection, *REFLECTION[case])


def _mul_right(a, b, out):
    a.grad += b.data * out.grad
    b.grad += a.data * out.grad


def _mul_assign(a, b, out):
    a.grad = b.data * out.grad
    b.grad = a.data * out.grad


def _mul_swapped(a, b, out):
    a.grad += a.data * out.grad
    b.grad += b.data * out.grad


def _mul_no_chain(a, b, out):
    a.grad += b.data
    b.grad += a.data


MUL = {
    "right": (_mul_right, None),
    "= not +=": (_mul_assign, "instead of adding with +="),
    "swapped": (_mul_swapped, "swapped"),
    "no out.grad": (_mul_no_chain, "forgot out.grad"),
}


@pytest.mark.parametrize("case", list(MUL))
def test_mul_backward_check(case):
    _check(selfcheck.check_mul_backward, *MUL[case])
