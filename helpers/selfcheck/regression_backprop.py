"""Checks of notebook 02: the forward pass (1.2b), the backward pass (1.2c) and the Jacobians (1.2d) of the
network f = 5 ReLU, g = identity, loss ||y_hat - y||^2, for one sample.

The probes: n = 3 inputs, h = 5 hidden units, K = 4 outputs (all different, so a missing transpose is a
wrong shape), and in every probe hidden units both active and inactive and outputs of both signs.
"""

from __future__ import annotations

import numpy as np

from helpers import answers, gradcheck, jacobians, layers
from helpers.network import Network
from helpers.selfcheck._backward import backward_verdict, probe, sum_of_squares_gradients
from helpers.selfcheck._core import SEEDS, Trial, answer_dict, combine, exercise, judge, read, run

N_IN, H, K = 3, 5, 4


def _relu(v):
    return np.maximum(v, 0.0)


FORWARD_MISTAKES = {
    "no-5": "the 5 of f = 5 ReLU is missing",
    "no-relu": "f lost its ReLU: 5 (W1 x + b1)^+ clips negative entries to 0",
    "no-b1": "b1 is missing: Linear1 computes W1 x + b1",
    "no-b2": "b2 is missing: Linear2 computes W2 z2 + b2",
    "relu-on-output": "g is the identity: y_hat = z3, with no ReLU on the output (it would clip negative entries)",
    "5-on-output": "the 5 belongs to f, inside: 5 multiplies (W1 x + b1)^+, not Linear2's output",
    "bias-after-relu": "b1 is added inside f: 5 (W1 x + b1)^+, not 5 (W1 x)^+ + b1",
}


@exercise("forward_one_sample", forbidden=(Network.forward, answers.answers))
def check_forward_one_sample(fn, probes="practice"):
    """Problem 1.2(b): fn(x, W1, b1, W2, b2) -> y_hat, shape (K,) (a column (K, 1) is accepted), of the 1.2 network
    for one sample x, shape (n,)."""
    trials = []
    for seed in SEEDS[probes]:
        x, _, W1, b1, W2, b2 = probe(seed, N_IN, H, K, "mse")
        inputs = {"x": x, "W1": W1, "b1": b1, "W2": W2, "b2": b2}
        answer = read(run(fn, "forward_one_sample", inputs)[0], "y_hat")
        z1 = W1 @ x + b1
        right = W2 @ (5 * _relu(z1)) + b2
        mistakes = {
            "no-5": W2 @ _relu(z1) + b2,
            "no-relu": W2 @ (5 * z1) + b2,
            "no-b1": W2 @ (5 * _relu(W1 @ x)) + b2,
            "no-b2": W2 @ (5 * _relu(z1)),
            "relu-on-output": _relu(right),
            "5-on-output": 5 * (W2 @ _relu(z1) + b2),
            "bias-after-relu": W2 @ (5 * _relu(W1 @ x) + b1) + b2,
        }
        trials.append(Trial(answer, right, mistakes))
    shapes = {
        (H,): "that is the shape of z2 = 5 ReLU(z1), the hidden layer's output; y_hat = W2 z2 + b2 has K entries",
        (H, 1): "that is the shape of z2, the hidden layer's output; y_hat = W2 z2 + b2 has K entries",
    }
    return judge("y_hat", trials, FORWARD_MISTAKES, layout_free=True, shapes=shapes)


BACKWARD_MISTAKES = {
    "no-5": "f'(z1) = 5 * 1[z1 > 0]: the 5 is missing",
    "relu-without-5": "z2 = 5 ReLU(z1): the forward pass lost its 5, so dl/dW2 is 5 times too small",
    "no-2": "missing the factor 2 of the squared error",
    "sign": "the sign is flipped: dl/dy_hat = 2 (y_hat - y), not 2 (y - y_hat)",
    "f-for-f-prime": "it multiplies by f(z1) = z2 where the chain rule needs the slope f'(z1) = 5 * 1[z1 > 0]",
    "mean-over-K": "divided by K: the loss ||y_hat - y||^2 sums over the K outputs, it does not average",
    "plain-relu": "those are the gradients of f = ReLU: f = 5 ReLU, so z2 = 5 ReLU(z1) in the forward pass and "
    "f'(z1) = 5 * 1[z1 > 0] in the backward pass",
    "no-f-prime": "dl/dz1 = (W2^T dl/dz3) * f'(z1): the slope f'(z1) = 5 * 1[z1 > 0] of the activation is missing",
    "no-step": "f'(z1) = 5 * 1[z1 > 0]: 0 where z1 < 0 (an inactive ReLU passes no gradient), not 5 everywhere",
    "pre-activation": "dJdW2 = dl/dz3 z2^T uses z2 = 5 ReLU(z1), the input of Linear2, not the pre-activation z1",
}


