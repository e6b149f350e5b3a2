"""Checks of notebook 08: the homework's graph by hand (1.5b) and the backward rule of a product node."""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from helpers import computational_graph
from helpers.computational_graph import Value, homework_graph
from helpers.gradcheck import numerical_gradient
from helpers.selfcheck._core import SEEDS, Trial, answer_dict, combine, exercise, judge, read, run, with_message

GRAPH_KEYS = ("a", "b", "c", "w", "dw_dx", "dw_dy", "dw_dz", "dw_do")
GRAPH_MISTAKES = {
    "dw_dz": {
        "direct-path-missing": "z is used twice, in b = z * o and in w = c + z: add the direct path's 1",
        "path-through-b-missing": "z is used twice: the path through b = z * o adds (dw/db) o = a o",
        "direct-path-twice": "the direct path w = c + z contributes 1, once",
    },
    "dw_dx": {
        "own-factor": "dc/da = b, not a: the local derivative of a product is the other factor",
        "stopped-at-a": "the 1 of a = x + y still multiplies the gradient arriving at a, dw/da = b",
        "divided": "dc/da = b: the local derivative of a * b with respect to a is b, not 1/b",
    },
    "dw_dy": {"own-factor": "dc/da = b, not a: the local derivative of a product is the other factor"},
    "dw_do": {
        "stopped-at-b": "dw/do = (dw/db)(db/do) = a z: the gradient arriving at b is a, not 1",
        "own-factor": "db/do = z: the local derivative of b = z * o with respect to o is z",
    },
    "c": {"sum": "c = a * b, a product"},
    "w": {"no-z": "w = c + z: add z"},
}
POINTS = MappingProxyType(
    {
        "practice": ((-1.5, 0.5, 2.0, -3.0), (0.5, 1.25, -1.5, 2.5), (2.0, -0.25, 0.75, 1.5)),
        "grading": ((1.5, 0.75, -2.5, 0.5), (-0.5, -1.75, 1.25, -2.0), (0.25, 2.5, 3.0, -0.75)),
    }
)


def _rule_of(op):
    """The code of the engine's backward rule of ``op`` (Value.__add__ or Value.__mul__), the closure it makes."""
    return next(c for c in op.__code__.co_consts if getattr(c, "co_name", "") == "_backward")


@exercise("homework_graph_answers", forbidden=(Value.backward, computational_graph.build, homework_graph,
                                               (_rule_of(Value.__add__), "the engine's backward rule of +"),
                                               (_rule_of(Value.__mul__), "the engine's backward rule of *"),
                                               numerical_gradient))  # fmt: skip
def check_homework_graph_answers(fn, probes="practice"):
    """Problem 1.5(b): fn(x, y, z, o) -> {"a", "b", "c", "w", "dw_dx", "dw_dy", "dw_dz", "dw_do"}: the values and
    the gradients of a = x + y, b = z * o, c = a * b, w = c + z, each a number, by hand. Tried at three points."""
    by_key = {key: [] for key in GRAPH_KEYS}
    for x, y, z, o in POINTS[probes]:
        answer = answer_dict(run(fn, "homework_graph_answers", {"x": x, "y": y, "z": z, "o": o})[0], GRAPH_KEYS,
                             "homework_graph_answers")  # fmt: skip
        got = {key: read(answer[key], key) for key in GRAPH_KEYS}
        a, b = x + y, z * o
        c = a * b
        right = {"a": a, "b": b, "c": c, "w": c + z, "dw_dx": b, "dw_dy": b, "dw_dz": a * o + 1, "dw_do": a * z}
        mistakes = {
            "dw_dz": {"direct-path-missing": a * o, "path-through-b-missing": 1.0, "direct-path-twice": a * o + 2},
            "dw_dx": {"own-factor": a, "stopped-at-a": 1.0, "divided": 1 / b},
            "dw_dy": {"own-factor": a},
            "dw_do": {"stopped-at-b": z, "own-factor": a * o},
            "c": {"sum": a + b},
            "w": {"no-z": c},
        }
        for key in GRAPH_KEYS:
            by_key[key].append(Trial(got[key], np.array(right[key]), mistakes.get(key, {})))
    return combine([judge(key, by_key[key], GRAPH_MISTAKES.get(key, {})) for key in GRAPH_KEYS])


MUL_MISTAKES = {
    "assigned": "assigned with = instead of adding with +=: a node used twice (x*x) must sum both gradients",
    "swapped": "swapped: d(a*b)/da = b, so a.grad += b.data * out.grad",
    "no-out-grad": "forgot out.grad: the chain rule multiplies the local derivative by it",
    "subtracted": "subtracted: the contribution is added, a.grad += b.data * out.grad",
    "out-data": "the chain rule multiplies by out.grad, the gradient arriving at out, not by out.data, its value",
}
SQUARE_MISTAKES = {"once": "x*x gives 4: the second update overwrote the first; add each with +=, one after the other"}


@exercise("mul_backward", forbidden=((_rule_of(Value.__mul__), "the engine's own backward rule of *"),))
def check_mul_backward(fn, probes="practice"):
    """Problem 1.5(b): fn(a, b, out) adds the gradients of out = a * b into a.grad and b.grad (Values), given
    out.grad; it returns nothing. Tried on nodes whose inputs already hold some gradient, and on x * x."""
    a_trials, b_trials = [], []
    for seed in SEEDS[probes]:
        rng = np.random.default_rng(seed)
        a_data, b_data, a_grad, b_grad, out_grad = rng.uniform(0.5, 3.0, 5) * np.array([1, -1, 1, 1, -1])
        a, b = Value(a_data), Value(b_data)
        a.grad, b.grad = a_grad, b_grad  # what earlier uses of a and b have already collected
        out = Value(a_data * b_data, (a, b), "*")
        out.grad = out_grad
        given = run(fn, "mul_backward", {"a": a, "b": b, "out": out}, may_change=("a.grad", "b.grad"))[1]
        got_a, got_b = read(given["a"].grad, "a.grad"), read(given["b"].grad, "b.grad")
        for trial, got, grad, other, own in ((a_trials, got_a, a_grad, b_data, a_data),
                                             (b_trials, got_b, b_grad, a_data, b_data)):  # fmt: skip
            mistakes = {"assigned": other * out_grad, "swapped": grad + own * out_grad, "no-out-grad": grad + other,
                        "subtracted": grad - other * out_grad, "out-data": grad + other * a_data * b_data}  # fmt: skip
            trial.append(Trial(got, np.array(grad + other * out_grad), mistakes))
    verdict = combine([judge("a.grad", a_trials, MUL_MISTAKES), judge("b.grad", b_trials, MUL_MISTAKES)])
    if not verdict.ok:
        return verdict
    x = Value(4.0)
    square = Value(16.0, (x, x), "*")
    square.grad = 1.0
    given = run(fn, "mul_backward", {"a": x, "b": x, "out": square}, may_change=("a.grad", "b.grad"))[1]
    verdict = judge("x.grad for x*x", [Trial(read(given["a"].grad, "x.grad"), np.array(8.0), {"once": 4.0})],
                    SQUARE_MISTAKES)  # fmt: skip
    if verdict.ok:
        verdict = with_message(verdict, "a.grad and b.grad add up correctly, and x*x gives x.grad = 2x")
    return verdict
