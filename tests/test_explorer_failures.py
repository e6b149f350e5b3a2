"""Finding 3: whatever reaches an explorer's controls, no exception escapes the callback, the message
shows the exception's type in at most 200 characters, the figure keeps exactly the artists of the last
good state, and the next good value redraws and clears the message.

Setting ``control.value`` from code runs the observers synchronously (as a value typed in the browser
does), so an exception escaping the callback would fail the assignment itself.
"""

import warnings

import numpy as np
import pytest

from helpers import losses, plotting, widgets
from helpers._validate import MESSAGE_LENGTH
from helpers.data import regression
from helpers.homework import MLP


def artists(fig):
    """Everything a figure shows, as text: titles, line data, patches, texts and collections per axes."""
    out = []
    for ax in fig.axes:
        out.append(("title", ax.get_title(), ax.get_xlim(), ax.get_ylim()))
        out += [("line", repr(ln.get_xydata().tolist()), ln.get_color(), ln.get_marker()) for ln in ax.lines]
        for p in ax.patches:
            out.append(
                (
                    "patch",
                    type(p).__name__,
                    repr(p.get_path().vertices.tolist()),
                    repr(p.get_patch_transform().get_matrix().tolist()),
                )
            )
        out += [("text", t.get_text(), t.get_position()) for t in ax.texts]
        out += [("collection", repr(np.asarray(c.get_offsets()).tolist())) for c in ax.collections]
    return out


def assert_failed(e, before, type_name):
    assert e.error.startswith(type_name + ":"), e.error
    assert len(e.error) <= MESSAGE_LENGTH
    assert type_name in e.message.value
    assert artists(e.fig) == before


def assert_redrawn(e, before):
    assert e.error == "" and e.message.value == ""
    assert artists(e.fig) != before


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, 1e150])
@pytest.mark.parametrize(
    ("kind", "name", "good"), [("free", "a", 1.3), ("scaling", "factor", -0.7), ("rotation", "angle", 45.0)]
)
def test_transformation_sliders_refuse_nan_inf_and_far_values(kind, name, good, bad):
    e = widgets.transformation_explorer(kind)
    before = artists(e.fig)
    e.controls[name].value = bad
    assert_failed(e, before, "ValueError")
    assert name in e.error
    e.controls[name].value = good
    assert_redrawn(e, before)


def test_negative_slope_nan_keeps_the_derivative_panels():
    e = widgets.activation_derivatives_explorer()
    before = artists(e.fig)
    e.controls["negative_slope"].value = float("nan")
    assert_failed(e, before, "ValueError")
    assert "negative_slope must be a finite number, got nan" in e.error
    e.controls["negative_slope"].value = 0.2
    assert_redrawn(e, before)
    assert "slope = 0.2" in e.fig.axes[1].get_title()


def make_net():
    return MLP(2, 4, "tanh", 4, 1, "identity", init="lecun", seed=0)


def test_a_learning_rate_set_from_code_outside_the_slider_is_refused_not_clamped():
    x, y = regression(n=16, seed=0)
    e = widgets.learning_rate_explorer(make_net, x, y, losses.mse, steps=20, lr=0.05)
    before = artists(e.fig)
    e.controls["lr"].value = 1e150
    assert_failed(e, before, "ValueError")
    assert "lr must lie in [0.001, 1], got 1e+150" in e.error and e.controls["lr"].value == 1e150
    e.controls["lr"].value = 0.2
    assert_redrawn(e, before)
    assert "lr = 0.2" in e.fig.axes[0].get_title()


def test_a_softmax_temperature_set_from_code_outside_the_slider_is_refused():
    e = widgets.softmax_explorer()
    before = artists(e.fig)
    for bad in (0.0, 1e6, float("nan")):
        e.controls["temperature"].value = bad
        assert_failed(e, before, "ValueError")
        assert "temperature" in e.error
    e.controls["temperature"].value = 3.0
    assert_redrawn(e, before)


def curve_explorer(validate=None, draw_fails_at=None, exc=OverflowError):
    """An Explorer of one line y = v x, whose validate or draw misbehaves for chosen values of v."""
    fig, ax = plotting.figure()
    x = np.linspace(0, 1, 5)

    def draw(v):
        ax.clear()
        ax.plot(x, v * x)
        ax.set_title(f"v = {v:g}")
        if draw_fails_at is not None and v >= draw_fails_at:
            ax.plot(x, x**2)  # half drawn when it fails
            raise exc("drawing failed: " + "long " * 100)

    slider = widgets.FloatSlider(value=1.0, min=0.0, max=1e6)
    return widgets.Explorer(fig, validate or (lambda v: float(v)), draw, {"v": slider})


def test_an_overflow_error_while_drawing_puts_back_the_last_good_figure():
    e = curve_explorer(draw_fails_at=5.0)
    e.controls["v"].value = 2.0
    before = artists(e.fig)
    e.controls["v"].value = 7.0
    assert_failed(e, before, "OverflowError")
    e.controls["v"].value = 3.0
    assert_redrawn(e, before)


def test_a_runtime_warning_raised_as_an_error_while_validating_is_shown():
    e = curve_explorer(validate=lambda v: float(np.exp(np.float64(v))))
    before = artists(e.fig)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e.controls["v"].value = 1000.0  # e^1000 overflows: a RuntimeWarning, raised as an error
    assert_failed(e, before, "RuntimeWarning")
    e.controls["v"].value = 2.0
    assert_redrawn(e, before)


def test_a_runtime_warning_raised_as_an_error_while_drawing_puts_back_the_last_good_figure():
    def warn(message):
        return RuntimeWarning(message)

    e = curve_explorer(draw_fails_at=10.0, exc=warn)
    before = artists(e.fig)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e.controls["v"].value = 20.0
        assert_failed(e, before, "RuntimeWarning")
        e.controls["v"].value = 4.0
        assert_redrawn(e, before)


def test_when_even_the_last_good_figure_cannot_be_redrawn_the_message_says_so():
    fig, ax = plotting.figure()
    calls = []

    def draw(v):
        calls.append(v)
        if len(calls) > 1:
            raise ValueError("the drawing code broke")
        ax.plot([0, 1], [0, v])

    e = widgets.Explorer(fig, lambda v: v, draw, {"v": widgets.FloatSlider(value=1.0)})
    e.controls["v"].value = 0.5
    assert (
        e.error.startswith("ValueError: the drawing code broke") and "redrawing the last good figure failed" in e.error
    )


def test_a_long_message_is_cut_to_200_characters():
    def validate(v):
        raise ValueError("x" * 100_000)

    fig, _ = plotting.figure()
    e = widgets.Explorer(fig, lambda v: v, lambda v: None, {"v": widgets.FloatSlider(value=1.0)})
    e.validate = validate
    e.controls["v"].value = 0.5
    assert e.error.startswith("ValueError: xxx") and e.error.endswith("...") and len(e.error) == MESSAGE_LENGTH


def test_bad_initial_values_raise_their_own_error():
    fig, _ = plotting.figure()
    with pytest.raises(TypeError, match="must be a number"):
        widgets.Explorer(
            fig, lambda v: (_ for _ in ()).throw(TypeError("v must be a number")), print, {"v": widgets.FloatSlider()}
        )
