"""Interactive explorers from core ipywidgets only (sliders, number boxes, text boxes, dropdowns), so they run
in JupyterLab, Binder, VS Code and Colab alike. They wire controls to :mod:`helpers.plotting`.

An :class:`Explorer` reads its controls, validates every value, and only then redraws the figure
with a ``plotting.draw_*`` function. The figure is shown with a display id and replaced in place on
every change: no Output widget, so the stored notebook keeps a static picture that GitHub shows and
strict nbval accepts. Any error, from validation or drawing, is shown beside the controls (its type
and at most :data:`helpers._validate.MESSAGE_LENGTH` characters) and the last good figure stays.

Everyone can use them:

- Every slider comes with a number box that carries its visible label (``description``): a core ipywidgets
  slider's handle gets no accessible name from its label (ipywidgets 8.1 links neither by ``for`` nor by
  ``aria-labelledby``, and a log slider announces the exponent), while a text box's label is linked to it. Box
  and slider show the same value; the box takes typed values and the arrow keys, the slider the arrow keys,
  Page Up/Down, Home/End and the mouse.
- Errors show in a ``role="alert"`` region, and a visually hidden ``role="status"`` region under the controls
  holds the figure's text alternative, renewed with every redraw (an HTML widget's value is set as it is, so
  ARIA roles survive; JupyterLab's sanitizer would strip them from an HTML *output*).
- A step answers at once: the figure is laid out once and updated in place (see :class:`helpers.plotting.Figure`),
  and the learning-rate explorer trains every value its slider can take when it is built, all at once
  (:func:`helpers.training.train_rates`), so no move waits for a run (:class:`Runs`; if some run fails, each
  value is trained when it is first asked for).
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
from helpers.training import MAX_STEPS, train, train_rates

#: Visually hidden, still read by screen readers (JupyterLab's own jp-sr-only, written out for other front ends).
SR_ONLY = (
    "position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);"
    "white-space:nowrap;border:0"
)
ERROR_COLOUR = "#b00020"  # 6.6:1 on white


def status_html(alt):
    """The value of an explorer's caption: the figure's text alternative in a visually hidden status region."""
    return (
        f'<div class="jp-sr-only" style="{SR_ONLY}" role="status" aria-live="polite">Figure: {html.escape(alt)}</div>'
    )


def alert_html(text):
    """The value of an explorer's message area for an error: a role="alert" region (announced when it appears)."""
    return f'<div role="alert" style="color:{ERROR_COLOUR}">{html.escape(text)}</div>'


