import numpy as np

from helpers import MLP
from helpers.display import forward_table, markdown_table


def test_forward_table_lists_each_layer_with_shapes():
    net = MLP(3, 4, "relu", 4, 2, "identity")
    net.forward(np.zeros((5, 3)))
    rows = forward_table(net).splitlines()
    assert len(rows) == 5
    assert "z1 = x W1^T + b1" in rows[1] and "(5, 3)" in rows[1] and "(5, 4)" in rows[1]
    assert "relu" in rows[2] and rows[4].endswith("(5, 2)  (5, 2)") and "y_hat = identity(z3)" in rows[4]


def test_markdown_table():
    assert markdown_table(("a", "b"), [(1, 2)]) == "| a | b |\n|---|---|\n| 1 | 2 |"
