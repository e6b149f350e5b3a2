"""The explicit Jacobian matrices of problem 1.2(d) for one sample, and the chain that multiplies them.

Numerator layout, as the homework asks: d(out)/d(in) has shape (size of out, size of in). So the
gradient of the scalar loss l with respect to a vector is a row (1, size), the chain multiplies to
the right (dl/dz3 = dl/dy_hat @ dy_hat/dz3, ..., dl/dx = dl/dz1 @ dz1/dx), and the derivative of
l with respect to a matrix W of shape (m, n) has shape (n, m), the shape of W^T:
dl/dW2 = z2 dl/dz3, (h, K). The gradient that a descent step subtracts from W has W's own shape,
(dl/dW)^T; :func:`parameter_gradients` turns one into the other.
"""

from __future__ import annotations

import numpy as np

from helpers._validate import as_array, shape_is
from helpers.losses import call_loss
from helpers.network import as_network


def mlp_jacobians(net, x, y, loss):
    """Every Jacobian of a 2-layer network (:class:`~helpers.homework.MLP`) at one sample.

    x: (n,), y: (K,); loss: loss(y_hat=..., y=...) -> (l, dl/dy_hat), e.g. ``partial(losses.mse, reduction='sum')``.
    Reads ``net.parameters`` and ``net.activations``; leaves the network's cache and gradients alone.
    Returns a dict of arrays:
      z1 (h,), z2 (h,), z3 (K,), y_hat (K,);
      dz1_dx = W1 (h, n), dz2_dz1 = diag f'(z1) (h, h), dz3_dz2 = W2 (K, h), dy_hat_dz3 = diag g'(z3) (K, K);
      dl_dy_hat (1, K); the chain dl_dz3 (1, K), dl_dz2 (1, h), dl_dz1 (1, h), dl_dx (1, n);
      dl_dW2 = z2 dl_dz3 (h, K), dl_db2 = dl_dz3 (1, K), dl_dW1 = x dl_dz1 (n, h), dl_db1 = dl_dz1 (1, h).
    """
    as_network(net)
    if net.n_layers != 2:
        raise ValueError(f"net must have 2 layers (Linear, f, Linear, g), got {net.n_layers}")
    x = as_array(x, "x", ndim=1)
    shape_is(x, (net.sizes[0],), "x")
    W1, b1, W2, b2 = (net.parameters[k] for k in ("W1", "b1", "W2", "b2"))
    f, g = net.activations
    # forward, one sample, vectors as 1-D arrays
    z1 = W1 @ x + b1
    z2 = f(z1)
    z3 = W2 @ z2 + b2
    y_hat = g(z3)
    # the Jacobian of each layer
    dz1_dx = W1
    dz2_dz1 = np.diag(f.deriv(z1))
    dz3_dz2 = W2
    dy_hat_dz3 = np.diag(g.deriv(z3))
    dl_dy_hat = call_loss(loss, y_hat, y)[1][None, :]  # a row: numerator layout
    # the chain rule, multiplied to the right
    dl_dz3 = dl_dy_hat @ dy_hat_dz3
    dl_dz2 = dl_dz3 @ dz3_dz2
    dl_dz1 = dl_dz2 @ dz2_dz1
    dl_dx = dl_dz1 @ dz1_dx
    # the parameters: dl/dW has the shape of W^T
    dl_dW2, dl_db2 = z2[:, None] @ dl_dz3, dl_dz3
    dl_dW1, dl_db1 = x[:, None] @ dl_dz1, dl_dz1
    return dict(
        z1=z1, z2=z2, z3=z3, y_hat=y_hat,
        dz1_dx=dz1_dx, dz2_dz1=dz2_dz1, dz3_dz2=dz3_dz2, dy_hat_dz3=dy_hat_dz3,
        dl_dy_hat=dl_dy_hat, dl_dz3=dl_dz3, dl_dz2=dl_dz2, dl_dz1=dl_dz1, dl_dx=dl_dx,
        dl_dW2=dl_dW2, dl_db2=dl_db2, dl_dW1=dl_dW1, dl_db1=dl_db1,
    )  # fmt: skip


def parameter_gradients(jac):
    """The gradients a descent step subtracts, each shaped like its parameter (``net.grads``, PyTorch's
    ``W.grad``): the transposes of the numerator-layout derivatives in ``jac`` (a dict of :func:`mlp_jacobians`).

    Returns {"dJdW1": (h, n), "dJdb1": (h,), "dJdW2": (K, h), "dJdb2": (K,)}, J = l for one sample.
    """
    return {
        "dJdW1": jac["dl_dW1"].T,
        "dJdb1": jac["dl_db1"][0],
        "dJdW2": jac["dl_dW2"].T,
        "dJdb2": jac["dl_db2"][0],
    }
