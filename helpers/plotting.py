"""Every figure the notebooks show, drawn with matplotlib's object API (no pyplot state).

A figure function returns a :class:`Figure`, which Jupyter shows as a PNG when it is a cell's value;
nothing is switched on at import. A ``draw_*`` function draws one figure's axes from new values, the
first time from scratch and then in place (the explorers in :mod:`helpers.widgets` call them on every
slider move). Every figure is laid out by matplotlib's constrained layout, so no text overlaps other
text or leaves the canvas (``tests/test_figures.py`` renders each one and checks).

Everyone can read them:

- Colours come from :data:`OKABE_ITO`, Okabe and Ito's colour-blind-safe palette, set here and not taken
  from a matplotlib style, so that it holds from matplotlib 3.7 on. The series of one axes also differ in
  line style, marker or hatch (:data:`SERIES`, :data:`MARKERS`), not only in hue; diverging heatmaps use
  ColorBrewer's PuOr (:data:`DIVERGING`). ``tests/test_colour_vision.py`` simulates the three colour
  vision deficiencies on every figure the notebooks show.
- Every figure carries a text alternative, ``fig.alt``: what it shows, with the data's gist, computed from
  the data it draws. See :meth:`Figure._repr_mimebundle_` and :meth:`Figure._ipython_display_` for where it goes.

The explorers' figures answer at once (:meth:`Figure.freeze_layout`, :meth:`Figure.png`): laid out once,
then each frame redraws only the artists that changed over a saved picture of the rest.
"""

from __future__ import annotations

import html
import math
import re
import struct
import weakref
import zlib

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure as _MplFigure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.text import Text
from matplotlib.ticker import LogFormatterSciNotation, MaxNLocator
from matplotlib.transforms import Bbox, IdentityTransform, blended_transform_factory

from helpers import activations as A
from helpers._validate import as_array, labels_in, real, shape_is, short

# Colours ---------------------------------------------------------------------------------------

#: Okabe and Ito's palette ("Color Universal Design", 2008), safe for the common colour vision deficiencies.
OKABE_ITO = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "bluish green": "#009E73",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
BLUE, VERMILLION, PURPLE, GREEN, ORANGE, SKY = (OKABE_ITO[k] for k in list(OKABE_ITO)[:6])
GREY = "0.35"  # reference lines and outlines: 7:1 contrast on white

#: The k-th series of one axes: its colour and line style. The first four colours keep at least 3:1 contrast
#: on white (WCAG 2.1's minimum for graphics); each series has a line style of its own as well.
SERIES = (
    {"color": BLUE, "ls": "-"},
    {"color": VERMILLION, "ls": "--"},
    {"color": PURPLE, "ls": ":"},
    {"color": GREEN, "ls": "-."},
    {"color": ORANGE, "ls": (0, (6, 2, 1, 2, 1, 2))},
    {"color": SKY, "ls": (0, (1, 1))},
)
#: Markers for series drawn with markers, one per series as well.
MARKERS = ("o", "s", "^", "D", "v", "P")
LINE_WIDTH = 1.8  # dashes and dots stay visible
#: Diverging colour map (ColorBrewer PuOr, reversed: negative purple, positive orange).
DIVERGING = "PuOr_r"


def series_style(k, marker=False):
    """Keyword arguments of ``ax.plot`` for the k-th series of an axes: colour, line style and, if asked, a marker."""
    style = {**SERIES[k % len(SERIES)], "lw": LINE_WIDTH}
    if marker:
        style["marker"] = MARKERS[k % len(MARKERS)]
    return style


