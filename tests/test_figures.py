"""Every figure helpers draws, with the notebooks' own data, is laid out: no text overlapping text or
leaving the canvas, every axis labelled, no legend over data (tests/figure_check.py); and the
computational-graph layout routes no edge through a node it does not touch."""

import numpy as np
import pytest
from figure_check import bubble_texts, problems

from helpers import MLP, graphdraw, linear_transformations, losses, plotting, widgets
from helpers.activations import d_sigmoid, sigmoid
from helpers.computational_graph import build, homework_graph, reuse_example
from helpers.data import circles, regression
from helpers.depth import deep_stack, layer_gradient_norms
from helpers.jacobians import mlp_jacobians
from helpers.training import train


def _nb01():
    x, y = regression(n=64, seed=0)

    def make_net(seed=0):
        return MLP(2, 16, "relu", 16, 1, "identity", init="he", seed=seed)

    histories, live = {}, {}
    for name, zero_grad in {"with zero_grad": True, "without zero_grad": False}.items():
        live[name] = []
        histories[name] = train(make_net(), x, y, losses.mse, 0.05, 300, zero_grad=zero_grad,
                                callback=lambda net, alive=live[name]: alive.append(1))  # fmt: skip
    yield "01 training", plotting.loss_curves({"lr = 0.05": histories["with zero_grad"]}, title="full-batch")
    yield "01 zero_grad", plotting.training_runs(histories, live, y.var(), "Var(y): the best constant", 16)
    explorer = widgets.learning_rate_explorer(make_net, x, y, losses.mse)
    yield from _explorer_states("01 lr explorer", explorer, [{"lr": lr} for lr in (1e-3, 0.05, 1.0)])


def _nb02():
    from helpers.answers import PROBLEMS

    net = PROBLEMS["1.2"].net(3, 4, 2, seed=5)
    jac = mlp_jacobians(
        net, np.array([0.1257, -0.1321, 0.6404]), np.array([0.1049, -0.5357]), PROBLEMS["1.2"].loss_fn()
    )
    yield "02 jacobians", plotting.heatmaps({f"∂z2/∂z1 {jac['dz2_dz1'].shape}": jac["dz2_dz1"],
                                               f"∂ŷ/∂z3 {jac['dy_hat_dz3'].shape}": jac["dy_hat_dz3"],
                                               f"∂ℓ/∂ŷ {jac['dl_dy_hat'].shape}": jac["dl_dy_hat"]})  # fmt: skip


def _nb03():
    z = np.linspace(-12, 12, 481)
    ones = np.ones_like(z)
    push = {"MSE": np.abs(losses.mse(sigmoid(z), ones, reduction="none")[1] * d_sigmoid(z)),
            "BCE": np.abs(losses.bce_with_logits(z, ones, reduction="none")[1])}  # fmt: skip
    x, labels = circles(n=200, seed=0)
    runs = {}
    for name, loss in {"MSE (mean)": losses.mse, "BCE (mean)": losses.bce}.items():
        net = MLP(2, 16, "tanh", 16, 1, "sigmoid", init="lecun", seed=0)
        net.parameters["b2"][:] = -8.0
        runs[name] = train(net, x, labels, loss, lr=1.0, steps=2000)
    norms = {f"{a} hidden units": layer_gradient_norms(deep_stack(a), x, labels) for a in ("sigmoid", "tanh", "relu")}
    yield "03 push", plotting.curves(z, push, xlabel="z3", ylabel="|dl/dz3|", title="push", logy=True,
                                     legend="lower left")  # fmt: skip
    yield "03 plateau", plotting.loss_curves(runs, title="from a saturated start", logx=True, legend="lower left")
    yield "03 gradient norms", plotting.gradient_norms(norms)


