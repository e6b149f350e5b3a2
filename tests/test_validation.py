"""Bad input gets a ValueError/TypeError that names the argument, what was expected and what came."""

import numpy as np
import pytest

from helpers import MLP, Network, bce_loss, losses, mse_loss
from helpers.activations import gelu, get_activation, softmax
from helpers.gradcheck import rel_error
from helpers.jacobians import mlp_jacobians
from helpers.training import sgd_update


@pytest.mark.parametrize(
    ("call", "exc", "words"),
    [
        (lambda: losses.mse(np.zeros((2, 3)), np.zeros((3, 2))), ValueError, ["y_hat", "y", "(2, 3)", "(3, 2)"]),
        (lambda: losses.mse([1.0, np.nan], [1.0, 2.0]), ValueError, ["y_hat", "finite", "nan"]),
        (lambda: losses.mse([1.0, 2.0], [np.inf, 2.0]), ValueError, ["y", "finite", "inf"]),
        (lambda: losses.mse("abc", [1.0]), TypeError, ["y_hat", "number", "str"]),
        (lambda: losses.mse([1.0], [1.0], reduction="avg"), ValueError, ["reduction", "'mean'", "'sum'", "'avg'"]),
        (lambda: losses.bce([0.5], [2.0]), ValueError, ["y", "{0.0, 1.0}", "2.0"]),
        (lambda: losses.bce([1.5], [1.0]), ValueError, ["y_hat", "[0.0, 1.0]", "1.5"]),
        (lambda: losses.bce_with_logits([0.5], [-1.0]), ValueError, ["y", "{0.0, 1.0}", "-1.0"]),
        (lambda: losses.perceptron([0.5], [0.0]), ValueError, ["y", "-1.0", "1.0", "got 0.0"]),
        (lambda: losses.tanh_logistic([0.5], [0.5]), ValueError, ["y", "-1.0", "got 0.5"]),
        (lambda: softmax([1.0, 2.0], temperature=0), ValueError, ["temperature", "> 0", "0"]),
        (lambda: softmax([1.0, 2.0], temperature=-1.5), ValueError, ["temperature", "> 0", "-1.5"]),
        (lambda: softmax([1.0, 2.0], temperature="hot"), TypeError, ["temperature", "real number", "str"]),
        (lambda: softmax([1.0, np.nan]), ValueError, ["z", "finite", "nan"]),
        (lambda: get_activation("swish"), ValueError, ["activation", "'relu'", "'swish'"]),
        (lambda: get_activation(3), TypeError, ["activation", "name", "int"]),
        (lambda: get_activation("relu", slope=2), TypeError, ["'relu'", "slope"]),
        (lambda: gelu([1.0], approximate="fast"), ValueError, ["approximate", "'tanh'", "'fast'"]),
        (lambda: MLP(2, 3, "relu", 4, 1, "identity"), ValueError, ["linear_2_in_features", "3", "got 4"]),
        (lambda: MLP(2, 3, "relu", 3, 1, "softmaxx"), ValueError, ["activation", "'softmaxx'"]),
        (
            lambda: MLP(2, 3, "relu", 3, 1, "identity").forward(np.zeros((4, 3))),
            ValueError,
            ["x", "(any, 2)", "(4, 3)"],
        ),
        (lambda: MLP(2, 3, "relu", 3, 1, "identity").forward(np.zeros(2)), ValueError, ["x", "2-D", "(2,)"]),
        (lambda: MLP(2, 3, "relu", 3, 1, "identity").backward(np.zeros((4, 1))), RuntimeError, ["forward"]),
        (lambda: Network([2, 3], ["relu", "relu"]), ValueError, ["activations", "1", "got 2"]),
        (lambda: Network([2, 3], ["relu"], init="zeros"), ValueError, ["init", "'he'", "'glorot'", "'zeros'"]),
        (lambda: mse_loss(np.zeros((2, 1)), np.zeros((2, 2))), ValueError, ["y_hat", "(2, 2)", "(2, 1)"]),
        (lambda: bce_loss(np.full((2, 1), 0.3), np.full((2, 1), 0.5)), ValueError, ["y", "{0.0, 1.0}", "0.3"]),
        (lambda: rel_error(np.zeros(2), np.zeros(3)), ValueError, ["same shape", "(2,)", "(3,)"]),
    ],
)
def test_bad_input_message(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_backward_checks_the_gradient_shape():
    net = MLP(2, 3, "relu", 3, 1, "identity")
    net.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"dJdy_hat must have shape \(4, 1\), got \(4, 2\)"):
        net.backward(np.zeros((4, 2)))


