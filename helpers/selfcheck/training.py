"""Self-checks of notebook 01: the five SGD steps (1.2a) and the gradient of the MSE objective (1.5e)."""

from __future__ import annotations

import copy

import numpy as np

from helpers import losses
from helpers.data import regression
from helpers.gradcheck import network_gradients
from helpers.homework import MLP
from helpers.selfcheck._core import Verdict, call, check, diagnose
from helpers.training import five_steps


def _flat(net):
    return np.concatenate([v.ravel() for v in net.parameters.values()])


@check
def check_training_step(fn, lr=0.1):
    """Problem 1.2(a): fn(net, x, y, lr) does one SGD step with the mean squared error and returns J before it.

    The network it gets still holds the gradients of an earlier batch, as it would in a training loop.
    """
    x, y = regression(n=8, seed=2)
    net = MLP(2, 5, "relu", 5, 1, "identity", init="he", seed=3)
    network_gradients(net, *regression(n=8, seed=7), losses.mse)  # stale gradients of another batch
    before = _flat(net)
    runs = {}
    for zero_grad in (True, False):
        reference = copy.deepcopy(net)
        J = five_steps(reference, x, y, losses.mse, lr, zero_grad=zero_grad)
        runs[zero_grad] = (J, _flat(reference))
    J_right, right = runs[True]
    student = copy.deepcopy(net)
    J_student = call(fn, "training_step", student, x.copy(), y.copy(), lr)
    after = _flat(student)
    gradient = (before - right) / lr
    if np.array_equal(after, before):
        if all(np.all(g == 0) for g in student.grads.values()):
            return Verdict(False, "the parameters did not move and the gradients are 0: zero_grad() ran after "
                                  "backward() and wiped them; step 3 comes before step 4")  # fmt: skip
        return Verdict(False, "the parameters did not move: step 5, sgd_update(net, lr), is missing")
    mistakes = [
        (
            runs[False][1],
            "the earlier batch's gradients were still in net.grads and were added in: "
            "zero them (step 3, net.zero_grad()) before backward (step 4)",
        ),  # fmt: skip
        (before + lr * gradient, "they moved uphill: the update subtracts lr times the gradient"),
        (before - 2 * lr * gradient, "the step is twice too long: did backward() run twice?"),
    ]
    verdict = diagnose("the parameters", after, right, mistakes, rtol=1e-10)
    if not verdict.ok:
        return verdict
    J_after = losses.mse(student.forward(x), y)[0]
    verdict = diagnose("the returned J", J_student, J_right,
                       [(J_after, "that is J after the update; return the J of step 2, before it")],
                       rtol=1e-10)  # fmt: skip
    if verdict.ok:
        verdict.message = "the parameters moved by -lr times this batch's gradient, and J is the loss before the step"
    return verdict


@check
def check_objective_gradient(fn, seed=0):
    """Problem 1.5(e): fn(y_hat, y) -> dJ/dy_hat of J = 1/N sum_i ||y_hat_i - y_i||^2; y_hat, y: (N, K)."""
    rng = np.random.default_rng(seed)
    y_hat, y = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    n, k = y.shape
    r = y_hat - y
    mistakes = [
        (r / n, "missing the factor 2 of the squared error"),
        (2 * r / (n * k), "divided by N*K, PyTorch's mean over all entries; J averages over the N samples only"),
        (2 * r, "missing the 1/N of the mean over the dataset"),
        (-2 * r / n, "the sign is flipped: d(y_hat - y)^2 / dy_hat = +2 (y_hat - y)"),
    ]
    answer = call(fn, "objective_gradient", y_hat.copy(), y.copy())
    return diagnose("dJ/dy_hat", answer, 2 * r / n, mistakes)
