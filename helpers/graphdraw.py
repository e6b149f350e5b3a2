"""Drawing a computational graph (:mod:`helpers.computational_graph`) the way the course draws one.

Shapes as in class: variables are bubbles (inputs shaded grey, computed variables blue with a thicker edge),
deterministic functions (here + and ×) are rounded boxes. Each bubble shows its name, its value and its gradient
d root / d node. Inputs stand on the left, the root on the right; the layout is layered
(Sugiyama-style): an edge that skips a layer is routed through its own slot in every layer it
crosses, so no edge passes through a node it does not touch (:func:`crossings` checks it). Every drawing
carries a text alternative (:func:`describe`) that lists the inputs and the operations with their values
and gradients.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field

from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path
from matplotlib.transforms import Bbox

from helpers import plotting
from helpers.computational_graph import Value, topological_order

DX, DY = 1.6, 1.1  # distance between layers, and between slots in a layer
SIZES = {"input": (1.1, 0.8), "variable": (1.1, 0.8), "operator": (0.5, 0.5), "dummy": (0.0, 0.0)}
SYMBOLS = {"+": "+", "*": "×"}


@dataclass
class Node:
    key: str
    kind: str  # 'input', 'variable', 'operator' or 'dummy'
    text: str  # an operator's symbol, a variable's name ('' for an unnamed one)
    level: int
    x: float = 0.0
    y: float = 0.0
    numbers: tuple = ()  # a variable's (word, number) lines: (("value", "39"), ("grad", "1"))

    @property
    def size(self):
        return SIZES[self.kind]

    def box(self):
        """(x0, y0, x1, y1) of the node's shape."""
        w, h = self.size
        return self.x - w / 2, self.y - h / 2, self.x + w / 2, self.y + h / 2


@dataclass
class Edge:
    source: str
    target: str
    via: list = field(default_factory=list)  # keys of the dummy nodes it is routed through
    points: list = field(default_factory=list)


def _is_number(label):
    try:
        float(label)
    except ValueError:
        return False
    return True


def _bubble(key, kind, v: Value, level):
    """A variable's node: its name (a constant's is its number; a computed variable may have none) and numbers."""
    name = v.label if v.label and not _is_number(v.label) else ("" if v.children else v.label)
    return Node(key, kind, name, level, numbers=(("value", f"{v.data:g}"), ("grad", f"{v.grad:g}")))


def layout(root):
    """Nodes and edges of the graph under ``root`` with positions: (dict key -> Node, list of Edge)."""
    nodes, edges = {}, []
    for v in topological_order(root):
        key = f"v{id(v)}"
        if not v.children:
            nodes[key] = _bubble(key, "input", v, 0)
            continue
        op = f"op{id(v)}"
        level = 1 + max(nodes[f"v{id(c)}"].level for c in v.children)
        nodes[op] = Node(op, "operator", SYMBOLS[v.op], level)
        nodes[key] = _bubble(key, "variable", v, level + 1)
        edges += [Edge(f"v{id(c)}", op) for c in v.children] + [Edge(op, key)]
    for i, e in enumerate(edges):  # an edge that skips layers gets a dummy slot in each
        for level in range(nodes[e.source].level + 1, nodes[e.target].level):
            dummy = Node(f"d{i}_{level}", "dummy", "", level)
            nodes[dummy.key] = dummy
            e.via.append(dummy.key)
    layers = _order(nodes, edges)
    _place(nodes, edges, layers)
    for e in edges:
        _route(e, nodes, edges)
    return nodes, edges


def _chains(edges):
    """Each edge as its consecutive pairs (source, dummy, ..., target)."""
    for e in edges:
        keys = [e.source, *e.via, e.target]
        yield from zip(keys[:-1], keys[1:])


def _mean(values):
    """The mean of a list of numbers. For fewer than 8 terms, np.mean's very value (it too adds them one after
    another; pairwise only from 8 on), without np.mean's 15 us a call, which the layout paid 400 times a frame."""
    return sum(values) / len(values)


