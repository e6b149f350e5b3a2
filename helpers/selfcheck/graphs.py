"""Self-checks of notebook 08: backpropagation through a computational graph (1.5b)."""

from __future__ import annotations

from helpers.graph import Value
from helpers.selfcheck._core import call, check, diagnose


@check
def check_mul_backward(fn):
    """Problem 1.5(b): fn(a, b, out) adds the gradients of out = a * b into a.grad and b.grad (Values)."""
    a, b = Value(3.0), Value(-2.0)
    a.grad, b.grad = 0.5, 0.25  # gradient that earlier uses of a and b have already collected
    out = Value(a.data * b.data, (a, b), "*")
    out.grad = 1.5
    call(fn, "mul_backward", a, b, out)
    answer = [a.grad, b.grad]
    mistakes = [
        ([-3.0, 4.5], "assigned with = instead of adding with +=: a node used twice (x*x) must sum both gradients"),
        ([0.5 + 3.0 * 1.5, 0.25 - 2.0 * 1.5], "swapped: d(a*b)/da = b, so a.grad += b.data * out.grad"),
        ([0.5 - 2.0, 0.25 + 3.0], "forgot out.grad: the chain rule multiplies the local derivative by it"),
    ]
    verdict = diagnose("[a.grad, b.grad]", answer, [0.5 - 2.0 * 1.5, 0.25 + 3.0 * 1.5], mistakes)
    if verdict.ok:
        x = Value(4.0)
        square = Value(16.0, (x, x), "*")
        square.grad = 1.0
        call(fn, "mul_backward", x, x, square)
        verdict = diagnose("x.grad for x*x", x.grad, 8.0, [(4.0, "x*x gives 4: the second update overwrote the first")])
        if verdict.ok:
            verdict.message = "a.grad and b.grad add up correctly, and x*x gives x.grad = 2x"
    return verdict
