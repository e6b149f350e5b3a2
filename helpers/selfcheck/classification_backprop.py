"""Checks of notebook 03: tanh/sigmoid with the squared error (1.3a), the BCE gradient at z3 (1.3b), and the
gradient norms of a deep stack (1.3c)."""

from __future__ import annotations

import numpy as np

from helpers import depth, gradcheck, losses
from helpers.activations import sigmoid
from helpers.data import circles
from helpers.gradcheck import network_gradients
from helpers.network import Network
from helpers.selfcheck._backward import backward_verdict, tanh_sigmoid_gradients
from helpers.selfcheck._core import SEEDS, Trial, exercise, judge, read, run
from helpers.selfcheck.regression_backprop import BACKWARD_FORBIDDEN

TANH_SIGMOID_MISTAKES = {
    "no-sigma-prime": "g is now the sigmoid: dl/dz3 = dl/dy_hat * sigma'(z3), and sigma'(z3) = y_hat (1 - y_hat)",
    "sigma-for-sigma-prime": "sigma'(z3) = sigma(z3) (1 - sigma(z3)), not sigma(z3)",
    "relu-f-prime": "f is now tanh: f'(z1) = 1 - tanh^2(z1), not the 5 * 1[z1 > 0] of problem 1.2",
    "no-square": "tanh'(z1) = 1 - tanh^2(z1): the square is missing",
    "tanh-prime-of-z1": "tanh'(z1) = 1 - tanh(z1)^2, the square of tanh(z1), not of z1",
    "no-2": "missing the factor 2 of the squared error",
    "sign": "the sign is flipped: dl/dy_hat = 2 (y_hat - y)",
    "bce-gradient": "dl/dz3 = y_hat - y is the BCE's (problem 1.3(b)); with the squared error, dl/dz3 = "
    "2 (y_hat - y) * y_hat (1 - y_hat)",
    "pre-activation": "dJdW2 = dl/dz3 z2^T uses z2 = tanh(z1), the input of Linear2, not the pre-activation z1",
}


@exercise("backward_tanh_sigmoid", forbidden=BACKWARD_FORBIDDEN)
def check_backward_tanh_sigmoid(fn, probes="practice"):
    """Problem 1.3(a): fn(x, y, W1, b1, W2, b2) -> {"dJdW1", "dJdb1", "dJdW2", "dJdb2"} for one sample with
    f = tanh, g = sigma, l = ||y_hat - y||^2; each shaped like its parameter. n = 3, h = 5, K = 4."""
    return backward_verdict(fn, "backward_tanh_sigmoid", "mse-tanh", tanh_sigmoid_gradients, TANH_SIGMOID_MISTAKES,
                            probes, (3, 5, 4))  # fmt: skip


BCE_MISTAKES = {
    "no-1/K": "missing the 1/K of the mean over the K outputs",
    "sigma-prime-twice": "multiplied by sigma'(z3) again: it already cancelled the 1/(y_hat (1 - y_hat)) of dl/dy_hat",
    "sign": "the sign is flipped: dl/dz3 = (y_hat - y) / K",
    "dl-dy-hat": "that is dl/dy_hat; multiply by dy_hat/dz3 = y_hat (1 - y_hat)",
    "mse-gradient": "that is the squared error's dl/dz3, 2 (y_hat - y) y_hat (1 - y_hat); this loss is the BCE",
}


@exercise("bce_output_gradient", forbidden=(losses.bce, losses.bce_with_logits, gradcheck.numerical_gradient))
def check_bce_output_gradient(fn, probes="practice"):
    """Problem 1.3(b): fn(y_hat, y) -> dl/dz3 for one sample, shape (K,) (a row or column is accepted), where
    l is the BCE averaged over the K outputs and y_hat = sigma(z3); y_hat, y: (K,). Tried with K = 4, 5 and 6,
    labels of both classes."""
    trials = []
    for seed, k in zip(SEEDS[probes], (4, 5, 6)):
        rng = np.random.default_rng(seed)
        y_hat, y = sigmoid(2 * rng.standard_normal(k)), (np.arange(k) % 2 == 0).astype(float)
        answer = read(run(fn, "bce_output_gradient", {"y_hat": y_hat, "y": y})[0], "dl_dz3")
        r, slope = y_hat - y, y_hat * (1 - y_hat)
        mistakes = {"no-1/K": r, "sigma-prime-twice": r * slope / k, "sign": -r / k, "dl-dy-hat": r / slope / k,
                    "mse-gradient": 2 * r * slope}  # fmt: skip
        trials.append(Trial(answer, r / k, mistakes))
    one = "that is one number (the loss itself?); dl_dz3 has one entry per output, (y_hat - y) / K"
    return judge("dl_dz3", trials, BCE_MISTAKES, layout_free=True, shapes={(): one, (1,): one})