def _nb04():
    m = np.linspace(-3, 3, 601)
    ones = np.ones_like(m)
    curves = {
        "perceptron  max(0, -m)": losses.perceptron(m, ones, reduction="none")[0],
        "Adaline  (1 - m)^2 / 2": losses.adaline(m, ones, reduction="none")[0],
        "tanh-logistic  softplus(-2m) - ln 2": losses.tanh_logistic(m, ones, reduction="none")[0],
    }
    fig = plotting.curves(m, curves, xlabel="margin m = y z", ylabel="loss", ylim=(-1, 4), legend="upper right",
                          title="losses derived from the same update rule")  # fmt: skip
    yield "04 margins", fig


def _explorer_states(name, explorer, settings):
    """(name, figure) for each setting of the explorer's controls, one at a time: the explorer redraws its one
    figure in place, so each must be checked before the next setting."""
    for values in settings:
        for control, value in values.items():
            explorer.controls[control].value = value
        assert explorer.error == "", explorer.error
        yield f"{name} {values}", explorer.fig


def _nb05():
    for logits in ("1, 2, 0.5, 3", "4, 1, 1", "1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1", ", ".join(map(str, range(64)))):
        explorer = widgets.softmax_explorer(logits)
        temperatures = [{"temperature": t} for t in (0.01, 1.0, 100.0)]
        yield from _explorer_states(f"05 softmax {logits[:12]}", explorer, temperatures)
    explorer = widgets.softmax_explorer()  # new logits in the same figure: laid out again
    new_logits = [{"logits": ", ".join(map(str, range(64)))}, {"logits": "4, 1, 1"}]
    yield from _explorer_states("05 softmax new logits", explorer, new_logits)


def _nb06():
    settings = [{"negative_slope": s, "beta": b} for s, b in ((0.01, 1.0), (0.0, 0.1), (0.5, 10.0), (0.2, 2.0))]
    yield from _explorer_states("06 derivatives", widgets.activation_derivatives_explorer(), settings)


def _nb07():
    extremes = {"scaling": {"factor": -2.0}, "rotation": {"angle": 180.0}, "reflection": {"axis": 90.0},
                "shear": {"shear": 2.0}, "free": {"a": 2.0, "b": -2.0, "c": 2.0, "d": -2.0}}  # fmt: skip
    for kind, values in extremes.items():
        yield from _explorer_states(f"07 {kind}", widgets.transformation_explorer(kind), [{}, values])
    explorer = widgets.transformation_explorer("scaling")  # the mirror axis comes and goes in one figure
    yield from _explorer_states("07 kinds", explorer, [{"kind": "reflection", "axis": 90.0}, {"kind": "free"}])
    x, labels = circles(n=200, seed=0)
    net = MLP(2, 3, "tanh", 3, 1, "sigmoid", init="lecun", seed=0)
    train(net, x, labels, losses.bce, lr=1.0, steps=1500)
    net.forward(x)
    yield "07 hidden space", plotting.hidden_space(
        x, labels, net.layer_output(1), net.parameters["W2"][0], net.parameters["b2"][0],
        ("input space", "after tanh(W1 x + b1): a plane separates them", "distance to the plane, by class"),
    )  # fmt: skip


def _graphs():
    w, _ = homework_graph(1.0, 2.0, 3.0, 4.0)
    graphs = {"homework": w, "ours": reuse_example()[0]}
    for text in ("x*y + z", "(x + y) * (z * o) + z", "x*x*x + 3*y", "x + x + x*y*z", "(a+b)*(c+d)*(a+c) + b*d", "x"):
        root, _ = build(text, dict.fromkeys("abcdoxyz", 1.5))
        graphs[text] = root
    for root in graphs.values():
        root.backward()
    return graphs


def _nb08():
    for k, root in _graphs().items():
        yield f"08 graph {k}", graphdraw.graph_figure(root, title=k)
    settings = [{"expression": e} for e in ("x*y + z", "(x + y) * (z * o) + z", "x*x*x + 3*y", "x")]
    settings += [{"expression": "x*y + z"}, {"values": "x=-1000.5, y=2e-7, z=3"}]
    explorer = widgets.graph_explorer("(x + y) * (z * o) + z", "x=1, y=2, z=3, o=4")
    yield from _explorer_states("08 graph explorer", explorer, settings)