def _luminance(colour):
    r = np.array(to_rgb(colour))
    r = np.where(r <= 0.03928, r / 12.92, ((r + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * r[0] + 0.7152 * r[1] + 0.0722 * r[2])


def text_colour_on(colour):
    """Black or white, whichever contrasts more with ``colour`` (WCAG's relative luminance)."""
    lum = _luminance(colour)
    return "black" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "white"


# Text alternatives ---------------------------------------------------------------------------------

_TEX = {r"\partial": "∂", r"\ell": "ℓ", r"\sigma": "σ", r"\beta": "β", r"\|": "‖", r"\,": " ", r"\cdot": "·",
        r"\times": "×", r"\hat": ""}  # fmt: skip


def plain(text):
    """Mathtext made readable as plain text: '$\\partial \\ell / \\partial z_3$' -> '∂ ℓ / ∂ z3'."""
    out = str(text)
    for tex, char in _TEX.items():
        out = out.replace(tex, char)
    out = re.sub(r"\\mathdefault\{([^}]*)\}", r"\1", out)
    out = re.sub(r"_\{([^}]*)\}", r"\1", out)
    out = re.sub(r"_(\w)", r"\1", out)
    out = re.sub(r"\^\{([^}]*)\}", r"^\1", out)
    out = re.sub(r"\\([A-Za-z]+)", r"\1", out)
    out = out.replace("$", "").replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", out).strip()


def num(value):
    """A number for a text alternative: three significant digits, 1.2e-5 style outside [0.001, 1e6)."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "infinity" if value > 0 else "minus infinity"
    if value == 0:
        return "0"
    size = abs(value)
    if size < 1e-3 or size >= 1e6:
        mantissa, exponent = f"{value:.2e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    if size >= 1000:
        return f"{value:.0f}"
    return f"{value:.3g}"


def _clearly(a, b):
    """True when a exceeds b by more than 1 % (so that round-off never decides what a sentence says)."""
    return a - b > 0.01 * max(abs(a), abs(b))


def trend(label, x, y, xname):
    """'label: falls from 1.2 at step 1 to 0.03 at step 300' (and the lowest or highest value in between, and
    where the values stop when they end in NaN)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(y)
    head = f"{label}: " if label else ""
    if not ok.any():
        return f"{head}no finite value"
    xs, ys = x[ok], y[ok]
    first, last = float(ys[0]), float(ys[-1])
    if len(ys) == 1:
        return f"{head}{num(first)} at {xname} {num(xs[0])} only"
    word = "falls" if _clearly(first, last) else "rises" if _clearly(last, first) else "stays about level"
    text = f"{head}{word} from {num(first)} at {xname} {num(xs[0])} to {num(last)} at {xname} {num(xs[-1])}"
    low, high = float(ys.min()), float(ys.max())
    if _clearly(min(first, last), low):
        text += f", lowest {num(low)}"
    if _clearly(high, max(first, last)):
        text += f", highest {num(high)}"
    if not ok[-1]:
        text += f", then stops (no finite value after {xname} {num(xs[-1])})"
    return text


def _name_of(label):
    """The short name of an axis label for 'at <name> <value>': 'step (log scale)' -> 'step'."""
    words = plain(label).split(" (")[0].split()
    return words[0] if words else "x"


def describe_axes(ax):
    """A fallback text alternative of one axes: its title, its axis labels and what kind of data it holds."""
    parts = [f"'{plain(ax.get_title())}'" if ax.get_title() else "a panel"]
    if ax.get_xlabel() or ax.get_ylabel():
        parts.append(f"{plain(ax.get_ylabel()) or 'y'} against {plain(ax.get_xlabel()) or 'x'}")
    lines = [ln for ln in ax.lines if len(ln.get_xdata()) > 2]
    if lines:
        parts.append(f"{len(lines)} line{'s' * (len(lines) > 1)}")
    if ax.patches:
        parts.append(f"{len(ax.patches)} shapes or bars")
    if ax.collections:
        parts.append(f"{len(ax.collections)} groups of points")
    return ", ".join(parts)


# Figures that render fast and carry their text alternative -------------------------------------------


class Figure(_MplFigure):
    """A matplotlib Figure that Jupyter shows as a PNG with its text alternative :attr:`alt`.

    Drawn on a canvas of its own that it keeps, so that text measurements are cached between frames.
    Artists registered with :meth:`animate` are the ones that change: a frame (:meth:`png`) puts back a saved
    picture of the rest and draws only those, in the axes marked changed with :meth:`touch`. Anything that
    changes the rest (new ticks, new limits, new artists) calls :meth:`invalidate` for a full redraw.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.alt = ""  # the text alternative: what the figure shows, in words
        self._live = {}  # axes -> artists redrawn in every frame of that axes
        self._tiles = {}  # live artist -> function(renderer) giving the display box it keeps to
        # (canvas, {axes: saved region of its cell}, {artist: (extents, saved region of its tile)}), live ones left out
        self._background = None
        self._touched = None  # axes (or tiled artists) changed since the last frame; None: redraw everything
        self._cells = None  # axes -> display bbox it owns alone, or None when the axes cannot be told apart
        self._engine = None  # the layout engine that laid the figure out before freeze_layout
        self._own_draw = False
        self._watched = None
        FigureCanvasAgg(self)

    # What Jupyter shows ------------------------------------------------------------------------------

    def text_alternative(self):
        """:attr:`alt`, or a description made from the titles and labels when nothing set one."""
        if self.alt:
            return self.alt
        panels = [describe_axes(ax) for ax in self.axes if ax.get_visible()]
        return f"Figure with {len(panels)} panel{'s' * (len(panels) != 1)}: " + "; ".join(panels) + "."

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The PNG, with the text alternative as its ``metadata["image/png"]["alt"]`` and as the text/plain.

        nbconvert's classic template and tools/build_site.py put that metadata in the <img alt>; text front
        ends show the text/plain. JupyterLab 4 shows the image without alt (see :meth:`_ipython_display_`).
        """
        alt = self.text_alternative()
        return {"image/png": self.png(), "text/plain": alt}, {"image/png": {"alt": alt}}

    def _repr_png_(self):
        return self.png()

    def _ipython_display_(self):
        """As a cell's value or through ``display``: the PNG output, then :func:`caption_bundle` (a second output
        that only screen readers meet in JupyterLab, whose image outputs have no alt attribute)."""
        from IPython.display import display

        data, metadata = self._repr_mimebundle_()
        display(data, metadata=metadata, raw=True)
        display(caption_bundle(self.text_alternative()), raw=True)

    # Layout --------------------------------------------------------------------------------------------

    @property
    def frozen(self):
        """True once :meth:`freeze_layout` has laid the figure out."""
        return self._engine is not None

    def freeze_layout(self):
        """Lay the figure out once with its layout engine, then keep those positions (layout engine 'none').

        Titles and axis labels are pinned where the layout put them, so that a frame does not measure tick
        labels again to place them. Lay out with the widest text a figure will show (see
        :func:`draw_loss_curve`): what comes later must fit in the same margins. Call it again after
        ``ax.clear()`` on a frozen figure (clearing resets the pinned labels). Returns the figure.
        """
        engine = self.get_layout_engine()
        if isinstance(engine, ConstrainedLayoutEngine):
            self._engine = engine
        elif self._engine is not None:
            self.set_layout_engine(self._engine)
        for ax in self.axes:  # labels placed by matplotlib again, for the layout to see where they go
            if getattr(ax.xaxis, "_autolabelpos", True) is False:
                ax.xaxis._autolabelpos = ax.yaxis._autolabelpos = True
                ax.xaxis.label.set(x=0.5, y=0, transform=blended_transform_factory(ax.transAxes, IdentityTransform()))
                ax.yaxis.label.set(x=0, y=0.5, transform=blended_transform_factory(IdentityTransform(), ax.transAxes))
        self.draw_without_rendering()
        self.set_layout_engine("none")
        renderer = self._canvas().get_renderer()
        for ax in self.axes:
            if ax.name == "3d":
                continue
            ax.set_title(ax.get_title(), y=ax.title.get_position()[1])  # an explicit y: no repositioning per draw
            for axis, ours in ((ax.xaxis, 0), (ax.yaxis, 1)):
                xy = ax.transAxes.inverted().transform(axis.label.get_transform().transform(axis.label.get_position()))
                coords = [0.5, 0.5]
                coords[1 - ours] = float(xy[1 - ours])
                axis.set_label_coords(*coords)
        self._cells = self._find_cells(renderer)
        self.invalidate()
        return self

    def _find_cells(self, renderer):
        """The part of the canvas each axes with live artists owns alone: its grid cell, split half-way between
        neighbouring axes' decorations. None when two axes' decorations overlap (then every frame is full)."""
        axes = [ax for ax in self.axes if ax.get_visible()]
        boxes = {ax: ax.get_tightbbox(renderer) for ax in axes}
        cells = {}
        for ax in axes:
            x0, y0, x1, y1 = self.bbox.extents
            box = boxes[ax]
            for other in axes:
                if other is ax:
                    continue
                b = boxes[other]
                if b.x0 >= box.x1:
                    x1 = min(x1, (box.x1 + b.x0) / 2)
                elif b.x1 <= box.x0:
                    x0 = max(x0, (box.x0 + b.x1) / 2)
                elif b.y0 >= box.y1:
                    y1 = min(y1, (box.y1 + b.y0) / 2)
                elif b.y1 <= box.y0:
                    y0 = max(y0, (box.y0 + b.y1) / 2)
                else:
                    return None
            cells[ax] = (math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1))
        return cells

    # Frames --------------------------------------------------------------------------------------------

    def animate(self, ax, artists, tiles=None):
        """Register the artists of ``ax`` that change from frame to frame (replacing the axes' earlier list).

        tiles: {artist: function(renderer) -> display Bbox} for live artists that keep to a part of the axes of their
        own (a graph's number to its line of its bubble): :meth:`touch` of such an artist alone restores only that
        part and redraws only it. Tiles must not overlap, and a frame whose tiled artist leaves its tile is drawn
        whole.
        """
        self._live[ax] = list(artists)
        live = {id(a) for artists in self._live.values() for a in artists}
        self._tiles = {a: f for a, f in {**self._tiles, **(tiles or {})}.items() if id(a) in live}
        self.invalidate()

    def touch(self, ax, artist=None):
        """Mark ``ax``'s live artists changed (or only ``artist``, when it has a tile): the next frame redraws them."""
        if self._touched is not None:
            self._touched.add(artist if artist in self._tiles else ax)

    def invalidate(self):
        """The next frame redraws everything (after new ticks, limits or artists)."""
        self._background = None
        self._touched = None

    def _canvas(self):
        canvas = self.canvas
        if not isinstance(canvas, FigureCanvasAgg):
            canvas = FigureCanvasAgg(self)
        if canvas is not self._watched:  # a draw we did not make leaves the picture unknown
            canvas.mpl_connect("draw_event", self._drawn)
            self._watched = canvas
        return canvas

    def _drawn(self, _event):
        if not self._own_draw:
            self.invalidate()

    def _live_in_order(self, ax):
        """ax's live artists, and its spines when the axes is framed, in the order a full draw draws them."""
        live = list(self._live.get(ax, ()))
        if ax.axison and live:
            live += [s for s in ax.spines.values() if s.get_visible()]
        order = {id(a): i for i, a in enumerate(ax.get_children())}
        return sorted(live, key=lambda a: (a.get_zorder(), order.get(id(a), len(order))))

    @staticmethod
    def _box(a, renderer):
        # an annotation's arrow runs from its text into the axes: the text's box is what may leave
        return Text.get_window_extent(a, renderer) if isinstance(a, Text) else a.get_window_extent(renderer)

    def _inside(self, renderer, touched=None):
        """True when every live artist not clipped to its axes stays inside its axes' cell (or its tile); only those
        a frame redraws when ``touched`` (the others have not changed since a frame that found them inside)."""
        whole = tuple(math.floor(v) if i < 2 else math.ceil(v) for i, v in enumerate(self.bbox.extents))
        tiles = self._background[2]
        for ax, artists in self._live.items():
            cell = self._cells.get(ax) if self._cells else None
            if cell is None:
                return False
            if touched is not None and ax not in touched:
                artists = [a for a in artists if a in touched]
            for a in artists:
                clipped = a.get_clip_on() and a.get_clip_box() is not None
                area = tiles[a][0] if a in tiles else cell
                if a.get_visible() and (a in tiles or (not clipped and area != whole)):
                    box = self._box(a, renderer)
                    slack = 0 if a in tiles else 1  # a tile's neighbours are not redrawn with it: no slack
                    if (box.x0 < area[0] - slack or box.y0 < area[1] - slack or box.x1 > area[2] + slack
                            or box.y1 > area[3] + slack):  # fmt: skip
                        return False
        return True

    def png(self):
        """The figure as PNG bytes: a full draw, or the saved background of the touched axes (or tiles) with their
        live artists drawn over it (the same pixels a full draw gives)."""
        canvas = self._canvas()
        renderer = canvas.get_renderer()
        partial = (
            self._live
            and self._background is not None
            and self._background[0] is canvas
            and self._touched is not None
            and self._inside(renderer, self._touched)
        )
        self._own_draw = True
        try:
            if partial:
                cells, tiles = self._background[1], self._background[2]
                for ax in [t for t in self._touched if t in cells]:
                    canvas.restore_region(cells[ax])
                    for a in self._live_in_order(ax):
                        a.draw(renderer)
                for a in [t for t in self._touched if t in tiles and t.axes not in self._touched]:
                    canvas.restore_region(tiles[a][1])
                    a.draw(renderer)
            else:
                live = [a for ax in self._live for a in self._live_in_order(ax)]
                for a in live:
                    a.set_animated(True)
                try:
                    canvas.draw()
                finally:
                    for a in live:
                        a.set_animated(False)
                if self._live and self._cells:
                    cells = {ax: canvas.copy_from_bbox(Bbox.from_extents(*self._cells[ax])) for ax in self._live}
                    tiles = {}
                    for a, tile in self._tiles.items():
                        box = tile(renderer)
                        extents = (math.floor(box.x0), math.floor(box.y0), math.ceil(box.x1), math.ceil(box.y1))
                        empty = extents[2] <= extents[0] or extents[3] <= extents[1]  # nothing fits: never inside
                        tiles[a] = (extents, None if empty else canvas.copy_from_bbox(Bbox.from_extents(*extents)))
                    self._background = (canvas, cells, tiles)
                for ax in self._live:
                    for a in self._live_in_order(ax):
                        a.draw(renderer)
        finally:
            self._own_draw = False
        # a frame over the background is right only if every live artist was inside its cell or tile in this one too
        kept = self._background is not None and (partial or self._inside(renderer))
        self._touched = set() if kept else None
        return _encode(canvas, self.dpi, opaque=self.patch.get_visible() and self.patch.get_facecolor()[3] == 1)


def _encode(canvas, dpi, opaque):
    """The canvas as PNG bytes: RGB when the figure is opaque (a quarter fewer bytes), else RGBA.

    Rows go unfiltered into deflate at level 1: on our figures (flat colours and text) that is as small as
    Pillow's adaptive filtering and takes 60% of its time (benchmarks/README.md).
    """
    pixels = np.asarray(canvas.buffer_rgba())
    height, width = pixels.shape[:2]
    channels = 3 if opaque else 4
    rows = np.zeros((height, 1 + channels * width), np.uint8)  # a row: its filter type (0, none), then its pixels
    rows[:, 1:] = pixels[:, :, :channels].reshape(height, channels * width)
    per_metre = round(dpi / 0.0254)
    chunks = {
        b"IHDR": struct.pack(">IIBBBBB", width, height, 8, 2 if opaque else 6, 0, 0, 0),  # 8 bits, RGB or RGBA
        b"pHYs": struct.pack(">IIB", per_metre, per_metre, 1),
        b"IDAT": zlib.compress(rows.tobytes(), 1),
        b"IEND": b"",
    }
    return b"\x89PNG\r\n\x1a\n" + b"".join(
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        for kind, data in chunks.items()
    )


def caption_bundle(alt):
    """The visually hidden caption output under a figure: its text alternative in a paragraph of class
    ``jp-sr-only`` (JupyterLab 4's class for text only screen readers reach; its sanitizer keeps classes)."""
    return {"text/html": f'<p class="jp-sr-only">Figure: {html.escape(alt)}</p>', "text/plain": ""}


def figure(nrows=1, ncols=1, size=(6.0, 3.5), squeeze=True, **subplot_kw):
    """A new :class:`Figure` with constrained layout and its axes (one Axes, or an array (nrows, ncols))."""
    fig = Figure(figsize=size, dpi=90, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=squeeze, subplot_kw=subplot_kw or None)
    return fig, axes


_VIEWS = weakref.WeakKeyDictionary()  # axes -> what a draw_* function drew on it, to update in place


# Curves ---------------------------------------------------------------------------------------


def curves(x, ys, *, xlabel, ylabel, title="", logy=False, logx=False, ylim=None, size=(6.0, 3.2), styles=None,
           legend="best", markers=False):  # fmt: skip
    """One line per ``{label: y}`` against ``x`` (shared, or one x per label when ``x`` is a dict).

    The k-th line takes :func:`series_style` (k) (with a marker too when ``markers``); ``styles`` {label: kwargs}
    overrides it.
    """
    fig, ax = figure(size=size)
    said = []
    for k, (label, y) in enumerate(ys.items()):
        xs = x[label] if isinstance(x, dict) else x
        ax.plot(xs, y, label=label, **{**series_style(k, markers), **(styles or {}).get(label, {})})
        said.append(trend(plain(label), xs, y, _name_of(xlabel)))
    if logy:
        ax.set_yscale("log")
    if logx:
        ax.set_xscale("log")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(loc=legend, fontsize=8)
    scale = ", y on a log scale" if logy and "log" not in ylabel else ""
    scale += ", x on a log scale" if logx and "log" not in xlabel else ""
    head = f"Line chart: {plain(title)}. " if title else "Line chart. "
    fig.alt = f"{head}{plain(ylabel)} against {plain(xlabel)}{scale}. " + "; ".join(said) + "."
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
    """Two panels: J per step (log scale) with a dotted ``floor``, and the hidden units still alive per step.

    histories, live_units: {label: values per step}; width: the number of hidden units.
    """
    fig, (ax_loss, ax_live) = figure(1, 2, size=(9.4, 3.4))
    for k, (label, history) in enumerate(histories.items()):
        ax_loss.plot(np.arange(1, len(history) + 1), history, label=label, **series_style(k))
        ax_live.plot(np.arange(1, len(live_units[label]) + 1), live_units[label], label=label, **series_style(k))
    ax_loss.axhline(floor, color=GREY, ls=":", lw=1.5, label=floor_label)
    ax_loss.set(yscale="log", xlabel="step", ylabel="J (log scale)", title="the objective")
    ax_live.set(xlabel="step", ylabel="live hidden units", ylim=(-0.5, width + 0.5),
                title="hidden units active on at least one input")  # fmt: skip
    ax_loss.legend(loc="upper right", fontsize=8)
    ax_live.legend(loc="center right", fontsize=8)
    loss = "; ".join(trend(label, np.arange(1, len(h) + 1), h, "step") for label, h in histories.items())
    live = "; ".join(trend(label, np.arange(1, len(v) + 1), v, "step") for label, v in live_units.items())
    fig.alt = (
        f"Two line charts. Left, the objective: J (log scale) against step, with a dotted line at {floor_label} "
        f"({num(floor)}); {loss}. Right, hidden units active on at least one input, of {width}, against step; {live}."
    )
    return fig


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


class UnicodeLogFormatter(LogFormatterSciNotation):
    """matplotlib's log-axis labels (10^-2, 2x10^-2) written with Unicode superscripts instead of mathtext: the
    same labels, without parsing a new mathtext string for every new decade (a third of a frame's time)."""

    def __call__(self, x, pos=None):
        label = super().__call__(x, pos)
        match = re.fullmatch(r"\$\\mathdefault\{(.*)\}\$", label)
        if match is None:
            return label
        text = match.group(1).replace("\\times", "×")
        return re.sub(r"\^\{(-?\d+)\}", lambda m: m.group(1).translate(_SUPERSCRIPT), text)


def draw_loss_curve(ax, history, lr):
    """The learning-rate explorer's curve: J per step for one learning rate, and how the run ended.

    history: J per step, NaN after the run stopped (as :func:`helpers.training.train` returns it). A run
    that stopped at the first step (no finite J) gets an empty panel that says so; J on a log scale
    when every J is > 0, else on a linear one. Draws from scratch the first time, in place after that.
    """
    history = as_array(history, "history", ndim=1, finite=False)
    lr = real(lr, "lr")
    view = _VIEWS.get(ax)
    if not isinstance(view, _LossCurve):
        view = _VIEWS[ax] = _LossCurve(ax)
    view.draw(history, lr)


class _LossCurve:
    def __init__(self, ax):
        ax.clear()
        self.ax = ax
        (self.line,) = ax.plot([], [], **series_style(0))
        self.note = ax.text(0.5, 0.5, "no finite J to plot: the first step overflowed", transform=ax.transAxes,
                            ha="center", va="center", color=GREY, visible=False)  # fmt: skip
        ax.set(xlabel="step")
        self.limits = None

    def draw(self, history, lr):
        ax, fig = self.ax, self.ax.figure
        steps = len(history)
        finite = history[np.isfinite(history)]
        xlim = (1, steps) if steps > 1 else (0.5, 1.5)  # (1, 1) would be an empty range
        if finite.size == 0:
            limits = ("empty", xlim)
            self.line.set_data([], [])
            title, alt = f"lr = {lr:.3g}: diverged at step 1", f"No line for lr = {lr:.3g}: the first step overflowed."
        else:
            log = bool(np.all(finite > 0))
            if log:  # the limits first, within 1e+-200: matplotlib's log ticks overflow on axes spanning more
                top = float(np.clip(finite.max(), 1e-190, 1e200)) * 1.25
                bottom = max(float(finite.min()) * 0.8, 1e-200)
                ylim = (bottom if bottom < top else top / 10, top)
            else:
                pad = 0.05 * (float(finite.max() - finite.min()) or 1.0)
                ylim = (float(finite.min()) - pad, float(finite.max()) + pad)
            limits = ("log" if log else "linear", xlim, ylim)
            self.line.set_data(np.arange(1, len(finite) + 1), finite)
            self.line.set_marker("o" if len(finite) == 1 else "None")
            ended = f"diverged at step {len(finite)}" if len(finite) < steps else f"J at step {steps}: {finite[-1]:.4f}"
            title = f"lr = {lr:.3g}: {ended}"
            said = trend("", np.arange(1, len(finite) + 1), finite, "step")
            stop = f"; the run diverged and stopped after step {len(finite)}" if len(finite) < steps else ""
            scale = "J on a log scale" if log else "J"
            alt = f"Line chart of J per step of gradient descent with lr = {lr:.3g}, {scale}: J {said}{stop}."
        if limits[:2] != (self.limits or (None, None))[:2]:  # another scale: redraw everything
            self.note.set_visible(finite.size == 0)
            if finite.size == 0:
                ax.set_yscale("linear")
                ax.set(ylabel="J", yticks=[])
            else:
                ax.set_yscale(limits[0])
                if limits[0] == "log":
                    ax.yaxis.set_major_formatter(UnicodeLogFormatter(10))  # the log scale's own, but plain text
                    ax.yaxis.set_minor_formatter(UnicodeLogFormatter(10, labelOnlyBase=False))
                ax.set(ylabel="J (log scale)" if limits[0] == "log" else "J")
            ax.set(xlim=xlim)
            if isinstance(fig, Figure):
                fig.invalidate()
        if len(limits) > 2:  # the y axis is live: new limits redraw it with the curve
            ax.set_ylim(*limits[2])
        self.limits = limits
        ax.set_title(title)
        fig.alt = alt
        if isinstance(fig, Figure):
            if ax not in fig._live:
                fig.animate(ax, [ax.yaxis, self.line, ax.title])
            fig.touch(ax)


# Heatmaps, gradient norms, classes ------------------------------------------------------------------


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
    said = []
    for ax, (title, M) in zip(np.atleast_1d(axes), checked.items()):
        lim = max(float(np.max(np.abs(M))), 1e-12)
        image = ax.imshow(M, cmap=DIVERGING, vmin=-lim, vmax=lim)
        for (i, j), v in np.ndenumerate(M):
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=7,
                    color=text_colour_on(image.cmap(image.norm(v))))  # fmt: skip
        ax.set(title=title, xticks=range(M.shape[1]), yticks=range(M.shape[0]), xlabel="column j", ylabel="row i")
        said.append(_matrix_gist(plain(title), M))
    fig.alt = (
        f"Heatmap{'s' * (len(checked) > 1)} of {len(checked)} matri{'ces' if len(checked) > 1 else 'x'}, negative "
        f"entries purple and positive ones orange, each cell labelled with its value. " + " ".join(said)
    )
    return fig


