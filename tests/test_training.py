"""The five SGD steps, what skipping step 3 does, and the learning-rate explorer's update."""

import functools
import warnings
from functools import partial

import numpy as np
import pytest

from helpers import MLP, losses, widgets
from helpers.data import circles, regression
from helpers.gradcheck import network_gradients
from helpers.network import Network
from helpers.training import five_steps, train, train_rates

LOSS = partial(losses.mse, reduction="mean")


def make_net():
    return MLP(2, 8, "relu", 8, 1, "identity", init="he", seed=0)


def test_one_pass_of_the_five_steps_is_one_gradient_step():
    x, y = regression(n=16, seed=1)
    net, ref = make_net(), make_net()
    g = network_gradients(ref, x, y, LOSS)
    J = five_steps(net, x, y, LOSS, lr=0.1)
    assert J == LOSS(ref.forward(x), y)[0]
    np.testing.assert_allclose(net.parameters["W1"], ref.parameters["W1"] - 0.1 * g["dJdW1"], rtol=1e-15)


def test_skipping_zero_grad_adds_the_previous_gradient():
    x, y = regression(n=16, seed=1)
    a, b = make_net(), make_net()
    five_steps(a, x, y, LOSS, lr=0.1)
    five_steps(b, x, y, LOSS, lr=0.1)
    first = a.grads["dJdW1"].copy()
    five_steps(a, x, y, LOSS, lr=0.1, zero_grad=True)
    five_steps(b, x, y, LOSS, lr=0.1, zero_grad=False)
    np.testing.assert_allclose(b.grads["dJdW1"], first + a.grads["dJdW1"], rtol=1e-14)


def test_a_loss_may_return_J_and_its_gradient_in_any_numeric_form():
    """train converts what a student's loss returns: the same history as the package's mse, which returns a
    float and a float64 array (the path with no conversion); exactly for lossless forms, at float32 precision
    for float32 ones."""
    x, y = regression(n=16, seed=1)
    reference = train(make_net(), x, y, LOSS, lr=0.05, steps=20)
    forms = {  # form: rtol
        lambda J, g: (np.asarray(J), g.tolist()): 0.0,
        lambda J, g: (np.float64(J), g[..., None][..., 0]): 0.0,
        lambda J, g: (np.float32(J), g.astype(np.float32)): 1e-5,
    }
    for form, rtol in forms.items():

        def loss(y_hat, y, form=form):
            return form(*LOSS(y_hat, y))

        np.testing.assert_allclose(train(make_net(), x, y, loss, lr=0.05, steps=20), reference, rtol=rtol, atol=0)


def test_train_decreases_the_loss_and_flags_divergence():
    x, y = regression(n=32, seed=0)
    h = train(make_net(), x, y, LOSS, lr=0.05, steps=100)
    assert np.all(np.isfinite(h)) and h[-1] < 0.5 * h[0]
    h = train(make_net(), x, y, LOSS, lr=5.0, steps=100)
    assert np.isnan(h[-1]) and np.nanmax(h) > 1e6 * h[0]


def test_datasets_are_seeded_and_shaped():
    x, y = circles(n=20, seed=3)
    assert x.shape == (20, 2) and set(np.unique(y)) == {0.0, 1.0}
    np.testing.assert_array_equal(circles(n=20, seed=3)[0], x)
    assert regression(n=5)[0].shape == (5, 2)


def test_learning_rate_explorer_redraws_the_curve_for_each_slider_value():
    x, y = regression(n=32, seed=0)
    explorer = widgets.learning_rate_explorer(make_net, x, y, LOSS, steps=50, lr=0.05)
    (line,) = explorer.fig.axes[0].lines
    np.testing.assert_allclose(line.get_ydata(), train(make_net(), x, y, LOSS, 0.05, 50), rtol=1e-15)
    explorer.controls["lr"].value = 0.2
    (line,) = explorer.fig.axes[0].lines
    np.testing.assert_allclose(line.get_ydata(), train(make_net(), x, y, LOSS, 0.2, 50), rtol=1e-15)
    assert "lr = 0.2" in explorer.fig.axes[0].get_title()
    explorer.controls["lr"].value = 1.0
    assert "diverged" in explorer.fig.axes[0].get_title()


def test_train_calls_back_after_every_step_and_stops_on_overflow():
    x, y = regression(n=16, seed=0)
    seen = []
    h = train(make_net(), x, y, LOSS, lr=0.05, steps=7, callback=lambda net: seen.append(net.parameters["W1"][0, 0]))
    assert len(seen) == 7 and len(set(seen)) == 7 and np.all(np.isfinite(h))
    net = make_net()
    h = train(net, x, y, LOSS, lr=1e6, steps=50, diverged=np.inf)  # overflows float64 within a few steps
    assert np.isnan(h[-1]) and np.all(np.isfinite(h[~np.isnan(h)]))
    assert all(np.all(np.isfinite(v)) for v in net.parameters.values())


GRID = widgets.slider_values(widgets._log_slider(0.05, *widgets.LR_RANGE, "lr"))  # the explorer's 61 values


