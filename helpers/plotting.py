"""Figures for the notebooks, built on matplotlib's object API (no pyplot state, so no figure is shown twice).

Importing this module inside IPython turns on the inline PNG display of figures.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure


def _enable_inline():
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and getattr(shell, "kernel", None) is not None:
        shell.enable_matplotlib("inline")
        # Our figures lay themselves out; bbox_inches='tight' would draw every figure twice.
        shell.run_line_magic("config", "InlineBackend.print_figure_kwargs = {'bbox_inches': None}")


_enable_inline()


def freeze_layout(fig):
    """Lay the figure out once and keep that layout, so that redraws skip the layout engine."""
    fig.canvas.draw()
    fig.set_layout_engine("none")


def figure(nrows=1, ncols=1, size=(6.0, 3.5)):
    """A new Figure and its axes (a single Axes, or an array of shape (nrows, ncols))."""
    fig = Figure(figsize=size, dpi=90, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True)
    return fig, axes


def loss_curves(ax, curves, title="", log=True):
    """One line per ``{label: losses}`` against the step number; returns the Line2D artists in order."""
    lines = [ax.plot(np.arange(1, len(v) + 1), v, label=k)[0] for k, v in curves.items()]
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="step", ylabel="loss", title=title)
    ax.legend()
    return lines


def heatmap(ax, M, title="", fmt="{:.2f}"):
    """Matrix M (m, n) as a diverging heatmap, each cell labelled with its value when small enough."""
    M = np.atleast_2d(M)
    lim = max(float(np.max(np.abs(M))), 1e-12)
    im = ax.imshow(M, cmap="RdBu_r", vmin=-lim, vmax=lim)
    if M.size <= 64:
        for (i, j), v in np.ndenumerate(M):
            colour = "white" if abs(v) > 0.6 * lim else "black"
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=8, color=colour)
    ax.set(title=title, xticks=range(M.shape[1]), yticks=range(M.shape[0]))
    return im


def classes(ax, x, y, title=""):
    """2-D points x (n, 2) coloured by labels y (n,) or (n, 1) in {0, 1}."""
    y = np.ravel(y)
    for label, colour in ((0, "tab:blue"), (1, "tab:orange")):
        pts = x[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=10, c=colour, label=f"class {label}")
    ax.set(title=title, aspect="equal")
    ax.legend(loc="upper right", fontsize=8)


def graph(ax, root, title=""):
    """Draw the computational graph under a :class:`helpers.graph.Value`, inputs on the left.

    Each node shows its name or operation, its forward value and its gradient d root / d node.
    Returns {id(node): (x, y)} of the node positions.
    """
    from helpers.graph import topological_order

    order = topological_order(root)
    level = {}
    for node in order:
        level[id(node)] = 1 + max((level[id(c)] for c in node.children), default=-1)
    columns = {}
    for node in order:
        columns.setdefault(level[id(node)], []).append(node)
    pos = {}
    for x, nodes in columns.items():
        for i, node in enumerate(nodes):
            pos[id(node)] = (x, (len(nodes) - 1) / 2 - i)
    for node in order:
        for i, child in enumerate(node.children):  # curved apart, so both inputs of x + x show
            style = {"arrowstyle": "->", "color": "0.5", "shrinkA": 22, "shrinkB": 22,
                     "connectionstyle": f"arc3,rad={0.25 if i == 0 else -0.25}"}  # fmt: skip
            ax.annotate("", xy=pos[id(node)], xytext=pos[id(child)], arrowprops=style)
    for node in order:
        name = node.label or node.op
        colour = "#dbe9f6" if not node.children else "#fde2c8"
        ax.text(*pos[id(node)], f"{name}\nvalue {node.data:g}\ngrad {node.grad:g}", ha="center", va="center",
                fontsize=8, bbox={"boxstyle": "round", "fc": colour, "ec": "0.4"})  # fmt: skip
    xs, ys = zip(*pos.values())
    ax.set(xlim=(min(xs) - 0.6, max(xs) + 0.6), ylim=(min(ys) - 0.8, max(ys) + 0.8), title=title)
    ax.axis("off")
    return pos