def _matrix_gist(title, M):
    m, n = M.shape
    text = f"{title}: {m} by {n}, entries from {num(M.min())} to {num(M.max())}"
    zeros = int(np.sum(M == 0))
    if m == n > 1 and zeros and np.all(M[~np.eye(m, dtype=bool)] == 0):
        text += ", diagonal"
    elif zeros:
        text += f", {zeros} of {M.size} exactly 0"
    if M.size <= 16:
        text += "; rows " + ", ".join("(" + ", ".join(num(v) for v in row) + ")" for row in M)
    return text + "."


def gradient_norms(norms, title="gradient norm per layer at initialisation"):
    """||dJ/dW_l|| against the layer l, one line per ``{label: norms}``, log scale, each with its own marker."""
    x = {k: np.arange(1, len(v) + 1) for k, v in norms.items()}
    fig = curves(x, norms, xlabel="layer l (1 = next to the input)", ylabel=r"$\|\partial J / \partial W_l\|$",
                 title=title, logy=True, markers=True)  # fmt: skip
    fig.axes[0].xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


#: How the two classes of a 2-D dataset are drawn: colour and marker.
CLASS_STYLE = {0: {"color": BLUE, "marker": "o"}, 1: {"color": VERMILLION, "marker": "^"}}


def classes(ax, x, y, title=""):
    """2-D points x (n, 2) coloured by labels y (n,) or (n, 1) in {0, 1}, each class with its own marker, on ``ax``."""
    x = as_array(x, "x", ndim=2)
    shape_is(x, (None, 2), "x")
    y = as_array(y, "y")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    shape_is(y, (len(x),), "y")
    labels_in(y, (0.0, 1.0), "y")
    for label, style in CLASS_STYLE.items():
        pts = x[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=10, c=style["color"], marker=style["marker"], label=f"class {label}")
    ax.set(title=title, aspect="equal", xlabel="$x_1$", ylabel="$x_2$")