BUILDERS = [_nb01, _nb02, _nb03, _nb04, _nb05, _nb06, _nb07, _nb08]


@pytest.mark.parametrize("build", BUILDERS, ids=[b.__name__[1:] for b in BUILDERS])
def test_every_figure_is_laid_out(build):
    found = {}
    for name, fig in build():
        if issues := problems(fig):
            found[name] = issues
    assert not found, found


def test_the_layout_check_finds_overlap_clipping_missing_labels_and_a_covering_legend():
    fig, ax = plotting.figure(size=(3, 2))
    fig.set_layout_engine("none")
    ax.plot(np.linspace(0, 1, 50), np.linspace(0, 1, 50), label="data")
    ax.legend(loc="center")
    ax.set_title("a title long enough to leave a small canvas on both sides")
    ax.text(0.5, 0.5, "over the legend", transform=ax.transAxes)
    found = " | ".join(problems(fig))
    for words in ("leaves the canvas", "overlaps", "unlabelled axis", "covers"):
        assert words in found, (words, found)


@pytest.mark.parametrize("name", list(_graphs()))
def test_no_edge_passes_through_a_node_it_does_not_touch(name):
    nodes, edges = graphdraw.layout(_graphs()[name])
    assert edges or len(nodes) == 1
    assert not graphdraw.crossings(nodes, edges)


def test_crossings_finds_an_edge_through_a_node():
    w, _ = homework_graph(1.0, 2.0, 3.0, 4.0)
    nodes, edges = graphdraw.layout(w)
    edge = edges[0]
    other = next(n for n in nodes.values() if n.kind != "dummy" and n.key not in (edge.source, edge.target))
    edge.points = [edge.points[0], (other.x, other.y), edge.points[-1]]
    assert (edge, other.key) in graphdraw.crossings(nodes, edges)


def test_operators_are_drawn_as_operator_nodes_with_values_and_gradients_on_the_variables():
    w, _ = homework_graph(1.0, 2.0, 3.0, 4.0)
    w.backward()
    nodes, _ = graphdraw.layout(w)
    kinds = sorted(n.kind for n in nodes.values() if n.kind != "dummy")
    assert kinds.count("operator") == 4 and kinds.count("input") == 4 and kinds.count("variable") == 4
    assert {n.text for n in nodes.values() if n.kind == "operator"} == {"+", "×"}
    bubbles = {n.text: n.numbers for n in nodes.values() if n.kind in ("input", "variable")}
    assert bubbles["z"] == (("value", "3"), ("grad", "13")) and bubbles["w"] == (("value", "39"), ("grad", "1"))
    drawn = bubble_texts(graphdraw.graph_figure(w).axes[0])
    assert "z\nvalue 3\ngrad 13" in drawn and "w\nvalue 39\ngrad 1" in drawn, drawn


@pytest.mark.parametrize("name", list(_graphs()))
def test_no_two_numbers_of_a_graph_share_a_pixel_of_their_tiles(name):
    """A number is redrawn alone over its tile: a tile that overlapped another number's would wipe part of it."""
    fig = graphdraw.graph_figure(_graphs()[name])
    fig.freeze_layout().png()
    tiles = [extents for extents, _ in fig._background[2].values()]
    assert len(tiles) == 2 * sum(n.kind in ("input", "variable") for n in graphdraw.layout(_graphs()[name])[0].values())
    for i, a in enumerate(tiles):
        for b in tiles[:i]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1]), (a, b)


def test_a_new_value_redraws_only_the_numbers_it_changes():
    e = widgets.graph_explorer("(x + y) * (z * o) + z", "x=1, y=2, z=3, o=4")
    e.fig.png()
    e.controls["values"].value = "x=2, y=2, z=3, o=4"  # x + y: 3 -> 4; its gradient z o stays 12
    changed = sorted(t.get_text() for t in e.fig._touched)
    # x's value, x + y's value, z o's gradient x + y, z's gradient (x + y) o + 1, o's gradient (x + y) z,
    # (x + y) z o's value and w's value
    assert changed == sorted(["2", "4", "4", "17", "12", "48", "51"]), changed


