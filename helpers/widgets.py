"""Interactive explorers from core ipywidgets only (sliders, text boxes, dropdowns), so they run
in JupyterLab, Binder, VS Code and Colab alike.

An :class:`Explorer` wires controls to an ``update(**values)`` function that redraws a matplotlib
figure. The figure is shown with a display id and replaced in place on every change: no Output
widget, so the stored notebook keeps a static picture that GitHub shows and strict nbval accepts.
"""

from __future__ import annotations

import html
import math

import ipywidgets as widgets
import numpy as np

from helpers import plotting
from helpers.training import train


class Explorer:
    """Controls, a message line and a figure kept in step by ``update``.

    fig: the matplotlib Figure that ``update`` draws on.
    update: called as ``update(**{name: control.value})``; raises ValueError/TypeError on bad input,
        which is shown beside the controls while the last good figure stays.
    controls: ``{name: widget}``, each with a ``value``.
    """

    def __init__(self, fig, update, controls):
        self.fig, self.update, self.controls = fig, update, dict(controls)
        self.message = widgets.HTML("")
        self.error = ""  # the message shown for the last bad input; '' when the figure is up to date
        self._handle = None
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        if not self.refresh():
            raise ValueError(f"the initial control values are not valid: {self.error}")
        plotting.freeze_layout(fig)  # a slider move then redraws without re-running the layout

    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self):
        """Redraw from the current control values; returns False (and shows why) on bad input."""
        try:
            self.update(**self.values())
        except (ValueError, TypeError) as exc:
            self.error = str(exc)
            self.message.value = f"<span style='color:#b00020'>{html.escape(self.error)}</span>"
            return False
        self.error = self.message.value = ""
        if self._handle is not None:
            self._handle.update(self.fig)
        return True

    def _changed(self, _change):
        self.refresh()

    def _ipython_display_(self):
        from IPython.display import display

        display(widgets.VBox([*self.controls.values(), self.message]))
        self._handle = display(self.fig, display_id=True)


def _log_slider(value, lo, hi, description):
    return widgets.FloatLogSlider(
        value=value, base=10, min=math.log10(lo), max=math.log10(hi), step=0.05,
        description=description, readout_format=".3g", continuous_update=True,
    )  # fmt: skip


def learning_rate_explorer(make_net, x, y, loss, epochs=200, lr=0.05, lr_range=(1e-3, 1.0)):
    """Loss curve of full-batch gradient descent from the same initial network, redrawn per learning rate.

    make_net: () -> a fresh network (seeded, so every curve starts from the same weights).
    """
    fig, ax = plotting.figure(size=(6.0, 3.2))
    (line,) = ax.plot([], [])
    ax.set(xlabel="step", ylabel="loss", yscale="log", xlim=(1, epochs))

    def update(lr):
        history = train(make_net(), x, y, loss, lr, epochs)
        line.set_data(range(1, epochs + 1), history)
        finite = history[~np.isnan(history)]
        ax.set_ylim(finite.min() * 0.8, finite.max() * 1.25)
        outcome = f"diverged at step {len(finite)}" if len(finite) < epochs else f"final {finite[-1]:.4f}"
        ax.set_title(f"lr = {lr:.3g}: {outcome}")

    return Explorer(fig, update, {"lr": _log_slider(lr, *lr_range, "lr")})


def parse_numbers(text, name="logits"):
    """'1, 2.5, -3' (commas and/or spaces) -> float64 array of shape (k,); ValueError naming ``name`` otherwise."""
    if not isinstance(text, str):
        raise TypeError(f"{name} must be text such as '1, 2, 3', got {type(text).__name__}")
    parts = text.replace(",", " ").split()
    if not parts:
        raise ValueError(f"{name} is empty: type numbers separated by commas, such as '1, 2, 3'")
    values = []
    for part in parts:
        try:
            values.append(float(part))
        except ValueError:
            raise ValueError(f"{name} must be numbers separated by commas; could not read {part!r}") from None
    arr = np.array(values)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite numbers, got {text.strip()!r}")
    return arr


def softmax_explorer(logits="1, 2, 0.5, 3", temperature=1.0):
    """softmax(z / T) beside the one-hot argmax as bars, with a log-scale temperature slider and editable logits."""
    from helpers.activations import argmax_onehot, softmax

    fig, ax = plotting.figure(size=(6.0, 3.0))

    def update(temperature, logits):
        z = parse_numbers(logits, "logits")
        p, q = softmax(z, temperature), argmax_onehot(z)
        ax.clear()
        k = np.arange(len(z))
        ax.bar(k - 0.2, p, width=0.4, label=f"softmax(z / T), T = {temperature:.3g}")
        ax.bar(k + 0.2, q, width=0.4, label="argmax (one-hot)", color="0.7")
        ax.set(ylim=(0, 1.05), xticks=k, xticklabels=[f"z={v:g}" for v in z], ylabel="probability")
        ax.legend(loc="upper left", fontsize=8)

    controls = {
        "temperature": _log_slider(temperature, 0.01, 100.0, "T"),
        "logits": widgets.Text(value=logits, description="logits", continuous_update=False),
    }
    return Explorer(fig, update, controls)