# Softmax (05) ---------------------------------------------------------------------------------


def draw_softmax(ax, z, temperature):
    """softmax(z / T) beside the one-hot argmax as bars; the legend sits above every bar.

    Draws from scratch for new logits, in place for a new temperature.
    """
    z = np.asarray(z, dtype=float)
    view = _VIEWS.get(ax)
    if not isinstance(view, _Softmax) or not np.array_equal(view.z, z):
        view = _VIEWS[ax] = _Softmax(ax, z)
    view.draw(temperature)


class _Softmax:
    def __init__(self, ax, z):
        ax.clear()
        self.ax, self.z = ax, z
        k = np.arange(len(z))
        self.p = ax.bar(k - 0.2, np.zeros(len(z)), width=0.4, color=BLUE, label="softmax(z / T)", zorder=1.1)
        ax.bar(k + 0.2, A.argmax_onehot(z), width=0.4, label="argmax (one-hot)", facecolor="0.85", edgecolor=GREY,
               hatch="////", lw=0.6)  # fmt: skip
        ax.set(ylim=(0, 1.4), yticks=np.linspace(0, 1, 6), ylabel="probability")
        if len(z) <= 12:
            ax.set(xticks=k, xticklabels=[f"$z_{{{i + 1}}}$={v:.3g}" for i, v in enumerate(z)], xlabel="logit $z_i$")
        else:  # too many to label each: index ticks, as many as fit
            ax.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True))
            ax.set(xlim=(-0.7, len(z) - 0.3), xlabel="index of the logit")
        ax.legend(loc="upper center", ncol=2, fontsize=8, frameon=False)
        ax.set_title("temperature T")  # the layout makes room for it; draw says which T
        fig = ax.figure
        if isinstance(fig, Figure):
            fig.animate(ax, [*self.p.patches, ax.title])  # the legend stays: a frame draws no legend (~10 ms)
            if fig._engine is not None:  # new tick labels: lay the figure out again
                fig.freeze_layout()

    def draw(self, temperature):
        p = A.softmax(self.z, temperature)
        for bar, h in zip(self.p.patches, p):
            bar.set_height(h)
        self.ax.set_title(f"temperature T = {temperature:.3g}")
        fig = self.ax.figure
        fig.alt = _softmax_alt(self.z, temperature, p)
        if isinstance(fig, Figure):
            fig.touch(self.ax)