def _order(nodes, edges, sweeps=6):
    """Nodes per layer, ordered to keep edges short (barycentre heuristic, down and up sweeps)."""
    depth = max(n.level for n in nodes.values())
    layers = [[k for k, n in nodes.items() if n.level == level] for level in range(depth + 1)]
    pred, succ = {k: [] for k in nodes}, {k: [] for k in nodes}
    for a, b in _chains(edges):
        pred[b].append(a)
        succ[a].append(b)
    for sweep in range(sweeps):
        down = sweep % 2 == 0
        for level in range(1, depth + 1) if down else range(depth - 1, -1, -1):
            neighbours = pred if down else succ
            index = {k: i for i, k in enumerate(layers[level - 1 if down else level + 1])}
            layer = layers[level]
            bary = {k: _mean([index[n] for n in neighbours[k]]) if neighbours[k] else i for i, k in enumerate(layer)}
            layer.sort(key=lambda k: bary[k])
    return layers


def _place(nodes, edges, layers, iterations=20):
    """x from the layer; y pulled towards the neighbours' mean, then pushed apart to at least DY."""
    neighbours = {k: [] for k in nodes}
    for a, b in _chains(edges):
        neighbours[a].append(b)
        neighbours[b].append(a)
    for level, layer in enumerate(layers):
        for i, k in enumerate(layer):
            nodes[k].x, nodes[k].y = level * DX, ((len(layer) - 1) / 2 - i) * DY
    for _ in range(iterations):
        for layer in layers:
            for k in layer:
                if neighbours[k]:
                    nodes[k].y = 0.5 * nodes[k].y + 0.5 * _mean([nodes[n].y for n in neighbours[k]])
            for above, below in zip(layer[:-1], layer[1:]):  # keep the order and the spacing
                nodes[below].y = min(nodes[below].y, nodes[above].y - DY)


def _route(edge, nodes, edges):
    """The edge's polyline: from the source's right side through its dummies to the target's left side.

    Parallel edges (x + x) enter the target at different heights so both show.
    """
    s, t = nodes[edge.source], nodes[edge.target]
    twins = [e for e in edges if (e.source, e.target) == (edge.source, edge.target)]
    offset = 0.0 if len(twins) == 1 else (twins.index(edge) - (len(twins) - 1) / 2) * 0.25 * t.size[1]
    start = (s.x + s.size[0] / 2, s.y)
    end = (t.x - t.size[0] / 2, t.y + offset)
    edge.points = [start, *[(nodes[k].x, nodes[k].y) for k in edge.via], end]


def _segment_hits_box(p, q, box, margin):
    """True if the segment p-q passes through the box grown by ``margin`` (Liang-Barsky clipping)."""
    x0, y0, x1, y1 = box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin
    (px, py), (qx, qy) = p, q
    dx, dy = qx - px, qy - py
    lo, hi = 0.0, 1.0
    for d, low, high, start in ((dx, x0, x1, px), (dy, y0, y1, py)):
        if d == 0:
            if not low <= start <= high:
                return False
            continue
        a, b = (low - start) / d, (high - start) / d
        lo, hi = max(lo, min(a, b)), min(hi, max(a, b))
        if lo > hi:
            return False
    return True


def crossings(nodes, edges, margin=0.05):
    """(edge, node key) pairs where an edge passes through a node it does not start or end at."""
    found = []
    for e in edges:
        for node in nodes.values():
            if node.kind == "dummy" or node.key in (e.source, e.target):
                continue
            if any(_segment_hits_box(p, q, node.box(), margin) for p, q in zip(e.points[:-1], e.points[1:])):
                found.append((e, node.key))
    return found


def graph_figure_axes(size=(8.0, 3.8)):
    """A figure and axes for :func:`draw_graph` (the explorer's, which keeps one figure)."""
    return plotting.figure(size=size)


#: Fill and edge of each kind of node: inputs shaded grey, computed variables light blue with a thicker blue
#: edge, operators light orange boxes (a shape of their own).
NODE_STYLE = {
    "input": {"fc": "#dddddd", "ec": "0.2", "lw": 1.0},
    "variable": {"fc": "#cfe6f7", "ec": plotting.BLUE, "lw": 2.0},
    "operator": {"fc": "#fbe3c0", "ec": "0.3", "lw": 1.0},
}