def activation_derivatives_explorer(negative_slope=0.01, beta=1.0):
    """The 2x2 figure of ReLU', LeakyReLU', Softplus', GELU' with sliders for the slope and beta."""
    from helpers.activations import d_gelu, d_leaky_relu, d_relu, d_softplus

    fig, axes = plotting.figure(2, 2, size=(7.0, 4.6))
    z = np.linspace(-4, 4, 801)
    panels = [("ReLU'(x)", lambda s, b: d_relu(z)), ("LeakyReLU'(x)", lambda s, b: d_leaky_relu(z, s)),
              ("Softplus'(x)", lambda s, b: d_softplus(z, b)), ("GELU'(x)", lambda s, b: d_gelu(z))]  # fmt: skip
    lines = []
    for ax, (title, _) in zip(axes.ravel(), panels):
        lines.append(ax.plot(z, np.zeros_like(z))[0])
        ax.set(title=title, xlabel="x", ylim=(-0.25, 1.25))
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)

    def update(negative_slope, beta):
        from helpers._validate import positive

        positive(beta, "beta")
        for line, (_, deriv) in zip(lines, panels):
            line.set_ydata(deriv(negative_slope, beta))
        axes[0, 1].set_title(f"LeakyReLU'(x), slope {negative_slope:.3g}")
        axes[1, 0].set_title(f"Softplus'(x), beta = {beta:.3g}")

    controls = {
        "negative_slope": widgets.FloatSlider(value=negative_slope, min=0.0, max=0.5, step=0.01, description="slope"),
        "beta": _log_slider(beta, 0.1, 10.0, "beta"),
    }
    return Explorer(fig, update, controls)


def transformation_explorer(kind="reflection"):
    """A grid and the letter F before (grey) and after a 2x2 linear map, with det and orthogonality.

    Presets: scaling (factor), rotation (angle), reflection (mirror-axis angle), shear (factor);
    'free' uses the four matrix sliders a, b, c, d of [[a, b], [c, d]].
    """
    from helpers import linear

    fig, ax = plotting.figure(size=(4.6, 4.6))
    grid = np.linspace(-2, 2, 9)
    shape = linear.letter_f()

    def current(kind, factor, angle, axis, shear, a, b, c, d):
        presets = {
            "scaling": lambda: linear.scaling(factor),
            "rotation": lambda: linear.rotation(np.deg2rad(angle)),
            "reflection": lambda: linear.reflection(np.deg2rad(axis)),
            "shear": lambda: linear.shear(shear),
            "free": lambda: linear.matrix([[a, b], [c, d]]),
        }
        if kind not in presets:
            raise ValueError(f"kind must be one of {', '.join(presets)}, got {kind!r}")
        return presets[kind]()

    def update(**values):
        M = current(**values)
        ax.clear()
        for g in grid:
            for line in (np.array([[g, -2], [g, 2]]), np.array([[-2, g], [2, g]])):
                ax.plot(*line.T, color="0.88", lw=0.8)
                ax.plot(*(line @ M.T).T, color="tab:blue", lw=0.6, alpha=0.5)
        if values["kind"] == "reflection":
            u = 3 * np.array([np.cos(np.deg2rad(values["axis"])), np.sin(np.deg2rad(values["axis"]))])
            ax.plot([-u[0], u[0]], [-u[1], u[1]], "k--", lw=1, label="mirror axis")
        ax.fill(*shape.T, color="0.6", alpha=0.6, label="before")
        ax.fill(*(shape @ M.T).T, color="tab:orange", alpha=0.8, label="after")
        det = float(np.linalg.det(M))
        orth = "orthogonal" if linear.is_orthogonal(M, tol=1e-9) else "not orthogonal"
        ax.set(xlim=(-3, 3), ylim=(-3, 3), aspect="equal", title=f"{values['kind']}: det = {det:+.3f}, {orth}")
        ax.legend(loc="lower right", fontsize=8)

    def slider(value, lo, hi, description, step=0.05):
        return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=description)

    controls = {
        "kind": widgets.Dropdown(options=["scaling", "rotation", "reflection", "shear", "free"], value=kind),
        "factor": slider(1.5, -2, 2, "factor"),
        "angle": slider(30, -180, 180, "angle (deg)", step=1),
        "axis": slider(30, 0, 180, "mirror (deg)", step=1),
        "shear": slider(0.8, -2, 2, "shear"),
        **{name: slider(v, -2, 2, name) for name, v in zip("abcd", (1.0, 0.5, 0.0, 1.0))},
    }
    return Explorer(fig, update, controls)


def graph_explorer(expression="x*y + z", values="x=2, y=-3, z=4"):
    """Type an expression of names, numbers, + and * and the values of its names; see its graph,
    every node's value and its gradient after one backward pass."""
    from helpers.graph import build

    fig, ax = plotting.figure(size=(7.5, 3.6))

    def update(expression, values):
        env = parse_assignments(values)
        root, _ = build(expression, env)
        root.backward()
        ax.clear()
        plotting.graph(ax, root, title=f"w = {expression}")

    controls = {
        "expression": widgets.Text(value=expression, description="w =", continuous_update=False),
        "values": widgets.Text(value=values, description="values", continuous_update=False),
    }
    return Explorer(fig, update, controls)


def parse_assignments(text):
    """'x=2, y=-3' -> {'x': 2.0, 'y': -3.0}; ValueError naming what could not be read."""
    if not isinstance(text, str):
        raise TypeError(f"values must be text such as 'x=2, y=-3', got {type(text).__name__}")
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, number = (s.strip() for s in part.partition("="))
        if not sep or not name.isidentifier():
            raise ValueError(f"values must look like 'x=2, y=-3'; could not read {part!r}")
        try:
            out[name] = float(number)
        except ValueError:
            raise ValueError(f"the value of {name} must be a number; could not read {number!r}") from None
        if not math.isfinite(out[name]):
            raise ValueError(f"the value of {name} must be finite, got {number!r}")
    return out
