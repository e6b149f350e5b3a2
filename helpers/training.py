"""Training a network with the five SGD steps of problem 1.2(a), and what happens if one is skipped."""

from __future__ import annotations

import numpy as np


def sgd_steps(net, x, y, loss, lr, zero_grad=True):
    """One pass of the five steps on the batch (x, y). Returns the loss before the update.

    1 forward, 2 loss, 3 zero the gradients (skipped when ``zero_grad`` is False), 4 backward,
    5 update theta <- theta - lr dJ/dtheta. loss: (y_hat, y) -> (J, dJ/dy_hat).
    """
    y_hat = net.forward(x)
    J, dJdy_hat = loss(y_hat, y)
    if zero_grad:
        net.zero_grad()
    net.backward(dJdy_hat)
    net.step(lr)
    return J


def train(net, x, y, loss, lr, epochs, zero_grad=True, diverged=1e6):
    """Full-batch gradient descent for ``epochs`` steps; returns the loss of each step, shape (epochs,).

    Training stops once the loss exceeds ``diverged`` times the first loss (a learning rate too
    large); the remaining entries are NaN, long before any float overflows.
    """
    history = np.full(epochs, np.nan)
    for epoch in range(epochs):
        history[epoch] = sgd_steps(net, x, y, loss, lr, zero_grad)
        if history[epoch] > diverged * history[0]:
            break
    return history
