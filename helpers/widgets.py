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
