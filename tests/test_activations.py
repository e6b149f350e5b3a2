"""Every activation and derivative against sympy (mpmath, 1000 digits) and central differences.

Tolerances: 1e-12 relative against sympy (libm's erfc is good to about 1e-13 in the far tail),
1e-9 relative against five-point differences with h = 1e-4.
"""

import warnings

import numpy as np
import pytest

from helpers import activations as A
from helpers import symbolic
from helpers.gradcheck import numerical_gradient

# 0, small and large |z|; the kinks of ReLU-like functions are checked at 0 separately.
GRID = np.array([-800.0, -50.0, -30.0, -10.0, -3.0, -1.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 1.0, 3.0, 10.0, 19.0, 30.0])

# Every registered activation with its defaults, and the other parameter values the notebooks use.
CASES = [(name, {}) for name in A.ACTIVATIONS] + [
    ("leaky_relu", {"negative_slope": 0.2}),
    ("softplus", {"beta": 2.0}),
    ("gelu", {"approximate": "tanh"}),
]
IDS = [f"{n}{p}" for n, p in CASES]


def _sympy_values(name, params, grid, derivative):
    def expr(z):
        e = symbolic.activation_expr(A.get_activation(name, **params), z)
        return symbolic.derivative(e, z) if derivative else e

    return symbolic.elementwise(expr, grid)


def _softplus_threshold_tol(name, params, grid):
    # Above beta*z > 20 PyTorch returns z (and slope 1), off the smooth function by < e^-20 relative.
    if name == "softplus":
        return np.where(A.get_activation(name, **params).params["beta"] * grid > 20, np.exp(-20.0), 0.0)
    return 0.0


@pytest.mark.parametrize("derivative", [False, True], ids=["value", "derivative"])
@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_matches_sympy(name, params, derivative):
    act = A.get_activation(name, **params)
    ref = _sympy_values(name, params, GRID, derivative)
    ours = act.deriv(GRID) if derivative else act(GRID)
    tol = 1e-12 + _softplus_threshold_tol(name, params, GRID)
    np.testing.assert_array_less(np.abs(ours - ref), tol * np.maximum(np.abs(ref), 1e-300) + 1e-300)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_derivative_matches_finite_differences(name, params):
    """Five-point central differences with h = 1e-4, away from the kink at 0 and the softplus switch."""
    act = A.get_activation(name, **params)
    grid = np.concatenate([np.linspace(-6, 6, 49), [-15.0, 15.0]])
    grid = grid[np.abs(grid) > 1e-3]
    for z in grid:
        point = np.array([z])
        fd = numerical_gradient(lambda p=point: float(act(p)[0]), point, h=1e-4, order=4)[0]
        assert fd == pytest.approx(float(act.deriv(np.array([z]))[0]), rel=1e-9, abs=1e-11), z


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_infinite_inputs_give_the_sympy_limits(name, params):
    """f(+-inf) and f'(+-inf) are sympy's limits exactly, with no warning (pytest makes one an error) and no NaN."""
    import sympy as sp

    act = A.get_activation(name, **params)
    z = sp.Symbol("z", real=True)
    e = act.expr(z)
    for end in (sp.oo, -sp.oo):
        point = np.array([float(end)])
        assert act(point)[0] == float(sp.limit(e, z, end)), f"{act}({end})"
        assert act.deriv(point)[0] == float(sp.limit(sp.diff(e, z), z, end)), f"{act}'({end})"


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [("relu", {}, 0.0), ("scaled_relu", {"scale": 5.0}, 0.0), ("leaky_relu", {"negative_slope": 0.01}, 0.01)],
)
def test_derivative_at_zero_follows_pytorch(name, params, expected):
    assert A.get_activation(name, **params).deriv(np.array([0.0]))[0] == expected


def test_tanh_derivative_does_not_collapse_early():
    # 1 - tanh(20)^2 rounds to 0 in float64; sech^2(20) = 4 e^-40 (1 + e^-40)^-2 is about 1.70e-17.
    assert 1 - np.tanh(20.0) ** 2 == 0.0
    assert A.d_tanh(np.array([20.0]))[0] == pytest.approx(4 * np.exp(-40.0), rel=1e-14)