def test_transformation_maps_match_linear():  # the figure shows the map it claims
    for kind, M in (("scaling", linear_transformations.scaling(1.5)), ("shear", linear_transformations.shear(0.8))):
        e = widgets.transformation_explorer(kind)
        after = [p for p in e.fig.axes[0].patches if p.get_label() == "after"][0].get_xy()[:-1]
        np.testing.assert_allclose(after, linear_transformations.letter_f()[:-1] @ M.T, atol=1e-12)


def test_the_plane_polygon_lies_in_the_plane_and_the_cube_and_goes_round_it():
    square = plotting.plane_in_cube(np.array([0.0, 0.0, 1.0]), 0.0)  # z = 0: the cube's middle square
    assert {tuple(p) for p in square} == {(-1.0, -1.0, 0.0), (-1.0, 1.0, 0.0), (1.0, -1.0, 0.0), (1.0, 1.0, 0.0)}
    rng = np.random.default_rng(5)
    for _ in range(50):
        w, c = rng.standard_normal(3), 0.5 * rng.standard_normal()
        polygon = plotting.plane_in_cube(w, c)
        assert len(polygon) == 0 or 3 <= len(polygon) <= 6
        assert np.allclose(polygon @ w + c, 0, atol=1e-9) and np.all(np.abs(polygon) <= 1 + 1e-12)
        if len(polygon) >= 3:  # in order around it: consecutive edges turn the same way
            edges = np.roll(polygon, -1, axis=0) - polygon
            turns = np.cross(edges, np.roll(edges, -1, axis=0)) @ w
            assert np.all(turns > 0) or np.all(turns < 0)
    assert len(plotting.plane_in_cube(np.array([1.0, 0.0, 0.0]), 5.0)) == 0  # x = -5 misses the cube


def test_the_edge_on_view_looks_along_the_plane():
    rng = np.random.default_rng(6)
    for _ in range(20):
        w, points = rng.standard_normal(3), rng.standard_normal((30, 3))
        elev, azim = np.radians(plotting.edge_on_view(w, points))
        eye = np.array([np.cos(elev) * np.cos(azim), np.cos(elev) * np.sin(azim), np.sin(elev)])
        assert abs(eye @ w) < 1e-9 * np.linalg.norm(w)  # the eye lies in the plane: the plane is seen edge-on


def _pixels(png):
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


FRAMES = {  # explorer: states it goes through, one control change at a time
    "learning rate": (
        lambda: widgets.learning_rate_explorer(
            lambda: MLP(2, 16, "relu", 16, 1, "identity", init="he", seed=0), *regression(n=64, seed=0), losses.mse
        ),
        [("lr", 0.001), ("lr", 0.3), ("lr", 1.0), ("lr", 0.05)],
    ),
    "softmax": (
        widgets.softmax_explorer,
        [("temperature", 0.01), ("temperature", 7.0), ("logits", "4, 1, 1"), ("temperature", 2.0)],
    ),
    "derivatives": (
        widgets.activation_derivatives_explorer,
        [("negative_slope", 0.1), ("beta", 5.0), ("negative_slope", 0.0), ("beta", 0.1)],
    ),
    "transformation": (
        lambda: widgets.transformation_explorer("free"),
        [("a", 2.0), ("b", -2.0), ("kind", "reflection"), ("axis", 100.0), ("kind", "rotation"), ("angle", -170.0)],
    ),
    "graph": (
        lambda: widgets.graph_explorer("(x + y) * (z * o) + z", "x=1, y=2, z=3, o=4"),
        [
            ("values", "x=-1, y=2, z=3, o=4"),
            ("values", "x=10.5, y=2, z=3, o=4"),
            ("values", "x=-0.333333333, y=2, z=3, o=4"),  # longer numbers: the column moves, drawn anew
            ("values", "x=2, y=2, z=3, o=4"),
            ("values", "x=-5123456, y=2, z=3, o=4"),  # numbers wider than their tiles: whole frames
            ("values", "x=-6234567, y=2, z=3, o=4"),
            ("expression", "x*x*x*x*x*x*x*x*x*x"),  # drawn so small that its tiles are empty: whole frames
            ("values", "x=1.5, y=2, z=3, o=4"),
            ("values", "x=1.5, a=1, b=1, c=1, d=1, e=1, f=1, g=1, h=1, i=1, j=1, k=1, l=1, m=1, n=1"),
            ("expression", "a+b+c+d+e+f+g+h+i+j+k+l+m+n"),
            ("values", "a=1, b=1, c=1, d=1, e=1, f=1, g=1, h=1, i=1, j=1, k=1, l=1, m=1, n=2, x=1, y=2, z=3"),
            ("expression", "x*y + z"),
            ("values", "x=3, y=2, z=3, o=4"),
        ],
    ),  # fmt: skip
}


