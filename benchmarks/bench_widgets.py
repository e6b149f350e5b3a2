"""How fast every explorer answers: the time of one step, median and 90th percentile.

A step is what the kernel does for one move of a control: the callback (validation and redraw of the changed
artists) plus rendering the PNG with its text alternative that the display update sends
(``fig._repr_mimebundle_()``). Each slider is moved one handle position at a time, as the arrow keys move it,
across its whole range and back (every position the handle can take, in order); the graph explorer's values box
gets a new value per step. The learning-rate explorer trains all 61 positions of its slider when it is built
(helpers.training.train_rates), so no step trains; its build time, with the package's mse and with a loss of
one's own, is printed after the table. Run:
    python benchmarks/bench_widgets.py [--repeat N]
"""

import argparse
import os
import statistics
import time

import numpy as np

from helpers import MLP, losses, widgets
from helpers.data import regression


def own_mse(y_hat, y):
    """A loss of one's own: the package's mse, but not known to the package as one of its losses."""
    return losses.mse(y_hat, y)


def lr_explorer(loss=losses.mse):
    """Notebook 01's learning-rate explorer."""
    x, y = regression(n=64, seed=0)
    return widgets.learning_rate_explorer(
        lambda: MLP(2, 16, "relu", 16, 1, "identity", init="he", seed=0), x, y, loss, steps=200
    )


def there_and_back(slider):
    """Every handle position from the start to the top, down to the bottom and back to the start."""
    values = list(widgets.slider_values(slider))
    start = int(np.argmin(np.abs(np.asarray(values) - slider.value)))
    return values[start + 1 :] + values[::-1] + values[1 : start + 1]


def each_once(slider):
    """Every handle position once: from the start up to the top, then from below the start down to the bottom."""
    values = list(widgets.slider_values(slider))
    start = int(np.argmin(np.abs(np.asarray(values) - slider.value)))
    return values[start + 1 :] + values[start - 1 :: -1]


def graph_values(_control):
    return [f"x={v:g}, y=2, z=3, o=4" for v in np.linspace(-2, 2, 41)]


EXPLORERS = {  # title: (make the explorer, {control: values of a sweep (a function of the control)} or None)
    "learning rate (01)": (lr_explorer, {"lr": lambda slider: each_once(slider) + there_and_back(slider)}),
    "softmax (05)": (widgets.softmax_explorer, None),
    "activation derivatives (06)": (widgets.activation_derivatives_explorer, None),
    "linear transformations (07), free": (lambda: widgets.transformation_explorer("free"), None),
    "linear transformations (07), reflection": (lambda: widgets.transformation_explorer("reflection"), None),
    "computational graph (08)": (
        lambda: widgets.graph_explorer("(x + y) * (z * o) + z", "x=1, y=2, z=3, o=4"),
        {"values": graph_values},
    ),
}


def sweeps(explorer, chosen):
    if chosen is not None:
        return {name: make(explorer.controls[name]) for name, make in chosen.items()}
    return {
        name: there_and_back(c)
        for name, c in explorer.controls.items()
        if isinstance(c, (widgets.FloatSlider, widgets.FloatLogSlider)) and c.layout.display != "none"
    }


def p90(values):
    return float(np.percentile(values, 90))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="sweeps per slider (default 1)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    print(
        "| explorer | control | steps | step, median (ms) | step, p90 (ms) | callback, median (ms) | PNG, median (ms) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for title, (make, chosen) in EXPLORERS.items():
        explorer = make()
        explorer.fig._repr_mimebundle_()  # the first display
        for name, sweep in sweeps(explorer, chosen).items():
            control = explorer.controls[name]
            callback, png, total = [], [], []
            for _ in range(args.repeat):
                for value in sweep:
                    t0 = time.perf_counter()
                    control.value = value if isinstance(value, str) else float(value)  # the observer redraws
                    t1 = time.perf_counter()
                    explorer.fig._repr_mimebundle_()
                    t2 = time.perf_counter()
                    assert explorer.error == "", explorer.error
                    callback.append(t1 - t0)
                    png.append(t2 - t1)
                    total.append(t2 - t0)
            ms = [1e3 * v for v in (statistics.median(total), p90(total), statistics.median(callback),
                                    statistics.median(png))]  # fmt: skip
            print(f"| {title} | {name} | {len(total)} | " + " | ".join(f"{v:.1f}" for v in ms) + " |")
    for loss in (losses.mse, own_mse):
        builds = []
        for _ in range(5):
            t0 = time.perf_counter()
            lr_explorer(loss)
            builds.append(time.perf_counter() - t0)
        print(f"learning rate (01) built, its 62 runs trained, loss {loss.__name__}: median "
              f"{1e3 * statistics.median(builds):.0f} ms of 5, max {1e3 * max(builds):.0f} ms")  # fmt: skip
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
