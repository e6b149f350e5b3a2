"""Every figure the notebooks show carries a text alternative that says what it shows, and it reaches each
reader: as ``output.metadata["image/png"]["alt"]`` (nbconvert's classic template and tools/build_site.py put it
in the <img alt>), as the output's text/plain, and, since JupyterLab 4 gives an image output no alt attribute, in
a visually hidden caption output (static figures) or status region (explorers, renewed on every redraw).

Strict nbval compares the text/plain and the caption: the text is the same on another CPU."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_figures import BUILDERS

from helpers import plotting, widgets

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"\d")


def all_figures():
    for build in BUILDERS:
        yield from build()


@pytest.mark.parametrize("build", BUILDERS, ids=[b.__name__[1:] for b in BUILDERS])
def test_every_figure_says_what_it_shows_in_its_png_output(build):
    for name, fig in build():
        alt = fig.alt
        assert alt and not alt.startswith("Figure with"), f"{name}: no text alternative of its own"
        assert len(alt) >= 60 and NUMBER.search(alt), f"{name}: {alt!r} gives no data"
        assert "$" not in alt and "\\" not in alt, f"{name}: mathtext left in {alt!r}"
        data, metadata = fig._repr_mimebundle_()
        assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
        assert data["text/plain"] == metadata["image/png"]["alt"] == alt, name


def test_a_figure_nobody_described_gets_a_description_from_its_titles_and_labels():
    fig, ax = plotting.figure()
    ax.plot([0, 1, 2], [1, 0, 1], label="v")
    ax.set(title="a valley", xlabel="t", ylabel="height")
    assert fig.text_alternative() == "Figure with 1 panel: 'a valley', height against t, 1 line."


def shell():
    from IPython.core.interactiveshell import InteractiveShell

    return InteractiveShell.instance()


def test_a_figure_shows_as_its_png_with_alt_then_a_caption_only_screen_readers_meet():
    from IPython.display import display
    from IPython.utils.capture import capture_output

    shell()
    fig = plotting.loss_curves({"lr = 0.1 <b>": np.array([1.0, 0.5, 0.25])}, title="three steps")
    with capture_output() as captured:
        display(fig)
    image, caption = captured.outputs
    assert image.metadata["image/png"]["alt"] == image.data["text/plain"] == fig.alt
    assert caption.data["text/plain"] == ""
    html = caption.data["text/html"]
    assert html.startswith('<p class="jp-sr-only">Figure: Line chart: three steps.') and "lr = 0.1 &lt;b&gt;" in html


def test_an_explorer_shows_its_widgets_then_its_figure_with_alt_under_a_display_id():
    from IPython.utils.capture import capture_output

    shell()
    e = widgets.softmax_explorer()
    with capture_output() as captured:
        e._ipython_display_()
    box, figure = captured.outputs
    assert "application/vnd.jupyter.widget-view+json" in box.data
    assert figure.metadata["image/png"]["alt"] == e.fig.alt and e._handle is not None


EXPLORER_MOVES = {
    "learning rate": (
        lambda: widgets.learning_rate_explorer(
            lambda: __import__("helpers").MLP(2, 4, "tanh", 4, 1, "identity", seed=0),
            np.random.default_rng(0).standard_normal((16, 2)),
            np.random.default_rng(1).standard_normal((16, 1)),
            __import__("helpers").losses.mse,
            steps=20,
        ),
        {"lr": 0.2},
    ),  # fmt: skip
    "softmax": (widgets.softmax_explorer, {"temperature": 5.0}),
    "derivatives": (widgets.activation_derivatives_explorer, {"beta": 3.0}),
    "transformation": (lambda: widgets.transformation_explorer("free"), {"a": -1.5}),
    "graph": (widgets.graph_explorer, {"values": "x=5, y=-3, z=4"}),
}


@pytest.mark.parametrize("name", list(EXPLORER_MOVES))
def test_each_explorer_renews_its_alt_and_its_status_region_on_every_redraw(name):
    make, move = EXPLORER_MOVES[name]
    e = make()
    before = e.fig.alt
    assert (
        before and 'role="status"' in e.caption.value and e.caption.value.endswith(f"Figure: {_escaped(before)}</div>")
    )
    for control, value in move.items():
        e.controls[control].value = value
    assert e.error == "", e.error
    after = e.fig.alt
    assert after != before
    assert e.caption.value.endswith(f"Figure: {_escaped(after)}</div>")
    assert e.fig._repr_mimebundle_()[1]["image/png"]["alt"] == after


def _escaped(text):
    import html

    return html.escape(text)


def test_an_error_shows_in_an_alert_region_and_leaves_the_alt_of_the_last_good_figure():
    e = widgets.softmax_explorer()
    alt, caption = e.fig.alt, e.caption.value
    e.controls["logits"].value = "1, nope"
    assert e.message.value.startswith('<div role="alert"') and "could not read" in e.message.value
    assert e.fig.alt == alt and e.caption.value == caption
    e.controls["logits"].value = "1, 2"
    assert e.message.value == "" and e.fig.alt != alt


def test_every_slider_has_a_number_box_with_its_label_that_moves_with_it():
    e = widgets.activation_derivatives_explorer()
    for name, slider in e.controls.items():
        box = e.boxes[name]
        assert box.description and slider.description == "" and not slider.readout
        assert e.rows[name].children == (box, slider)
    e.controls["beta"].value = 2.5118864315095806  # as the browser sends 10 ** 0.4
    assert e.boxes["beta"].value == 2.51
    e.boxes["negative_slope"].value = 0.3  # typed in the box
    assert e.controls["negative_slope"].value == 0.3 and "slope = 0.3" in e.fig.alt
    e.controls["negative_slope"].value = float("nan")  # refused, and the box keeps the last good value
    assert e.error and e.boxes["negative_slope"].value == 0.3


def test_the_alt_texts_are_the_same_on_another_cpu():
    """numpy's SIMD kernels and OpenBLAS' threads change round-off from one machine to the next: the text that
    strict nbval compares must not show it. Here: baseline kernels only and one BLAS thread, in a subprocess."""
    script = (
        "import json, sys; sys.path.insert(0, 'tests'); import test_alt_text as t; "
        "print(json.dumps([[n, f.alt] for n, f in t.all_figures()]))"
    )
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL", "OPENBLAS_NUM_THREADS": "1"}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    there = json.loads(run.stdout.strip().splitlines()[-1])
    here = [[n, f.alt] for n, f in all_figures()]
    assert here == there


def test_nbconvert_puts_the_metadata_alt_in_the_classic_template_and_a_placeholder_in_lab():
    """What nbconvert 7 does with it (tools/build_site.py adds it to lab's <img> itself)."""
    import nbformat
    from nbconvert import HTMLExporter

    fig = plotting.loss_curves({"a": np.array([1.0, 0.5])}, title="two steps")
    data, metadata = fig._repr_mimebundle_()
    data = {"image/png": _b64(data["image/png"]), "text/plain": data["text/plain"]}
    output = nbformat.v4.new_output("display_data", data=data, metadata=metadata)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("fig", outputs=[output])])
    classic, _ = HTMLExporter(template_name="classic").from_notebook_node(nb)
    lab, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert f'alt="{_escaped(fig.alt)}"' in classic.replace("&#39;", "'")
    assert 'alt="No description has been provided for this image"' in lab


def _b64(png):
    import base64

    return base64.b64encode(png).decode()