NORM_MISTAKES = {
    "stale-gradients": "the gradients of the earlier pass were added in: zero them (net.zero_grad()) before backward",
    "reversed": "listed from the output back; l = 1 is the layer next to the input",
    "squared": "squared norms: take the square root, np.linalg.norm(dJdW)",
    "weight-norms": "those are the norms of the weights W_l, not of their gradients dJ/dW_l",
    "mse": "the loss here is the mean BCE, losses.bce, not the MSE",
    "spectral": "that is the spectral norm (np.linalg.norm(dJdW, 2), the largest singular value); the question asks "
    "for the Frobenius norm, np.linalg.norm(dJdW): the square root of the sum of squared entries",
    "sum-reduction": "that is the gradient of the summed BCE; J is its mean over the samples (losses.bce as it is)",
    "rms": "that is the root mean square of the entries, sqrt(mean(g^2)); the Frobenius norm is the root of their "
    "sum, np.linalg.norm(g)",
    "with-logits": "losses.bce_with_logits takes the logits z; the network already ends in the sigmoid, so its "
    "output y_hat goes to losses.bce",
}


def _deep_networks(seed):
    """A sigmoid and a ReLU stack (the check's two networks), each holding the gradients of an earlier pass.

    The sigmoid stack's hidden weights are 4 times the usual, so that sigma' varies from sample to sample: with
    sigma' near 1/4 everywhere its layers' gradients would be nearly of rank 1, their spectral norm (a named
    mistake) within 1e-4 of their Frobenius norm."""
    x, y = circles(n=20, seed=seed)
    nets = [
        depth.deep_stack("sigmoid", depth=4, width=8, seed=seed, gain=4.0),
        depth.deep_stack("relu", depth=3, width=6, seed=seed),
    ]
    for net in nets:
        network_gradients(net, x, 1 - y, losses.bce)  # stale gradients, from the opposite labels
    return x, y, nets


def _norms(net, grads, ord=None):
    return np.array([np.linalg.norm(grads[f"dJdW{layer}"], ord) for layer in range(1, net.n_layers + 1)])


@exercise(
    "gradient_norms",
    forbidden=(
        depth.layer_gradient_norms,
        Network.grad_norms,
        network_gradients,
        gradcheck.gradient_norm,
        gradcheck.numerical_network_gradients,
        "helpers.symbolic.network_gradients",
    ),
)
def check_gradient_norms(fn, probes="practice"):
    """Problem 1.3(c): fn(net, x, y) -> the Frobenius norms ||dJ/dW_l|| (np.linalg.norm of each dJdW_l) for the
    layers 1..L, layer 1 next to the input, after one fresh backward pass of the mean BCE (losses.bce); a list
    or a 1-D array. The networks it gets still hold the gradients of an earlier pass; it may change their
    gradients, not their weights. Tried on a sigmoid stack of 5 layers and a ReLU stack of 4."""
    trials = []
    for seed in SEEDS[probes]:
        x, y, nets = _deep_networks(seed)
        for net in nets:
            answer = read(run(fn, "gradient_norms", {"net": net, "x": x, "y": y}, may_change=("net.grads",))[0],
                          "the list of norms")  # fmt: skip
            stale = {k: v.copy() for k, v in net.grads.items()}
            fresh = network_gradients(net, x, y, losses.bce)
            summed = network_gradients(net, x, y, lambda y_hat, y: losses.bce(y_hat, y, reduction="sum"))
            mse = network_gradients(net, x, y, losses.mse)
            logits = network_gradients(net, x, y, lambda y_hat, y: losses.bce_with_logits(y_hat, y))
            right = _norms(net, fresh)
            mistakes = {
                "stale-gradients": _norms(net, {k: stale[k] + fresh[k] for k in stale}),
                "reversed": right[::-1],
                "squared": right**2,
                "weight-norms": np.array(
                    [np.linalg.norm(net.parameters[f"W{layer}"]) for layer in range(1, net.n_layers + 1)]
                ),  # fmt: skip
                "mse": _norms(net, mse),
                "spectral": _norms(net, fresh, 2),
                "sum-reduction": _norms(net, summed),
                "rms": np.array(
                    [
                        np.linalg.norm(fresh[f"dJdW{layer}"]) / np.sqrt(fresh[f"dJdW{layer}"].size)
                        for layer in range(1, net.n_layers + 1)
                    ]
                ),
                "with-logits": _norms(net, logits),
            }
            trials.append(Trial(answer, right, mistakes))
    layers = len(trials[0].expected)
    shapes = {
        (2 * layers,): "one norm per weight matrix W_1..W_L, without the biases",
        (layers - 1,): "one norm per weight matrix W_1..W_L: the last layer's, next to the output, too",
    }
    return judge("the list of norms", trials, NORM_MISTAKES, layout_free=True, shapes=shapes)
