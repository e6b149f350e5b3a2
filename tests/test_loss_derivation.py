"""helpers.loss_derivation: each update rule w <- w + lr (y - y_hat) x is gradient descent on its derived loss."""

import numpy as np
import pytest

from helpers import loss_derivation, losses
from helpers.data import signed_classes

MODELS = ["perceptron", "adaline", "tanh_logistic"]


@pytest.mark.parametrize("model", MODELS)
def test_rule_and_loss_descent_agree_step_by_step(model):
    X, Y = signed_classes(n=30, seed=4)
    rule, descent = loss_derivation.trajectories(model, X, Y, lr=0.05, epochs=3)
    assert rule.shape == descent.shape == (3 * 30 + 1, 3)
    assert np.any(rule[1:] != rule[:-1])  # the weights do move
    np.testing.assert_allclose(descent, rule, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("model", MODELS)
def test_one_step_of_each_agrees_from_random_weights(model):
    rng = np.random.default_rng(7)
    for _ in range(20):
        w, b, x, y = (
            rng.standard_normal(3),
            float(rng.standard_normal()),
            rng.standard_normal(3),
            rng.choice([-1.0, 1.0]),
        )
        (w_rule, b_rule), (w_loss, b_loss) = (
            step(model, w, b, x, y, 0.3) for step in (loss_derivation.rule_step, loss_derivation.loss_step)
        )
        np.testing.assert_allclose(w_loss, w_rule, rtol=1e-13, atol=1e-15)
        assert b_loss == pytest.approx(b_rule, rel=1e-13, abs=1e-15)


@pytest.mark.parametrize("y", [1.0, -1.0])
def test_the_perceptron_at_z_zero_takes_the_same_half_step(y):
    # z = b + w.x = 0: the rule uses sign(0) = 0, so y - y_hat = y (half of a mistake's 2y); the loss
    # max(0, -y z) has the subgradient -y/2 there, and descent with rate 2 lr gives the same half step.
    w, b, x, lr = np.zeros(2), 0.0, np.array([0.5, -2.0]), 0.1
    rule, descent = (
        loss_derivation.rule_step("perceptron", w, b, x, y, lr),
        loss_derivation.loss_step("perceptron", w, b, x, y, lr),
    )
    np.testing.assert_array_equal(rule[0], lr * y * x)
    assert rule[1] == lr * y
    np.testing.assert_array_equal(descent[0], rule[0])
    assert descent[1] == rule[1]
    wrong = -y * x  # z = -y |x|^2: a mistake, so y - y_hat = 2y and the step is twice as long
    np.testing.assert_allclose(
        loss_derivation.rule_step("perceptron", wrong, b, x, y, lr)[0] - wrong, 2 * rule[0], rtol=1e-15
    )


def test_the_perceptron_loss_subgradient_at_zero_is_minus_y_over_two():
    _, grad = losses.perceptron(np.zeros(2), np.array([1.0, -1.0]), reduction="sum")
    np.testing.assert_array_equal(grad, [-0.5, 0.5])


def test_a_correct_perceptron_prediction_does_not_move_the_weights():
    w, x = np.array([1.0, 1.0]), np.array([0.5, 0.5])
    for step in (loss_derivation.rule_step, loss_derivation.loss_step):
        w_new, b_new = step("perceptron", w, 0.0, x, 1.0, 0.1)
        np.testing.assert_array_equal(w_new, w)
        assert b_new == 0.0


@pytest.mark.parametrize(
    ("model", "y_hat"), [("perceptron", np.sign), ("adaline", lambda z: z), ("tanh_logistic", np.tanh)]
)
def test_each_loss_gradient_is_minus_the_rules_error(model, y_hat):
    # dl/dz = -(y - y_hat) / factor, factor 2 for the perceptron (its descent rate is 2 lr)
    _, loss, factor = loss_derivation.MODELS[model]
    z = np.array([-1.5, -0.2, 0.0, 0.3, 2.0])
    for y in (1.0, -1.0):
        _, dl_dz = loss(z, np.full_like(z, y), reduction="sum")
        np.testing.assert_allclose(factor * dl_dz, -(y - y_hat(z)), rtol=1e-14, atol=1e-16)


def test_trajectories_start_from_w0_and_b0():
    X, Y = signed_classes(n=5, seed=1)
    rule, descent = loss_derivation.trajectories("adaline", X, Y, lr=0.1, w0=[0.5, -0.5], b0=0.25)
    np.testing.assert_array_equal(rule[0], [0.5, -0.5, 0.25])
    np.testing.assert_array_equal(descent[0], rule[0])
