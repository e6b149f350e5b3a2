"""Training with the five SGD steps of problem 1.2(a), and what happens if one is skipped.

PyTorch's names for the five steps, and the helpers that do them:

    1 forward          y_hat = model(x)                  y_hat = net.forward(x)
    2 loss             loss = criterion(y_hat, y)        J, dJdy_hat = loss(y_hat=y_hat, y=y)
    3 zero gradients   optimizer.zero_grad()             net.zero_grad()
    4 backward         loss.backward()                   net.backward(dJdy_hat)
    5 update           optimizer.step()                  sgd_update(net, lr)
"""

from __future__ import annotations

import numbers

import numpy as np

from helpers._validate import boolean, integer, positive, short
from helpers.losses import as_loss, loss_result
from helpers.network import as_network

#: The most steps :func:`train` takes in one call, so that a typo (10**9) fails at once instead of running for days.
MAX_STEPS = 100_000


def _factor(diverged):
    """Raise unless ``diverged`` is a number > 0 (inf allowed: never stop early)."""
    if isinstance(diverged, bool) or not isinstance(diverged, numbers.Real):
        raise TypeError(f"diverged must be a number > 0 (inf allowed), got {type(diverged).__name__}")
    if not diverged > 0:
        raise ValueError(f"diverged must be a number > 0 (inf allowed), got {diverged!r}")


def sgd_update(net, lr):
    """theta <- theta - lr * dJdtheta, in place, for every parameter of ``net`` (PyTorch's optimizer.step())."""
    _sgd_update(as_network(net), positive(lr, "lr"))


def _sgd_update(net, lr):
    for name, theta in net.parameters.items():
        theta -= lr * net.grads[f"dJd{name}"]


def five_steps(net, x, y, loss, lr, zero_grad=True):
    """One pass of the five steps on the batch (x, y); returns J before the update.

    x: (N, n_0), y: (N, n_L); loss: loss(y_hat=..., y=...) -> (J, dJdy_hat). ``zero_grad=False`` skips step 3.
    """
    net, loss = as_network(net), as_loss(loss)
    return _five_steps(net, net.as_input(x), y, loss, positive(lr, "lr"), boolean(zero_grad, "zero_grad"))


def _five_steps(net, x, y, loss, lr, zero_grad):
    """:func:`five_steps` on arguments already checked: x from ``net.as_input``, loss from ``as_loss``."""
    y_hat = net._forward(x)  # 1. forward
    J, dJdy_hat = loss_result(loss, y_hat, y)  # 2. loss (its result checked: a scalar, y_hat's shape)
    if zero_grad:
        net.zero_grad()  # 3. zero the gradients
    net._backward(dJdy_hat)  # 4. backward
    _sgd_update(net, lr)  # 5. update
    return J


def train(net, x, y, loss, lr, steps, zero_grad=True, diverged=1e6, callback=None):
    """Full-batch gradient descent: ``steps`` passes of :func:`five_steps`. Returns J before each step, (steps,).

    Training stops when J exceeds ``diverged`` times its first value or overflows float64 (a learning
    rate too large); the remaining entries are NaN. The network is left as the last finite step made it.
    callback: called as ``callback(net)`` after every step, to watch the network as it trains.
    """
    as_network(net)
    as_loss(loss)
    x = net.as_input(x)
    lr = positive(lr, "lr")
    steps = integer(steps, "steps", minimum=1, maximum=MAX_STEPS)
    boolean(zero_grad, "zero_grad")
    _factor(diverged)
    if callback is not None and not callable(callback):
        raise TypeError(
            f"callback must be None or a function callback(net), got {type(callback).__name__} {short(callback, 30)}"
        )
    history = np.full(steps, np.nan)
    for step in range(steps):
        saved = {k: v.copy() for k, v in net.parameters.items()}
        try:
            with np.errstate(over="raise", invalid="raise"):
                J = _five_steps(net, x, y, loss, lr, zero_grad)
        except FloatingPointError:  # the previous update sent the parameters too far: stop before inf
            net.parameters.update(saved)
            break
        history[step] = J
        if callback is not None:
            callback(net)
        if not np.isfinite(J) or J > diverged * history[0]:
            break
    return history