def test_sigmoid_derivative_keeps_digits_for_large_z():
    # sigma(1 - sigma) would round to 0 at z = 40; sigma(z) sigma(-z) gives e^-40 to full precision.
    assert A.d_sigmoid(np.array([40.0]))[0] == pytest.approx(np.exp(-40.0), rel=1e-14)


def test_gelu_tanh_approximation_is_close_to_exact():
    z = np.linspace(-6, 6, 1201)
    err = np.max(np.abs(A.gelu(z) - A.gelu(z, approximate="tanh")))
    assert 1e-4 < err < 1e-3


@pytest.mark.parametrize(
    ("fn", "z", "expected"),
    [
        (A.sigmoid, [-800.0, 800.0], [0.0, 1.0]),
        (A.d_sigmoid, [-800.0, 800.0], [0.0, 0.0]),
        (A.gelu, [-10.0], [-10 * 7.61985302416052606597e-24]),  # -10 * Phi(-10)
        (A.d_tanh, [-800.0, 800.0], [0.0, 0.0]),
        (A.softplus, [-800.0, 800.0], [0.0, 800.0]),
    ],
)
def test_extreme_inputs_are_finite_and_right(fn, z, expected):
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        out = fn(np.array(z))
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, expected, rtol=1e-14, atol=0)


def test_softmax_of_large_logits():
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        p = A.softmax(np.array([1000.0, 1001.0, 1002.0]))
    e = np.exp([-2.0, -1.0, 0.0])
    np.testing.assert_allclose(p, e / e.sum(), rtol=1e-15)


def test_softmax_temperature_limits():
    z = np.array([1.0, 3.0, 2.0])
    np.testing.assert_allclose(A.softmax(z, temperature=1e-3), [0, 1, 0], atol=1e-300)
    np.testing.assert_allclose(A.softmax(z, temperature=1e6), [1 / 3] * 3, rtol=1e-5)
    np.testing.assert_allclose(A.softmax([2.0, 2.0, 1.0], temperature=1e-3), [0.5, 0.5, 0], atol=1e-300)


def test_softmax_jacobian_matches_finite_differences():
    z = np.array([0.3, -1.2, 2.0, 0.7])
    p = A.softmax(z)
    fd = np.stack([numerical_gradient(lambda i=i: A.softmax(z)[i], z, h=1e-4, order=4) for i in range(4)])
    np.testing.assert_allclose(A.softmax_jacobian(p), fd, rtol=1e-9, atol=1e-12)


def test_softmax_jacobian_matches_sympy():
    import sympy as sp

    zs = sp.symbols("z0:3", real=True)
    exps = [sp.exp(v) for v in zs]
    soft = [e / sum(exps) for e in exps]
    z = [0.5, -1.0, 2.0]
    ref = np.array([[symbolic.evaluate(sp.diff(s, v), dict(zip(zs, z))) for v in zs] for s in soft])
    np.testing.assert_allclose(A.softmax_jacobian(A.softmax(z)), ref, rtol=1e-14, atol=1e-16)


def test_log_softmax_matches_sympy_and_stays_finite_where_softmax_underflows():
    import sympy as sp

    zs = sp.symbols("z0:3", real=True)
    point = [0.5, -1.0, 2.0]
    exact = [symbolic.evaluate(v - sp.log(sum(sp.exp(u) for u in zs)), dict(zip(zs, point))) for v in zs]
    np.testing.assert_allclose(A.log_softmax(point), exact, rtol=1e-14)
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        out = A.log_softmax([0.0, 800.0])
    assert A.softmax([0.0, 800.0])[0] == 0.0 and out[0] == -800.0 and out[1] == 0.0
    np.testing.assert_allclose(A.log_softmax([[1.0, 2.0], [3.0, 5.0]], temperature=2.0),
                               np.log(A.softmax([[1.0, 2.0], [3.0, 5.0]], temperature=2.0)), rtol=1e-14)  # fmt: skip
