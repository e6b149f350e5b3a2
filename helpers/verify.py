"""The package against its oracles, in one call each: backprop and activation derivatives against sympy
and against central finite differences.

Each function returns a :class:`~helpers.verdict.Report` whose lines print a bound the error meets
(``max rel err < 1e-10  ok``), never the error itself, so a notebook prints the same on every CPU.
Importing it does not import sympy; calling it does.
"""

from __future__ import annotations

import numpy as np

from helpers._validate import as_array
from helpers.activations import get_activation
from helpers.gradcheck import (
    compare,
    network_gradients,
    numerical_gradient,
    numerical_network_gradients,
    rel_error,
    round_off,
)
from helpers.losses import call_loss
from helpers.verdict import Report, within


def verify_backprop(net, x, y, loss, tol=1e-10):
    """Backprop of ``net`` on (x, y) against sympy and against five-point differences, as one report.

    x: (N, n_0), y: (N, n_L); loss: loss(y_hat=..., y=...) -> (J, dJdy_hat), one sympy can rebuild
    (:func:`helpers.symbolic.loss_of`). sympy (exact derivatives evaluated with 40 digits): entry-wise
    relative error < ``tol``. Finite differences (h = 1e-3): norm-wise relative error < ``tol``,
    forgiving their round-off.
    """
    from helpers import symbolic

    grads = network_gradients(net, x, y, loss)
    J = call_loss(loss, net.forward(x), y)[0]
    exact = symbolic.network_gradients(net, x, y, loss)
    fd = numerical_network_gradients(net, x, y, loss, h=1e-3, order=4)
    return Report(
        [
            ("against sympy:", compare(grads, exact, tol)),
            ("against finite differences:", compare(grads, fd, tol, norm=True, atol=round_off(J, 1e-3))),
        ]
    )


def verify_derivative(act, grid, fd_grid, sympy_tol=1e-12, fd_tol=1e-8):
    """``act.deriv`` against sympy (1000 digits) on ``grid`` and five-point differences (h = 1e-4) on ``fd_grid``.

    act: an activation (a name or an :class:`~helpers.activations.Activation`); grid, fd_grid: 1-D
    arrays (keep ``fd_grid`` off kinks such as 0). Returns a report with one line each, titled by ``act``.
    """
    from helpers import symbolic

    act = get_activation(act)
    grid, fd_grid = as_array(grid, "grid", ndim=1), as_array(fd_grid, "fd_grid", ndim=1)
    exact = symbolic.elementwise(lambda z: symbolic.derivative(act.expr(z), z), grid)
    fd = np.array([numerical_gradient(lambda p=p: float(act(p)[0]), p, h=1e-4, order=4)[0] for p in fd_grid[:, None]])
    rows = [
        within("sympy", rel_error(act.deriv(grid), exact), sympy_tol),
        within("fin. diff.", rel_error(act.deriv(fd_grid), fd), fd_tol),
    ]
    return Report([(str(act), rows)])