def _softmax_alt(z, temperature, p):
    q = A.argmax_onehot(z)
    winners = [f"z{i + 1}" for i in np.flatnonzero(q)]
    if len(winners) == 1:
        argmax = f"the one-hot argmax puts 1 on {winners[0]}"
    elif len(winners) == len(z):
        argmax = f"the argmax shares 1 equally among all {len(z)} ({num(q.max())} each)"
    else:
        argmax = f"the argmax shares 1 among {', '.join(winners)} ({num(q.max())} each)"
    if len(z) <= 12:
        logits = ", ".join(num(v) for v in z)
        if np.all(z == z[0]):
            probs = f"{num(p[0])} to each"
        else:
            probs = ", ".join(f"z{i + 1} {num(v)}" for i, v in enumerate(p))
        return (
            f"Bar chart of softmax(z / T) at temperature T = {temperature:.3g} beside the one-hot argmax, for the "
            f"logits z = {logits}. softmax gives {probs}; {argmax}."
        )
    top = np.argsort(-p, kind="stable")[:3]
    probs = ", ".join(f"z{i + 1} {num(p[i])}" for i in top)
    return (
        f"Bar chart of softmax(z / T) at temperature T = {temperature:.3g} beside the one-hot argmax, for {len(z)} "
        f"logits from {num(z.min())} to {num(z.max())}. The largest probabilities: {probs}; {argmax}."
    )


