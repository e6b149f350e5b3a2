"""Forward and backward of the two layer kinds, CS231n style: each backward gets what its forward saw.

Row-vector convention as in PyTorch: a batch is x of shape (N, in), a weight W has shape (out, in),
so z = x W^T + b. For one sample (N = 1) this is the column form z = W x + b of the source.
"""

from __future__ import annotations


def linear_forward(x, W, b):
    """z = x W^T + b.  x: (N, in), W: (out, in), b: (out,) -> z: (N, out)."""
    z = x @ W.T
    z += b  # in place: one (N, out) temporary fewer, which is most of the time at large N
    return z


def linear_backward(dz, x, W):
    """Given dJ/dz (N, out): returns dJ/dx (N, in), dJ/dW (out, in), dJ/db (out,).

    dJ/dW = sum over samples of the outer product dJ/dz_i x_i^T, i.e. dz^T x.
    """
    return dz @ W, dz.T @ x, dz.sum(axis=0)


def activation_backward(dout, z, act):
    """Element-wise activation: dJ/dz = act'(z) * dJ/dout (the diagonal Jacobian applied).  Shapes equal."""
    dz = act.deriv(z)
    dz *= dout
    return dz
