"""Training with the five SGD steps of problem 1.2(a), and what happens if one is skipped.

PyTorch's names for the five steps, and the helpers that do them:

    1 forward          y_hat = model(x)                  y_hat = net.forward(x)
    2 loss             loss = criterion(y_hat, y)        J, dJdy_hat = loss(y_hat=y_hat, y=y)
    3 zero gradients   optimizer.zero_grad()             net.zero_grad()
    4 backward         loss.backward()                   net.backward(dJdy_hat)
    5 update           optimizer.step()                  sgd_update(net, lr)
"""

from __future__ import annotations

import copy
import numbers

import numpy as np

from helpers._validate import as_array, boolean, integer, positive, short
from helpers.losses import as_loss, loss_result, reduce_each, reduction_of
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
    """lr: a number, or (R, 1, 1), one per network of a stack (:func:`_stack`)."""
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
        if _stops(J, history[0], diverged):
            break
    return history


def _stops(J, J0, diverged):
    """Where training stops after a step: J not finite, or J > diverged * J0 (a product that may overflow, to inf).
    J, J0: numbers, or (R,) arrays (:func:`train_rates`)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return ~np.isfinite(J) | (J > diverged * J0)


def train_rates(make_net, x, y, loss, lrs, steps, diverged=1e6):
    """:func:`train` at each learning rate of ``lrs``, all at once. Returns J before each step, (R, steps): row
    r is the history ``train(make_net(), x, y, loss, lrs[r], steps, diverged=diverged)`` returns.

    make_net: () -> a fresh network, called once: every run starts from its weights. lrs: (R,), R >= 1.
    loss: as for :func:`train`; one of :mod:`helpers.losses`' is called once a step for all runs (with
    reduction='none'), any other once a step for each run, as :func:`train` calls it.

    The R networks are stacked on a leading axis (:func:`_stack`), and one pass of the five steps steps them
    all (:func:`_five_steps_each`). A run whose step met an inf or a NaN anywhere takes that step again alone,
    exactly as :func:`train` takes it (:func:`_step_alone`), which decides: the run stops, goes on, or raises
    train's error.
    """
    net = as_network(make_net(), "make_net()")
    as_loss(loss)
    x = net.as_input(x)
    lrs = as_array(lrs, "lrs", ndim=1)
    if len(lrs) == 0:
        raise ValueError("lrs must hold at least one learning rate, got shape (0,)")
    for lr in lrs:
        positive(float(lr), "lrs")
    steps = integer(steps, "steps", minimum=1, maximum=MAX_STEPS)
    _factor(diverged)
    reduction = reduction_of(loss)
    if reduction is not None:  # y checked once, as the loss checks it: its calls on the stack get y broadcast
        loss_result(loss, np.zeros((len(x), net.sizes[-1])), y)
    stack = _stack(net, len(lrs))
    history = np.full((len(lrs), steps), np.nan)
    training = np.arange(len(lrs))  # the runs still training, as rows of history
    for step in range(steps):
        before = {k: v.copy() for k, v in stack.parameters.items()}
        with np.errstate(over="ignore", invalid="ignore"):  # train raises here; a run that meets inf or NaN is redone
            J, ok = _five_steps_each(stack, x, y, loss, reduction, lrs[training])
        for i in np.flatnonzero(~ok):
            J[i] = _step_alone(net, stack, before, i, x, y, loss, lrs[training[i]])
        history[training, step] = J
        going = ~_stops(J, history[training, 0], diverged)
        if not going.all():
            stack.parameters = {k: v[going] for k, v in stack.parameters.items()}
            stack.grads = {k: v[going] for k, v in stack.grads.items()}
            training = training[going]
            if len(training) == 0:
                break
    return history


def _stack(net, copies):
    """``copies`` copies of ``net`` as one Network: each parameter stacked on a new leading axis, W (R, out, in),
    b (R, 1, out), as :mod:`helpers.layers` takes them."""
    stack = copy.copy(net)
    stack.parameters = {
        k: np.repeat(v.reshape(1, -1, v.shape[-1]) if k.startswith("W") else v.reshape(1, 1, -1), copies, axis=0)
        for k, v in net.parameters.items()
    }
    stack.grads = {f"dJd{k}": np.zeros_like(v) for k, v in stack.parameters.items()}
    stack.cache = {}
    return stack


def _finite_each(*arrays):
    """(R,) booleans: True for network r when entry r of every array (R, ...) is finite."""
    ok = np.ones(len(arrays[0]), dtype=bool)
    for a in arrays:
        ok &= np.isfinite(a).all(axis=tuple(range(1, a.ndim)))
    return ok


def _five_steps_each(stack, x, y, loss, reduction, lrs):
    """One pass of the five steps for the R networks of ``stack`` at once, with overflow allowed.

    y: as given to :func:`train_rates`; reduction: the loss's ('mean' or 'sum'), None for a loss of one's own;
    lrs: (R,). Returns J (R,) before the update, and ok (R,): False for a network whose step met an inf or a
    NaN in any value it computed (its J is then not to be trusted: :func:`_step_alone` redoes it).
    """
    y_hat = stack._forward(x)
    ok = _finite_each(*(stack.cache[f"z{k}"] for k in range(1, 2 * stack.n_layers + 1)))
    if reduction is None:  # a loss of one's own: called for each network whose y_hat is finite, as train calls it
        J, dJdy_hat = np.full(len(lrs), np.nan), np.zeros_like(y_hat)
        with np.errstate(over="raise", invalid="raise"):
            for r in np.flatnonzero(ok):
                try:
                    J[r], dJdy_hat[r] = loss_result(loss, y_hat[r], y)
                except FloatingPointError:
                    ok[r] = False
    else:  # one of the package's: each element's loss and gradient, then each network's J from its own elements
        y = np.broadcast_to(y, y_hat.shape)
        if not ok.all():  # the loss refuses a non-finite y_hat: a stand-in for the networks to be redone
            y_hat = np.where(ok[:, None, None], y_hat, y)
        per_element, dJdy_hat = loss(y_hat=y_hat, y=y, reduction="none")
        J, dJdy_hat = reduce_each(per_element, dJdy_hat, reduction)
    stack.zero_grad()
    dJdx = stack._backward(dJdy_hat)
    _sgd_update(stack, lrs[:, None, None])
    return J, ok & np.isfinite(J) & _finite_each(dJdx, *stack.grads.values(), *stack.parameters.values())


def _step_alone(net, stack, before, i, x, y, loss, lr):
    """Network i of ``stack`` takes its step again, alone, from its parameters ``before`` the step, as :func:`train`
    takes it (:func:`_five_steps`, overflow raising). Returns J and puts the network's new parameters back in
    ``stack``, or returns NaN where train stops on overflow; train's other errors are raised.

    net: the unstacked network ``stack`` was made from (its parameter shapes); before: {name: (R, ...)}.
    """
    alone = copy.copy(net)
    alone.parameters = {k: before[k][i].reshape(v.shape) for k, v in net.parameters.items()}
    alone.grads = {f"dJd{k}": np.zeros_like(v) for k, v in alone.parameters.items()}
    try:
        with np.errstate(over="raise", invalid="raise"):
            J = _five_steps(alone, x, y, loss, lr, zero_grad=True)
    except FloatingPointError:
        return np.nan
    for k, v in alone.parameters.items():
        stack.parameters[k][i] = v.reshape(stack.parameters[k].shape[1:])
    return J
