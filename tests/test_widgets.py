"""Widget update functions, called with slider values; checked by what they draw (artist data)."""

import numpy as np
import pytest
from figure_check import bubble_texts

from helpers import linear_transformations, widgets
from helpers.activations import argmax_onehot, d_gelu, d_leaky_relu, d_relu, d_softplus, softmax


def bar_heights(ax):
    return [np.array([r.get_height() for r in c]) for c in ax.containers]


def test_softmax_explorer_draws_softmax_and_argmax():
    e = widgets.softmax_explorer("1, 2, 0.5, 3", temperature=1.0)
    ax = e.fig.axes[0]
    p, q = bar_heights(ax)
    z = np.array([1, 2, 0.5, 3.0])
    np.testing.assert_allclose(p, softmax(z), rtol=1e-15)
    np.testing.assert_array_equal(q, [0, 0, 0, 1])
    e.controls["temperature"].value = 10.0
    np.testing.assert_allclose(bar_heights(ax)[0], softmax(z, 10.0), rtol=1e-15)
    e.controls["logits"].value = "2, 2, 1"
    p, q = bar_heights(ax)
    np.testing.assert_allclose(p, softmax([2, 2, 1.0], 10.0), rtol=1e-15)
    np.testing.assert_array_equal(q, [0.5, 0.5, 0])


@pytest.mark.parametrize(
    ("text", "words"),
    [("1, abc, 3", "could not read 'abc'"), ("", "empty"), ("1, inf", "finite"), ("1, nan", "finite")],
)
def test_softmax_explorer_bad_logits_keep_the_last_figure(text, words):
    e = widgets.softmax_explorer("1, 2, 3")
    before = bar_heights(e.fig.axes[0])
    e.controls["logits"].value = text
    assert words in e.error and words.split("'")[0] in e.message.value
    np.testing.assert_array_equal(bar_heights(e.fig.axes[0])[0], before[0])
    e.controls["logits"].value = "0, 1"
    assert e.error == "" and e.message.value == ""


def test_softmax_update_rejects_a_temperature_at_or_below_zero():
    e = widgets.softmax_explorer()
    with pytest.raises(ValueError, match=r"temperature must lie in \[0.01, 100\], got 0"):
        e.validate(temperature=0.0, logits="1, 2")


def test_argmax_onehot_shares_ties():
    np.testing.assert_array_equal(argmax_onehot([1.0, 3.0, 3.0, 3.0]), [0, 1 / 3, 1 / 3, 1 / 3])


def curves_of(ax):
    """The plotted curves of a panel (lines of more than two points), as (x, y) pairs."""
    return [(ln.get_xdata(), ln.get_ydata()) for ln in ax.lines if len(ln.get_xdata()) > 2]


def test_activation_explorer_redraws_each_panel():
    e = widgets.activation_derivatives_explorer()
    e.controls["negative_slope"].value = 0.2
    e.controls["beta"].value = 2.0
    derivatives = (d_relu, lambda z: d_leaky_relu(z, 0.2), lambda z: d_softplus(z, 2.0), d_gelu)
    for ax, deriv in zip(e.fig.axes, derivatives):
        drawn = curves_of(ax)
        assert drawn and sum(len(z) for z, _ in drawn) >= 800
        for z, y in drawn:
            np.testing.assert_allclose(y, deriv(z), rtol=1e-15)
    assert "slope = 0.2" in e.fig.axes[1].get_title() and "β = 2" in e.fig.axes[2].get_title()


def test_relu_and_leaky_relu_panels_show_pytorchs_value_at_zero_and_no_vertical_segment():
    e = widgets.activation_derivatives_explorer(negative_slope=0.1)
    for ax, at_zero in zip(e.fig.axes[:2], (0.0, 0.1)):
        for z, _ in curves_of(ax):
            assert 0.0 not in z and (np.all(z < 0) or np.all(z > 0))  # each branch on one side of the kink
        dots = [ln for ln in ax.lines if list(ln.get_xdata()) == [0] and ln.get_markerfacecolor() != "white"]
        assert [float(d.get_ydata()[0]) for d in dots] == [at_zero]


def after_polygon(e):
    return [p for p in e.fig.axes[0].patches if p.get_label() == "after"][0].get_xy()[:-1]


