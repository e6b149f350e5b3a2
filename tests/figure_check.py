"""What a laid-out figure must satisfy, measured on the rendered figure (Agg) in display pixels.

- no text overlaps another text (titles, labels, drawn tick labels, legend entries, annotations);
- no text leaves the canvas;
- every visible axes has its x and y (and, in 3-D, z) labels;
- no legend covers data: line vertices, bars and patches, scatter points.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

TOLERANCE = 1.0  # pixels


def _overlap(a, b):
    return min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE and min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE


def _drawn_tick_labels(ax):
    axes = [ax.xaxis, ax.yaxis] + ([ax.zaxis] if hasattr(ax, "zaxis") else [])
    labels = []
    for axis in axes:
        for tick in axis._update_ticks():  # the ticks inside the view limits, the ones that are drawn
            labels += [t for t in (tick.label1, tick.label2) if t.get_visible() and t.get_text().strip()]
    return labels


def texts(fig, renderer):
    """Every visible, non-empty text that is drawn, with its window extent."""
    tick_labels = {id(t) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis) for t in axis.get_ticklabels(which="both")}
    for ax in fig.axes:
        if hasattr(ax, "zaxis"):
            tick_labels |= {id(t) for t in ax.zaxis.get_ticklabels(which="both")}
    found = []
    for t in fig.findobj(Text):
        if id(t) in tick_labels or not t.get_visible() or not t.get_text().strip():
            continue
        if t.axes is not None and (not t.axes.get_visible() or (not t.axes.axison and t in _axis_texts(t.axes))):
            continue
        found.append(t)
    for ax in fig.axes:
        if ax.get_visible() and ax.axison:
            found += _drawn_tick_labels(ax)
    return [(t, t.get_window_extent(renderer)) for t in found]


def _axis_texts(ax):
    out = [ax.xaxis.label, ax.yaxis.label]
    if hasattr(ax, "zaxis"):
        out.append(ax.zaxis.label)
    return out


def _data_points(ax):
    """Display coordinates of the data a legend must not cover."""
    points = []
    for line in ax.lines:
        xy = line.get_xydata()
        if len(xy) <= 2 and line.get_label().startswith("_"):
            continue  # an unlabelled reference line (axhline, axvline)
        if len(xy) >= 2:  # densify segments so a legend lying across one is noticed
            t = np.linspace(0, 1, 20)[:, None]
            xy = np.concatenate([a + t * (b - a) for a, b in zip(xy[:-1], xy[1:])])
        points.append(line.get_transform().transform(xy))
    for coll in ax.collections:
        offsets = coll.get_offsets()
        if len(offsets):
            points.append(coll.get_offset_transform().transform(offsets))
    if not points:
        return np.zeros((0, 2))
    pts = np.concatenate(points)
    box = ax.get_window_extent()
    inside = (pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)
    return pts[inside & np.all(np.isfinite(pts), axis=1)]


def problems(fig):
    """A list of strings, one per layout problem found; empty when the figure is well laid out."""
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    drawn = texts(fig, renderer)
    width, height = fig.bbox.width, fig.bbox.height
    for i, (t, box) in enumerate(drawn):
        if box.x0 < -TOLERANCE or box.y0 < -TOLERANCE or box.x1 > width + TOLERANCE or box.y1 > height + TOLERANCE:
            found.append(
                f"text {t.get_text()!r} leaves the canvas ({box.x0:.0f}..{box.x1:.0f}, {box.y0:.0f}..{box.y1:.0f})"
            )
        for u, other in drawn[i + 1 :]:
            if _overlap(box, other):
                found.append(f"text {t.get_text()!r} overlaps {u.get_text()!r}")
    for ax in fig.axes:
        if not (ax.get_visible() and ax.axison):
            continue
        for label in _axis_texts(ax):
            if not label.get_text().strip():
                found.append(f"axes {ax.get_title()!r} has an unlabelled axis")
        legend = ax.get_legend()
        if legend is None or hasattr(ax, "zaxis"):
            continue
        lbox = legend.get_window_extent(renderer)
        pts = _data_points(ax)
        hidden = (pts[:, 0] > lbox.x0) & (pts[:, 0] < lbox.x1) & (pts[:, 1] > lbox.y0) & (pts[:, 1] < lbox.y1)
        if np.any(hidden):
            found.append(f"the legend of {ax.get_title()!r} covers {int(hidden.sum())} data points")
        for patch in ax.patches:
            if patch.get_visible() and _overlap(patch.get_window_extent(renderer), lbox):
                found.append(f"the legend of {ax.get_title()!r} covers a patch ({patch.get_label()!r})")
    return found
