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

import weakref
from dataclasses import dataclass, field

from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from helpers import plotting
from helpers.computational_graph import Value, topological_order

DX, DY = 1.6, 1.1  # distance between layers, and between slots in a layer
SIZES = {"input": (1.1, 0.8), "variable": (1.1, 0.8), "operator": (0.5, 0.5), "dummy": (0.0, 0.0)}
SYMBOLS = {"+": "+", "*": "×"}


@dataclass
class Node:
    key: str
    kind: str  # 'input', 'variable', 'operator' or 'dummy'
    text: str
    level: int
    x: float = 0.0
    y: float = 0.0

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


def _bubble_text(v: Value):
    name = v.label if v.label and not _is_number(v.label) else ("" if v.children else v.label)
    return "\n".join(s for s in (name, f"value {v.data:g}", f"grad {v.grad:g}") if s)


def layout(root):
    """Nodes and edges of the graph under ``root`` with positions: (dict key -> Node, list of Edge)."""
    nodes, edges = {}, []
    for v in topological_order(root):
        key = f"v{id(v)}"
        if not v.children:
            nodes[key] = Node(key, "input", _bubble_text(v), 0)
            continue
        op = f"op{id(v)}"
        level = 1 + max(nodes[f"v{id(c)}"].level for c in v.children)
        nodes[op] = Node(op, "operator", SYMBOLS[v.op], level)
        nodes[key] = Node(key, "variable", _bubble_text(v), level + 1)
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


def _structure(nodes, edges):
    """What the drawing of a graph depends on apart from the values and gradients it shows."""
    return (
        [(n.kind, n.x, n.y, n.text if n.kind == "operator" else "") for n in nodes.values()],
        [[tuple(p) for p in e.points] for e in edges],
    )


def draw_graph(ax, root, title=""):
    """Draw the graph under ``root`` on ``ax``; returns (nodes, edges) of its :func:`layout`.

    The same graph with other values (or gradients) is updated in place: only the bubbles' text changes.
    """
    nodes, edges = layout(root)
    structure = _structure(nodes, edges)
    view = _VIEWS.get(ax)
    fig = ax.figure
    if view is not None and view["structure"] == structure:
        for text, n in zip(view["texts"], (n for n in nodes.values() if n.kind in ("input", "variable"))):
            if text.get_text() != n.text:
                text.set_text(n.text)
                if isinstance(fig, plotting.Figure):
                    fig.touch(ax, text)  # only its bubble is drawn again
        if ax.get_title() != title:
            ax.set_title(title)
            if isinstance(fig, plotting.Figure):
                fig.touch(ax)
    else:
        ax.clear()
        texts, tiles = [], {}
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
                bubble = ax.add_patch(Ellipse((n.x, n.y), w, h, **NODE_STYLE[n.kind]))
                texts.append(ax.text(n.x, n.y, n.text, ha="center", va="center", fontsize=7.5, linespacing=1.15))
                tiles[texts[-1]] = bubble.get_window_extent
        xs = [n.x for n in nodes.values()]
        ys = [n.y for n in nodes.values()]
        ax.set(xlim=(min(xs) - 0.7, max(xs) + 0.7), ylim=(min(ys) - 0.6, max(ys) + 0.6), aspect="equal", title=title)
        ax.axis("off")
        _VIEWS[ax] = {"structure": structure, "texts": texts}
        if isinstance(fig, plotting.Figure):
            fig.animate(ax, [*texts, ax.title], tiles=tiles)
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
