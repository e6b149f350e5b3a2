"""Text for the notebooks: tables of layers and of formulas beside the helpers code that computes them."""

from __future__ import annotations

import numpy as np

from helpers._validate import short


def forward_table(net):
    """The last forward pass of ``net`` as a text table: layer, operation, input and output shapes.

    Named as the homework names them: x, z1, z2, ..., y_hat.
    """

    def z(k):
        return "x" if k == 0 else ("y_hat" if k == 2 * net.n_layers else f"z{k}")

    rows = [("layer", "operation", "input", "output")]
    for k, act in enumerate(net.activations, start=1):
        z_in, z_pre, z_out = net.layer_output(k - 1), net.pre_activation(k), net.layer_output(k)
        rows.append(
            (f"{2 * k - 1}. Linear{k}", f"{z(2 * k - 1)} = {z(2 * k - 2)} W{k}^T + b{k}", z_in.shape, z_pre.shape)
        )
        rows.append((f"{2 * k}. {act}", f"{z(2 * k)} = {act}({z(2 * k - 1)})", z_pre.shape, z_out.shape))
    widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def markdown_table(header, rows):
    """A Markdown table (a string) from a header tuple and row tuples; cells (header's too) are converted with str."""
    if not isinstance(header, (tuple, list)):
        raise TypeError(f"header must be a tuple or list of cells, got {type(header).__name__} {short(header, 30)}")
    if not header:
        raise ValueError(f"header must hold at least one cell, got {short(header, 30)}")
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
        raise TypeError(f"rows must be a list of tuples of cells, got {type(rows).__name__} {short(rows, 30)}")
    rows = list(rows)
    for i, row in enumerate(rows):
        if not isinstance(row, (tuple, list)):
            raise TypeError(f"rows[{i}] must be a tuple or list of cells, got {type(row).__name__} {short(row, 30)}")
        if len(row) != len(header):
            raise ValueError(f"rows[{i}] must have {len(header)} cells, as many as the header, got {len(row)}")
    lines = ["| " + " | ".join(str(c) for c in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def array_str(a, precision=4):
    """A compact, stable rendering of an array for printing (fixed precision, no scientific notation)."""
    return np.array2string(np.asarray(a), precision=precision, suppress_small=True, floatmode="fixed")


def answers_table(answers):
    """A Markdown table of :class:`helpers.answers.Answer` rows: quantity = formula, and the value's shape."""
    rows = [(f"${a.quantity} = {a.formula}$", f"{a.value.shape}") for a in answers]
    return markdown_table(("answer, in the permitted variables", "shape"), rows)