@pytest.mark.parametrize(
    ("kind", "values", "M", "det"),
    [
        ("scaling", {"factor": -0.5}, linear_transformations.scaling(-0.5), 0.25),
        ("rotation", {"angle": 90.0}, linear_transformations.rotation(np.pi / 2), 1.0),
        ("reflection", {"axis": 45.0}, linear_transformations.reflection(np.pi / 4), -1.0),
        ("shear", {"shear": 1.5}, linear_transformations.shear(1.5), 1.0),
        ("free", {"a": 1.0, "b": 2.0, "c": 0.5, "d": 1.0}, np.array([[1, 2], [0.5, 1.0]]), 0.0),
    ],
)
def test_transformation_explorer_maps_the_shape(kind, values, M, det):
    e = widgets.transformation_explorer(kind)
    for name, v in values.items():
        e.controls[name].value = v
    np.testing.assert_allclose(after_polygon(e), linear_transformations.letter_f()[:-1] @ M.T, atol=1e-12)
    assert f"det = {det:+.3f}" in e.fig.axes[0].get_title()
    assert ("not orthogonal" not in e.fig.axes[0].get_title()) == (kind in ("rotation", "reflection"))


def test_transformation_explorer_rejects_a_non_finite_entry_and_keeps_the_figure():
    e = widgets.transformation_explorer("free")
    before = after_polygon(e).copy()
    values = e.values() | {"a": float("nan")}
    with pytest.raises(ValueError, match="a must be a finite number, got nan"):
        e.validate(**values)
    e.controls["kind"].value = "free"
    np.testing.assert_allclose(after_polygon(e), before)


def test_graph_explorer_shows_values_and_gradients():
    e = widgets.graph_explorer("x*y + z", "x=2, y=-3, z=4")
    assert bubble_texts(e.fig.axes[0]) == {"x\nvalue 2\ngrad -3", "y\nvalue -3\ngrad 2", "z\nvalue 4\ngrad 1",
                                           "value -6\ngrad 1", "w\nvalue -2\ngrad 1"}  # fmt: skip
    e.controls["values"].value = "x=2.5, y=-3, z=4"
    assert bubble_texts(e.fig.axes[0]) == {"x\nvalue 2.5\ngrad -3", "y\nvalue -3\ngrad 2.5", "z\nvalue 4\ngrad 1",
                                           "value -7.5\ngrad 1", "w\nvalue -3.5\ngrad 1"}  # fmt: skip
    texts = [t.get_text() for t in e.fig.axes[0].texts]
    assert texts.count("+") == 1 and texts.count("×") == 1  # operators drawn as operator nodes


@pytest.mark.parametrize(
    ("expression", "values", "words"),
    [
        ("__import__('os').system('echo hacked')", "x=1", "found Call"),
        ("x - y", "x=1, y=2", "found Sub"),
        ("x ** 2", "x=1", "found Pow"),
        ("x.real", "x=1", "found Attribute"),
        ("lambda: 1", "x=1", "found Lambda"),
        ("x * (y", "x=1, y=2", "does not parse"),
        ("x * q", "x=1", "'q', which has no value"),
        ("x * y", "x=1, y=two", "could not read 'two'"),
        ("x * y", "x=1, y", "could not read 'y'"),
        ("x * y", "x=1, y=inf", "must be finite"),
        ("a*b*c", "a=1e200, b=1e-200, c=1e200", "the gradient of w with respect to b (= 1e-200) overflows float64"),
    ],
)
def test_graph_explorer_bad_input_shows_a_message_and_runs_nothing(expression, values, words, capfd):
    e = widgets.graph_explorer()
    before = [t.get_text() for t in e.fig.axes[0].texts]
    e.controls["values"].value = values
    e.controls["expression"].value = expression
    assert words in e.error, e.error
    assert [t.get_text() for t in e.fig.axes[0].texts] == before
    assert "hacked" not in capfd.readouterr().out


def test_explorer_updates_its_display_in_place():
    e = widgets.softmax_explorer()
    updates = []

    class Handle:
        def update(self, data, metadata=None, raw=False):
            updates.append((data, metadata, raw))

    e._handle = Handle()
    e.controls["temperature"].value = 2.0
    e.controls["logits"].value = "oops"
    assert len(updates) == 1  # one redraw for the good value, none for the bad one
    data, metadata, raw = updates[0]
    assert raw and data["image/png"].startswith(b"\x89PNG")
    assert metadata["image/png"]["alt"] == data["text/plain"] == e.fig.alt and "T = 2" in e.fig.alt