FONTSIZE = 7.5  # points: a bubble's text
ROW = 9.5  # points between the baselines of a bubble's lines
BASELINE = 2.7  # points from a line's middle down to its baseline (half a digit's height)
COLUMN = 5.0  # points right of a bubble's centre: its words end GAP before, its numbers start GAP after
GAP = 1.5
SHORT, DIGIT = 4, 0.64 * FONTSIZE  # numbers longer than SHORT characters move the column left; a digit's width


def _column(n):
    """Where bubble ``n``'s words end and its numbers start, in points right of its centre: COLUMN, moved left by half
    a digit for each character its longest number has beyond SHORT, so that a long line stays about centred on the
    bubble (a line wider than the bubble, as the bubble is drawn, sticks out on both sides)."""
    longest = max(len(number) for _, number in n.numbers)
    return COLUMN - DIGIT / 2 * max(0, longest - SHORT)


def _structure(nodes, edges):
    """What the drawing of a graph depends on apart from the numbers its bubbles show."""
    return (
        [
            (n.kind, n.x, n.y, n.text, [word for word, _ in n.numbers], _column(n) if n.numbers else None)
            for n in nodes.values()
        ],
        [[tuple(p) for p in e.points] for e in edges],
    )


def _write(ax, n, text, dx, dy, ha):
    """``text`` at (dx, dy) points from node ``n``'s centre, on its baseline."""
    return ax.annotate(text, (n.x, n.y), xytext=(dx, dy), textcoords="offset points", ha=ha, va="baseline",
                       fontsize=FONTSIZE, annotation_clip=False)  # fmt: skip


def _draw_bubble(ax, n):
    """The bubble of variable ``n``: its name centred on top, then one line per number, the words right-aligned and
    the numbers left-aligned on the bubble's :func:`_column`. Returns {number text: its tile}.

    The numbers are the only text that changes with the values (as long as the column stays), so only they are
    redrawn, each in a tile of its own: the band of its line, from the column to half-way to the next layer."""
    w, h = n.size
    bubble = ax.add_patch(Ellipse((n.x, n.y), w, h, **NODE_STYLE[n.kind]))
    lines = len(n.numbers) + bool(n.text)
    baselines = [((lines - 1) / 2 - k) * ROW - BASELINE for k in range(lines)]
    if n.text:
        _write(ax, n, n.text, 0.0, baselines.pop(0), "center")
    column, texts = _column(n), []
    for (word, number), dy in zip(n.numbers, baselines):
        _write(ax, n, word, column - GAP, dy, "right")
        texts.append(_write(ax, n, number, column + GAP, dy, "left"))
    return {text: _band(ax, n, bubble, column, texts, k) for k, text in enumerate(texts)}


def _band(ax, n, bubble, column, texts, k):
    """A function(renderer) -> the display box, in whole pixels, of the tile of bubble ``n``'s k-th number (of its
    number ``texts``): from the column to half-way to the next layer (where an operator stands, never a bubble), and
    from half-way between its line and the next ones (the bubble's edge for the first and last line). On a graph
    drawn so small that its lines stand out of its bubbles the box is empty or flipped: no frame uses it."""

    def tile(renderer):
        x = ax.transData.transform((n.x, n.y))[0]
        x1 = ax.transData.transform((n.x + DX / 2, n.y))[0]
        box = bubble.get_window_extent(renderer)
        y0, y1 = box.y0, box.y1
        if k > 0:
            y1 = (texts[k - 1].get_window_extent(renderer).y0 + texts[k].get_window_extent(renderer).y1) / 2
        if k < len(texts) - 1:
            y0 = (texts[k].get_window_extent(renderer).y0 + texts[k + 1].get_window_extent(renderer).y1) / 2
        return Bbox.from_extents(math.ceil(x + column * ax.figure.dpi / 72), round(y0), math.floor(x1), round(y1))

    return tile


