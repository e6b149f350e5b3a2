"""2x2 linear maps of problem 1.5(d): scaling, rotation, reflection, shear, and what they preserve.

Angles are in radians. Each function returns a float64 array of shape (2, 2).
"""

from __future__ import annotations

import numpy as np

from helpers._validate import as_array, labels_in, real, shape_is, short


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
    layers = _layers(parameters)
    W = np.eye(layers[0][0].shape[1])
    b = np.zeros(layers[0][0].shape[1])
    for W_l, b_l in layers:
        W, b = W_l @ W, W_l @ b + b_l
    return W, b


def _layers(parameters):
    """[(W1, b1), ..., (WL, bL)] from ``parameters``, checked: L >= 1, nothing missing or extra, shapes chained."""
    expected = "a dict {'W1': (n_1, n_0), 'b1': (n_1,), ..., 'WL', 'bL'} as a Network holds them"
    if not isinstance(parameters, dict):
        raise TypeError(f"parameters must be {expected}, got {type(parameters).__name__}")
    n_layers = 0
    while f"W{n_layers + 1}" in parameters:
        n_layers += 1
    if n_layers == 0:
        raise ValueError(f"parameters must hold W1, b1, ..., WL, bL for L >= 1, got the keys {_keys(parameters)}")
    names = [f"{p}{layer}" for layer in range(1, n_layers + 1) for p in "Wb"]
    listed = ", ".join(names) if n_layers <= 2 else f"W1, b1, ..., W{n_layers}, b{n_layers}"
    missing = [k for k in names if k not in parameters]
    if missing:
        raise ValueError(f"parameters must hold {missing[0]} (with {listed}), got the keys {_keys(parameters)}")
    extra = [k for k in parameters if k not in names]
    if extra:
        raise ValueError(
            f"parameters must hold only {listed} (layers numbered 1, 2, ... without a gap), "
            f"got the extra key {short(extra[0], 30)}"
        )
    layers, width = [], None
    for layer in range(1, n_layers + 1):
        W = as_array(parameters[f"W{layer}"], f"parameters['W{layer}']", ndim=2)
        shape_is(W, (None, width), f"parameters['W{layer}']")
        b = as_array(parameters[f"b{layer}"], f"parameters['b{layer}']", ndim=1)
        shape_is(b, (W.shape[0],), f"parameters['b{layer}']")
        layers.append((W, b))
        width = W.shape[0]
    return layers


def _keys(parameters):
    return short(sorted(map(str, parameters)), 60)


#: The most points :func:`best_line_accuracy` takes; see its docstring for the time this many take.
MAX_LINE_POINTS = 2000
_SWEEP_BLOCK = 1 << 16  # entries (pivots x points) swept at once: about 40 MB of temporary arrays


