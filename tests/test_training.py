"""The five SGD steps, what skipping step 3 does, and the learning-rate explorer's update."""

from functools import partial

import numpy as np

from helpers import MLP, losses, widgets
from helpers.data import circles, regression
from helpers.gradcheck import network_gradients
from helpers.training import five_steps, train

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