# Activation derivatives (06) ------------------------------------------------------------------


def derivative_panels(count):
    """The figure of problem 1.5(c) for ``count`` activations, two panels a row; draw on it with
    :func:`draw_derivatives`. Returns (fig, axes (rows, 2))."""
    rows = (count + 1) // 2
    fig, axes = figure(rows, 2, size=(7.4, 2.7 * rows), squeeze=False)
    for ax in axes.ravel()[count:]:
        ax.set_visible(False)
    return fig, axes


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


_DERIVATIVE_X = np.linspace(-4, 4, 801)


def draw_derivatives(axes, activations):
    """The slope of each activation (a list of :class:`~helpers.activations.Activation`) on the axes of
    :func:`derivative_panels`, titled from its record: kinked ones as two branches with PyTorch's value at 0,
    smooth ones as a curve with its value at 0 and the minima and maxima of the slope marked.

    A panel whose activation did not change is left as it is; one whose parameters changed is updated in place.
    """
    said = []
    for ax, act in zip(np.ravel(axes), activations):
        view = _VIEWS.get(ax)
        if isinstance(view, _Slope) and view.name == act.name and view.params == dict(act.params):
            said.append(view.alt)  # unchanged: nothing to draw
            continue
        if not isinstance(view, _Slope) or not view.fits(act):
            view = _VIEWS[ax] = _Slope(ax, act)
        view.draw(act)
        said.append(view.alt)
    fig = np.ravel(axes)[0].figure
    count = len(said)
    fig.alt = f"{count} panel{'s' * (count > 1)}, each the slope of an activation for x from -4 to 4. " + " ".join(said)


