"""The scalar reverse-mode engine against sympy, and PyTorch's accumulation rules."""

import pytest
import sympy as sp

from helpers.computational_graph import Value, build, check_expression, reuse_example, zero_grad


def worked_example(x=2.0, y=-3.0, z=4.0):
    return reuse_example(x, y, z)


def test_worked_example_matches_sympy():
    w, leaves = worked_example()
    w.backward()
    X, Y, Z = sp.symbols("x y z")
    a = X * Y + Z
    b = a * (X + X)
    W = a * b + b
    point = {X: 2, Y: -3, Z: 4}
    assert w.data == float(W.subs(point))
    for leaf, s in zip(leaves, (X, Y, Z)):
        assert leaf.grad == float(sp.diff(W, s).subs(point)), leaf


@pytest.mark.parametrize("text", ["x*y + z", "(x + y) * (x + 2) * z", "x*x*x + 3*y", "x + x + x*y*z"])
def test_typed_expressions_match_sympy(text):
    values = {"x": 1.5, "y": -0.5, "z": 2.0}
    root, leaves = build(text, values)
    root.backward()
    expr = sp.sympify(text)
    for name, leaf in leaves.items():
        assert leaf.grad == pytest.approx(float(sp.diff(expr, name).subs(values)), rel=1e-15)


def test_a_variable_used_twice_accumulates_within_one_pass():
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0
    x2 = Value(3.0)
    (x2 + x2).backward()
    assert x2.grad == 2.0


def test_gradients_add_up_across_passes_until_zeroed():
    w, (x, y, z) = worked_example()
    w.backward(retain_graph=True)
    once = (x.grad, y.grad, z.grad)
    w.backward(retain_graph=True)
    assert (x.grad, y.grad, z.grad) == tuple(2 * g for g in once)
    assert w.children[0].grad == 1.0  # intermediates hold this pass's gradient only
    zero_grad(w)
    w.backward()
    assert (x.grad, y.grad, z.grad) == once
    with pytest.raises(RuntimeError, match="second time.*retain_graph=True"):
        w.backward()  # as PyTorch: the graph was freed by a backward without retain_graph


def test_check_expression_allows_only_names_numbers_plus_times():
    check_expression("(a + 2) * b + 0.5")
    assert sorted(build("x*y + z*x", {"x": 1, "y": 2, "z": 3})[1]) == ["x", "y", "z"]  # one leaf per name
    for bad in ["open('f')", "x if y else z", "[x]", "x @ y", "x / y", "-x", "'s' * 3", "1e999 * x", "x; y"]:
        with pytest.raises(ValueError):
            check_expression(bad)
    with pytest.raises(TypeError):
        check_expression(3)
    with pytest.raises(ValueError, match="at most 200"):
        check_expression("x+" * 150 + "x")


# Finding 2: the graph is walked without recursion, so depth is limited by memory only.

DEEP = 100_000


def test_a_chain_of_100000_nodes_backpropagates_to_the_closed_form():
    from helpers.computational_graph import topological_order

    x, m = Value(1.5, label="x"), Value(1.000001, label="m")
    w = x
    for _ in range(DEEP - 2):
        w = w * m  # w = x m^(N-2): dw/dx = m^(N-2), dw/dm = (N-2) x m^(N-3)
    order = topological_order(w)
    assert len(order) == DEEP and order[-1] is w and set(map(id, order[:2])) == {id(x), id(m)}
    w.backward()
    n = DEEP - 2
    assert x.grad == pytest.approx(1.000001**n, rel=1e-9)
    assert m.grad == pytest.approx(n * 1.5 * 1.000001 ** (n - 1), rel=1e-9)
    zero_grad(w)
    assert x.grad == 0.0 and m.grad == 0.0 and w.grad == 0.0


def test_100000_nodes_that_share_their_inputs_backpropagate_to_the_closed_form():
    from helpers.computational_graph import topological_order

    a, b, x = Value(0.25, label="a"), Value(0.75, label="b"), Value(2.0, label="x")
    w, steps = x, (DEEP - 3) // 3
    for _ in range(steps):
        w = w * a + w * b  # each w is used twice, a and b by every step: w = x (a + b)^steps
    assert len(topological_order(w)) == 3 * steps + 3
    w.backward()
    # (a + b) = 1: dw/dx = 1, dw/da = dw/db = steps * x (a + b)^(steps - 1) = 2 steps
    assert x.grad == 1.0
    assert a.grad == pytest.approx(2.0 * steps, rel=1e-12) and b.grad == pytest.approx(2.0 * steps, rel=1e-12)
    zero_grad(w)
    assert (x.grad, a.grad, b.grad) == (0.0, 0.0, 0.0)


def test_the_topological_order_puts_every_node_after_its_inputs():
    from helpers.computational_graph import topological_order

    w, (x, y, z) = worked_example()
    order = topological_order(w)
    position = {id(node): i for i, node in enumerate(order)}
    assert len(position) == len(order) and order[-1] is w
    assert all(position[id(c)] < position[id(node)] for node in order for c in node.children)


def test_a_graph_of_sums_runs_backward_again_as_in_pytorch():
    x, y = Value(1.0), Value(2.0)
    w = x + y + x
    w.backward()
    w.backward()  # nothing was saved for a sum's backward, so nothing was freed
    assert (x.grad, y.grad) == (4.0, 2.0)
    v = x * y + x
    v.backward()
    with pytest.raises(RuntimeError, match="second time"):
        v.backward()