def _notebook_01_net():
    return MLP(2, 16, "relu", 16, 1, "identity", init="he", seed=0)


def _overflowing_net():
    net = make_net()
    net.parameters["W2"] *= 1e300  # step 1's forward pass overflows, at every learning rate
    return net


def _dJdx_overflows():
    """Step 1's dJ/dx (which no parameter keeps) overflows: train stops there."""
    net = Network([1, 1], ["identity"], init="lecun", seed=0)
    net.parameters["W1"][:] = 1e300
    return net


def _capped_mse(y_hat, y):
    """A loss of one's own that returns J = inf, without overflowing, once J reaches 50."""
    J, dJdy_hat = losses.mse(y_hat, y)
    return (J if J < 50 else float("inf")), dJdy_hat


@functools.wraps(losses.mse)
def _wrapped_mse(y_hat, y):
    """Named mse by functools.wraps, but it takes no reduction=: a loss of one's own."""
    return losses.mse(y_hat, y)


def _cross_entropy(y_hat, y):
    """Softmax cross-entropy of logits y_hat (N, 3) and integer labels y (N,): y is not y_hat's shape."""
    z = y_hat - y_hat.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    dJdy_hat = np.exp(log_p)
    dJdy_hat[np.arange(len(y)), y] -= 1
    return float(-log_p[np.arange(len(y)), y].mean()), dJdy_hat / len(y)


TRAIN_RATES_CASES = {  # name: (make_net, data, loss, lrs, steps, diverged)
    "notebook 01's explorer": (_notebook_01_net, regression(n=64, seed=0), losses.mse, GRID, 200, 1e6),
    "tanh-sigmoid under BCE": (
        lambda: MLP(2, 4, "tanh", 4, 1, "sigmoid", seed=1),
        circles(n=40, seed=2),
        losses.bce,
        GRID,
        60,
        1e6,
    ),
    "sum, most diverge": (make_net, regression(n=16, seed=3), partial(losses.mse, reduction="sum"), GRID * 30, 40, 1e6),
    "adaline, never stopped early": (make_net, regression(n=16, seed=4), losses.adaline, GRID, 30, np.inf),
    "a loss of one's own": (make_net, regression(n=16, seed=5), lambda y_hat, y: losses.mse(y_hat, y), GRID, 40, 1e6),
    "a loss of one's own, most diverge": (
        make_net,
        regression(n=16, seed=6),
        lambda y_hat, y: losses.adaline(y_hat=y_hat, y=y),
        GRID * 100,
        40,
        1e6,
    ),
    "dJ/dx overflows": (_dJdx_overflows, (np.array([[1e-300]]), np.array([[-1e10]])), losses.mse, [0.1, 1.0], 3, 1e6),
    "a loss of one's own returns inf": (_notebook_01_net, regression(n=64, seed=0), _capped_mse, GRID[-8:], 6, 1e6),
    "a wrapper named mse": (make_net, regression(n=16, seed=0), _wrapped_mse, GRID[::6], 20, 1e6),
    "labels, not y_hat's shape": (
        lambda: Network([2, 8, 3], ["relu", "identity"], init="he", seed=0),
        (np.random.default_rng(0).standard_normal((5, 2)), np.array([0, 1, 2, 1, 0])),
        _cross_entropy,
        [0.1, 1e300],
        4,
        1e6,
    ),
    "diverged * J0 overflows": (
        make_net,
        (regression(n=16)[0], 1e5 * regression(n=16)[1]),
        losses.mse,
        GRID[::6],
        9,
        1e300,
    ),
    "overflow at step 1": (_overflowing_net, regression(n=16, seed=0), losses.mse, GRID[::10], 5, 1e6),
    "one step": (make_net, regression(n=16, seed=0), losses.mse, GRID, 1, 1e6),
}


@pytest.mark.parametrize("case", TRAIN_RATES_CASES)
def test_train_rates_gives_each_learning_rate_train_s_history(case):
    """Row r of train_rates is train at lrs[r]: the same steps end in NaN (the same overflow or divergence
    step), and every finite J agrees to rtol 1e-12 (bit for bit on the machine this was written on; the
    stacked matrix products may round differently on another BLAS)."""
    make, (x, y), loss, lrs, steps, diverged = TRAIN_RATES_CASES[case]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning: train raises and stops, train_rates stops the run
        history = train_rates(make, x, y, loss, lrs, steps, diverged=diverged)
        expected = np.array([train(make(), x, y, loss, float(lr), steps, diverged=diverged) for lr in lrs])
    assert history.shape == (len(lrs), steps)
    np.testing.assert_array_equal(np.isnan(history), np.isnan(expected))
    np.testing.assert_allclose(history, expected, rtol=1e-12, atol=0)
    stopped = int(np.isnan(expected[:, -1]).sum())  # each case exercises what its name says
    some, most = 0 < stopped < len(lrs) // 2, stopped > len(lrs) // 2
    assert {"notebook 01's explorer": some, "sum, most diverge": most, "a loss of one's own, most diverge": most}.get(
        case, True
    ), stopped
    if case == "overflow at step 1":
        assert np.isnan(history).all()