def _value_at_zero_varies(act):
    """True when the activation's slope at 0 changes over the range of its sliders (LeakyReLU's does; Softplus's is
    1/2 for every beta)."""
    ranges = {k: p.slider[:2] for k, p in act.definition.params.items() if p.slider}
    values = {
        float(A.get_activation(act.name, **dict(zip(ranges, ends))).deriv(np.array([0.0]))[0])
        for ends in ([lo for lo, _ in ranges.values()], [hi for _, hi in ranges.values()])
    }
    return len(values) > 1


class _Slope:
    """One panel of :func:`draw_derivatives`: the artists of one activation's slope, updated in place."""

    def __init__(self, ax, act):
        ax.clear()
        self.ax, self.name, self.params = ax, act.name, None
        self.kink = bool(act.definition.kink)
        ax.axhline(0, color="0.85", lw=0.8)
        ax.axvline(0, color="0.85", lw=0.8)
        style = {"color": BLUE, "lw": LINE_WIDTH}
        self.extremes = []
        if self.kink:  # two branches (no vertical segment at 0), open circles for the one-sided limits at 0
            (self.left,) = ax.plot([], [], **style)
            (self.right,) = ax.plot([], [], **style)
            (self.limits,) = ax.plot([], [], "o", mfc="white", color=BLUE, ms=5)
            (self.dot,) = ax.plot([], [], "o", color=BLUE, ms=5, label="value at 0")
            self.pointer = ax.annotate("", xy=(-2.0, 0.0), xytext=(-3.8, 0.45), fontsize=8,
                                       arrowprops={"arrowstyle": "->", "color": GREY})  # fmt: skip
            self.lines = [self.left, self.right, self.limits, self.dot, self.pointer]
        else:  # a curve, its value at 0, and the minima and maxima of the slope as squares
            (self.curve,) = ax.plot([], [], **style)
            (self.dot,) = ax.plot([], [], "o", color=BLUE, ms=5, label="value at 0")
            for _ in _slope_extremes(act, _DERIVATIVE_X, act.deriv(_DERIVATIVE_X)):
                (marker,) = ax.plot([], [], "s", color=VERMILLION, ms=5)
                note = ax.annotate("", xy=(0, 0), xytext=(0, 0), textcoords="offset points", fontsize=7,
                                   arrowprops={"arrowstyle": "->", "color": GREY})  # fmt: skip
                self.extremes.append((marker, note))
            self.lines = [self.curve, self.dot, *(a for pair in self.extremes for a in pair)]
        ax.set(xlabel="x", ylabel="slope", xlim=(-4, 4))
        self.legend = ax.legend(loc="upper left", fontsize=7)
        self.legend_changes = _value_at_zero_varies(act)  # else the legend stays: a frame draws no legend (~10 ms)
        self.ylim = None

    def fits(self, act):
        """True when ``act`` can be drawn on these artists (the same activation, as many slope extremes)."""
        if act.name != self.name:
            return False
        return self.kink or len(_slope_extremes(act, _DERIVATIVE_X, act.deriv(_DERIVATIVE_X))) == len(self.extremes)

    def draw(self, act):
        params = dict(act.params)
        if params == self.params:
            return
        ax, x = self.ax, _DERIVATIVE_X
        slope = act.deriv(x)
        shown = [f"{p.label} = {act.params[k]:.3g}" for k, p in act.definition.params.items() if p.slider]
        title = ", ".join([f"{act.definition.title}'(x)", *shown])
        if self.kink:
            left_slope, right_slope, at_zero = (float(v) for v in act.deriv(np.array([-1.0, 1.0, 0.0])))
            left, right = x[x < 0], x[x > 0]
            self.left.set_data(left, np.full_like(left, left_slope))
            self.right.set_data(right, np.full_like(right, right_slope))
            self.limits.set_data([0, 0], [left_slope, right_slope])
            self.dot.set_data([0], [at_zero])
            label = f"value at 0: {at_zero:g} (PyTorch)"
            small = 0 < abs(left_slope) < 0.15  # too close to 0 to see: say it
            self.pointer.set_visible(small)
            self.pointer.set_text(f"slope {left_slope:.3g} for x < 0" if small else "")
            self.pointer.xy = (-2.0, left_slope)
            self.alt = (
                f"{plain(title)}: {num(left_slope)} for x < 0 and {num(right_slope)} for x > 0, drawn as two flat "
                f"branches; at x = 0 the value {num(at_zero)} (PyTorch's)."
            )
        else:
            self.curve.set_data(x, slope)
            at_zero = float(act.deriv(np.array([0.0]))[0])
            self.dot.set_data([0], [at_zero])
            label = f"value at 0: {at_zero:g}"
            found = _slope_extremes(act, x, slope)
            for (marker, note), (xe, ye, kind) in zip(self.extremes, found):
                marker.set_data([xe], [ye])
                note.set_text(f"{kind} {ye:.4f}\nat x = {xe:+.3f}")
                note.xy = (xe, ye)
                note.set_position((-60, 28) if kind == "min" else (10, -32))  # a minimum's label above, a maximum's
            marks = "".join(f", {'minimum' if k == 'min' else 'maximum'} {num(ye)} at x = {num(xe)}"
                            for xe, ye, k in found)  # fmt: skip
            self.alt = (
                f"{plain(title)}: a smooth curve from {num(slope[0])} at x = -4 to {num(slope[-1])} at x = 4, "
                f"{num(at_zero)} at x = 0{marks}."
            )
        self.dot.set_label(label)
        self.legend.get_texts()[0].set_text(label)
        ax.set_title(title)
        ylim = (min(-0.25, float(slope.min()) - 0.1), max(1.25, float(slope.max()) + 0.1))
        fig = ax.figure
        first = self.params is None
        self.params = params
        if ylim != self.ylim:  # new ticks: redraw everything
            ax.set_ylim(*ylim)
            self.ylim = ylim
            if isinstance(fig, Figure):
                fig.invalidate()
        if isinstance(fig, Figure):
            if first:
                fig.animate(ax, [*self.lines, ax.title, *([self.legend] if self.legend_changes else [])])
                if fig.frozen:  # a new panel on a laid-out figure: lay out again
                    fig.freeze_layout()
            fig.touch(ax)


