import numpy as np
import pytest

from helpers import linear


@pytest.mark.parametrize("theta", [0.3, -2.0, np.pi])
def test_rotation_is_orthogonal_with_det_plus_one(theta):
    R = linear.rotation(theta)
    assert linear.is_orthogonal(R) and np.linalg.det(R) == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize("phi", [0.0, 0.4, 2.5])
def test_reflection_flips_orientation_and_fixes_its_axis(phi):
    F = linear.reflection(phi)
    axis = np.array([np.cos(phi), np.sin(phi)])
    assert linear.is_orthogonal(F) and np.linalg.det(F) == pytest.approx(-1.0, abs=1e-15)
    np.testing.assert_allclose(F @ axis, axis, atol=1e-15)
    np.testing.assert_allclose(F @ F, np.eye(2), atol=1e-15)


def test_shear_and_scaling():
    S = linear.shear(0.7)
    assert np.linalg.det(S) == 1.0 and not linear.is_orthogonal(S)
    d = np.array([1.0, 2.0])  # two parallel lines p + t d and q + t d stay parallel: both get direction S d
    u, v = S @ d, S @ (3 * d)
    assert u[0] * v[1] - u[1] * v[0] == pytest.approx(0.0, abs=1e-14)
    assert np.linalg.det(linear.scaling(-2)) == pytest.approx(4.0)


def test_matrix_validation():
    with pytest.raises(ValueError, match=r"matrix must have shape \(2, 2\), got \(3,\)"):
        linear.matrix([1, 2, 3])
    with pytest.raises(ValueError, match="matrix must be finite"):
        linear.matrix([[1, np.inf], [0, 1]])