class Explorer:
    """Controls, a message line and a figure kept in step.

    fig: the Figure that ``draw`` draws on.
    validate: called as ``validate(**{name: control.value})``; returns what ``draw`` needs, or raises.
    draw: draws that on ``fig``.
    controls: ``{name: widget}``, each with a ``value``.

    The initial values are validated and drawn at once, and their error, if any, is raised as it is; then
    the figure's layout is frozen (:meth:`helpers.plotting.Figure.freeze_layout`) unless it already is.
    After that no exception escapes a control's callback: it is shown in :attr:`message`.

    ``rows[name]`` is what shows for a control: the control itself, or for a slider a row of a labelled number
    box (``boxes[name]``) and the slider.
    """

    def __init__(self, fig, validate, draw, controls):
        self.fig, self.validate, self.draw, self.controls = fig, validate, draw, dict(controls)
        self.message = widgets.HTML("")
        self.caption = widgets.HTML("", layout=widgets.Layout(height="0px", min_height="0px", margin="0px"))
        self.error = ""  # the message shown for the last bad input; '' when the figure is up to date
        self._handle = None
        self.displayed = False
        self._last_good = self.validate(**self.values())
        self.draw(self._last_good)
        if isinstance(fig, plotting.Figure) and fig.get_layout_engine() is not None and not fig.frozen:
            fig.freeze_layout()
        self._caption()
        self.boxes, self.rows, self._syncing = {}, {}, False
        for name, control in self.controls.items():
            self.rows[name] = self._row(name, control)
            control.observe(self._changed, names="value")

    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    # Controls ------------------------------------------------------------------------------------------

    def _row(self, name, control):
        """A slider's row: a number box with the slider's label (its accessible name), then the slider."""
        if not isinstance(control, (widgets.FloatSlider, widgets.FloatLogSlider)):
            return control
        if isinstance(control, widgets.FloatLogSlider):
            low, high = control.base**control.min, control.base**control.max
            step = low
        else:
            low, high, step = control.min, control.max, control.step
        box = widgets.BoundedFloatText(
            value=self._boxed(control.value, low, high), min=low, max=high, step=step,
            description=control.description, layout=widgets.Layout(width="200px"),
        )  # fmt: skip
        control.description, control.readout = "", False
        box.observe(lambda change, control=control: self._typed(control, change["new"]), names="value")
        self.boxes[name] = box
        return widgets.HBox([box, control])

    @staticmethod
    def _boxed(value, low, high):
        """The value as the box shows it (3 significant digits), or None when it is not one the box can hold."""
        if not (isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high):
            return None
        return float(f"{value:.3g}")

    def _typed(self, control, value):
        if not self._syncing and value is not None:
            control.value = value

    def _mirror(self, name):
        box = self.boxes.get(name)
        if box is None:
            return
        shown = self._boxed(self.controls[name].value, box.min, box.max)
        if shown is not None and shown != box.value:
            self._syncing = True
            try:
                box.value = shown
            finally:
                self._syncing = False

    # Redrawing -----------------------------------------------------------------------------------------

    def refresh(self):
        """Redraw from the current control values; returns False (and shows why) on any error."""
        try:
            drawn = self.validate(**self.values())
        except Exception as exc:  # noqa: BLE001 -- whatever a student types must not escape the callback
            return self._failed(exc)
        try:
            self.draw(drawn)
            if self._handle is not None:
                self._show(update=True)
        except Exception as exc:  # noqa: BLE001
            return self._failed(exc, self._restore())
        self._last_good = drawn
        self.error = self.message.value = ""
        self._caption()
        return True

    def _caption(self):
        if isinstance(self.fig, plotting.Figure):
            self.caption.value = status_html(self.fig.text_alternative())

    def _show(self, update=False):
        data, metadata = self.fig._repr_mimebundle_()
        if update:
            self._handle.update(data, metadata=metadata, raw=True)
        else:
            from IPython.display import display

            self._handle = display(data, metadata=metadata, raw=True, display_id=True)

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
        self.message.value = alert_html(self.error)
        return False

    def _changed(self, change):
        self.refresh()  # the figure first: the box and the status text follow it
        self._mirror(next((n for n, c in self.controls.items() if c is change["owner"]), None))

    def _ipython_display_(self):
        from IPython.display import display

        display(widgets.VBox([*self.rows.values(), self.message, self.caption]))
        self._show()
        self.displayed = True


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


def _fitting_step(value, lo, hi, step):
    """``step``, or the first of step / 2, / 4, / 5, / 10, / 20 that puts both ``value`` and ``hi`` on the slider's
    grid lo + k step: the browser snaps a slider's value to its grid as it draws it, and sends the snapped value
    back (LeakyReLU's slope 0.01 on a 0.05 grid came back as 0). ``step`` when none does."""
    for divisor in (1, 2, 4, 5, 10, 20):
        s = step / divisor
        if all(abs((v - lo) / s - round((v - lo) / s)) < 1e-9 for v in (value, hi)):
            return s
    return step


def _log_slider(value, lo, hi, name, description=None):
    between(value, lo, hi, name)
    low, high = math.log10(lo), math.log10(hi)
    return FloatLogSlider(
        value=value, base=10, min=low, max=high, step=_fitting_step(math.log10(value), low, high, 0.05),
        description=description or name, readout_format=".3g", continuous_update=True,
    )  # fmt: skip


def _slider(value, lo, hi, name, description=None, step=0.05):
    between(value, lo, hi, name)
    step = _fitting_step(value, lo, hi, step)
    return FloatSlider(value=value, min=lo, max=hi, step=step, description=description or name)


def slider_values(slider):
    """Every value the slider's handle can take, in order (for a log slider, base ** each exponent)."""
    count = int(round((slider.max - slider.min) / slider.step)) + 1
    positions = slider.min + slider.step * np.arange(count)
    return slider.base**positions if isinstance(slider, widgets.FloatLogSlider) else positions


LR_RANGE = (1e-3, 1.0)


