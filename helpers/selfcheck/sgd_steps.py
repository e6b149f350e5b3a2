"""Checks of notebook 01: an epoch of the five SGD steps (1.2a) and the gradient of the MSE objective (1.5e)."""

from __future__ import annotations

import numpy as np

from helpers import homework, losses, training
from helpers.data import regression
from helpers.gradcheck import network_gradients, numerical_gradient
from helpers.homework import MLP
from helpers.selfcheck._core import (
    DIFFERS,
    SEEDS,
    Trial,
    combine,
    exercise,
    judge,
    precision_of,
    read,
    run,
    where,
    with_message,
)
from helpers.verdict import Verdict

NOTEBOOK_LR = 0.05  # the learning rate notebook 01 uses: a function that ignores lr has usually kept it

EPOCH_MISTAKES = {
    "stale-gradients": "the gradients of the batch before (and of the network's earlier batch) were still in "
    "net.grads and were added in: zero them (step 3, net.zero_grad()) before each backward (step 4)",
    "zeroed-once": "net.zero_grad() ran once, before the loop: every batch needs its own step 3, or the gradients "
    "of the batches before it are added in",
    "did-not-move": "the parameters did not move: is step 5 (sgd_update) missing, or did zero_grad() run after "
    "backward() and wipe the gradients?",
    "uphill": "the parameters moved uphill: the update subtracts lr times the gradient, and the gradient is that of "
    "losses.mse(y_hat=..., y=...) (the homework's mse_loss takes y first: mse_loss(y, y_hat))",
    "lr-ignored": f"it used the learning rate {NOTEBOOK_LR} of the notebook, not the lr it was given",
    "last-batch-dropped": "the last batch, smaller than the others, was left out: an epoch uses every sample once",
    "whole-dataset": "each step used the whole dataset: step k uses only the batch x[k*batch_size:(k+1)*batch_size]",
    "sum-reduction": "the loss is the sum of the squared errors, not their mean: use losses.mse as it is",
    "array-split": "np.array_split evens out the batches; the batches are x[0:batch_size], x[batch_size:2 batch_size], "
    "..., only the last one smaller",
}
RETURNED_J_MISTAKES = {
    "J-after-update": "those are the J after each update; return the J of step 2, before the update",
}


