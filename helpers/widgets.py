"""Interactive explorers from core ipywidgets only (sliders, text boxes, dropdowns), so they run
in JupyterLab, Binder, VS Code and Colab alike. They wire controls to :mod:`helpers.plotting`.

An :class:`Explorer` reads its controls, validates every value, and only then redraws the figure
with a ``plotting.draw_*`` function. The figure is shown with a display id and replaced in place on
every change: no Output widget, so the stored notebook keeps a static picture that GitHub shows and
strict nbval accepts. Any error, from validation or drawing, is shown beside the controls (its type
and at most :data:`helpers._validate.MESSAGE_LENGTH` characters) and the last good figure stays.
"""

from __future__ import annotations

import html
import math
import warnings

import ipywidgets as widgets
import numpy as np
import traitlets

from helpers import linear_transformations, plotting
from helpers._validate import between, cut, integer, one_of
from helpers.activations import ACTIVATIONS, get_activation
from helpers.textinput import parse_assignments, parse_numbers
from helpers.training import MAX_STEPS, train


class Explorer:
    """Controls, a message line and a figure kept in step.

    fig: the Figure that ``draw`` draws on.
    validate: called as ``validate(**{name: control.value})``; returns what ``draw`` needs, or raises.
    draw: draws that on ``fig``, from scratch.
    controls: ``{name: widget}``, each with a ``value``.

    The initial values are validated and drawn at once, and their error, if any, is raised as it is.
    After that no exception escapes a control's callback: it is shown in :attr:`message`.
    """

    def __init__(self, fig, validate, draw, controls):
        self.fig, self.validate, self.draw, self.controls = fig, validate, draw, dict(controls)
        self.message = widgets.HTML("")
        self.error = ""  # the message shown for the last bad input; '' when the figure is up to date
        self._handle = None
        self._last_good = self.validate(**self.values())
        self.draw(self._last_good)
        for control in self.controls.values():
            control.observe(self._changed, names="value")

    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self):
        """Redraw from the current control values; returns False (and shows why) on any error."""
        try:
            drawn = self.validate(**self.values())
        except Exception as exc:  # noqa: BLE001 -- whatever a student types must not escape the callback
            return self._failed(exc)
        try:
            self.draw(drawn)
            if self._handle is not None:
                self._handle.update(self.fig)
        except Exception as exc:  # noqa: BLE001
            return self._failed(exc, self._restore())
        self._last_good = drawn
        self.error = self.message.value = ""
        return True

    def _restore(self):
        """Redraw the last good state with warnings silenced (a warning made an error may be what failed).

        Returns '' or, if even that fails, a note for the message.
        """
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                self.draw(self._last_good)
        except Exception as exc:  # noqa: BLE001
            return f" (and redrawing the last good figure failed: {type(exc).__name__})"
        return ""

    def _failed(self, exc, note=""):
        try:
            text = f"{type(exc).__name__}: {exc}{note}"
        except Exception:  # noqa: BLE001 -- an exception whose str() fails still gets its type shown
            text = type(exc).__name__ + note
        self.error = cut(text)
        self.message.value = f"<span style='color:#b00020'>{html.escape(self.error)}</span>"
        return False

    def _changed(self, _change):
        self.refresh()

    def _ipython_display_(self):
        from IPython.display import display

        display(widgets.VBox([*self.controls.values(), self.message]))
        self._handle = display(self.fig, display_id=True)


class _Unclamped:
    """A slider mixin that keeps a value set from code outside [min, max] (or NaN) instead of clamping it,
    so that the explorer's validation refuses it with a message rather than silently drawing another value."""

    @traitlets.validate("value")
    def _validate_value(self, proposal):
        return proposal["value"]


class FloatSlider(_Unclamped, widgets.FloatSlider):
    """ipywidgets' FloatSlider without clamping (see :class:`_Unclamped`)."""


class FloatLogSlider(_Unclamped, widgets.FloatLogSlider):
    """ipywidgets' FloatLogSlider without clamping (see :class:`_Unclamped`)."""


def _log_slider(value, lo, hi, name, description=None):
    between(value, lo, hi, name)
    return FloatLogSlider(
        value=value, base=10, min=math.log10(lo), max=math.log10(hi), step=0.05,
        description=description or name, readout_format=".3g", continuous_update=True,
    )  # fmt: skip


def _slider(value, lo, hi, name, description=None, step=0.05):
    between(value, lo, hi, name)
    return FloatSlider(value=value, min=lo, max=hi, step=step, description=description or name)


LR_RANGE = (1e-3, 1.0)


def learning_rate_explorer(make_net, x, y, loss, steps=200, lr=0.05):
    """J per step of full-batch gradient descent from the same initial network, redrawn per learning rate.

    make_net: () -> a fresh network (seeded, so every curve starts from the same weights).
    """
    if not callable(make_net):
        raise TypeError(f"make_net must be a function () -> a fresh network, got {type(make_net).__name__}")
    steps = integer(steps, "steps", minimum=1, maximum=MAX_STEPS)
    lr_slider = _log_slider(lr, *LR_RANGE, "lr")
    fig, ax = plotting.figure(size=(6.0, 3.2))

    def validate(lr):
        lr = between(lr, *LR_RANGE, "lr")
        return lr, train(make_net(), x, y, loss, lr, steps)

    def draw(drawn):
        lr, history = drawn
        plotting.draw_loss_curve(ax, history, lr)

    return Explorer(fig, validate, draw, {"lr": lr_slider})


T_RANGE = (0.01, 100.0)


