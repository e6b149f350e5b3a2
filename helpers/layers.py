"""Forward and backward of the two layer kinds, CS231n style: each backward gets what its forward saw.

Row-vector convention as in PyTorch: a batch is x of shape (N, in), a weight W has shape (out, in),
so z = x W^T + b. For one sample (N = 1) this is the column form z = W x + b of the source.
Gradients are of the objective J: ``dJ_dz`` is dJ/dz, of z's shape.
"""

from __future__ import annotations


def linear_forward(x, W, b):
    """z = x W^T + b.  x: (N, in), W: (out, in), b: (out,) -> z: (N, out)."""
    z = x @ W.T
    z += b  # in place: one (N, out) temporary fewer, which is most of the time at large N
    return z


def linear_backward(dJ_dz, x, W):
    """Given dJ/dz (N, out): returns dJ/dx (N, in), dJ/dW (out, in), dJ/db (out,).

    dJ/dW = sum over samples of the outer product dJ/dz_i x_i^T, i.e. dJ_dz^T x.
    """
    return dJ_dz @ W, dJ_dz.T @ x, dJ_dz.sum(axis=0)


def activation_backward(dJ_da, z, act):
    """a = act(z) element-wise: dJ/dz = act'(z) * dJ/da (the diagonal Jacobian applied).  Shapes equal."""
    dJ_dz = act.deriv(z)
    dJ_dz *= dJ_da
    return dJ_dz
