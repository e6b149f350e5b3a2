"""Every figure the notebooks show, drawn with matplotlib's object API (no pyplot state).

A figure function returns a :class:`Figure`, which Jupyter shows as a PNG when it is a cell's
value; nothing is switched on at import. A ``draw_*`` function redraws one figure's axes from
new values (the explorers in :mod:`helpers.widgets` call them on every slider move). Every figure
uses matplotlib's constrained layout, so no text overlaps other text or leaves the canvas
(``tests/test_figures.py`` renders each one and checks).
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure as _MplFigure
from matplotlib.ticker import MaxNLocator

from helpers import activations as A
from helpers._validate import as_array, labels_in, real, shape_is, short


class Figure(_MplFigure):
    """A matplotlib Figure that Jupyter displays as a PNG by itself (``_repr_png_``)."""

    def _repr_png_(self):
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=self.dpi)
        return buf.getvalue()


def figure(nrows=1, ncols=1, size=(6.0, 3.5), squeeze=True, **subplot_kw):
    """A new :class:`Figure` with constrained layout and its axes (one Axes, or an array (nrows, ncols))."""
    fig = Figure(figsize=size, dpi=90, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=squeeze, subplot_kw=subplot_kw or None)
    return fig, axes


# Curves ---------------------------------------------------------------------------------------


def curves(x, ys, *, xlabel, ylabel, title="", logy=False, logx=False, ylim=None, size=(6.0, 3.2), styles=None,
           legend="best"):  # fmt: skip
    """One line per ``{label: y}`` against ``x`` (shared, or one x per label when ``x`` is a dict)."""
    fig, ax = figure(size=size)
    for label, y in ys.items():
        xs = x[label] if isinstance(x, dict) else x
        ax.plot(xs, y, label=label, **(styles or {}).get(label, {}))
    if logy:
        ax.set_yscale("log")
    if logx:
        ax.set_xscale("log")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(loc=legend, fontsize=8)
    return fig


def loss_curves(histories, title="", log=True, logx=False, ylabel="J", size=(6.0, 3.2), legend="best"):
    """One loss curve per ``{label: J per step}`` (NaN after a divergence is left out)."""
    x = {k: np.arange(1, len(v) + 1) for k, v in histories.items()}
    xlabel = "step (log scale)" if logx else "step"
    ylabel = f"{ylabel} (log scale)" if log else ylabel
    return curves(
        x, histories, xlabel=xlabel, ylabel=ylabel, title=title, logy=log, logx=logx, size=size, legend=legend
    )


def training_runs(histories, live_units, floor, floor_label, width):
    """Two panels: J per step (log scale) with a dashed ``floor``, and the hidden units still alive per step.

    histories, live_units: {label: values per step}; width: the number of hidden units.
    """
    fig, (ax_loss, ax_live) = figure(1, 2, size=(9.4, 3.4))
    for label, history in histories.items():
        ax_loss.plot(np.arange(1, len(history) + 1), history, label=label)
        ax_live.plot(np.arange(1, len(live_units[label]) + 1), live_units[label], label=label)
    ax_loss.axhline(floor, color="0.3", ls="--", lw=1, label=floor_label)
    ax_loss.set(yscale="log", xlabel="step", ylabel="J (log scale)", title="the objective")
    ax_live.set(xlabel="step", ylabel="live hidden units", ylim=(-0.5, width + 0.5),
                title="hidden units active on at least one input")  # fmt: skip
    ax_loss.legend(loc="upper right", fontsize=8)
    ax_live.legend(loc="center right", fontsize=8)
    return fig


def draw_loss_curve(ax, history, lr):
    """The learning-rate explorer's curve: J per step for one learning rate, and how the run ended.

    history: J per step, NaN after the run stopped (as :func:`helpers.training.train` returns it). A run
    that stopped at the first step (no finite J) gets an empty panel that says so; J on a log scale
    when every J is > 0, else on a linear one.
    """
    history = as_array(history, "history", ndim=1, finite=False)
    lr = real(lr, "lr")
    ax.clear()
    steps = len(history)
    finite = history[np.isfinite(history)]
    ax.set(xlabel="step", xlim=(1, steps) if steps > 1 else (0.5, 1.5))  # (1, 1) would be an empty range
    if finite.size == 0:
        ax.set(ylabel="J", yticks=[])
        ax.text(0.5, 0.5, "no finite J to plot: the first step overflowed", transform=ax.transAxes,
                ha="center", va="center", color="0.3")  # fmt: skip
        ax.set_title(f"lr = {lr:.3g}: diverged at step 1")
        return
    log = bool(np.all(finite > 0))
    ax.set(ylabel="J (log scale)" if log else "J", yscale="log" if log else "linear")
    if log:  # the limits first, within 1e+-200: matplotlib's log ticks overflow on axes spanning more (J ~ 1e300)
        top = float(np.clip(finite.max(), 1e-190, 1e200)) * 1.25
        bottom = max(float(finite.min()) * 0.8, 1e-200)
        ax.set_ylim(bottom if bottom < top else top / 10, top)
    ax.plot(np.arange(1, len(finite) + 1), finite, color="tab:blue", marker="o" if len(finite) == 1 else None)
    outcome = f"diverged at step {len(finite)}" if len(finite) < steps else f"J at step {steps}: {finite[-1]:.4f}"
    ax.set_title(f"lr = {lr:.3g}: {outcome}")


def heatmaps(matrices, fmt="{:.2f}", size=None):
    """Matrices side by side as diverging heatmaps, each cell labelled with its value.

    matrices: {title: M (m, n)}; rows are labelled i (output index), columns j (input index).
    """
    if not isinstance(matrices, dict):
        raise TypeError(f"matrices must be a dict {{title: matrix}}, got {type(matrices).__name__}")
    if not matrices:
        raise ValueError("matrices must hold at least one {title: matrix}, got an empty dict")
    checked = {}
    for title, M in matrices.items():
        name = f"matrices[{short(title, 40)}]"
        M = np.atleast_2d(as_array(M, name))
        if M.ndim != 2:
            raise ValueError(f"{name} must be a matrix (2-D), got shape {M.shape}")
        if M.size == 0:
            raise ValueError(f"{name} must have at least one entry to draw, got shape {M.shape}")
        checked[title] = M
    size = size or (3.0 * len(matrices), 3.0)
    fig, axes = figure(1, len(matrices), size=size)
    for ax, (title, M) in zip(np.atleast_1d(axes), checked.items()):
        lim = max(float(np.max(np.abs(M))), 1e-12)
        ax.imshow(M, cmap="RdBu_r", vmin=-lim, vmax=lim)
        for (i, j), v in np.ndenumerate(M):
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=7,
                    color="white" if abs(v) > 0.6 * lim else "black")  # fmt: skip
        ax.set(title=title, xticks=range(M.shape[1]), yticks=range(M.shape[0]), xlabel="column j", ylabel="row i")
    return fig


def gradient_norms(norms, title="gradient norm per layer at initialisation"):
    """||dJ/dW_l|| against the layer l, one line per ``{label: norms}``, log scale."""
    x = {k: np.arange(1, len(v) + 1) for k, v in norms.items()}
    fig = curves(x, norms, xlabel="layer l (1 = next to the input)", ylabel=r"$\|\partial J / \partial W_l\|$",
                 title=title, logy=True, styles={k: {"marker": "o"} for k in norms})  # fmt: skip
    fig.axes[0].xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def classes(ax, x, y, title=""):
    """2-D points x (n, 2) coloured by labels y (n,) or (n, 1) in {0, 1}, on ``ax``."""
    x = as_array(x, "x", ndim=2)
    shape_is(x, (None, 2), "x")
    y = as_array(y, "y")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    shape_is(y, (len(x),), "y")
    labels_in(y, (0.0, 1.0), "y")
    for label, colour in ((0, "tab:blue"), (1, "tab:orange")):
        pts = x[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=10, c=colour, label=f"class {label}")
    ax.set(title=title, aspect="equal", xlabel="$x_1$", ylabel="$x_2$")


# Softmax (05) ---------------------------------------------------------------------------------


def draw_softmax(ax, z, temperature):
    """softmax(z / T) beside the one-hot argmax as bars; the legend sits above every bar."""
    p, q = A.softmax(z, temperature), A.argmax_onehot(z)
    ax.clear()
    k = np.arange(len(z))
    ax.bar(k - 0.2, p, width=0.4, label=f"softmax(z / T), T = {temperature:.3g}")
    ax.bar(k + 0.2, q, width=0.4, label="argmax (one-hot)", color="0.7")
    ax.set(ylim=(0, 1.4), yticks=np.linspace(0, 1, 6), ylabel="probability")
    if len(z) <= 12:
        ax.set(xticks=k, xticklabels=[f"$z_{{{i + 1}}}$={v:.3g}" for i, v in enumerate(z)], xlabel="logit $z_i$")
    else:  # too many to label each: index ticks, as many as fit
        ax.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True))
        ax.set(xlim=(-0.7, len(z) - 0.3), xlabel="index of the logit")
    ax.legend(loc="upper center", ncol=2, fontsize=8, frameon=False)


# Activation derivatives (06) ------------------------------------------------------------------


def derivative_panels(count):
    """The figure of problem 1.5(c) for ``count`` activations, two panels a row; draw on it with
    :func:`draw_derivatives`. Returns (fig, axes (rows, 2))."""
    rows = (count + 1) // 2
    fig, axes = figure(rows, 2, size=(7.4, 2.7 * rows), squeeze=False)
    for ax in axes.ravel()[count:]:
        ax.set_visible(False)
    return fig, axes


def _branches(ax, act, x):
    """A kinked slope drawn as its two branches (no vertical segment at 0): open circles for the one-sided
    limits at 0, a dot for the value PyTorch takes there; a small left slope pointed at with an arrow."""
    left_slope, right_slope, at_zero = (float(v) for v in act.deriv(np.array([-1.0, 1.0, 0.0])))
    left, right = x[x < 0], x[x > 0]
    ax.plot(left, np.full_like(left, left_slope), color="tab:blue")
    ax.plot(right, np.full_like(right, right_slope), color="tab:blue")
    ax.plot([0, 0], [left_slope, right_slope], "o", mfc="white", color="tab:blue", ms=5)
    ax.plot([0], [at_zero], "o", color="tab:blue", ms=5, label=f"value at 0: {at_zero:g} (PyTorch)")
    if 0 < abs(left_slope) < 0.15:  # too close to 0 to see: say it
        ax.annotate(f"slope {left_slope:.3g} for x < 0", xy=(-2.0, left_slope), xytext=(-3.8, 0.45), fontsize=8,
                    arrowprops={"arrowstyle": "->", "color": "0.3"})  # fmt: skip


def _slope_extremes(act, x, slope):
    """The interior minima and maxima of a smooth slope on the grid x, each refined by a parabola through
    its grid neighbours: [(x, slope there, 'min' or 'max'), ...]."""
    found = []
    for i in range(1, len(x) - 1):
        rise, fall = slope[i] - slope[i - 1], slope[i + 1] - slope[i]
        if rise * fall < 0:
            curvature = slope[i - 1] - 2 * slope[i] + slope[i + 1]
            xe = x[i] + 0.5 * (x[1] - x[0]) * (slope[i - 1] - slope[i + 1]) / curvature
            found.append((xe, float(act.deriv(np.array([xe]))[0]), "max" if rise > 0 else "min"))
    return found


def draw_derivatives(axes, activations):
    """The slope of each activation (a list of :class:`~helpers.activations.Activation`) on the axes of
    :func:`derivative_panels`, titled from its record: kinked ones as two branches with PyTorch's value at 0,
    smooth ones as a curve with its value at 0 and the minima and maxima of the slope marked."""
    x = np.linspace(-4, 4, 801)
    for ax, act in zip(axes.ravel(), activations):
        ax.clear()
        ax.axhline(0, color="0.85", lw=0.8)
        ax.axvline(0, color="0.85", lw=0.8)
        slope = act.deriv(x)
        if act.definition.kink:
            _branches(ax, act, x)
        else:
            ax.plot(x, slope, color="tab:blue")
            at_zero = float(act.deriv(np.array([0.0]))[0])
            ax.plot([0], [at_zero], "o", color="tab:blue", ms=5, label=f"value at 0: {at_zero:g}")
            for xe, ye, kind in _slope_extremes(act, x, slope):
                ax.plot([xe], [ye], "s", color="tab:red", ms=5)
                offset = (-60, 28) if kind == "min" else (10, -32)  # a minimum's label above it, a maximum's below
                label = f"{kind} {ye:.4f}\nat x = {xe:+.3f}"
                ax.annotate(label, xy=(xe, ye), xytext=offset, textcoords="offset points", fontsize=7,
                            arrowprops={"arrowstyle": "->", "color": "0.3"})  # fmt: skip
        shown = [f"{p.label} = {act.params[k]:.3g}" for k, p in act.definition.params.items() if p.slider]
        ax.set(title=", ".join([f"{act.definition.title}'(x)", *shown]), xlabel="x", ylabel="slope", xlim=(-4, 4),
               ylim=(min(-0.25, slope.min() - 0.1), max(1.25, slope.max() + 0.1)))  # fmt: skip
        ax.legend(loc="upper left", fontsize=7)


# Linear maps (07) -----------------------------------------------------------------------------


def draw_transformation(ax, M, title, mirror_angle=None, shape=None):
    """A grid and a shape before (grey, dashed outline) and after (orange) the 2x2 map M; a reflection's mirror
    axis dashed. shape: (k, 2) polygon, by default the letter F of :func:`helpers.linear_transformations.letter_f`."""
    from helpers.linear_transformations import letter_f

    shape = letter_f() if shape is None else shape
    ax.clear()
    for i, g in enumerate(np.linspace(-2, 2, 9)):
        for j, line in enumerate((np.array([[g, -2], [g, 2]]), np.array([[-2, g], [2, g]]))):
            first = i == 0 and j == 0
            ax.plot(*line.T, color="0.85", lw=0.8, label="grid before" if first else None)
            ax.plot(*(line @ M.T).T, color="tab:blue", lw=0.6, alpha=0.5, label="grid after" if first else None)
    if mirror_angle is not None:
        u = 3 * np.array([np.cos(mirror_angle), np.sin(mirror_angle)])
        ax.plot([-u[0], u[0]], [-u[1], u[1]], "k--", lw=1, label="mirror axis")
    ax.fill(*(shape @ M.T).T, color="tab:orange", alpha=0.8, label="after")
    ax.fill(*shape.T, facecolor="none", edgecolor="0.3", lw=1.2, ls="--", label="before")
    ax.set(xlim=(-3, 3), ylim=(-3, 3), aspect="equal", title=title, xlabel="$x_1$", ylabel="$x_2$")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, borderaxespad=0)


def plane_in_cube(w, c):
    """The polygon where the plane w.h + c = 0 cuts the cube [-1, 1]^3: its corners (k, 3), in order around it.

    w: (3,) nonzero, c: float. k is 3 to 6, or 0 when the plane misses the cube.
    """
    corners = np.array([[i, j, k] for i in (-1, 1) for j in (-1, 1) for k in (-1, 1)], dtype=np.float64)
    edges = [(a, b) for a in range(8) for b in range(a + 1, 8) if np.sum(corners[a] != corners[b]) == 1]
    points = []
    for a, b in edges:
        fa, fb = corners[a] @ w + c, corners[b] @ w + c
        if fa == 0:
            points.append(corners[a])
        if fa * fb < 0:
            points.append(corners[a] + fa / (fa - fb) * (corners[b] - corners[a]))
    if len(points) < 3:
        return np.zeros((0, 3))
    points = np.unique(np.round(points, 12), axis=0)
    centre = points.mean(axis=0)
    u = points[0] - centre
    v = np.cross(w, u)
    angles = np.arctan2((points - centre) @ v / np.linalg.norm(v), (points - centre) @ u / np.linalg.norm(u))
    return points[np.argsort(angles)]


def edge_on_view(w, points):
    """(elev, azim) in degrees of a 3-D view that sees the plane with normal w edge-on, looking along the
    direction in the plane across which ``points`` (n, 3) spread least, so that they overlap least."""
    n = w / np.linalg.norm(w)
    a = np.cross(n, [1.0, 0.0, 0.0] if abs(n[0]) < 0.9 else [0.0, 1.0, 0.0])
    a /= np.linalg.norm(a)
    basis = np.stack([a, np.cross(n, a)])  # (2, 3): orthonormal, both in the plane
    coords = points @ basis.T
    minor = np.linalg.eigh(np.cov(coords.T))[1][:, 0]  # the in-plane direction of least spread
    eye = minor @ basis
    return float(np.degrees(np.arcsin(np.clip(eye[2], -1.0, 1.0)))), float(np.degrees(np.arctan2(eye[1], eye[0])))


CLASS_STYLE = {0: {"color": "tab:blue", "marker": "o"}, 1: {"color": "tab:orange", "marker": "^"}}


def hidden_space(x, labels, z2, w, c, titles):
    """Three panels: the rings in the input plane; their images under one tanh layer in 3-D, seen edge-on to
    the plane w.h + c = 0 that the output unit draws (the plane is the dashed line); and each point's signed
    distance to that plane, by class.

    x: (n, 2), labels: (n, 1) in {0, 1}, z2: (n, 3) = tanh(x W1^T + b1), w: (3,), c: float.
    """
    fig = Figure(figsize=(12.6, 4.2), dpi=90, layout="constrained")
    fig.get_layout_engine().set(wspace=0.1)  # room for the 3-D panel's labels, which the layout does not see
    ax_in = fig.add_subplot(1, 3, 1)
    classes(ax_in, x, labels, title=titles[0])
    ax_in.legend(loc="upper right", fontsize=8)
    ax_h = fig.add_subplot(1, 3, 2, projection="3d", proj_type="ortho")
    ax_h.set_box_aspect((1, 1, 1))  # a cube drawn as a cube, so that edge-on in the data is edge-on on screen
    y = np.ravel(labels)
    for label, style in CLASS_STYLE.items():
        ax_h.scatter(*z2[y == label].T, s=8, depthshade=False, label=f"class {label}", **style)
    polygon = plane_in_cube(w, c)
    if len(polygon):
        outline = np.vstack([polygon, polygon[:1]])
        ax_h.plot(*outline.T, color="0.2", ls="--", lw=1.2, label="the plane w·h + c = 0")
    ax_h.view_init(*edge_on_view(w, z2))
    ticks = [-1, 0, 1]
    ax_h.set(xlim=(-1, 1), ylim=(-1, 1), zlim=(-1, 1), xticks=ticks, yticks=ticks, zticks=ticks)
    ax_h.set_xlabel("$h_1$", labelpad=2)
    ax_h.set_ylabel("$h_2$", labelpad=2)
    ax_h.set_zlabel("$h_3$", labelpad=0)
    ax_h.tick_params(labelsize=8, pad=0)
    ax_h.set_title(titles[1])
    ax_h.legend(loc="upper left", fontsize=8)
    ax_d = fig.add_subplot(1, 3, 3)
    distance = (z2 @ w + c) / np.linalg.norm(w)
    bins = np.linspace(distance.min(), distance.max(), 31)
    for label, style in CLASS_STYLE.items():
        ax_d.hist(distance[y == label], bins=bins, color=style["color"], alpha=0.8, label=f"class {label}")
    ax_d.axvline(0, color="0.2", ls="--", lw=1)
    ax_d.set(xlabel="signed distance to the plane", ylabel="points", title=titles[2])
    ax_d.legend(loc="upper center", fontsize=8)
    return fig