@pytest.mark.parametrize("name", list(FRAMES))
def test_a_frame_drawn_over_the_saved_background_is_the_full_drawing(name):
    """A frame redraws only the artists that changed: it must give the very pixels of a full redraw."""
    make, states = FRAMES[name]
    e = make()
    e.fig.png()
    partial = 0
    for control, value in states:
        e.controls[control].value = value
        assert e.error == "", e.error
        partial += e.fig._background is not None and e.fig._touched is not None
        fast = _pixels(e.fig.png())
        e.fig.invalidate()
        np.testing.assert_array_equal(fast, _pixels(e.fig.png()), err_msg=f"{name} after {control} = {value!r}")
    assert partial >= 2  # most steps are frames over the background, not full redraws


def test_a_frame_after_one_that_left_a_tile_is_a_full_one():
    """A tiled artist drawn outside its tile (in a whole frame) leaves ink that no tile restores: the next frame, even
    with the artist back inside its tile, must be drawn whole."""
    from matplotlib.transforms import Bbox

    fig, ax = plotting.figure(size=(3, 2))
    ax.set_axis_off()
    text = ax.text(0.2, 0.5, "a", transform=ax.transAxes)
    fig.animate(ax, [text], tiles={text: lambda renderer: Bbox.from_extents(40, 40, 120, 140)})
    fig.freeze_layout().png()
    long = "a text far longer than its tile"
    for words, kept in (("b", True), (long, True), ("c", False), ("d", True)):  # kept: the background is reused
        text.set_text(words)
        fig.touch(ax, text)
        assert (fig._touched == {text}) == kept, words
        assert fig._inside(fig.canvas.get_renderer(), {text}) == (words != long)
        fast = _pixels(fig.png())
        fig.invalidate()
        np.testing.assert_array_equal(fast, _pixels(fig.png()), err_msg=words)


@pytest.mark.parametrize("opaque", [True, False])
def test_the_png_holds_the_canvas_pixel_for_pixel(opaque):
    import io

    from PIL import Image

    e = widgets.graph_explorer()
    e.fig.patch.set_visible(opaque)
    e.fig.invalidate()
    image = Image.open(io.BytesIO(e.fig.png()))
    canvas = np.asarray(e.fig.canvas.buffer_rgba())
    assert image.mode == ("RGB" if opaque else "RGBA") and image.size == (canvas.shape[1], canvas.shape[0])
    assert image.info["dpi"] == pytest.approx((90, 90), abs=0.01)
    np.testing.assert_array_equal(np.asarray(image), canvas[:, :, : 3 if opaque else 4])


def test_a_draw_by_someone_else_makes_the_next_frame_a_full_one():
    e = widgets.softmax_explorer()
    e.fig.png()
    e.controls["temperature"].value = 3.0
    assert e.fig._touched
    e.fig.canvas.draw()  # as a savefig or a layout check does
    assert e.fig._touched is None and e.fig._background is None
