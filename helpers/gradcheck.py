"""Gradient checking: central finite differences, CS231n's relative error, a per-parameter report."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Central-difference stencils as (k, w): f'(x) ~ sum w (f(x + k h) - f(x - k h)) / h.
# Differences are taken in pairs so that a constant f gives exactly 0.
_STENCILS = {2: ((1, 1 / 2),), 4: ((1, 8 / 12), (2, -1 / 12))}


def numerical_gradient(f, x, h=1e-5, order=2):
    """d f() / d x by central differences; ``x`` (any shape, float64) is perturbed in place and restored.

    f: a function of no arguments returning a float that reads ``x``.
    order: 2 (f(x+h) - f(x-h)) / 2h, or 4 for the five-point stencil (error O(h^4)).
    Returns an array of x's shape.
    """
    stencil = _STENCILS[order]
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        total = 0.0
        for k, w in stencil:
            x[i] = old + k * h
            up = f()
            x[i] = old - k * h
            total += w * (up - f())
        x[i] = old
        grad[i] = total / h
    return grad


def rel_error(a, b):
    """CS231n's relative error: max |a - b| / max(1e-8, |a| + |b|) over all entries."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def network_gradients(net, x, y, loss):
    """Backprop gradients of J = loss(net.forward(x), y)[0]: dict of dJdW1, dJdb1, ..., and dJdx.

    loss: a function (y_hat, y) -> (J, dJ/dy_hat), e.g. ``helpers.losses.mse``.
    The network's gradients are cleared first, so the result is this one pass.
    """
    net.clear_grad_and_cache()
    _, dJdy_hat = loss(net.forward(x), y)
    dJdx = net.backward(dJdy_hat)
    return {**{k: v.copy() for k, v in net.grads.items()}, "dJdx": dJdx}


def numerical_network_gradients(net, x, y, loss, h=1e-3, order=4):
    """The same dict as :func:`network_gradients`, by finite differences of the loss value.

    Defaults: the five-point stencil with h = 1e-3, truncation error O(h^4) ~ 1e-12 and
    round-off ~ eps |J| / h ~ 1e-13 for a loss of order 1.
    """
    x = np.array(x, dtype=np.float64)

    def J():
        return loss(net.forward(x), y)[0]

    out = {f"dJd{k}": numerical_gradient(J, v, h, order) for k, v in net.parameters.items()}
    out["dJdx"] = numerical_gradient(J, x, h, order)
    net.clear_grad_and_cache()
    return out


def norm_rel_error(a, b):
    """Norm-wise relative error ||a - b|| / max(||a||, ||b||, 1e-300); 0 when both are 0.

    Finite differences carry an absolute round-off of about eps |J| / h, so the entry-wise
    :func:`rel_error` of a tiny entry is dominated by it; the norm-wise error is not.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return float(np.linalg.norm(a - b) / scale) if scale > 0 else 0.0


@dataclass
class GradCheck:
    """One row of a gradient check: the largest relative error of one gradient against a reference."""

    name: str
    rel_error: float
    tol: float
    metric: str = "max rel err"

    @property
    def ok(self) -> bool:
        return self.rel_error < self.tol

    def __str__(self):
        if self.ok:
            return f"{self.name:6s} {self.metric} < {self.tol:.0e}  ok"
        return f"{self.name:6s} {self.metric} = {self.rel_error:.1e}  FAIL (tol {self.tol:.0e})"


def compare(grads, reference, tol, norm=False):
    """One :class:`GradCheck` per key of ``grads`` against ``reference[key]``.

    norm=False uses :func:`rel_error` (entry-wise, CS231n); norm=True uses :func:`norm_rel_error`.
    """
    err, metric = (norm_rel_error, "norm rel err") if norm else (rel_error, "max rel err")
    return [GradCheck(k, err(grads[k], reference[k]), tol, metric) for k in grads]


def report(rows, title=None):
    """The rows as text, one per line, with an optional title line; stable for printing in notebooks."""
    lines = [title] if title else []
    return "\n".join(lines + [str(r) for r in rows])
