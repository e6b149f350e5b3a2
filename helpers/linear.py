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
    if tol < 0:
        raise ValueError(f"tol must be >= 0, got {tol:g}")
    with np.errstate(over="ignore", invalid="ignore"):  # entries near 1e308: M^T M overflows, not orthogonal
        return bool(np.allclose(M.T @ M, np.eye(2), atol=tol, rtol=0))


def letter_f():
    """The outline of the letter F, shape (11, 2): asymmetric, so a reflection's flip is visible.

    It stands left of the origin, above the lines through 0 at angles 0 to 60 degrees, so a mirror
    image across them does not cover it.
    """
    outline = np.array([[0, 0], [0, 2], [1.2, 2], [1.2, 1.6], [0.4, 1.6], [0.4, 1.2], [1, 1.2], [1, 0.8],
                        [0.4, 0.8], [0.4, 0], [0, 0]], dtype=np.float64)  # fmt: skip
    return 0.75 * outline + np.array([-1.9, 0.3])


def collapse(parameters):
    """The one affine map (W, b) that a stack of affine layers computes: W = W_L ... W_1, b = W_L (... b_1 ...) + b_L.

    parameters: {'W1': (n_1, n_0), 'b1': (n_1,), ..., 'WL', 'bL'} as a Network holds them.
    Returns W (n_L, n_0) and b (n_L,).
    """
    n_layers = len(parameters) // 2
    W = np.eye(parameters["W1"].shape[1])
    b = np.zeros(parameters["W1"].shape[1])
    for l in range(1, n_layers + 1):
        W_l, b_l = parameters[f"W{l}"], parameters[f"b{l}"]
        W, b = W_l @ W, W_l @ b + b_l
    return W, b


def best_line_accuracy(x, labels):
    """The best accuracy any straight line reaches on 2-D points x (n, 2) with labels (n,) or (n, 1) in {0, 1}.

    Exact: an optimal line can be moved until it passes through two of the points, so it suffices to
    try the directions normal to every pair (turned a hair either way, to put those points on either
    side) and, for each, every threshold between consecutive projections.
    """
    x = as_array(x, "x", ndim=2)
    shape_is(x, (None, 2), "x")
    y = as_array(labels, "labels").ravel()
    shape_is(y, (x.shape[0],), "labels (flattened)")
    i, j = np.triu_indices(len(x), 1)
    d = x[j] - x[i]
    angle = np.arctan2(d[:, 0], -d[:, 1])  # the normal of each pair's line
    angles = np.concatenate([angle - 1e-9, angle + 1e-9, [0.0]])
    best = 0.0
    for chunk in np.array_split(angles, max(1, len(angles) // 2000)):
        projections = x @ np.stack([np.cos(chunk), np.sin(chunk)])  # (n, m)
        ys = y[np.argsort(projections, axis=0)]  # labels in the order of each projection
        ones_above = ys.sum(axis=0) - np.cumsum(np.vstack([np.zeros_like(ys[:1]), ys]), axis=0)
        zeros_below = np.cumsum(np.vstack([np.zeros_like(ys[:1]), 1 - ys]), axis=0)
        correct = (ones_above + zeros_below) / len(y)  # class 1 above the threshold; 1 - correct is the flip
        best = max(best, float(correct.max()), float((1 - correct).max()))
    return best
