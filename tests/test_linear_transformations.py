import numpy as np
import pytest

from helpers import linear_transformations


@pytest.mark.parametrize("theta", [0.3, -2.0, np.pi])
def test_rotation_is_orthogonal_with_det_plus_one(theta):
    R = linear_transformations.rotation(theta)
    assert linear_transformations.is_orthogonal(R) and np.linalg.det(R) == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize("phi", [0.0, 0.4, 2.5])
def test_reflection_flips_orientation_and_fixes_its_axis(phi):
    F = linear_transformations.reflection(phi)
    axis = np.array([np.cos(phi), np.sin(phi)])
    assert linear_transformations.is_orthogonal(F) and np.linalg.det(F) == pytest.approx(-1.0, abs=1e-15)
    np.testing.assert_allclose(F @ axis, axis, atol=1e-15)
    np.testing.assert_allclose(F @ F, np.eye(2), atol=1e-15)


def test_shear_and_scaling():
    S = linear_transformations.shear(0.7)
    assert np.linalg.det(S) == 1.0 and not linear_transformations.is_orthogonal(S)
    d = np.array([1.0, 2.0])  # two parallel lines p + t d and q + t d stay parallel: both get direction S d
    u, v = S @ d, S @ (3 * d)
    assert u[0] * v[1] - u[1] * v[0] == pytest.approx(0.0, abs=1e-14)
    assert np.linalg.det(linear_transformations.scaling(-2)) == pytest.approx(4.0)


def test_matrix_validation():
    with pytest.raises(ValueError, match=r"matrix must have shape \(2, 2\), got \(3,\)"):
        linear_transformations.matrix([1, 2, 3])
    with pytest.raises(ValueError, match="matrix must be finite"):
        linear_transformations.matrix([[1, np.inf], [0, 1]])


def _grid_search(x, y, n_angles):
    """The best half-plane accuracy over a fine grid of directions, every threshold: an independent lower bound."""
    best = 0.0
    for a in np.linspace(0, np.pi, n_angles, endpoint=False):
        p = x @ np.array([np.cos(a), np.sin(a)])
        for t in np.concatenate([[-np.inf], np.sort(p)]):
            acc = np.mean((p > t) == (y == 1))
            best = max(best, acc, 1 - acc)
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_best_line_accuracy_is_the_exact_maximum(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal((9, 2)), rng.integers(0, 2, 9).astype(float)
    exact = linear_transformations.best_line_accuracy(x, y)
    assert exact >= _grid_search(x, y, 3000) and exact == pytest.approx(_grid_search(x, y, 20000))


def test_best_line_accuracy_on_separable_data_and_on_the_rings():
    from helpers.data import circles

    x = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [3.0, 3.0], [4.0, 3.0]])
    assert linear_transformations.best_line_accuracy(x, np.array([0, 0, 0, 1, 1.0])) == 1.0
    rings, labels = circles(n=200, seed=0)
    assert linear_transformations.best_line_accuracy(rings, labels) == pytest.approx(
        0.69
    )  # the figure notebook 07 prints


def test_collapse_is_the_stack():
    from helpers import Network

    net = Network([2, 4, 3, 2], ["identity"] * 3, seed=3)
    W, b = linear_transformations.collapse(net.parameters)
    x = np.random.default_rng(0).standard_normal((20, 2))
    np.testing.assert_allclose(net.forward(x), x @ W.T + b, rtol=1e-12, atol=1e-12)
    P = net.parameters
    np.testing.assert_allclose(W, P["W3"] @ P["W2"] @ P["W1"], rtol=1e-14)