def best_line_accuracy(x, labels):
    """The best accuracy any straight line reaches on 2-D points x (n, 2) with labels (n,) or (n, 1) in {0, 1}.

    A line may put class 1 on either side. Exact, by a rotational sweep in O(n^2 log n) time: an optimal
    line can be moved until it passes through two of the points (or the labels are all put on one side),
    so for each point p as pivot the other points are sorted by their angle around p and a line through p
    is turned half a circle, the counts on each side updated as points cross it. Where the line passes
    through several points (p, its copies, points collinear with p), every split of them along the line
    that a tiny turn of the line realises is counted; copies of one point always stay together.

    At most :data:`MAX_LINE_POINTS` = 2000 points. Measured on a 2-core machine: n = 200 takes 0.02 s,
    n = 1000 0.5 s, n = 2000 1.0 s (1.5 s when most points are copies or collinear); the search over
    every pair of points it replaced took 1 to 2 s at n = 200 and 12 s at n = 400.
    """
    x = as_array(x, "x", ndim=2)
    shape_is(x, (None, 2), "x")
    n = len(x)
    if n == 0:
        raise ValueError(f"x must hold at least one point, got shape {x.shape}")
    if n > MAX_LINE_POINTS:
        raise ValueError(
            f"x must hold at most {MAX_LINE_POINTS:_} points (the exact search takes O(n^2 log n) time), got {n:_}"
        )
    y = as_array(labels, "labels").ravel()
    shape_is(y, (n,), "labels (flattened)")
    labels_in(y, (0.0, 1.0), "labels")
    scale = float(np.max(np.abs(x)))
    if scale > 0:  # a power of 2 exactly: the largest |coordinate| in [0.5, 1), so differences never overflow
        x = np.ldexp(x, -np.frexp(scale)[1])
    w = np.where(y == 1.0, 1, -1)  # +1 for class 1, -1 for class 0: right = zeros + the sum of w on class 1's side
    zeros = int(n - np.count_nonzero(y))
    best = max(zeros, n - zeros)
    rows = max(1, _SWEEP_BLOCK // n)
    for lo in range(0, n, rows):
        best = max(best, _sweep(x, w, zeros, x[lo : lo + rows]))
    return best / n


def _sweep(x, w, zeros, pivots):
    """The most labels right of the lines through each of ``pivots`` (b, 2): the sweep of :func:`best_line_accuracy`.

    A line through p with direction u (angle in [0, pi)) has on its left the points v = q - p with
    cross(u, v) > 0. Each v is mapped to u_v = +-v in the upper half-plane (``flip`` when v points
    down); turning u from angle 0- to pi, v leaves the left side when u passes u_v if it is not
    flipped, and enters it if it is. At the angle of a group of points collinear with p, the line holds
    the group and p's copies: ordered by their position t along u, each prefix can go to the left side
    and the rest to the right, or the reverse (turning the line a hair about a point between them).
    """
    b, n = len(pivots), len(x)
    order = np.argsort(_half_plane_angle(x[:, 0] - pivots[:, :1], x[:, 1] - pivots[:, 1:]), axis=1)
    vx, vy = x[:, 0][order] - pivots[:, :1], x[:, 1][order] - pivots[:, 1:]  # (b, n), sorted by angle
    same = (vx == 0) & (vy == 0)  # p's copies (p included): on the line at every angle, sorted last
    flip = (vy < 0) | ((vy == 0) & (vx < 0))
    ux, uy = np.where(flip, -vx, vx), np.abs(vy)
    t = np.where(flip, -1.0, 1.0) * np.hypot(vx, vy)  # position along u of the line through p and the point
    wk = np.where(same, 0, w[order])
    w_copies = np.where(same, w[order], 0).sum(axis=1)  # (b,)
    new = np.ones((b, n), dtype=bool)  # where a group of points collinear with p starts
    new[:, 1:] = (ux[:, :-1] * uy[:, 1:] != uy[:, :-1] * ux[:, 1:]) | (same[:, 1:] != same[:, :-1])
    left_start = np.where(flip, 0, wk).sum(axis=1)  # at angle 0-: every unflipped point is on the left
    new, t, wk, flip, same = new.ravel(), t.ravel(), wk.ravel(), flip.ravel(), same.ravel()
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, b * n))
    gid = np.repeat(np.arange(len(starts)), sizes)
    if np.any(sizes > 1):  # order each group of collinear points by position along the line
        idx = np.flatnonzero(np.repeat(sizes > 1, sizes))
        perm = np.arange(b * n)
        perm[idx] = idx[np.lexsort((t[idx], gid[idx]))]
        t, wk, flip, same = t[perm], wk[perm], flip[perm], same[perm]
    row = starts // n  # the pivot of each group
    unflipped = np.where(flip, 0, wk)
    w_nf = np.add.reduceat(unflipped, starts)  # on the ray along u: they leave the left side
    w_f = np.add.reduceat(wk - unflipped, starts)  # on the opposite ray: they enter it
    delta = w_f - w_nf
    crossed = np.cumsum(delta) - delta  # what the groups before each one moved to the left side
    row_first = np.searchsorted(starts, np.arange(b) * n)
    crossed -= np.repeat(crossed[row_first], np.diff(np.append(row_first, len(starts))))  # in its own row only
    strict_left = left_start[row] + crossed - w_nf  # off the line: the group's unflipped points are on it
    csum = np.cumsum(wk)
    prefix = csum - np.repeat(csum[starts] - wk[starts], sizes) + np.where(t > 0, np.repeat(w_copies, n), 0)
    boundary = np.ones(b * n, dtype=bool)  # a split may fall after this point: not between copies
    boundary[:-1] = (t[1:] != t[:-1]) | new[1:]
    big = 2 * n + 1
    p_max = np.maximum.reduceat(np.where(boundary, prefix, -big), starts)
    p_min = np.minimum.reduceat(np.where(boundary, prefix, big), starts)
    after_copies = w_f + w_copies[row]  # the split right after p's copies
    p_max = np.maximum(np.maximum(p_max, after_copies), 0)  # 0: the empty prefix
    p_min = np.minimum(np.minimum(p_min, after_copies), 0)
    total = w_f + w_nf + w_copies[row]
    real = ~same[starts]  # the group of p's copies is no line's event
    if not real.any():
        return 0
    base = zeros + strict_left[real]
    most = base + np.maximum(p_max, total - p_min)[real]  # class 1 on the left: prefix or suffix there
    least = base + np.minimum(p_min, total - p_max)[real]  # class 1 on the right: n - least right
    return max(int(most.max()), n - int(least.min()))


def _half_plane_angle(vx, vy):
    """A number increasing with the angle in [0, pi) of +-(vx, vy), the sign putting it in the upper half-plane.

    (The "diamond angle" 1 - ux / (|ux| + uy): one division instead of an arctan2.) The zero vector gets 3.
    """
    flip = (vy < 0) | ((vy == 0) & (vx < 0))
    ux, uy = np.where(flip, -vx, vx), np.abs(vy)
    den = np.abs(ux) + uy
    zero = den == 0
    return np.where(zero, 3.0, 1.0 - ux / np.where(zero, 1.0, den))
