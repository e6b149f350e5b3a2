"""Self-checks of notebook 03: tanh/sigmoid with MSE (1.3a) and BCE (1.3b), and deep stacks (1.3c)."""

from __future__ import annotations

import copy

import numpy as np

from helpers import losses
from helpers.activations import sigmoid
from helpers.data import circles
from helpers.depth import deep_stack, layer_gradient_norms
from helpers.gradcheck import network_gradients
from helpers.selfcheck._core import call, check, diagnose
from helpers.selfcheck.regression import KEYS, backward_verdict, chain


@check
def check_bce_output_gradient(fn, seed=0):
    """Problem 1.3(b): fn(y_hat, y) -> dl/dz3 for one sample, l = mean over K of BCE(sigma(z3), y); shapes (K,)."""
    rng = np.random.default_rng(seed)
    y_hat = sigmoid(2 * rng.standard_normal(4))
    y = np.array([0.0, 1.0, 1.0, 0.0])
    k = y.size
    mistakes = [
        (y_hat - y, "missing the 1/K of the mean over the K outputs"),
        (
            (y_hat - y) * y_hat * (1 - y_hat) / k,
            "multiplied by sigma'(z3) again: it already cancelled the 1/(y_hat (1 - y_hat)) of dl/dy_hat",
        ),
        ((y - y_hat) / k, "the sign is flipped: dl/dz3 = (y_hat - y) / K"),
        ((y_hat - y) / (y_hat * (1 - y_hat)) / k, "that is dl/dy_hat; multiply by dy_hat/dz3 = y_hat (1 - y_hat)"),
    ]
    answer = call(fn, "bce_output_gradient", y_hat.copy(), y.copy())
    return diagnose("dl/dz3", answer, (y_hat - y) / k, mistakes)


def _tanh_sigmoid_mistakes(net, x, y, jac):
    W1, b1, W2, _ = net.parameters.values()
    z1, z2, z3, y_hat = jac["z1"], jac["z2"], jac["z3"], jac["y_hat"]
    f_prime, g_prime, dl_dy_hat = 1 - np.tanh(z1) ** 2, sigmoid(z3) * sigmoid(-z3), jac["dl_dy_hat"][0]
    wrong = {
        "g is now the sigmoid: dl/dz3 = dl/dy_hat * sigma'(z3), and sigma'(z3) = y_hat (1 - y_hat)":
            chain(x, W1, b1, W2, z2, f_prime, 1.0, dl_dy_hat),
        "f is now tanh: f'(z1) = 1 - tanh^2(z1), not the 5 * 1[z1 > 0] of problem 1.2":
            chain(x, W1, b1, W2, z2, 5.0 * (z1 > 0), g_prime, dl_dy_hat),
        "tanh'(z1) = 1 - tanh^2(z1): the square is missing":
            chain(x, W1, b1, W2, z2, 1 - np.tanh(z1), g_prime, dl_dy_hat),
        "sigma'(z3) = sigma(z3) (1 - sigma(z3)), not sigma(z3)": chain(x, W1, b1, W2, z2, f_prime, y_hat, dl_dy_hat),
        "missing the factor 2 of the squared error": chain(x, W1, b1, W2, z2, f_prime, g_prime, dl_dy_hat / 2),
    }  # fmt: skip
    return {k: [(grads[k], message) for message, grads in wrong.items()] for k in KEYS}


@check
def check_tanh_sigmoid_backward(fn, seed=0):
    """Problem 1.3(a): fn(x, y, W1, b1, W2, b2) -> dict dW1, db1, dW2, db2 for one sample, each shaped like
    its parameter; f = tanh, g = sigma, l = ||y_hat - y||^2."""
    return backward_verdict(fn, "backward_tanh_sigmoid", "1.3(a)", _tanh_sigmoid_mistakes, seed)


@check
def check_gradient_norms(fn):
    """Problem 1.3(c): fn(net, x, y) -> ||dJ/dW_l|| for l = 1..L after one fresh backward pass of the mean BCE.

    The network it gets still holds the gradients of an earlier pass.
    """
    x, y = circles(n=20, seed=4)
    net = deep_stack("sigmoid", depth=4, width=8, seed=1)
    network_gradients(net, x, 1 - y, losses.bce)  # stale gradients, from the opposite labels
    stale = [net.grads[f"dJdW{l}"].copy() for l in range(1, net.n_layers + 1)]
    fresh = copy.deepcopy(net)
    expected = layer_gradient_norms(fresh, x, y)
    grads = [fresh.grads[f"dJdW{l}"] for l in range(1, net.n_layers + 1)]
    mse = layer_gradient_norms(copy.deepcopy(net), x, y, losses.mse)
    mistakes = [
        ([np.linalg.norm(a + b) for a, b in zip(stale, grads)],
         "the gradients of the earlier pass were added in: zero them (net.zero_grad()) before backward"),
        (expected[::-1], "listed from the output back; l = 1 is the layer next to the input"),
        (expected**2, "squared norms: take the square root, np.linalg.norm(grad)"),
        ([np.linalg.norm(net.parameters[f"W{l}"]) for l in range(1, net.n_layers + 1)],
         "those are the norms of the weights W_l, not of their gradients dJ/dW_l"),
        (mse, "the loss here is the mean BCE, losses.bce, not the MSE"),
    ]  # fmt: skip
    answer = call(fn, "gradient_norms", copy.deepcopy(net), x.copy(), y.copy())
    L = net.n_layers
    shapes = {(2 * L,): "one norm per weight matrix W_1..W_L, without the biases"}
    return diagnose("the list of norms", answer, expected, mistakes, shape_messages=shapes)
