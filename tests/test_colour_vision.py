"""Every figure the notebooks show stays readable with a colour vision deficiency: two series of one axes differ
in more than hue, or their colours stay apart with deuteranomaly, protanomaly and tritanomaly at severity 100
(the rule and its threshold: tests/figure_check.py); diverging maps keep their ends and centre apart; the palette
itself is safe and legible on white; and the check fails on matplotlib's default red and green."""

import numpy as np
import pytest
from figure_check import CVD_THRESHOLD, DEFICIENCIES, colour_distance, colour_problems
from matplotlib.colors import to_rgb
from test_figures import BUILDERS

from helpers import graphdraw, plotting

pytest.importorskip("colorspacious")


@pytest.mark.parametrize("build", BUILDERS, ids=[b.__name__[1:] for b in BUILDERS])
def test_every_figure_keeps_its_series_apart_with_each_colour_vision_deficiency(build):
    found = {name: issues for name, fig in build() if (issues := colour_problems(fig))}
    assert not found, found


def test_the_check_fails_on_matplotlibs_red_and_green_and_passes_them_in_two_line_styles():
    x = np.linspace(0, 1, 20)
    fig, ax = plotting.figure()
    ax.plot(x, x, color="tab:red", label="red")
    ax.plot(x, x**2, color="tab:green", label="green")
    found = colour_problems(fig)
    assert len(found) == 1 and "'red' and 'green'" in found[0] and "deuteranomaly" in found[0], found
    ax.lines[1].set_linestyle("--")
    assert colour_problems(fig) == []


def test_the_check_fails_on_a_red_green_colour_map():
    fig = plotting.heatmaps({"M": np.array([[-1.0, 1.0]])})
    fig.axes[0].images[0].set_cmap("RdYlGn")
    assert any("colour map RdYlGn" in p for p in colour_problems(fig))
    assert colour_problems(plotting.heatmaps({"M": np.array([[-1.0, 1.0]])})) == []


def test_the_palette_keeps_every_pair_apart_differs_in_line_style_and_marker_too_and_contrasts_with_white():
    styles = [plotting.series_style(k, marker=True) for k in range(len(plotting.SERIES))]
    for i, a in enumerate(styles):
        for b in styles[i + 1 :]:
            d = colour_distance(to_rgb(a["color"]), to_rgb(b["color"]))
            assert min(d.values()) >= CVD_THRESHOLD, (a["color"], b["color"], d)
            assert a["ls"] != b["ls"] and a["marker"] != b["marker"]
    for style in styles[:4]:  # WCAG 2.1 1.4.11: graphics at least 3:1 against their background
        lum = plotting._luminance(style["color"])
        assert 1.05 / (lum + 0.05) >= 3.0, style["color"]


def test_heatmap_labels_contrast_with_their_cells():
    fig = plotting.heatmaps({"M": np.linspace(-1, 1, 21).reshape(3, 7)})
    ax = fig.axes[0]
    image = ax.images[0]
    for text in ax.texts:
        cell = image.cmap(image.norm(float(text.get_text())))
        lum = [plotting._luminance(c) for c in (cell, text.get_color())]
        assert (max(lum) + 0.05) / (min(lum) + 0.05) >= 4.5, (text.get_text(), text.get_color())


def test_graph_nodes_differ_in_shape_or_edge_as_well_as_fill():
    style = graphdraw.NODE_STYLE
    assert style["input"]["lw"] != style["variable"]["lw"]  # inputs and computed variables: both bubbles
    d = colour_distance(to_rgb(style["input"]["ec"]), to_rgb(style["variable"]["ec"]))
    assert all(d[k] >= CVD_THRESHOLD for k in ("normal", *DEFICIENCIES)), d