def test_transformation_explorer_shows_only_the_chosen_maps_controls_and_labels_the_dropdown():
    e = widgets.transformation_explorer("reflection")
    assert e.controls["kind"].description == "map"

    def shown():
        return {name for name, c in e.controls.items() if c.layout.display != "none"}

    assert shown() == {"kind", "axis"}
    e.controls["kind"].value = "free"
    assert shown() == {"kind", "a", "b", "c", "d"}
    e.controls["kind"].value = "scaling"
    assert shown() == {"kind", "factor"}


def test_softmax_legend_sits_above_the_bars_when_the_first_logit_is_largest():
    e = widgets.softmax_explorer("4, 1, 1")
    ax = e.fig.axes[0]
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(e.fig).draw()
    legend = ax.get_legend().get_window_extent()
    assert all(legend.y0 >= bar.get_window_extent().y1 - 1 for bar in ax.patches)


def own_mse(y_hat, y):
    """A loss of one's own (not one of helpers.losses'): train_rates calls it once for each network."""
    from helpers import losses

    return losses.mse(y_hat, y)


def small_lr_explorer(loss=None):
    from helpers import MLP, losses
    from helpers.data import regression

    x, y = regression(n=16, seed=0)
    return widgets.learning_rate_explorer(
        lambda: MLP(2, 4, "tanh", 4, 1, "identity", seed=0), x, y, loss or losses.mse, steps=30
    )


def test_every_run_is_made_when_the_explorer_is_built():
    """No move of the slider waits for training: the slider's 61 values and the start, 0.05, are trained when the
    explorer is built (train_rates), with the package's loss and with a loss of one's own alike."""
    from helpers import MLP, losses
    from helpers.data import regression
    from helpers.training import train

    x, y = regression(n=16, seed=0)
    for loss in (losses.mse, own_mse):
        e = small_lr_explorer(loss)
        grid = widgets.slider_values(e.controls["lr"])
        assert set(e.runs.done) == set(range(61)) | {0.05}
        for k in (0, 30, 60):
            expected = train(MLP(2, 4, "tanh", 4, 1, "identity", seed=0), x, y, loss, grid[k], 30)
            np.testing.assert_allclose(e.runs.done[k], expected, rtol=1e-12, atol=0)
        e.runs.run = None  # a move now may not train
        e.controls["lr"].value = float(grid[7])
        assert e.error == ""


def test_a_loss_that_fails_at_some_learning_rates_fails_only_there():
    """train_rates raises for the whole grid; the explorer then trains each value when it is asked for, so a
    value where the loss works draws, and one where it fails shows the loss's own message."""
    from helpers import losses

    def picky_mse(y_hat, y):
        J, dJdy_hat = losses.mse(y_hat, y)
        if J > 100:
            raise ValueError(f"picky_mse refuses J = {J:.3g} > 100")
        return J, dJdy_hat

    e = small_lr_explorer(picky_mse)
    assert set(e.runs.done) == {0.05}
    e.controls["lr"].value = 1.0
    assert "picky_mse refuses J" in e.error
    e.controls["lr"].value = 0.01
    assert e.error == "" and e.fig.axes[0].get_title().startswith("lr = 0.01")


def test_the_learning_rate_runs_are_train_s_and_are_made_once():
    from helpers import MLP, losses
    from helpers.data import regression
    from helpers.training import train

    e = small_lr_explorer()
    runs = e.runs
    x, y = regression(n=16, seed=0)
    grid = widgets.slider_values(e.controls["lr"])
    assert len(grid) == 61 and grid[0] == pytest.approx(1e-3) and grid[-1] == pytest.approx(1.0)
    for lr in (grid[10], 0.2):
        expected = train(MLP(2, 4, "tanh", 4, 1, "identity", seed=0), x, y, losses.mse, lr, 30)
        np.testing.assert_allclose(runs(lr), expected, rtol=1e-12, atol=0)  # grid[10] from train_rates
    assert runs(grid[10] * (1 + 1e-12)) is runs(grid[10])  # the browser's 10 ** x, a bit off Python's: the same run
    assert runs.key(0.2) == 0.2 and runs.key(grid[10]) == 10