def softmax_explorer(logits="1, 2, 0.5, 3", temperature=1.0):
    """softmax(z / T) beside the one-hot argmax as bars, with a log-scale temperature slider and editable logits."""
    parse_numbers(logits, "logits")
    slider = _log_slider(temperature, *T_RANGE, "temperature", "T")
    fig, ax = plotting.figure(size=(6.0, 3.2))

    def validate(temperature, logits):
        return parse_numbers(logits, "logits"), between(temperature, *T_RANGE, "temperature")

    def draw(drawn):
        plotting.draw_softmax(ax, *drawn)

    controls = {
        "temperature": slider,
        "logits": widgets.Text(value=logits, description="logits", continuous_update=False),
    }
    return Explorer(fig, validate, draw, controls)


PROBLEM_1_5C = ("relu", "leaky_relu", "softplus", "gelu")


def activation_derivatives_explorer(names=PROBLEM_1_5C, **values):
    """The slope of each named activation, one panel each, with a slider for every parameter whose record
    gives it one (LeakyReLU's slope, Softplus's beta); ``values`` sets a slider's start, e.g. ``beta=2``.

    names: keys of :data:`helpers.activations.ACTIVATIONS`; their records give the titles, the sliders and
    their ranges, so a new activation needs nothing here.
    """
    definitions = [ACTIVATIONS[one_of(name, tuple(ACTIVATIONS), "names")] for name in names]
    sliders = {k: p for d in definitions for k, p in d.params.items() if p.slider}
    unknown = sorted(set(values) - set(sliders))
    if unknown:
        raise TypeError(f"values may set {', '.join(sliders) or 'no slider'}; got {', '.join(unknown)}")
    controls = {}
    for key, param in sliders.items():
        low, high, log = param.slider
        make = _log_slider if log else _slider
        controls[key] = make(values.get(key, param.default), low, high, key, param.label or key)
    fig, axes = plotting.derivative_panels(len(definitions))

    def validate(**chosen):
        for key, value in chosen.items():
            low, high, _ = sliders[key].slider
            between(value, low, high, key)
        return [get_activation(d.name, **{k: chosen[k] for k in d.params if k in chosen}) for d in definitions]

    def draw(activations):
        plotting.draw_derivatives(axes, activations)

    return Explorer(fig, validate, draw, controls)


MAPS = {  # kind: (the controls it reads, the matrix they give)
    "scaling": (("factor",), lambda v: linear_transformations.scaling(v["factor"])),
    "rotation": (("angle",), lambda v: linear_transformations.rotation(np.deg2rad(v["angle"]))),
    "reflection": (("axis",), lambda v: linear_transformations.reflection(np.deg2rad(v["axis"]))),
    "shear": (("shear",), lambda v: linear_transformations.shear(v["shear"])),
    "free": (tuple("abcd"), lambda v: linear_transformations.matrix([[v["a"], v["b"]], [v["c"], v["d"]]])),
}


def transformation_explorer(kind="reflection"):
    """A grid and the letter F before (grey) and after a 2x2 linear map, with det and orthogonality.

    Maps: scaling (factor), rotation (angle), reflection (mirror-axis angle), shear (factor), and
    'free', the four sliders a, b, c, d of [[a, b], [c, d]]. Only the chosen map's sliders show.
    """
    one_of(kind, tuple(MAPS), "kind")
    fig, ax = plotting.figure(size=(5.6, 4.2))
    controls = {
        "kind": widgets.Dropdown(options=list(MAPS), value=kind, description="map"),
        "factor": _slider(1.5, -2, 2, "factor"),
        "angle": _slider(30, -180, 180, "angle", "angle (deg)", step=1),
        "axis": _slider(30, 0, 180, "axis", "mirror (deg)", step=1),
        "shear": _slider(0.8, -2, 2, "shear"),
        **{name: _slider(v, -2, 2, name) for name, v in zip("abcd", (1.0, 0.5, 0.0, 1.0))},
    }

    def show_only(kind):
        for name, control in controls.items():
            control.layout.display = None if name == "kind" or name in MAPS[kind][0] else "none"

    def validate(kind, **values):
        names, make = MAPS[one_of(kind, tuple(MAPS), "kind")]
        used = {name: between(values[name], controls[name].min, controls[name].max, name) for name in names}
        M = make(used)
        det = float(np.linalg.det(M))
        orthogonal = "orthogonal" if linear_transformations.is_orthogonal(M, tol=1e-9) else "not orthogonal"
        mirror = np.deg2rad(used["axis"]) if kind == "reflection" else None
        return M, f"{kind}: det = {det:+.3f}, {orthogonal}", mirror

    def draw(drawn):
        plotting.draw_transformation(ax, *drawn)

    controls["kind"].observe(lambda change: show_only(change["new"]), names="value")
    show_only(kind)
    return Explorer(fig, validate, draw, controls)


def graph_explorer(expression="x*y + z", values="x=2, y=-3, z=4"):
    """Type an expression of names, numbers, + and * and the values of its names; see its graph,
    every node's value and its gradient after one backward pass."""
    from helpers import graphdraw
    from helpers.computational_graph import build, check_expression

    check_expression(expression)
    parse_assignments(values)
    fig, ax = graphdraw.graph_figure_axes()

    def validate(expression, values):
        root, _ = build(expression, parse_assignments(values))
        root.label = root.label or "w"
        root.backward()
        return root, f"w = {expression.strip()}"

    def draw(drawn):
        graphdraw.draw_graph(ax, *drawn)

    controls = {
        "expression": widgets.Text(value=expression, description="w =", continuous_update=False),
        "values": widgets.Text(value=values, description="values", continuous_update=False),
    }
    return Explorer(fig, validate, draw, controls)