def _batches(n, batch_size, mistake=""):
    """The batches of an epoch as slices: x[0:batch_size], x[batch_size:2 batch_size], ..., the last one smaller."""
    if mistake == "array-split":
        return [slice(int(part[0]), int(part[-1]) + 1) for part in np.array_split(np.arange(n), -(-n // batch_size))]
    starts = range(0, n - (batch_size - 1 if mistake == "last-batch-dropped" else 0), batch_size)
    return [slice(s, s + batch_size) for s in starts]


def _epoch(net, x, y, lr, batch_size, mistake=""):
    """One epoch of mini-batch SGD on ``net`` in place, done right or with one named mistake: J before each update."""
    loss = (lambda **kw: losses.mse(**kw, reduction="sum")) if mistake == "sum-reduction" else losses.mse
    rate = {"lr-ignored": NOTEBOOK_LR, "uphill": -lr}.get(mistake, lr)
    if mistake == "zeroed-once":
        net.zero_grad()
    history = []
    for batch in _batches(len(x), batch_size, mistake):
        xb, yb = (x, y) if mistake == "whole-dataset" else (x[batch], y[batch])
        J, dJdy_hat = loss(y_hat=net.forward(xb), y=yb)
        if mistake not in ("stale-gradients", "zeroed-once"):
            net.zero_grad()
        net.backward(dJdy_hat)
        if mistake != "did-not-move":
            training.sgd_update(net, rate) if rate > 0 else _climb(net, -rate)
        history.append(losses.mse(net.forward(xb), yb)[0] if mistake == "J-after-update" else J)
    return np.array(history)


def _climb(net, lr):
    for name, theta in net.parameters.items():
        theta += lr * net.grads[f"dJd{name}"]


def _flat(net):
    return np.concatenate([v.ravel() for v in net.parameters.values()])


def _stale_network(seed):
    """The network of a probe, holding the gradients of an earlier batch as in a training loop."""
    net = MLP(2, 5, "relu", 5, 1, "identity", init="he", seed=seed)
    network_gradients(net, *regression(n=6, seed=100 + seed), losses.mse)
    return net


@exercise("train_epoch", forbidden=(training.train, training.five_steps, training._five_steps, network_gradients))
def check_train_epoch(fn, probes="practice"):
    """Problem 1.2(a): fn(net, x, y, lr, batch_size) trains ``net`` in place for one epoch of mini-batch SGD, the
    five steps on each batch x[0:batch_size], x[batch_size:2 batch_size], ... (the last may be smaller), with
    losses.mse; it returns the J of each batch before its update (a list or a 1-D array).

    Tried on three probes: 10 samples, batches of 4, 3 and 6 (so the last batch is smaller in each), learning rates
    0.1, 0.03 and 0.2, networks that still hold the gradients of an earlier batch.
    """
    moved, returned = [], []
    for seed, batch_size, lr in zip(SEEDS[probes], (4, 3, 6), (0.1, 0.03, 0.2)):
        x, y = regression(n=10, seed=seed)
        inputs = {"net": _stale_network(seed), "x": x, "y": y, "lr": lr, "batch_size": batch_size}
        answer, given = run(fn, "train_epoch", inputs, may_change=("net",))
        after, Js = read(_flat(given["net"]), "the parameters"), read(answer, "the list of J's")
        outcome = {m: _outcome(seed, x, y, lr, batch_size, m) for m in ("", *EPOCH_MISTAKES, *RETURNED_J_MISTAKES)}
        moved.append(Trial(after, outcome[""][0], {m: outcome[m][0] for m in EPOCH_MISTAKES}))
        returned.append(Trial(Js, outcome[""][1], {m: outcome[m][1] for m in RETURNED_J_MISTAKES}))
    parameters = judge("the parameters", moved, EPOCH_MISTAKES)
    if parameters.mistake == DIFFERS:
        return _where_in_the_network(moved)
    if not parameters.ok:
        return parameters
    verdict = judge("the list of J's", returned, RETURNED_J_MISTAKES, layout_free=True,
                    shapes={(): "return one J per batch, a list, not their sum or mean"})  # fmt: skip
    if not verdict.ok:
        return verdict
    summary = ("each batch took the five steps: the parameters moved by -lr times that batch's gradient alone, and "
               "each J is the batch's loss before its update")  # fmt: skip
    return with_message(combine([parameters, verdict]), summary)


def _where_in_the_network(moved):
    """The "differs" of the parameters after the epoch, said of the parameter (W1, b1, W2, b2) where it is."""
    precision = precision_of(moved)[0]
    shapes = {name: theta.shape for name, theta in _stale_network(0).parameters.items()}
    for trial in moved:
        start = 0
        for name, shape in shapes.items():
            size = int(np.prod(shape))
            got = trial.answer.values[start : start + size].reshape(shape)
            right = np.asarray(trial.expected[start : start + size]).reshape(shape)
            start += size
            if not np.all(
                np.abs(got - right) <= precision[1] * max(np.max(np.abs(right)), 1) + precision[0] * np.abs(right)
            ):
                return Verdict(False, f"after the epoch, {name} {where(got, right, precision)}: the epoch takes the "
                                      "five steps on each batch, x[0:batch_size], x[batch_size:2 batch_size], ..., in "
                                      "order", about="the parameters", mistake=DIFFERS)  # fmt: skip
    return Verdict(False, "the parameters differ after the epoch", about="the parameters", mistake=DIFFERS)


def _outcome(seed, x, y, lr, batch_size, mistake):
    net = _stale_network(seed)
    history = _epoch(net, x, y, lr, batch_size, mistake)
    return _flat(net), history


OBJECTIVE_MISTAKES = {
    "no-2": "missing the factor 2 of the squared error",
    "mean-over-NK": "divided by N*K, PyTorch's mean over all entries; J averages over the N samples only",
    "mean-over-K": "divided by K, the number of outputs; J averages over the N samples",
    "no-1/N": "missing the 1/N of the mean over the dataset",
    "sign": "the sign is flipped: d(y_hat - y)^2 / dy_hat = +2 (y_hat - y)",
    "summed-over-samples": "that is the sum of the rows: each sample i has its own row dJ/dy_hat_i",
    "squared-error": "those are the terms (y_hat - y)^2 / N of J, not its derivative: d(y_hat - y)^2 / dy_hat = "
    "2 (y_hat - y)",
}


@exercise("objective_gradient", forbidden=(losses.mse, homework.mse_loss, numerical_gradient))
def check_objective_gradient(fn, probes="practice"):
    """Problem 1.5(e): fn(y_hat, y) -> an (N, K) array whose row i is dJ/dy_hat_i, the numerator-layout row of
    J = 1/N sum_i ||y_hat_i - y_i||^2; y_hat, y: (N, K), one sample per row. Tried with (N, K) = (5, 3),
    (4, 6) and (3, 4): N and K differ and are at least 3."""
    trials = []
    for seed, (n, k) in zip(SEEDS[probes], ((5, 3), (4, 6), (3, 4))):
        rng = np.random.default_rng(seed)
        y_hat, y = rng.standard_normal((n, k)), rng.standard_normal((n, k))
        answer = read(run(fn, "objective_gradient", {"y_hat": y_hat, "y": y})[0], "dJ/dy_hat")
        r = y_hat - y
        mistakes = {"no-2": r / n, "mean-over-NK": 2 * r / (n * k), "mean-over-K": 2 * r / k, "no-1/N": 2 * r,
                    "sign": -2 * r / n, "summed-over-samples": (2 * r / n).sum(axis=0),
                    "squared-error": r**2 / n}  # fmt: skip
        trials.append(Trial(answer, 2 * r / n, mistakes))
    n, k = trials[0].expected.shape
    one = "that is one number (J itself?); dJ/dy_hat has one entry per entry of y_hat: (N, K)"
    shapes = {"transposed": "one row per sample: (N, K), as y_hat", (): one, (1,): one,
              (n,): "one number per sample; each sample's row dJ/dy_hat_i has K entries: (N, K)"}  # fmt: skip
    return judge("dJ/dy_hat", trials, OBJECTIVE_MISTAKES, shapes=shapes)


def check_training_step(fn):
    """Deprecated (before 0.2.0 the 1.2(a) exercise was one step, ``training_step(net, x, y, lr) -> J``): checked
    as the epoch it makes, one ``fn`` call per batch."""

    def epoch(net, x, y, lr, batch_size):
        return [fn(net, x[s : s + batch_size], y[s : s + batch_size], lr) for s in range(0, len(x), batch_size)]

    return check_train_epoch(epoch)
