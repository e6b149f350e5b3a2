"""A scalar reverse-mode autodiff engine the size of micrograd's, for computational graphs of + and *.

Gradients follow PyTorch: a node used twice receives both contributions within one backward pass
(``+=``), leaves keep adding across passes until :func:`zero_grad`, and a second ``backward()``
through a * node is refused unless the first was called with ``retain_graph=True`` (PyTorch frees
the inputs a product saved for its backward; a sum saves nothing, so a graph of sums runs again).
Unlike PyTorch, every node keeps its gradient of the last pass (PyTorch keeps ``.grad`` on leaves
only), so that a drawing can show it. The graph is walked iteratively: depth is limited by memory,
not by Python's recursion limit.
"""

from __future__ import annotations

import ast
import math
import numbers
import unicodedata

from helpers._validate import integer, real, short, text


class Value:
    """A scalar node: ``data`` (forward value), ``grad`` (d root / d node after backward), its inputs and op.

    data: a finite real number; label: a name to show ('' for an unnamed intermediate).
    """

    def __init__(self, data, children=(), op="", label=""):
        self.data = real(data, "data")
        self.grad = 0.0
        if not isinstance(children, (tuple, list)) or not all(isinstance(c, Value) for c in children):
            raise TypeError(f"children must be a tuple of Values, got {short(children, 40)}")
        self.children = tuple(children)
        self.op = op
        if not isinstance(label, str):
            raise TypeError(f"label must be text, got {type(label).__name__}")
        self.label = label
        self._backward = lambda: None
        self._freed = False

    @staticmethod
    def _lift(other):
        if isinstance(other, Value):
            return other
        if isinstance(other, bool) or not isinstance(other, numbers.Real):
            return None
        return Value(other, label=f"{other:g}")

    def __add__(self, other):
        other = self._lift(other)
        if other is None:
            return NotImplemented
        out = Value(_result(self.data + other.data, self, other, "+"), (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = self._lift(other)
        if other is None:
            return NotImplemented
        out = Value(_result(self.data * other.data, self, other, "*"), (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    __radd__ = __add__
    __rmul__ = __mul__

    def backward(self, retain_graph=False):
        """d self / d node for every node of the graph: intermediates hold this pass's, leaves add up.

        As in PyTorch, a second call through a * node raises unless the previous call passed
        ``retain_graph=True``.
        """
        order = topological_order(self)
        if any(node._freed for node in order):
            raise RuntimeError(
                "Trying to backward through the graph a second time: pass retain_graph=True to the first "
                "backward() to call it again, as in PyTorch"
            )
        for node in order:
            if node.children:
                node.grad = 0.0
        self.grad = 1.0 if self.children else self.grad + 1.0
        for node in reversed(order):
            node._backward()
            if node.op == "*":  # what a product saved for its backward is released, as PyTorch does
                node._freed = not retain_graph

    def __repr__(self):
        return f"Value({self.label or self.op}, data={self.data:g}, grad={self.grad:g})"


def _result(value, a, b, op):
    """The value of a op b, or a ValueError saying that it overflows float64."""
    if not math.isfinite(value):
        raise ValueError(f"{a.data:g} {op} {b.data:g} overflows float64 (a Value's data must be a finite number)")
    return value


def topological_order(root):
    """Every node of the graph under ``root``, each after all of its inputs (root last). Iterative."""
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    order, seen = [], {id(root)}
    stack = [(root, iter(root.children))]
    while stack:
        node, children = stack[-1]
        for child in children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append((child, iter(child.children)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def zero_grad(root):
    """Set every gradient of the graph under ``root`` to 0."""
    for node in topological_order(root):
        node.grad = 0.0


def homework_graph(x, y, z, o):
    """The graph of the published homework's 1.5(b): a = x + y, b = z * o, c = a * b, w = c + z.

    The homework lists the inputs x, y, z but also uses o; here o is a fourth input. Returns
    (w, nodes) with nodes = {name: Value} for x, y, z, o, a, b, c, w.
    """
    nodes = {name: Value(v, label=name) for name, v in zip("xyzo", (x, y, z, o))}
    nodes["a"] = nodes["x"] + nodes["y"]
    nodes["b"] = nodes["z"] * nodes["o"]
    nodes["c"] = nodes["a"] * nodes["b"]
    nodes["w"] = nodes["c"] + nodes["z"]
    for name in "abcw":
        nodes[name].label = name
    return nodes["w"], nodes


def reuse_example(x=2.0, y=-3.0, z=4.0):
    """Notebook 8's own example, where x feeds one node twice: a = x y + z, b = a (x + x), w = a b + b.

    Returns (w, (x, y, z)); a, b and w carry their names.
    """
    x, y, z = Value(x, label="x"), Value(y, label="y"), Value(z, label="z")
    a = x * y + z
    b = a * (x + x)
    w = a * b + b
    a.label, b.label, w.label = "a", "b", "w"
    return w, (x, y, z)


_ALLOWED = (ast.Expression, ast.BinOp, ast.Add, ast.Mult, ast.Name, ast.Constant, ast.Load)
MAX_EXPRESSION = 200


def check_expression(expression, max_length=MAX_EXPRESSION):
    """Parse ``expression`` into an ``ast.Expression`` allowing only names, numbers, + and * (and parentheses).

    Raises ValueError naming what is not allowed; nothing is ever evaluated.
    """
    max_length = integer(max_length, "max_length", minimum=1)
    text(expression, "expression", max_length)
    if not expression.strip():
        raise ValueError("expression is empty: type something like 'x*y + z'")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise ValueError(f"expression {short(expression)} does not parse: {getattr(exc, 'msg', exc)}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            what = type(node).__name__
            raise ValueError(f"expression may use only names, numbers, + and * and parentheses; found {what}")
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
                raise ValueError(
                    f"expression may use only names, finite numbers, + and *; found the constant {short(v)}"
                )
    return tree


def build(expression, values):
    """Build the graph of ``expression`` (names, numbers, +, *) with leaves from ``values`` ({name: number}).

    Returns (root, leaves): the output node and {name: Value}. Each name gets one leaf, however
    often it appears, so its gradient collects every use.

    Names are matched as Python reads them, after NFKC normalisation ('𝐱' and 'x' are one name): a
    leaf is keyed and labelled by the name as ``values`` spells it, and two names of ``values`` that
    normalise to one are refused.
    """
    tree = check_expression(expression)
    if not isinstance(values, dict):
        raise TypeError(f"values must be a dict {{name: number}}, got {type(values).__name__}")
    spelled = {}  # the NFKC form of each name -> the name as values spells it
    for name in values:
        if not isinstance(name, str):
            raise TypeError(f"values must be a dict {{name: number}} with text names, got the key {short(name, 30)}")
        key = unicodedata.normalize("NFKC", name)
        if key in spelled:
            raise ValueError(
                f"values must give each name once; {short(spelled[key], 20)} and {short(name, 20)} are the same "
                f"name {short(key, 20)} to Python (NFKC normalisation)"
            )
        spelled[key] = name
    leaves = {}

    def leaf(name):  # name: as Python's parser normalised it
        if name not in spelled:
            raise ValueError(f"expression uses {name!r}, which has no value; values given for {sorted(values)}")
        given = spelled[name]
        if given not in leaves:
            leaves[given] = Value(real(values[given], f"the value of {given}"), label=given)
        return leaves[given]

    built = {}  # id(ast node) -> Value, filled in post-order without recursion
    for node in _post_order(tree.body):
        if isinstance(node, ast.Constant):
            built[id(node)] = Value(node.value, label=f"{node.value:g}")
        elif isinstance(node, ast.Name):
            built[id(node)] = leaf(node.id)
        else:
            left, right = built[id(node.left)], built[id(node.right)]
            built[id(node)] = left + right if isinstance(node.op, ast.Add) else left * right
    return built[id(tree.body)], leaves


def _post_order(node):
    """The nodes of an expression tree, each after its operands."""
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        out.append(n)
        if isinstance(n, ast.BinOp):
            stack.extend((n.left, n.right))
    return out[::-1]
