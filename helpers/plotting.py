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


_enable_inline()


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