@pytest.mark.parametrize(
    "arguments, error, words",
    [
        ({"loss": partial(losses.mse, reduction="none")}, ValueError, ["scalar J", "(16, 1)"]),
        ({"loss": lambda y_hat, y: (0.0, y_hat[:1])}, ValueError, ["gradient the loss returned", "y_hat", "(1, 1)"]),
        ({"make_net": lambda: "net"}, TypeError, ["make_net()", "str"]),
        ({"loss": losses.bce_with_logits}, TypeError, ["y_hat=", "y="]),
        ({"lrs": [0.1, -0.1]}, ValueError, ["lrs", "-0.1"]),
        ({"lrs": [[0.1]]}, ValueError, ["lrs", "1-D", "(1, 1)"]),
        ({"y": np.zeros((16, 2))}, ValueError, ["same shape", "(16, 1)", "(16, 2)"]),
        ({"steps": 0}, ValueError, ["steps", "0"]),
        ({"lrs": []}, ValueError, ["lrs", "at least one", "(0,)"]),
    ],
)
def test_train_rates_refuses_what_it_cannot_train(arguments, error, words):
    x, y = regression(n=16, seed=0)
    given = {"make_net": make_net, "x": x, "y": y, "loss": losses.mse, "lrs": [0.1, 0.2], "steps": 3} | arguments
    with pytest.raises(error) as raised:
        train_rates(**given)
    assert all(w in str(raised.value) for w in words), str(raised.value)


def test_train_rates_raises_the_error_train_raises_at_a_learning_rate():
    """A scaled ReLU overflows to inf without a warning (as PyTorch's does); train's mse then refuses the inf
    y_hat. train_rates redoes that run's step alone, as train takes it, and raises the same error."""

    def make():
        net = Network([1, 1], ["scaled_relu"], init="lecun", seed=0)
        net.parameters["W1"][:] = 1e-150
        return net

    x, y = np.array([[1e150]]), np.array([[2e8]])
    with pytest.raises(ValueError, match="y_hat must be finite") as by_train:
        train(make(), x, y, losses.mse, 0.02, 5)
    with pytest.raises(ValueError, match="y_hat must be finite") as by_train_rates:
        train_rates(make, x, y, losses.mse, [1e-9, 0.02], 5)
    assert str(by_train_rates.value) == str(by_train.value)
    np.testing.assert_array_equal(
        train_rates(make, x, y, losses.mse, [1e-9], 5), [train(make(), x, y, losses.mse, 1e-9, 5)]
    )


def test_each_run_s_J_is_its_own_reduction():
    """reduce_each's J[r] is what the single-run reduction (the one every loss uses) gives run r alone, exactly,
    including a mean whose sum overflows (1e308 + 1e308) and an array stored in Fortran order."""
    rng = np.random.default_rng(0)
    per_element = rng.standard_normal((5, 64, 3)) * 10.0 ** rng.integers(-5, 5, (5, 1, 1))
    per_element[2] = 1e308
    grad = rng.standard_normal(per_element.shape)
    for reduction in ("mean", "sum"):
        with np.errstate(over="ignore"):  # a sum of 1e308s is inf, and warns as np.sum warns
            J, g = losses.reduce_each(per_element, grad, reduction)
        for r in range(5):
            with np.errstate(over="ignore"):
                J_r, g_r = losses._reduce(per_element[r], grad[r], reduction)
            assert J[r] == J_r and np.array_equal(g[r], g_r)
    assert losses._reduce(per_element[2], grad[2], "mean")[0] == 1e308  # finite, though the sum is not
    assert losses._reduce(per_element[0], grad[0], "mean")[0] == np.sum(per_element[0]) / per_element[0].size
    fortran = np.asfortranarray(per_element[0])
    assert losses._reduce(fortran, grad[0], "sum")[0] == np.sum(fortran)  # summed in memory order, as np.sum


def test_dead_units_and_slopes_of_deep_stacks():
    from helpers.depth import dead_units, deep_stack, layer_gradient_norms, mean_slopes

    x, labels = circles(n=50, seed=1)
    net = deep_stack("relu", depth=3, width=8)
    zero, dead = dead_units(net, x)
    outputs = [net.layer_output(layer) for layer in (1, 2, 3)]
    np.testing.assert_array_equal(zero, [np.mean(h == 0) for h in outputs])
    np.testing.assert_array_equal(dead, [np.sum(np.all(h == 0, axis=0)) for h in outputs])
    tanh = deep_stack("tanh", depth=3, width=8)
    slopes = mean_slopes(tanh, x)
    expected = [np.mean(1 - np.tanh(tanh.pre_activation(layer)) ** 2) for layer in (1, 2, 3)]
    np.testing.assert_allclose(slopes, expected, rtol=1e-12)
    norms = layer_gradient_norms(deep_stack("sigmoid", depth=6, width=8), x, labels)
    assert norms.shape == (7,) and norms[0] < 1e-3 * norms[-1]  # the sigmoid stack's gradient vanishes
