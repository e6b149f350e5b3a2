"""Property tests over random shapes and seeds (hypothesis)."""

from functools import partial

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpers import MLP, Network, losses
from helpers.activations import ACTIVATIONS, softmax
from helpers.gradcheck import network_gradients, norm_rel_error, numerical_network_gradients, round_off

ACTS = st.sampled_from(list(ACTIVATIONS))  # every registered activation


NETWORKS = {
    "n": st.integers(1, 4), "h": st.integers(1, 5), "k": st.integers(1, 3), "batch": st.integers(1, 4),
    "f": ACTS, "g": ACTS, "seed": st.integers(0, 2**32 - 1),
}  # fmt: skip
FD_STEP = 1e-4
# Forgiven per entry: 10 times the round-off of J (see below). What is left is the truncation error of
# the five-point stencil, O(h^4) ~ 1e-16 relative, so a relative tolerance of 1e-8 still catches any
# wrong factor, sign, transpose or a float32 leak.
ROUND_OFF_FACTOR, RTOL = 10.0, 1e-8


def backprop_against_differences(n, h, k, batch, f, g, seed):
    """Norm-wise relative errors of backprop against five-point differences, their round-off forgiven.

    Returns {key: error}, or None when a ReLU kink lies within reach of the stencil (differences
    are meaningless there).
    """
    net = MLP(n, h, f, h, k, g, init="lecun", seed=seed)
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal((batch, n)), rng.standard_normal((batch, k))
    loss = partial(losses.mse, reduction="sum")
    grads = network_gradients(net, x, y, loss)
    fd = numerical_network_gradients(net, x, y, loss, h=FD_STEP, order=4)
    net.forward(x)
    z = np.concatenate([net.pre_activation(1).ravel(), net.pre_activation(2).ravel()])
    if np.min(np.abs(z)) <= 1e-2 and (ACTIVATIONS[f].kink or ACTIVATIONS[g].kink):
        return None
    # J = sum (y_hat - y)^2 is rounded relative to the size of what it is computed from, not to J
    # itself: with y_hat close to y, J is tiny while y_hat and y are not (the flaky case: a gradient
    # of norm 1e-5). So the round-off is that of J evaluated on the magnitudes |y_hat| + |y|.
    magnitude = loss(y_hat=np.abs(net.forward(x)) + np.abs(y), y=np.zeros_like(y))[0]
    atol = ROUND_OFF_FACTOR * round_off(magnitude, FD_STEP)
    return {key: norm_rel_error(grads[key], fd[key], atol=atol) for key in grads}


@settings(max_examples=25, deadline=None)
@given(**NETWORKS)
def test_backprop_agrees_with_finite_differences(n, h, k, batch, f, g, seed):
    errors = backprop_against_differences(n, h, k, batch, f, g, seed)
    assume(errors is not None)
    for key, error in errors.items():
        assert error < RTOL, key


@settings(max_examples=25, deadline=None)
@given(sizes=st.lists(st.integers(1, 4), min_size=2, max_size=5), seed=st.integers(0, 2**32 - 1))
def test_shapes_follow_pytorch(sizes, seed):
    net = Network(sizes, ["tanh"] * (len(sizes) - 1), seed=seed)
    for layer in range(1, len(sizes)):
        assert net.parameters[f"W{layer}"].shape == (sizes[layer], sizes[layer - 1])
        assert net.parameters[f"b{layer}"].shape == (sizes[layer],)
    x = np.random.default_rng(seed).standard_normal((3, sizes[0]))
    y_hat = net.forward(x)
    assert y_hat.shape == (3, sizes[-1])
    dx = net.backward(np.ones_like(y_hat))
    assert dx.shape == x.shape
    assert all(net.grads[f"dJd{k}"].shape == v.shape for k, v in net.parameters.items())


@settings(max_examples=50, deadline=None)
@given(
    z=st.lists(st.floats(-1e4, 1e4), min_size=1, max_size=8),
    t=st.floats(1e-3, 1e3),
)
def test_softmax_is_a_distribution_that_keeps_the_order(z, t):
    p = softmax(np.array(z), temperature=t)
    assert np.all(np.isfinite(p)) and np.all(p >= 0)
    assert abs(p.sum() - 1) < 1e-12
    assert np.argmax(p) == np.argmax(z) or p[np.argmax(p)] == p[np.argmax(z)]
