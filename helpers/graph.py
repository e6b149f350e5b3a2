"""A scalar reverse-mode autodiff engine the size of micrograd's, for computational graphs of + and *.

Gradients follow PyTorch: a node used twice receives both contributions within one backward pass
(``+=``), and leaves keep adding across passes until :func:`zero_grad`.
"""

from __future__ import annotations

import ast
import math
import numbers


class Value:
    """A scalar node: ``data`` (forward value), ``grad`` (dw/dnode after backward), its inputs and op."""

    def __init__(self, data, children=(), op="", label=""):
        self.data = float(data)
        self.grad = 0.0
        self.children = tuple(children)
        self.op = op
        self.label = label
        self._backward = lambda: None

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other, label=f"{other:g}")
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other, label=f"{other:g}")
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    __radd__ = __add__
    __rmul__ = __mul__

    def backward(self):
        """d self / d node for every node of the graph: intermediates are recomputed, leaves add up."""
        order = topological_order(self)
        for node in order:
            if node.children:
                node.grad = 0.0
        self.grad = 1.0 if self.children else self.grad + 1.0
        for node in reversed(order):
            node._backward()

    def __repr__(self):
        return f"Value({self.label or self.op}, data={self.data:g}, grad={self.grad:g})"


def topological_order(root):
    """Every node of the graph under ``root``, each after all of its inputs (root last)."""
    order, seen = [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            for child in node.children:
                visit(child)
            order.append(node)

    visit(root)
    return order


def zero_grad(root):
    """Set every gradient of the graph under ``root`` to 0."""
    for node in topological_order(root):
        node.grad = 0.0


_ALLOWED = (ast.Expression, ast.BinOp, ast.Add, ast.Mult, ast.Name, ast.Constant, ast.Load)


def check_expression(text, max_length=200):
    """Parse ``text`` into an ``ast.Expression`` allowing only names, numbers, + and * (and parentheses).

    Raises ValueError naming what is not allowed; nothing is ever evaluated.
    """
    if not isinstance(text, str):
        raise TypeError(f"expression must be a string, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("expression is empty: type something like 'x*y + z'")
    if len(text) > max_length:
        raise ValueError(f"expression must be at most {max_length} characters, got {len(text)}")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"expression {text!r} does not parse: {exc.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            what = type(node).__name__
            raise ValueError(f"expression may use only names, numbers, + and * and parentheses; found {what}")
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
                raise ValueError(f"expression may use only names, finite numbers, + and *; found the constant {v!r}")
    return tree


def build(text, values):
    """Build the graph of ``text`` (names, numbers, +, *) with leaves from ``values`` ({name: number}).

    Returns (root, leaves): the output node and {name: Value}. Each name gets one leaf, however
    often it appears, so its gradient collects every use.
    """
    tree = check_expression(text)
    leaves = {}

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return Value(node.value, label=f"{node.value:g}")
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise ValueError(f"expression uses {node.id!r}, which has no value; values given for {sorted(values)}")
            if node.id not in leaves:
                leaves[node.id] = Value(values[node.id], label=node.id)
            return leaves[node.id]
        left, right = walk(node.left), walk(node.right)
        return left + right if isinstance(node.op, ast.Add) else left * right

    root = walk(tree)
    return root, leaves


def variables(text):
    """The names in an expression, sorted."""
    return sorted({n.id for n in ast.walk(check_expression(text)) if isinstance(n, ast.Name)})
