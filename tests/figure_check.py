"""What a laid-out figure must satisfy, measured on the rendered figure (Agg) in display pixels.

- no text overlaps another text (titles, labels, drawn tick labels, legend entries, annotations);
- no text leaves the canvas;
- every visible axes has its x and y (and, in 3-D, z) labels;
- no legend covers data: line vertices, bars and patches, scatter points.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
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


# Colour vision --------------------------------------------------------------------------------------
#
# Two series of one axes (its legend entries) must stay apart for readers with a colour vision deficiency.
# Each colour is simulated as seen with deuteranomaly, protanomaly and tritanomaly at severity 100 (Machado et
# al. 2009, as colorspacious implements it: "sRGB1+CVD" -> "sRGB1") and the distance between the two is taken in
# CAM02-UCS, a space where distances follow perceived differences (Luo et al. 2006).
#
# Threshold: 10 CAM02-UCS units, under every deficiency and with normal vision. About 1 unit is a just noticeable
# difference between two large patches side by side; a line 2 px wide or a 5 px marker seen apart from its
# legend entry needs several times more, so we ask for ten. The two colour-blind-safe sets we know keep every
# pair above it at severity 100 (Okabe-Ito's first six colours: 11.0 at the least, petroff10: 14.5), while the
# pairs of matplotlib's default tab10 known to be confused fall far below (tab:orange / tab:green 1.6 with
# protanomaly, tab:blue / tab:purple 2.4, tab:red / tab:green 5.2 with deuteranomaly).
#
# A pair also counts as told apart when it differs in something other than colour: line style (dash pattern),
# marker, hatch, filled against outlined, or the kind of mark (a line, a patch, points), since the legend
# shows that difference as well.

CVD_THRESHOLD = 10.0
DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")


def seen(rgb):
    """{vision: CAM02-UCS coordinates of the sRGB colour rgb (3,)} for normal vision and each deficiency."""
    from colorspacious import cspace_convert

    rgb = np.clip(np.asarray(rgb, dtype=float), 0, 1)
    out = {"normal": cspace_convert(rgb, "sRGB1", "CAM02-UCS")}
    for cvd in DEFICIENCIES:
        simulated = np.clip(cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}, "sRGB1"), 0, 1)
        out[cvd] = cspace_convert(simulated, "sRGB1", "CAM02-UCS")
    return out


def colour_distance(a, b):
    """{vision: CAM02-UCS distance} between two sRGB colours as seen with normal vision and each deficiency."""
    sa, sb = seen(a), seen(b)
    return {k: float(np.linalg.norm(sa[k] - sb[k])) for k in sa}


def _on_white(rgba):
    r, g, b, a = to_rgba(rgba)
    return np.array([r, g, b]) * a + (1 - a)


def series_style(handle):
    """(colour as drawn on white, {non-colour channel: value}) of one legend entry."""
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.container import BarContainer
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if isinstance(handle, BarContainer):
        handle = handle.patches[0]
    if isinstance(handle, Line2D):
        drawn = handle.get_linestyle() not in ("None", "", " ", "none")
        colour = handle.get_color() if drawn else handle.get_markerfacecolor()
        dashes = getattr(handle, "_unscaled_dash_pattern", (0, None))[1]
        style = {"kind": "line" if drawn else "points", "dashes": tuple(dashes or ()) if drawn else None,
                 "marker": str(handle.get_marker())}  # fmt: skip
        return _on_white(to_rgba(colour, handle.get_alpha())), style
    if isinstance(handle, LineCollection):
        offset, dashes = handle.get_linestyle()[0]
        return _on_white(handle.get_color()[0]), {"kind": "line", "dashes": tuple(dashes or ()), "marker": "None"}
    if isinstance(handle, PathCollection):
        path = handle.get_paths()[0]
        return _on_white(handle.get_facecolor()[0]), {"kind": "points", "marker": repr(np.round(path.vertices, 3))}
    if isinstance(handle, Patch):
        filled = handle.get_fill() and handle.get_facecolor()[3] > 0
        colour = handle.get_facecolor() if filled else handle.get_edgecolor()
        dashes = getattr(handle, "_unscaled_dash_pattern", (0, None))[1]
        return _on_white(colour), {"kind": "patch", "filled": filled, "hatch": handle.get_hatch() or "",
                                   "dashes": tuple(dashes or ()) if not filled else None}  # fmt: skip
    raise TypeError(f"no colour rule for a legend entry of type {type(handle).__name__}")


def colour_problems(fig, threshold=CVD_THRESHOLD):
    """A list of strings, one per pair of series in one axes that only colour tells apart and that a reader with
    a colour vision deficiency (or normal vision) hardly tells apart; and one per diverging colour map whose
    ends, centre or quarter points come closer than ``threshold``."""
    found = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        handles, labels = ax.get_legend_handles_labels()
        series = [(label, *series_style(h)) for h, label in zip(handles, labels)]
        for i, (la, ca, sa) in enumerate(series):
            for lb, cb, sb in series[i + 1 :]:
                if sa != sb:
                    continue  # told apart by line style, marker, hatch or kind of mark
                d = colour_distance(ca, cb)
                worst = min(d, key=d.get)
                if d[worst] < threshold:
                    found.append(f"{ax.get_title()!r}: {la!r} and {lb!r} differ only in colour, by {d[worst]:.1f} "
                                 f"CAM02-UCS units with {worst} (< {threshold})")  # fmt: skip
        for image in ax.images:
            cmap = image.get_cmap()
            where = {"low end": 0.0, "quarter": 0.25, "centre": 0.5, "three quarters": 0.75, "high end": 1.0}
            stops = {name: np.array(cmap(v)[:3]) for name, v in where.items()}
            for a, b in (("low end", "high end"), ("low end", "centre"), ("centre", "high end"),
                         ("quarter", "three quarters")):  # fmt: skip
                d = colour_distance(stops[a], stops[b])
                worst = min(d, key=d.get)
                if d[worst] < threshold:
                    found.append(f"{ax.get_title()!r}: colour map {cmap.name}: its {a} and {b} differ by "
                                 f"{d[worst]:.1f} with {worst} (< {threshold})")  # fmt: skip
    return found


def bubble_texts(ax):
    """What each bubble of a drawn computational graph reads, line by line: {"x\\nvalue 2\\ngrad -3", ...}. A bubble's
    texts are annotations of its centre; a line is the texts on one baseline, from left to right."""
    lines = {}
    for t in ax.texts:
        if hasattr(t, "xyann"):
            lines.setdefault(tuple(t.xy), {}).setdefault(t.xyann[1], []).append((t.xyann[0], t.get_text()))
    return {
        "\n".join(" ".join(text for _, text in sorted(words)) for _, words in sorted(bubble.items(), reverse=True))
        for bubble in lines.values()
    }