def test_step_rejects_a_bad_learning_rate():
    net = MLP(2, 3, "relu", 3, 1, "identity")
    with pytest.raises(ValueError, match=r"lr must be a finite number > 0, got -0.1"):
        sgd_update(net, -0.1)


def test_jacobians_want_one_sample():
    net = MLP(2, 3, "relu", 3, 1, "identity")
    with pytest.raises(ValueError, match=r"x must be 1-D, got shape \(1, 2\)"):
        mlp_jacobians(net, np.zeros((1, 2)), np.zeros(1), losses.mse)


# Finding 1: every loss is called with keywords, so the homework's (y, y_hat) order works everywhere.


def _regression_problem():
    from helpers.data import regression

    x, y = regression(n=16, seed=2)
    return (lambda: MLP(2, 6, "tanh", 6, 1, "identity", init="lecun", seed=3)), x, y


def test_training_with_the_homeworks_mse_loss_descends_as_with_losses_mse():
    from helpers.training import train

    make, x, y = _regression_problem()
    history = train(make(), x, y, mse_loss, 0.1, 50)
    assert history[-1] < 0.5 * history[0]
    np.testing.assert_array_equal(history, train(make(), x, y, losses.mse, 0.1, 50))


def test_network_gradients_are_the_same_for_either_argument_order():
    from helpers.gradcheck import network_gradients

    make, x, y = _regression_problem()
    ours, homework = network_gradients(make(), x, y, losses.mse), network_gradients(make(), x, y, mse_loss)
    for key in ours:
        np.testing.assert_array_equal(homework[key], ours[key])
    labels = (y > 0).astype(float)
    classify = MLP(2, 5, "relu", 5, 1, "sigmoid", init="he", seed=1)
    ours, homework = (
        network_gradients(classify, x, labels, losses.bce),
        network_gradients(classify, x, labels, bce_loss),
    )
    for key in ours:
        np.testing.assert_array_equal(homework[key], ours[key])


@pytest.mark.parametrize(
    ("g", "loss", "reference"), [("identity", mse_loss, losses.mse), ("sigmoid", bce_loss, losses.bce)]
)
def test_mlp_jacobians_take_the_homeworks_losses(g, loss, reference):
    from helpers.gradcheck import network_gradients
    from helpers.jacobians import parameter_gradients

    net = MLP(3, 4, "tanh", 4, 2, g, seed=5)
    x, y = np.array([0.3, -1.2, 0.8]), np.array([1.0, 0.0])
    grads = parameter_gradients(mlp_jacobians(net, x, y, loss))
    batch = network_gradients(net, x[None, :], y[None, :], reference)
    for key in ("dJdW1", "dJdb1", "dJdW2", "dJdb2"):
        assert rel_error(grads[key], batch[key]) < 1e-12, key


def test_a_loss_of_logits_is_refused_by_train_with_what_to_pass():
    from helpers.training import train

    make, x, y = _regression_problem()
    with pytest.raises(TypeError, match=r"keyword arguments y_hat= and y=.*bce_with_logits\(z, y"):
        train(make(), x, (y > 0).astype(float), losses.bce_with_logits, 0.1, 5)


# Finding 6: forward keeps its own copy of x.


def test_changing_x_in_place_after_forward_does_not_change_the_gradients():
    net, ref = MLP(2, 3, "tanh", 3, 1, "identity", seed=4), MLP(2, 3, "tanh", 3, 1, "identity", seed=4)
    x = np.array([[0.5, -1.0], [2.0, 0.3]])
    for n in (net, ref):
        n.forward(x.copy() if n is ref else x)
    x[...] = 99.0  # the caller reuses its buffer before calling backward
    for n in (net, ref):
        n.backward(np.ones((2, 1)))
    np.testing.assert_array_equal(net.grads["dJdW1"], ref.grads["dJdW1"])
    assert not np.shares_memory(net.layer_output(0), x)
