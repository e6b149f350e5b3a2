"""The hand-written backward pass against sympy and finite differences, and the homework interface.

Tolerances: sympy (mpmath, 40 digits) 1e-10 entry-wise relative (CS231n's measure);
five-point differences with h = 1e-3: 1e-10 norm-wise relative and 1e-7 entry-wise
(round-off eps |J| / h dominates tiny entries).
"""

from functools import partial

import numpy as np
import pytest

from helpers import MLP, Network, bce_loss, losses, mse_loss, symbolic
from helpers.activations import get_activation
from helpers.gradcheck import compare, network_gradients, numerical_network_gradients
from helpers.jacobians import mlp_jacobians, parameter_gradients
from helpers.training import sgd_update

FIVE_RELU = get_activation("scaled_relu", scale=5.0)
CASES = {  # f, g, loss name, reduction, label kind
    "source 1.2: 5relu/identity/mse-sum": (FIVE_RELU, "identity", "mse", "sum", "real"),
    "source 1.3a: tanh/sigmoid/mse": ("tanh", "sigmoid", "mse", "mean", "binary"),
    "source 1.3b: tanh/sigmoid/bce": ("tanh", "sigmoid", "bce", "mean", "binary"),
    "homework: relu/identity/mse": ("relu", "identity", "mse", "mean", "real"),
    "homework: relu/relu/mse": ("relu", "relu", "mse", "mean", "real"),
    "homework: sigmoid/sigmoid/bce": ("sigmoid", "sigmoid", "bce", "mean", "binary"),
}


def _problem(case, seed):
    f, g, loss, reduction, labels = CASES[case]
    net = MLP(3, 4, f, 4, 2, g, seed=seed)
    rng = np.random.default_rng(100 + seed)
    x = rng.standard_normal((2, 3))
    y = rng.standard_normal((2, 2)) if labels == "real" else rng.integers(0, 2, (2, 2)).astype(float)
    return net, x, y, loss, partial(getattr(losses, loss), reduction=reduction), reduction


def _assert_nontrivial(grads):
    assert np.linalg.norm(grads["dJdW1"]) > 1e-3 and np.linalg.norm(grads["dJdW2"]) > 1e-3


@pytest.mark.parametrize("seed", [0, 3])
@pytest.mark.parametrize("case", list(CASES))
def test_backprop_matches_sympy(case, seed):
    net, x, y, name, loss, reduction = _problem(case, seed)
    grads = network_gradients(net, x, y, loss)
    _assert_nontrivial(grads)
    ref = symbolic.network_gradients(net, x, y, loss)
    for row in compare(grads, ref, tol=1e-10):
        assert row.ok, row


@pytest.mark.parametrize("seed", [0, 3])
@pytest.mark.parametrize("case", list(CASES))
def test_backprop_matches_finite_differences(case, seed):
    net, x, y, _, loss, _ = _problem(case, seed)
    grads = network_gradients(net, x, y, loss)
    _assert_nontrivial(grads)
    fd = numerical_network_gradients(net, x, y, loss, h=1e-3, order=4)
    for row in compare(grads, fd, tol=1e-10, norm=True) + compare(grads, fd, tol=1e-7):
        assert row.ok, row


def test_deeper_network_matches_sympy():
    net = Network([2, 3, 2, 1], ["tanh", "gelu", "sigmoid"], init="lecun", seed=5)
    x = np.random.default_rng(0).standard_normal((2, 2))
    y = np.array([[0.0], [1.0]])
    grads = network_gradients(net, x, y, losses.bce)
    ref = symbolic.network_gradients(net, x, y, losses.bce)
    for row in compare(grads, ref, tol=1e-10):
        assert row.ok, row