def draw_graph(ax, root, title=""):
    """Draw the graph under ``root`` on ``ax``; returns (nodes, edges) of its :func:`layout`.

    The same graph with other values (or gradients) is updated in place: only the numbers that changed are drawn.
    """
    nodes, edges = layout(root)
    structure = _structure(nodes, edges)
    view = _VIEWS.get(ax)
    fig = ax.figure
    if view is not None and view["structure"] == structure:
        numbers = [number for n in nodes.values() for _, number in n.numbers]
        for text, number in zip(view["texts"], numbers):
            if text.get_text() != number:
                text.set_text(number)
                if isinstance(fig, plotting.Figure):
                    fig.touch(ax, text)  # only its tile is drawn again
        if ax.get_title() != title:
            ax.set_title(title)
            if isinstance(fig, plotting.Figure):
                fig.touch(ax)
    else:
        ax.clear()
        tiles = {}
        for e in edges:
            path = Path(e.points, [Path.MOVETO] + [Path.LINETO] * (len(e.points) - 1))
            ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=9, color="0.45", lw=1))
        for n in nodes.values():
            w, h = n.size
            if n.kind == "operator":
                ax.add_patch(FancyBboxPatch((n.x - w / 2, n.y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.12",
                                            **NODE_STYLE["operator"]))  # fmt: skip
                ax.text(n.x, n.y, n.text, ha="center", va="center", fontsize=12)
            elif n.kind != "dummy":
                tiles.update(_draw_bubble(ax, n))
        xs = [n.x for n in nodes.values()]
        ys = [n.y for n in nodes.values()]
        ax.set(xlim=(min(xs) - 0.7, max(xs) + 0.7), ylim=(min(ys) - 0.6, max(ys) + 0.6), aspect="equal", title=title)
        ax.axis("off")
        _VIEWS[ax] = {"structure": structure, "texts": list(tiles)}
        if isinstance(fig, plotting.Figure):
            fig.animate(ax, [*tiles, ax.title], tiles=tiles)
            if fig.frozen:  # another graph: other limits and aspect, so lay the figure out again
                fig.freeze_layout()
    fig.alt = describe(root, title)
    return nodes, edges


_VIEWS = weakref.WeakKeyDictionary()  # axes -> what draw_graph drew on it


def describe(root, title=""):
    """The text alternative of a graph: its inputs with their values and gradients, then each operation in the
    order it runs, what it computes from what, its value and its gradient."""
    order = topological_order(root)
    names, steps, inputs = {}, [], []
    for v in order:
        if not v.children:
            names[id(v)] = v.label or f"{v.data:g}"
            if not _is_number(v.label):
                inputs.append(f"{v.label} = {v.data:g} (gradient {v.grad:g})")
            continue
        a, b = (names[id(c)] for c in v.children)
        symbol = SYMBOLS[v.op]
        names[id(v)] = v.label if v.label and not _is_number(v.label) else f"step {len(steps) + 1}"
        own = f" = {v.label}" if v.label and not _is_number(v.label) else ""
        steps.append(f"step {len(steps) + 1}: {a} {symbol} {b} = {v.data:g}{own} (gradient {v.grad:g})")
    head = f"Computational graph of {title}" if title else "Computational graph"
    what = "; ".join(inputs) if inputs else "none"
    body = "; ".join(steps) if steps else f"a single input, {names[id(root)]} = {root.data:g}"
    return (
        f"{head}, drawn from the inputs on the left to the output on the right; each variable shows its value and "
        f"the gradient of the output with respect to it. Inputs: {what}. Operations in the order they run: {body}."
    )


def graph_figure(root, title="", inches_per_unit=0.68):
    """A figure sized to the graph under ``root``, drawn with :func:`draw_graph`."""
    nodes, _ = layout(root)
    xs = [n.x for n in nodes.values()]
    ys = [n.y for n in nodes.values()]
    width = round((max(xs) - min(xs) + 1.4) * inches_per_unit, 1)
    size = (width, round((max(ys) - min(ys) + 1.2) * inches_per_unit + 0.45, 1))
    fig, ax = plotting.figure(size=size)
    draw_graph(ax, root, title)
    return fig
