"""Self-checks of notebook 08: backpropagation through a computational graph (1.5b)."""

from __future__ import annotations

from helpers.graph import Value, homework_graph
from helpers.selfcheck._core import answer_dict, call, check, diagnose, report


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


GRAPH_KEYS = ("a", "b", "c", "w", "dw_dx", "dw_dy", "dw_dz", "dw_do")


@check
def check_homework_graph(fn):
    """Problem 1.5(b): fn(x, y, z, o) -> dict of the values a, b, c, w and the gradients dw_dx, dw_dy, dw_dz, dw_do
    of a = x + y, b = z * o, c = a * b, w = c + z."""
    values = {"x": -1.5, "y": 0.5, "z": 2.0, "o": -3.0}
    w, nodes = homework_graph(**values)
    w.backward()
    expected = {**{k: nodes[k].data for k in "abcw"}, **{f"dw_d{k}": nodes[k].grad for k in "xyzo"}}
    answer = answer_dict(call(fn, "homework_graph_answers", *values.values()), GRAPH_KEYS, "homework_graph_answers")
    a, b, z, o = expected["a"], expected["b"], values["z"], values["o"]
    mistakes = {
        "dw_dz": [(o * a, "z is used twice, in b = z * o and in w = c + z: add the direct path's 1"),
                  (1.0, "z is used twice: the path through b = z * o adds (dw/db) o = a o"),
                  (o * a + 1 + 1, "the direct path w = c + z contributes 1, once")],
        "dw_dx": [(a, "dc/da = b, not a: the local derivative of a product is the other factor"),
                  (1.0, "the 1 of a = x + y still multiplies the gradient arriving at a, dw/da = b")],
        "dw_dy": [(a, "dc/da = b, not a: the local derivative of a product is the other factor")],
        "dw_do": [(z, "dw/do = (dw/db)(db/do) = a z: the gradient arriving at b is a, not 1"),
                  (a, "db/do = z: the local derivative of b = z * o with respect to o is z")],
        "c": [(a + b, "c = a * b, a product")],
        "w": [(a * b, "w = c + z: add z")],
    }  # fmt: skip
    return report([diagnose(k, answer[k], expected[k], mistakes.get(k, [])) for k in GRAPH_KEYS])
