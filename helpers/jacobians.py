"""The explicit Jacobian matrices of problem 1.2(d) for one sample, and the chain that multiplies them.

Numerator layout, as the homework asks: d(out)/d(in) has shape (len(out), len(in)), so the
gradient of the scalar loss, dl/dy_hat, is a row vector (1, K) and the chain multiplies to the right:
dl/dz3 = dl/dy_hat @ dy_hat/dz3, ..., dl/dx = dl/dz1 @ dz1/dx. Parameter gradients are laid out
like the parameter (dl/dW2 has W2's shape (K, h)).
"""

from __future__ import annotations

import numpy as np

from helpers._validate import as_array, shape_is


def mlp_jacobians(net, x, y, loss):
    """Every Jacobian of a 2-layer :class:`~helpers.network.MLP` at one sample.

    x: (n,), y: (K,); loss: (y_hat, y) -> (l, dl/dy_hat), e.g. ``losses.mse`` with reduction='sum'.
    Returns a dict of arrays:
      z1 (h,), z2 (h,), z3 (K,), y_hat (K,);
      dz1_dx = W1 (h, n), dz2_dz1 = diag f'(z1) (h, h), dz3_dz2 = W2 (K, h), dyhat_dz3 = diag g'(z3) (K, K),
      dl_dyhat (1, K); the chain dl_dz3 (1, K), dl_dz2 (1, h), dl_dz1 (1, h), dl_dx (1, n);
      dl_dW2 = dl_dz3^T z2^T (K, h), dl_db2 (K,), dl_dW1 = dl_dz1^T x^T (h, n), dl_db1 (h,).
    """
    x = as_array(x, "x", ndim=1)
    shape_is(x, (net.sizes[0],), "x")
    W1, W2 = net.parameters["W1"], net.parameters["W2"]
    net.forward(x[None, :])
    z1, z2, z3, y_hat = (net.cache[k][0] for k in ("z1", "z2", "z3", "y_hat"))
    net.cache = {}
    _, dl_dyhat = loss(y_hat, y)
    J = {"z1": z1, "z2": z2, "z3": z3, "y_hat": y_hat}
    J["dz1_dx"], J["dz3_dz2"] = W1, W2
    J["dz2_dz1"] = np.diag(net.f_function.deriv(z1))
    J["dyhat_dz3"] = np.diag(net.g_function.deriv(z3))
    J["dl_dyhat"] = dl_dyhat[None, :]
    J["dl_dz3"] = J["dl_dyhat"] @ J["dyhat_dz3"]
    J["dl_dz2"] = J["dl_dz3"] @ J["dz3_dz2"]
    J["dl_dz1"] = J["dl_dz2"] @ J["dz2_dz1"]
    J["dl_dx"] = J["dl_dz1"] @ J["dz1_dx"]
    J["dl_dW2"], J["dl_db2"] = J["dl_dz3"].T @ z2[None, :], J["dl_dz3"][0]
    J["dl_dW1"], J["dl_db1"] = J["dl_dz1"].T @ x[None, :], J["dl_dz1"][0]
    return J
