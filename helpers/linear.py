"""2x2 linear maps of problem 1.5(d): scaling, rotation, reflection, shear, and what they preserve.

Angles are in radians. Each function returns a float64 array of shape (2, 2).
"""

from __future__ import annotations

import numpy as np

from helpers._validate import as_array, real, shape_is


def scaling(factor):
    """factor * I: stretches (|factor| > 1) or shrinks every vector; det = factor^2."""
    return real(factor, "factor") * np.eye(2)


def rotation(theta):
    """Counter-clockwise rotation by theta: orthogonal with det = +1."""
    theta = real(theta, "theta")
    c, s = np.cos(theta), np.sin(theta)
    return np.array([[c, -s], [s, c]])


def reflection(phi):
    """Reflection across the line through 0 at angle phi: orthogonal, symmetric, det = -1.

    In 2-D every orthogonal matrix with det = -1 is such a reflection; in 3-D and up it need not be
    (-I in 3-D has det -1 and is a reflection composed with a rotation).
    """
    phi = real(phi, "phi")
    c, s = np.cos(2 * phi), np.sin(2 * phi)
    return np.array([[c, s], [s, -c]])


def shear(k):
    """Horizontal shear (x1, x2) -> (x1 + k x2, x2): det = 1, angles change, parallel lines stay parallel."""
    return np.array([[1.0, real(k, "k")], [0.0, 1.0]])


def matrix(M):
    """Validate a 2x2 matrix (finite numbers) and return it as a float64 array."""
    M = as_array(M, "matrix")
    shape_is(M, (2, 2), "matrix")
    return M


def is_orthogonal(M, tol=1e-12):
    """True if M^T M = I (M preserves lengths and angles)."""
    M = matrix(M)
    tol = real(tol, "tol")
    return bool(np.allclose(M.T @ M, np.eye(2), atol=tol, rtol=0))


def letter_f():
    """The outline of the letter F, shape (11, 2): asymmetric, so a reflection's flip is visible."""
    return np.array([[0, 0], [0, 2], [1.2, 2], [1.2, 1.6], [0.4, 1.6], [0.4, 1.2], [1, 1.2], [1, 0.8],
                     [0.4, 0.8], [0.4, 0], [0, 0]], dtype=np.float64) * 0.5  # fmt: skip