#: What in the package computes the gradients of a network, besides the network itself: its Jacobians, its
#: layers' backward rules, finite differences and sympy. A backward pass written by hand calls none of them.
BACKWARD_FORBIDDEN = (Network.backward, jacobians.mlp_jacobians, answers.answers, layers.linear_backward,
                      layers.activation_backward, gradcheck.numerical_network_gradients, gradcheck.numerical_gradient,
                      "helpers.symbolic.network_gradients")  # fmt: skip


@exercise("backward_one_sample", forbidden=BACKWARD_FORBIDDEN)
def check_backward_one_sample(fn, probes="practice"):
    """Problem 1.2(c): fn(x, y, W1, b1, W2, b2) -> {"dJdW1", "dJdb1", "dJdW2", "dJdb2"}: the gradients of the
    loss ||y_hat - y||^2 of one sample, each shaped like its parameter (as net.grads holds them; the
    transposes of the numerator-layout dl/dW); biases as 1-D arrays, or columns."""
    return backward_verdict(fn, "backward_one_sample", "mse", sum_of_squares_gradients, BACKWARD_MISTAKES, probes,
                            (N_IN, H, K))  # fmt: skip


JACOBIAN_MISTAKES = {
    "dz2_dz1": {
        "no-5": "the diagonal is 5 * 1[z1 > 0]: f = 5 ReLU",
        "f-for-f-prime": "that is diag(f(z1)); the Jacobian holds the slopes f'(z1) = 5 * 1[z1 > 0]",
        "no-step": "the slope of 5 ReLU is 5 where z1 > 0 and 0 where z1 < 0: diag(5 * 1[z1 > 0]), not 5 I",
    },
    "dy_hat_dz3": {"ones": "g is the identity: I_K, ones on the diagonal only"},
    "dl_dy_hat": {
        "no-2": "missing the factor 2 of the squared error",
        "sign": "the sign is flipped: 2 (y_hat - y), not 2 (y - y_hat)",
        "mean-over-K": "divided by K: the loss ||y_hat - y||^2 sums over the K outputs",
    },
}
JACOBIAN_SHAPES = {
    "dz2_dz1": {(H,): "that is its diagonal; the Jacobian is the (h, h) matrix diag(5 * 1[z1 > 0])"},
    "dy_hat_dz3": {(K,): "that is its diagonal; the Jacobian is the (K, K) identity I_K",
                   (): "the Jacobian of g: R^K -> R^K is the (K, K) matrix I_K, not the number 1",
                   (1,): "the Jacobian of g: R^K -> R^K is the (K, K) matrix I_K, not the number 1",
                   (H, H): "g acts on z3, which has K entries: its Jacobian is the (K, K) identity I_K"},
    "dl_dy_hat": {(K,): "numerator layout makes it a row of shape (1, K): 2 (y_hat - y)^T",
                  "transposed": "that is a column; in numerator layout the gradient of a scalar is a row (1, K)"},
}  # fmt: skip


@exercise("jacobians", forbidden=(jacobians.mlp_jacobians, answers.answers, gradcheck.numerical_gradient))
def check_jacobians(fn, probes="practice"):
    """Problem 1.2(d): fn(x, y, W1, b1, W2, b2) -> {"dz2_dz1": (h, h), "dy_hat_dz3": (K, K), "dl_dy_hat": (1, K)},
    the three matrices for one sample, in numerator layout (dl_dy_hat a row)."""
    keys = tuple(JACOBIAN_MISTAKES)
    by_key = {key: [] for key in keys}
    for seed in SEEDS[probes]:
        x, y, W1, b1, W2, b2 = probe(seed, N_IN, H, K, "mse")
        inputs = {"x": x, "y": y, "W1": W1, "b1": b1, "W2": W2, "b2": b2}
        answer = answer_dict(run(fn, "jacobians", inputs)[0], keys, "jacobians")
        got = {key: read(answer[key], key) for key in keys}
        z1 = W1 @ x + b1
        dl_dy_hat = 2 * (W2 @ (5 * _relu(z1)) + b2 - y)[None, :]
        right = {"dz2_dz1": np.diag(5.0 * (z1 > 0)), "dy_hat_dz3": np.eye(K), "dl_dy_hat": dl_dy_hat}
        mistakes = {
            "dz2_dz1": {
                "no-5": np.diag(1.0 * (z1 > 0)),
                "f-for-f-prime": np.diag(5 * _relu(z1)),
                "no-step": 5 * np.eye(H),
            },
            "dy_hat_dz3": {"ones": np.ones((K, K))},
            "dl_dy_hat": {"no-2": dl_dy_hat / 2, "sign": -dl_dy_hat, "mean-over-K": dl_dy_hat / K},
        }
        for key in keys:
            by_key[key].append(Trial(got[key], right[key], mistakes[key]))
    return combine([judge(key, by_key[key], JACOBIAN_MISTAKES[key], shapes=JACOBIAN_SHAPES[key]) for key in keys])