# Linear maps (07) -----------------------------------------------------------------------------

_GRID = np.linspace(-2, 2, 9)
_GRID_LINES = np.array([line for g in _GRID for line in (((g, -2), (g, 2)), ((-2, g), (2, g)))])  # (18, 2, 2)


def draw_transformation(ax, M, title, mirror_angle=None, shape=None):
    """A grid and a shape before (grey, dashed outline) and after (orange) the 2x2 map M; a reflection's mirror
    axis dashed. shape: (k, 2) polygon, by default the letter F of :func:`helpers.linear_transformations.letter_f`.

    Draws from scratch the first time (or for a new shape, or when the mirror axis comes or goes), in place after.
    """
    from helpers.linear_transformations import letter_f

    shape = letter_f() if shape is None else np.asarray(shape, dtype=float)
    M = np.asarray(M, dtype=float)
    view = _VIEWS.get(ax)
    if not isinstance(view, _Transformation) or not view.fits(shape, mirror_angle):
        view = _VIEWS[ax] = _Transformation(ax, shape, mirror_angle is not None)
    view.draw(M, title, mirror_angle)


class _Transformation:
    def __init__(self, ax, shape, mirror):
        ax.clear()
        self.ax, self.shape, self.mirror = ax, shape, mirror
        ax.add_collection(LineCollection(_GRID_LINES, colors="0.8", lw=0.8, label="grid before"))
        self.grid = LineCollection(_GRID_LINES, colors=BLUE, lw=0.7, alpha=0.6, linestyles=":", label="grid after")
        ax.add_collection(self.grid)
        live = [self.grid]
        if mirror:
            (self.axis,) = ax.plot([], [], color="black", ls="--", lw=1, label="mirror axis")
            live.append(self.axis)
        (self.after,) = ax.fill(*shape.T, color=ORANGE, alpha=0.8, label="after")
        (self.before,) = ax.fill(*shape.T, facecolor="none", edgecolor=GREY, lw=1.2, ls="--", label="before")
        live += [self.after, self.before, ax.title]
        ax.set(xlim=(-3, 3), ylim=(-3, 3), aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, borderaxespad=0)
        if isinstance(ax.figure, Figure):
            ax.figure.animate(ax, live)
        self.relayout = isinstance(ax.figure, Figure) and ax.figure.frozen  # cleared: lay out again once drawn

    def fits(self, shape, mirror_angle):
        return np.array_equal(shape, self.shape) and self.mirror == (mirror_angle is not None)

    def draw(self, M, title, mirror_angle):
        ax = self.ax
        self.grid.set_segments(_GRID_LINES @ M.T)
        if mirror_angle is not None:
            u = 3 * np.array([np.cos(mirror_angle), np.sin(mirror_angle)])
            self.axis.set_data([-u[0], u[0]], [-u[1], u[1]])
        self.after.set_xy(self.shape @ M.T)
        ax.set_title(title)
        det = float(np.linalg.det(M))
        shown = np.where(np.abs(M) < 1e-9 * max(1.0, float(np.abs(M).max())), 0.0, M)  # cos(90°) is 6e-17: say 0
        entries = "; ".join(", ".join(num(v) for v in row) for row in shown)
        what = (
            " The orange F is a mirror image of the grey one." if det < -1e-12
            else " The orange F is flattened onto a line or a point." if abs(det) <= 1e-12 else ""
        )  # fmt: skip
        mirror = ""
        if mirror_angle is not None:
            mirror = f" The mirror axis, dashed, is at {num(np.degrees(mirror_angle))} degrees."
        ax.figure.alt = (
            f"{plain(title)}. A square grid and the letter F before the map M = [{entries}] (grey; the F as a dashed "
            f"outline) and after it (the grid dotted blue, the F filled orange).{mirror}{what}"
        )
        if self.relayout:
            ax.figure.freeze_layout()
            self.relayout = False
        elif isinstance(ax.figure, Figure):
            ax.figure.touch(ax)


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
    for (label, style), hatch in zip(CLASS_STYLE.items(), (None, "////")):
        ax_d.hist(distance[y == label], bins=bins, color=style["color"], alpha=0.7, hatch=hatch,
                  label=f"class {label}")  # fmt: skip
    ax_d.axvline(0, color="0.2", ls="--", lw=1)
    ax_d.set(xlabel="signed distance to the plane", ylabel="points", title=titles[2])
    ax_d.legend(loc="upper center", fontsize=8)
    sides = []
    for label in CLASS_STYLE:
        d = distance[y == label]
        sides.append(f"class {label} ({len(d)} points) from {num(d.min())} to {num(d.max())}, {int(np.sum(d > 0))} of "
                     f"them on the positive side")  # fmt: skip
    fig.alt = (
        f"Three panels. {plain(titles[0])}: {len(x)} points of two classes in the plane (x1, x2), class 0 as blue "
        f"circles, class 1 as vermillion triangles. {plain(titles[1])}: the same points after the tanh layer, in 3-D "
        f"(h1, h2, h3), seen edge-on to the plane w·h + c = 0 that the output unit draws, which shows as a dashed "
        f"line. {plain(titles[2])}: histograms of each point's signed distance to that plane (positive: the output "
        f"says class 1): " + "; ".join(sides) + "."
    )
    return fig
