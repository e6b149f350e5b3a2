"""Responsiveness of every slider: the median time of the update function, and of update plus PNG.

For each explorer and each of its sliders, the value is moved through a sweep. "update" is the
explorer's update function (new control value -> redrawn artists); "update + PNG" adds rendering
the figure to PNG, which the inline display does before the browser shows it. Run:
    python benchmarks/bench_widgets.py
"""

import io
import statistics
import time

import numpy as np

from helpers import MLP, losses, widgets
from helpers.data import regression


def lr_explorer():
    x, y = regression(n=64, seed=0)
    return widgets.learning_rate_explorer(
        lambda: MLP(2, 16, "relu", 16, 1, "identity", init="he", seed=0), x, y, losses.mse, steps=200
    )


SWEEPS = {
    "learning rate (01)": (lr_explorer, {"lr": np.geomspace(1e-3, 0.5, 15)}),
    "softmax (05)": (widgets.softmax_explorer, {"temperature": np.geomspace(0.01, 100, 15)}),
    "activation derivatives (06)": (
        widgets.activation_derivatives_explorer,
        {"negative_slope": np.linspace(0, 0.5, 15), "beta": np.geomspace(0.1, 10, 15)},
    ),
    "linear transformations (07)": (
        lambda: widgets.transformation_explorer("free"),
        {name: np.linspace(-2, 2, 15) for name in "abcd"},
    ),
    "computational graph (08)": (
        lambda: widgets.graph_explorer("(x + y) * (z * o) + z", "x=1, y=2, z=3, o=4"),
        {"values": [f"x={v:g}, y=2, z=3, o=4" for v in np.linspace(-2, 2, 15)]},
    ),
}


def main():
    print("| explorer | slider | update, median (ms) | update + PNG, median (ms) |")
    print("|---|---|---:|---:|")
    for title, (make, sliders) in SWEEPS.items():
        explorer = make()
        for name, sweep in sliders.items():
            update, total = [], []
            for value in sweep:
                t0 = time.perf_counter()
                # setting the value runs the update through the observer
                explorer.controls[name].value = value if isinstance(value, str) else float(value)
                t1 = time.perf_counter()
                explorer.fig.savefig(io.BytesIO(), format="png", dpi=explorer.fig.dpi)
                t2 = time.perf_counter()
                update.append(t1 - t0)
                total.append(t2 - t0)
            assert explorer.error == "", explorer.error
            ms = [statistics.median(v) * 1e3 for v in (update, total)]
            print(f"| {title} | {name} | {ms[0]:.1f} | {ms[1]:.1f} |")


if __name__ == "__main__":
    main()
