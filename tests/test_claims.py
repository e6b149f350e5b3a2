"""What the notebooks and the README say in prose, each claim checked here by its own computation.

Strict nbval compares the numbers a notebook prints with the stored ones; these tests check that the
sentences around them are true: on more seeds or inputs than a notebook shows, against closed forms,
or as the property the sentence states.
"""

import math

import mpmath
import numpy as np
import pytest

from helpers import MLP, activations, linear_transformations, losses
from helpers.data import circles, regression
from helpers.depth import dead_units
from helpers.gradcheck import gradient_norm
from helpers.training import train

X, Y = regression(n=64, seed=0)  # notebook 1's data and network
LR = 0.05


def make_net(seed=0):
    return MLP(2, 16, "relu", 16, 1, "identity", init="he", seed=seed)


def dead_after_skipping_zero_grad(seed):
    net = make_net(seed)
    train(net, X, Y, losses.mse, LR, 300, zero_grad=False)
    return int(dead_units(net, X)[1][0])


def test_skipping_zero_grad_kills_8_to_16_units_and_all_16_from_seed_0():
    """README row 1 and notebook 1: "kills 8 to 16 of the 16 ReLU units, depending on the start"."""
    dead = [dead_after_skipping_zero_grad(seed) for seed in range(8)]
    assert all(8 <= d <= 16 for d in dead), dead
    assert min(dead) == 8 and dead[0] == 16, dead
    with_zeroing = make_net(0)
    train(with_zeroing, X, Y, losses.mse, LR, 300)
    assert dead_units(with_zeroing, X)[1][0] == 0  # the same start, zeroed: no unit dies


def test_skipping_zero_grad_is_sgd_with_momentum_one_and_no_damping():
    skipped, momentum = make_net(3), make_net(3)
    train(skipped, X, Y, losses.mse, LR, 40, zero_grad=False)
    velocity = {k: np.zeros_like(v) for k, v in momentum.parameters.items()}
    for _ in range(40):
        _, dJ_dy_hat = losses.mse(momentum.forward(X), Y)
        momentum.zero_grad()
        momentum.backward(dJ_dy_hat)
        for k, theta in momentum.parameters.items():
            velocity[k] = 1.0 * velocity[k] + momentum.grads[f"dJd{k}"]  # PyTorch: buf = momentum * buf + g
            theta -= LR * velocity[k]
    for k in velocity:
        np.testing.assert_array_equal(skipped.parameters[k], momentum.parameters[k])


def test_the_dead_network_is_a_stationary_point_at_var_y_far_above_the_minimum():
    dead = make_net()
    history = train(dead, X, Y, losses.mse, 0.5, 200)
    assert dead_units(dead, X)[1][0] == 16
    assert gradient_norm(dead, X, Y, losses.mse) < 1e-12
    assert history[-1] == pytest.approx(np.var(Y), rel=1e-12)
    alive = train(make_net(), X, Y, losses.mse, LR, 2000)
    assert alive[-1] < np.var(Y) / 50


@pytest.mark.parametrize("seed", range(3))
def test_renumbering_hidden_units_keeps_J_and_the_midpoint_breaks_convexity(seed):
    net = make_net(seed)
    train(net, X, Y, losses.mse, LR, 500)
    order = np.random.default_rng(seed).permutation(16)
    p = net.parameters
    renumbered = {"W1": p["W1"][order], "b1": p["b1"][order], "W2": p["W2"][:, order], "b2": p["b2"]}

    def J(parameters):
        model = make_net()
        model.parameters.update({k: v.copy() for k, v in parameters.items()})
        return losses.mse(model.forward(X), Y)[0]

    assert J(renumbered) == pytest.approx(J(p), rel=1e-12)
    assert J({k: (p[k] + renumbered[k]) / 2 for k in p}) > J(p)  # a convex J would be at most J(p) there


def test_a_saturated_start_predicts_between_1e_4_and_1_1e_3():
    """Notebook 3: b2 = -8 makes y_hat tiny for every input, "between 1e-4 and 1.1e-3"."""
    x, _ = circles(n=200, seed=0)
    net = MLP(2, 16, "tanh", 16, 1, "sigmoid", init="lecun", seed=0)
    net.parameters["b2"][:] = -8.0
    y_hat = net.forward(x)
    assert 1e-4 <= y_hat.min() and y_hat.max() <= 1.1e-3
    z3 = np.log(y_hat / (1 - y_hat))  # the logit: the sigmoid's inverse
    assert np.all(np.abs(z3 + 8.0) < 1.3)  # W2 tanh(...) can move z3 by at most ||W2||_1 from b2


def test_softplus_shortcut_is_exactly_1_and_within_e_minus_20_of_the_smooth_derivative():
    """Notebook 6 and README: above beta x > 20 Softplus' is 1 (PyTorch), within e^-20 of sigma(beta x)."""
    for beta in (0.5, 1.0, 2.0):
        x = np.linspace(20.0, 60.0, 81)[1:] / beta
        slope = activations.d_softplus(x, beta=beta)
        assert np.all(slope == 1.0)
        with mpmath.workdps(50):
            smooth = np.array([float(1 / (1 + mpmath.exp(-beta * mpmath.mpf(v)))) for v in x])
        assert np.max(np.abs(slope - smooth)) <= math.exp(-20.0)


def test_best_line_accuracy_is_unchanged_by_invertible_affine_maps_and_never_raised_by_singular_ones():
    """Notebook 7: no affine layer makes points more linearly separable."""
    rng = np.random.default_rng(7)
    for _ in range(20):
        n = int(rng.integers(5, 40))
        x = rng.standard_normal((n, 2))
        labels = (rng.random(n) < 0.5).astype(float)
        before = linear_transformations.best_line_accuracy(x, labels)
        A, d = rng.standard_normal((2, 2)), rng.standard_normal(2)
        assert linear_transformations.best_line_accuracy(x @ A.T + d, labels) == pytest.approx(before, abs=1e-12)
        # Rank 1 with rows (a, b) and 2 (a, b), and d2 = 2 d1: doubling is exact in floating point, so the
        # images lie exactly on one line (rounding would otherwise scatter them off it by 1e-16, and a line
        # can separate that scatter).
        a, d1 = rng.standard_normal(2), rng.standard_normal()
        singular_images = np.stack([x @ a + d1, 2 * (x @ a + d1)], axis=1)
        assert linear_transformations.best_line_accuracy(singular_images, labels) <= before + 1e-12