class Runs:
    """J per step for each learning rate, each run trained once and kept.

    run: ``run(lr)`` -> J per step, for a value not trained yet. grid: the values the slider can take. A value
    within 1e-9 (relative) of a grid value counts as it: the browser computes 10 ** exponent in JavaScript,
    which may differ from Python's in the last bit. :meth:`preload` takes runs trained ahead.
    """

    def __init__(self, run, grid):
        self.run, self.grid = run, np.asarray(grid, dtype=float)
        self.done = {}  # key -> history

    def key(self, lr):
        k = int(np.argmin(np.abs(self.grid - lr)))
        return k if abs(self.grid[k] - lr) <= 1e-9 * abs(lr) else float(lr)

    def preload(self, lrs, histories):
        """lrs: (R,); histories: (R, steps), row r the run at lrs[r]."""
        self.done.update(zip(map(self.key, lrs), histories))

    def __call__(self, lr):
        key = self.key(lr)
        if key not in self.done:
            self.done[key] = self.run(lr)
        return self.done[key]


class LearningRateExplorer(Explorer):
    """An :class:`Explorer` with its learning rates' histories, :attr:`runs` (a :class:`Runs`)."""

    def __init__(self, fig, validate, draw, controls, runs):
        self.runs = runs
        super().__init__(fig, validate, draw, controls)


#: The widest J a learning-rate run shows: the figure is laid out with these tick labels, so every run fits.
_WIDEST_J = np.array([1e-200, 1e200, 1.0])


def learning_rate_explorer(make_net, x, y, loss, steps=200, lr=0.05):
    """J per step of full-batch gradient descent from the same initial network, redrawn per learning rate.

    make_net: () -> a fresh network, the same at every call (seeded): every learning rate's run is trained at
    once from one call's weights (:func:`helpers.training.train_rates`), and a value trained on its own gets
    a call of its own.
    """
    if not callable(make_net):
        raise TypeError(f"make_net must be a function () -> a fresh network, got {type(make_net).__name__}")
    steps = integer(steps, "steps", minimum=1, maximum=MAX_STEPS)
    lr_slider = _log_slider(lr, *LR_RANGE, "lr")
    fig, ax = plotting.figure(size=(6.0, 3.2))
    plotting.draw_loss_curve(ax, _WIDEST_J, LR_RANGE[0])  # lay out for the widest tick labels J may need
    fig.freeze_layout()

    runs = Runs(lambda lr: train(make_net(), x, y, loss, lr, steps), slider_values(lr_slider))
    lrs = np.append(runs.grid, lr)  # every value the slider can take, and the start
    try:  # all at once, now: no move of the slider waits for training
        runs.preload(lrs, train_rates(make_net, x, y, loss, lrs, steps))
    except Exception:  # noqa: BLE001 -- a run failed: each value is trained when asked for, and one that fails says why
        pass

    def validate(lr):
        lr = between(lr, *LR_RANGE, "lr")
        return lr, runs(lr)

    def draw(drawn):
        lr, history = drawn
        plotting.draw_loss_curve(ax, history, lr)

    return LearningRateExplorer(fig, validate, draw, {"lr": lr_slider}, runs)


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

    explorer = Explorer(fig, validate, draw, controls)

    def show_only(kind):
        for name, control in controls.items():
            shown = None if name == "kind" or name in MAPS[kind][0] else "none"
            control.layout.display = explorer.rows[name].layout.display = shown

    controls["kind"].observe(lambda change: show_only(change["new"]), names="value")
    show_only(kind)
    return explorer


def graph_explorer(expression="x*y + z", values="x=2, y=-3, z=4"):
    """Type an expression of names, numbers, + and * and the values of its names; see its graph,
    every node's value and its gradient after one backward pass."""
    from helpers import graphdraw
    from helpers.computational_graph import build, check_expression, topological_order

    check_expression(expression)
    parse_assignments(values)
    fig, ax = graphdraw.graph_figure_axes()

    def validate(expression, values):
        root, _ = build(expression, parse_assignments(values))
        root.label = root.label or "w"
        root.backward()
        for v in topological_order(root):  # the forward pass refuses overflow; the backward pass is checked here
            if not math.isfinite(v.grad):
                name = v.label if v.children or not v.label else f"{v.label} (= {v.data:g})"
                raise ValueError(f"the gradient of w with respect to {name or 'a step'} overflows float64 "
                                 f"(got {v.grad}): try smaller values")  # fmt: skip
        return root, f"w = {expression.strip()}"

    def draw(drawn):
        graphdraw.draw_graph(ax, *drawn)

    controls = {
        "expression": widgets.Text(value=expression, description="w =", continuous_update=False),
        "values": widgets.Text(value=values, description="values", continuous_update=False),
    }
    return Explorer(fig, validate, draw, controls)