def test_jacobian_chain_equals_backward_for_one_sample():
    net = MLP(3, 5, FIVE_RELU, 5, 2, "identity", seed=2)
    x, y = np.array([0.5, -1.0, 2.0]), np.array([1.0, -1.0])
    loss = partial(losses.mse, reduction="sum")
    jac = mlp_jacobians(net, x, y, loss)
    assert jac["dz2_dz1"].shape == (5, 5) and jac["dy_hat_dz3"].shape == (2, 2) and jac["dl_dy_hat"].shape == (1, 2)
    assert jac["dl_dW2"].shape == (5, 2) and jac["dl_dW1"].shape == (3, 5)  # numerator layout: W^T's shape
    np.testing.assert_array_equal(jac["dz2_dz1"], np.diag(5.0 * (jac["z1"] > 0)))
    np.testing.assert_array_equal(jac["dy_hat_dz3"], np.eye(2))
    np.testing.assert_allclose(jac["dl_dy_hat"][0], 2 * (jac["y_hat"] - y), rtol=1e-15)
    ref = symbolic.network_gradients(net, x[None], y[None], loss)
    grads = parameter_gradients(jac)
    for key in ("dJdW1", "dJdb1", "dJdW2", "dJdb2"):
        np.testing.assert_allclose(grads[key], ref[key], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(jac["dl_dx"], ref["dJdx"], rtol=1e-12, atol=1e-14)
    cache = net.cache
    mlp_jacobians(net, x, y, loss)
    assert net.cache is cache  # the network's cache is left alone


def test_homework_interface():
    net = MLP(linear_1_in_features=2, linear_1_out_features=20, f_function="relu",
              linear_2_in_features=20, linear_2_out_features=5, g_function="identity")  # fmt: skip
    assert {k: v.shape for k, v in net.parameters.items()} == {"W1": (20, 2), "b1": (20,), "W2": (5, 20), "b2": (5,)}
    assert set(net.grads) == {"dJdW1", "dJdb1", "dJdW2", "dJdb2"}
    x = np.random.default_rng(0).standard_normal((10, 2))
    y_hat = net.forward(x)
    assert y_hat.shape == (10, 5) and y_hat.dtype == np.float64
    J, dJdy_hat = mse_loss(np.zeros((10, 5)), y_hat)
    assert J == pytest.approx(np.mean(y_hat**2), rel=1e-15)
    net.backward(dJdy_hat)
    assert np.any(net.grads["dJdW1"] != 0)
    net.clear_grad_and_cache()
    assert all(np.all(g == 0) for g in net.grads.values()) and net.cache == {}
    J, dJ = bce_loss(np.ones((2, 1)), np.full((2, 1), 0.25))
    assert J == pytest.approx(-np.log(0.25), rel=1e-15)
    np.testing.assert_allclose(dJ, -1 / 0.25 / 2, rtol=1e-15)


def test_same_seed_same_network_different_seed_different_network():
    a, b, c = (MLP(2, 3, "relu", 3, 1, "identity", seed=s) for s in (0, 0, 1))
    assert all(np.array_equal(a.parameters[k], b.parameters[k]) for k in a.parameters)
    assert not np.array_equal(a.parameters["W1"], c.parameters["W1"])


def test_gradients_accumulate_until_cleared():
    net, x, y, _, loss, _ = _problem("homework: sigmoid/sigmoid/bce", 0)
    once = network_gradients(net, x, y, loss)
    net.clear_grad_and_cache()
    for _ in range(3):
        net.backward(loss(net.forward(x), y)[1])
    for k, g in net.grads.items():
        np.testing.assert_allclose(g, 3 * once[k], rtol=1e-14)


def test_sgd_step_moves_against_the_gradient():
    net, x, y, _, loss, _ = _problem("homework: relu/identity/mse", 0)
    before = loss(net.forward(x), y)[0]
    grads = network_gradients(net, x, y, loss)
    W1 = net.parameters["W1"].copy()
    sgd_update(net, 1e-3)
    np.testing.assert_allclose(net.parameters["W1"], W1 - 1e-3 * grads["dJdW1"], rtol=1e-15)
    assert loss(net.forward(x), y)[0] < before


def test_scaled_relu_backward_is_five_times_relu_backward():
    a = MLP(3, 4, FIVE_RELU, 4, 2, "identity", seed=0)
    b = MLP(3, 4, "relu", 4, 2, "identity", seed=0)
    b.parameters["W2"] *= 5.0  # 5 ReLU(z) W2^T = ReLU(z) (5 W2)^T: same outputs
    x = np.random.default_rng(0).standard_normal((4, 3))
    y = np.zeros((4, 2))
    np.testing.assert_allclose(a.forward(x), b.forward(x), rtol=1e-14)
    ga, gb = network_gradients(a, x, y, losses.mse), network_gradients(b, x, y, losses.mse)
    np.testing.assert_allclose(ga["dJdW1"], gb["dJdW1"], rtol=1e-13)


def test_activation_slopes_are_the_derivatives_at_each_pre_activation():
    net = Network([2, 3, 1], ["tanh", "sigmoid"], seed=0)
    x = np.random.default_rng(0).standard_normal((4, 2))
    z1 = x @ net.parameters["W1"].T + net.parameters["b1"]
    z3 = np.tanh(z1) @ net.parameters["W2"].T + net.parameters["b2"]
    net.forward(x)
    s1, s2 = net.activation_slopes()
    np.testing.assert_allclose(s1, 1 - np.tanh(z1) ** 2, rtol=1e-12)
    sig = 1 / (1 + np.exp(-z3))
    np.testing.assert_allclose(s2, sig * (1 - sig), rtol=1e-12)
