"""Forward and backward of the two layer kinds, CS231n style: each backward gets what its forward saw.

Row-vector convention as in PyTorch: a batch is x of shape (N, in), a weight W has shape (out, in),
so z = x W^T + b. For one sample (N = 1) this is the column form z = W x + b of the source.
Gradients are of the objective J, each in its variable's own shape: ``dJdz`` is dJ/dz stored like z
(the homework skeleton's spelling; PyTorch's ``z.grad``).

Leading axes stack R networks of one shape (:func:`helpers.training.train_rates` trains them at once): x
(R, N, in) or a shared (N, in), W (R, out, in), b (R, 1, out) give z (R, N, out), each network's own.
"""

from __future__ import annotations


def linear_forward(x, W, b):
    """z = x W^T + b.  x: (N, in), W: (out, in), b: (out,) -> z: (N, out)."""
    z = x @ W.swapaxes(-1, -2)
    z += b  # in place: one (N, out) temporary fewer, which is most of the time at large N
    return z


def linear_backward(dJdz, x, W):
    """Given dJdz (N, out) and the forward's x (N, in) and W (out, in): returns dJdx (N, in), dJdW (out, in),
    dJdb (out,); stacked (module docstring), dJdz (R, N, out) gives (R, N, in), (R, out, in), (R, 1, out).

    dJ/dW = sum over samples of the outer product dJ/dz_i x_i^T, i.e. dJdz^T x.
    """
    return dJdz @ W, dJdz.swapaxes(-1, -2) @ x, dJdz.sum(axis=-2, keepdims=dJdz.ndim > 2)


def activation_forward(z, act):
    """a = act(z), element-wise.  Any shape -> the same shape."""
    return act(z)


def activation_backward(dJda, z, act):
    """Given dJda and the forward's z (same shapes): dJdz = act'(z) * dJda, the diagonal Jacobian applied."""
    dJdz = act.deriv(z)
    dJdz *= dJda
    return dJdz
