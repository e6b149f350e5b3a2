"""End to end: a real JupyterLab in headless Chromium runs the notebooks with an explorer (01, 05, 06, 07, 08),
and every explorer answers, is usable without a mouse or without sight, and passes axe.

- Every slider of every explorer (07: of every map), moved with the keyboard: the time from the key press to the
  new figure in the page (both stamped inside the page: the keydown event, and the new <img> decoded) is
  printed, median and p90, and saved; the targets (p90 under 150 ms, a drag settled within 300 ms) are measured
  and quoted in benchmarks/README.md. The test asserts only regression guards with room for a slower CPU or a
  loaded machine (KEY_P90_MS below): the rebuild-and-relayout drawing this replaced took 430-1190 ms a step.
  The graph explorer (no slider): typing new values.
- A one-second drag of a slider settles (its last new figure) on the final value, within SETTLE_MS of mouse-up.
- Each timing gets a second round when the first misses its bound (see KEY_P90_MS): other processes on a shared
  machine slow a whole round now and then; a slow explorer misses both.
- Every control is named by its visible label; the figure's text alternative is in a status region and an error
  in an alert region (read from Chromium's accessibility tree, as a screen reader gets it).
- axe-core (WCAG 2.1 A and AA) finds no serious or critical violation in the output areas, except the two that
  come from JupyterLab and ipywidgets themselves (KNOWN below), whose stand-ins are checked instead.

Uses Debian's chromium through the playwright package (never a downloaded browser). Screenshots go to
build/browser-screenshots/, the measured times to build/browser-latency.json.
"""

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
SCREENSHOTS = BUILD / "browser-screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip

NOTEBOOKS = ["01_sgd_steps.ipynb", "05_softargmax.ipynb", "06_activation_derivatives.ipynb",
             "07_linear_transformations.ipynb", "08_computational_graph.ipynb"]  # fmt: skip
PRESSES = 6  # key presses per slider and direction
#: p90 of key press -> new figure, per notebook. The kernel's step is 9-50 ms (benchmarks/README.md); the browser
#: and the server add 30-40 ms. Measured over 8 runs on a 2-core machine shared with other test runs (load 1.8
#: to 4.4): p90 78-100 ms (05), 80-133 (07), 90-128 (01), 113-140 (06, four panels). A process that hogs the CPU
#: for a few seconds can push a whole round over, so a notebook gets a second round when the first one misses.
#: The bounds are regression guards, about 2.5 times the worst p90 measured here (a CI machine may be slower):
#: what a student gets is measured and quoted in benchmarks/README.md, not asserted.
KEY_P90_MS = 400
SETTLE_MS = 800  # mouse-up -> last new figure of a drag (measured 42-281 ms; one in flight, one queued at most)
#: The graph explorer has no slider: a new graph per Enter in a text box (only the numbers that change are drawn).
TYPED_P90_MS = 600  # measured p90 108-139 ms (load 1-3.3), 125-249 ms on a machine shared with other test runs
#: Violations that come from JupyterLab and ipywidgets, not from us, and what stands in for each (checked below).
KNOWN = {
    "image-alt": "JupyterLab 4's image renderer gives an image output no alt attribute (it reads only width, "
    "height, needs_background and unconfined from the output's metadata); the figure's text alternative is "
    "in the caption output or status region next to it",
    "aria-input-field-name": "an ipywidgets 8 slider handle (noUiSlider) is not linked to its label; the number "
    "box beside each slider carries the label and the same value",
}
LATENCY = {}  # (notebook, control) -> [ms per key press]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (apt-get install chromium; .ci/run does)"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a free loopback port, with its own config, settings and root dir."""
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "root"
    root.mkdir()
    for name in NOTEBOOKS:
        shutil.copy(ROOT / "notebooks" / name, root / name)
    notification = tmp / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port = free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp / "config"), "JUPYTER_RUNTIME_DIR": str(tmp / "runtime")}
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--IdentityProvider.token=",
           f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={tmp / 'settings'}",
           f"--LabApp.workspaces_dir={tmp / 'workspaces'}", "--allow-root"]  # fmt: skip
    log = open(tmp / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=1)
                break
            except OSError:
                assert server.poll() is None, (tmp / "server.log").read_text()
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start in 60 s:\n" + (tmp / "server.log").read_text())
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


SHUT_DOWN_KERNELS = """async () => {
    const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1];
    for (const kernel of await (await fetch('/api/kernels')).json()) {
        await fetch('/api/kernels/' + kernel.id, {method: 'DELETE', headers: xsrf ? {'X-XSRFToken': xsrf} : {}});
    }
}"""


@dataclass
class Opened:
    notebook: str
    page: object


@pytest.fixture(scope="module")
def nb(request, lab, browser):
    """A page where the notebook (the test's parameter) has run top to bottom. Module-scoped and parametrized, so
    pytest runs the tests notebook by notebook: one page and one kernel at a time, shut down after its tests."""
    notebook = request.param
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        run_all(page, lab, notebook)
        yield Opened(notebook, page)
    finally:
        page.evaluate(SHUT_DOWN_KERNELS)
        page.close()
        if LATENCY:
            BUILD.mkdir(exist_ok=True)
            (BUILD / "browser-latency.json").write_text(json.dumps({" / ".join(k): v for k, v in LATENCY.items()}))


ALL_RAN = """() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const prompts = panel ? [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')] : [];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""


def run_all(page, url, notebook):
    page.goto(f"{url}/lab/tree/{notebook}?reset", wait_until="networkidle")
    page.get_by_text("| Idle").first.wait_for(timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_function(ALL_RAN, timeout=180_000, polling=250)  # every code cell has its execution count
    page.get_by_text("| Idle").first.wait_for(timeout=60_000)
    assert_no_errors(page)


def assert_no_errors(page):
    text = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").inner_text()
    assert "Error displaying widget" not in text and "Traceback" not in text
    assert page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count() == 0


def explorer(page):
    """The cell of the notebook's explorer: the one whose output holds a widget box and a status region."""
    cell = page.locator(".jp-CodeCell", has=page.locator(".widget-vbox [role=status]")).first
    cell.scroll_into_view_if_needed()
    return cell


# Stamps inside the page: each keydown and mouseup, and each new figure <img> of the explorer once decoded.
PROBE = """cell => {
    const probe = window.__probe = {keys: [], ups: [], images: []};
    document.addEventListener('keydown', e => probe.keys.push(e.timeStamp), true);
    document.addEventListener('mouseup', e => probe.ups.push(e.timeStamp), true);
    new MutationObserver(records => {
        for (const r of records) for (const node of r.addedNodes) {
            if (!node.querySelectorAll) continue;
            const imgs = node.tagName === 'IMG' ? [node] : [...node.querySelectorAll('img')];
            for (const img of imgs) img.decode().then(() => probe.images.push(performance.now()), () => {});
        }
    }).observe(cell, {childList: true, subtree: true});
}"""


def probe(page, cell):
    if not page.evaluate("() => !!window.__probe"):
        cell.evaluate(PROBE)
    page.evaluate("() => { window.__probe.keys = []; window.__probe.ups = []; window.__probe.images = []; }")


def stamps(page):
    return page.evaluate("() => window.__probe")


def figure_alt(cell):
    # text_content, not inner_text: JupyterLab skips rendering cells scrolled out of view (content-visibility)
    return cell.locator("[role=status]").text_content()


def press(page, cell, target, key, presses=PRESSES):
    """Press ``key`` on ``target`` ``presses`` times, each after the last figure arrived; ms from each keydown to its
    new figure."""
    target.focus()
    times = []
    for _ in range(presses):
        probe(page, cell)
        page.keyboard.press(key)
        page.wait_for_function("() => window.__probe.images.length > 0", timeout=20_000, polling="raf")
        page.wait_for_timeout(80)  # the kernel sends the status text after the figure; a person presses slower
        got = stamps(page)
        assert len(got["keys"]) == 1, got
        times.append(got["images"][0] - got["keys"][0])
    return times


def slider_rows(cell):
    rows = cell.locator(".widget-hbox:has(.widget-slider)")
    return [rows.nth(i) for i in range(rows.count()) if rows.nth(i).is_visible()]


def label_of(row):
    return row.locator(".widget-label").first.inner_text()


def report(capsys, name, times):
    with capsys.disabled():
        print(f"\n  {name}: key press -> new figure: median {statistics.median(times):.0f} ms, "
              f"p90 {np.percentile(times, 90):.0f} ms, max {max(times):.0f} ms ({len(times)} presses)")  # fmt: skip


SLIDER_NOTEBOOKS = ["01_sgd_steps.ipynb", "05_softargmax.ipynb", "06_activation_derivatives.ipynb",
                    "07_linear_transformations.ipynb"]  # fmt: skip


def round_of_presses(page, cell, notebook, capsys):
    """Every slider (07: of every map, then back to the notebook's) moved PRESSES times right and as many left;
    returns the ms from each key press to its new figure."""
    kinds = [None]
    if cell.locator("select").count():
        # the options' values, not their inner text: a cell scrolled out of view is not rendered (content-visibility)
        # and its inner text can come back empty, which no option matches
        values = cell.locator("select option").evaluate_all("options => options.map(o => o.value)")
        kinds = [*values, cell.locator("select").input_value()]
    times = []
    for kind in kinds:
        if kind is not None:
            probe(page, cell)
            cell.locator("select").select_option(value=kind)
            page.wait_for_function("() => window.__probe.images.length > 0", timeout=20_000)
        for row in slider_rows(cell):
            box = row.locator("input[type=number]")
            before = box.input_value(), figure_alt(cell)
            row_times = press(page, cell, row.locator(".noUi-handle"), "ArrowRight")
            row_times += press(page, cell, row.locator(".noUi-handle"), "ArrowLeft")
            assert box.input_value() == before[0] and figure_alt(cell) == before[1], "back where it started"
            LATENCY.setdefault((notebook, label_of(row)), []).extend(row_times)
            report(capsys, f"{notebook[:2]} {label_of(row)}", row_times)
            times += row_times
    return times


@pytest.mark.parametrize("nb", SLIDER_NOTEBOOKS, indirect=True)
def test_every_slider_answers_a_key_press_at_once(nb, capsys):
    """p90 under KEY_P90_MS in one of at most two rounds: another process's burst of CPU (on a shared 2-core
    machine, another test run) can slow a whole round down; a slow explorer is slow in both."""
    notebook, page = nb.notebook, nb.page
    cell = explorer(page)
    rounds = []
    for _ in range(2):
        times = round_of_presses(page, cell, notebook, capsys)
        rounds.append(float(np.percentile(times, 90)))
        with capsys.disabled():
            print(f"\n  {notebook[:2]} all sliders: median {statistics.median(times):.0f} ms, p90 {rounds[-1]:.0f} ms "
                  f"(load average {os.getloadavg()[0]:.1f})")  # fmt: skip
        if rounds[-1] < KEY_P90_MS:
            break
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{Path(notebook).stem}.png"))
    assert cell.locator(".jp-OutputArea-output img").count() == 1, "figures stacked up instead of redrawing"
    assert_no_errors(page)
    assert min(rounds) < KEY_P90_MS, rounds


@pytest.mark.parametrize("nb", ["08_computational_graph.ipynb"], indirect=True)
def test_the_graph_explorer_answers_new_values_at_once(nb, capsys):
    """p90 under TYPED_P90_MS in one of at most two rounds (see test_every_slider_answers_a_key_press_at_once)."""
    page = nb.page
    cell = explorer(page)
    values = cell.get_by_role("textbox", name="values")
    rounds = []
    for _ in range(2):
        times = []
        for v in (2, -1.5, 7, 0.25, 3, 1, 5, -0.5, 4, 1.5, 6, 0.75):  # as many presses as a slider gets (2 PRESSES)
            probe(page, cell)
            values.fill(f"x={v}, y=2, z=3, o=4")
            values.press("Enter")
            page.wait_for_function("() => window.__probe.images.length > 0", timeout=20_000, polling="raf")
            got = stamps(page)
            times.append(got["images"][0] - got["keys"][-1])
            page.wait_for_timeout(80)
            assert f"x = {v:g} (gradient" in figure_alt(cell)
        LATENCY.setdefault(("08_computational_graph.ipynb", "values"), []).extend(times)
        report(capsys, "08 values (Enter)", times)
        rounds.append(float(np.percentile(times, 90)))
        if rounds[-1] < TYPED_P90_MS:
            break
    assert min(rounds) < TYPED_P90_MS, rounds


DRAGS = {"01_sgd_steps.ipynb": 0, "06_activation_derivatives.ipynb": 1}  # notebook: its slider (lr; β)


def drag(page, cell, row):
    """Drag the row's slider for about a second (right, then back left); ms from mouse-up to the last new figure."""
    handle = row.locator(".noUi-handle")
    track = row.locator(".noUi-base").bounding_box()
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    probe(page, cell)
    page.mouse.move(x, y)
    page.mouse.down()
    right, left = track["x"] + 0.9 * track["width"], track["x"] + 0.3 * track["width"]
    targets = np.concatenate([np.linspace(x, right, 16), np.linspace(right, left, 15)])
    for target in targets:
        page.mouse.move(float(target), y)
        page.wait_for_timeout(30)
    page.mouse.up()
    last = -1
    while True:  # settled: no new figure for a second
        page.wait_for_timeout(1000)
        count = len(stamps(page)["images"])
        if count == last:
            break
        last = count
    got = stamps(page)
    return max(got["images"]) - got["ups"][-1], len(targets), len(got["images"])


@pytest.mark.parametrize("nb", list(DRAGS), indirect=True)
def test_a_drag_settles_at_once_on_the_final_value(nb, capsys):
    """Settled within SETTLE_MS in one of at most two drags (see test_every_slider_answers_a_key_press_at_once)."""
    notebook, page = nb.notebook, nb.page
    cell = explorer(page)
    row = slider_rows(cell)[DRAGS[notebook]]
    settles = []
    for _ in range(2):
        settle, moves, figures = drag(page, cell, row)
        settles.append(settle)
        with capsys.disabled():
            print(f"\n  {notebook[:2]} {label_of(row)}: drag of {moves} moves, {figures} new figures, "
                  f"settled {settle:.0f} ms after mouse-up (load average {os.getloadavg()[0]:.1f})")  # fmt: skip
        value = row.locator("input[type=number]").input_value()
        assert f"{label_of(row)} = {float(value):.3g}" in figure_alt(cell), (value, figure_alt(cell))
        if settle < SETTLE_MS:
            break
    LATENCY[(notebook, f"{label_of(row)} drag settle")] = settles
    assert min(settles) < SETTLE_MS, settles


LABELS = {  # the controls a screen reader names, by role: as many as the explorer shows
    "01_sgd_steps.ipynb": {"spinbutton": ["lr"]},
    "05_softargmax.ipynb": {"spinbutton": ["T"], "textbox": ["logits"]},
    "06_activation_derivatives.ipynb": {"spinbutton": ["slope", "β"]},
    "07_linear_transformations.ipynb": {"combobox": ["map"], "spinbutton": ["mirror (deg)"]},
    "08_computational_graph.ipynb": {"textbox": ["w =", "values"]},
}


@pytest.mark.parametrize("nb", NOTEBOOKS, indirect=True)
def test_controls_are_named_by_their_labels_and_the_figure_by_its_status_text(nb):
    notebook, page = nb.notebook, nb.page
    cell = explorer(page)
    tree = cell.locator(".jp-OutputArea").aria_snapshot()
    for role, names in LABELS[notebook].items():
        for name in names:
            control = cell.get_by_role(role, name=name, exact=True)
            assert control.count() == 1, (role, name, tree)
            assert control.is_visible()
    status = cell.get_by_role("status")
    assert status.count() == 1 and status.inner_text().startswith("Figure: ") and len(status.inner_text()) > 60
    assert re.search(r"- status:? ", tree), tree
    box = cell.get_by_role("spinbutton").first
    if box.count():  # the number box works from the keyboard too
        probe(page, cell)
        box.focus()
        box.press("ArrowUp")
        page.wait_for_function("() => window.__probe.images.length > 0", timeout=20_000)
        page.wait_for_timeout(100)
        probe(page, cell)
        box.press("ArrowDown")
        page.wait_for_function("() => window.__probe.images.length > 0", timeout=20_000)


@pytest.mark.parametrize("nb", ["05_softargmax.ipynb"], indirect=True)
def test_an_error_is_announced_in_an_alert_and_the_last_figure_stays(nb):
    page = nb.page
    cell = explorer(page)
    logits = cell.get_by_role("textbox", name="logits")
    alt, src = figure_alt(cell), cell.locator(".jp-OutputArea-output img").get_attribute("src")
    logits.fill("1, two, 3")
    logits.press("Enter")
    alert = cell.get_by_role("alert")
    alert.wait_for(timeout=20_000)
    assert "could not read 'two'" in alert.inner_text()
    assert figure_alt(cell) == alt and cell.locator(".jp-OutputArea-output img").get_attribute("src") == src
    logits.fill("1, 2, 0.5, 3")
    logits.press("Enter")
    alert.wait_for(state="detached", timeout=20_000)


@pytest.mark.parametrize("nb", NOTEBOOKS, indirect=True)
def test_axe_finds_no_serious_violation_in_the_output_areas(nb, capsys):
    from axe_playwright_python.sync_playwright import Axe

    notebook, page = nb.notebook, nb.page
    explorer(page)
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    context = {"include": [[".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output"]]}
    results = Axe().run(page, context=context, options=options).response
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    with capsys.disabled():
        for v in serious:
            print(f"\n  {notebook[:2]} axe: {v['id']} ({v['impact']}) on {len(v['nodes'])} node(s)"
                  f"{' -- known: ' + KNOWN[v['id']] if v['id'] in KNOWN else ''}")  # fmt: skip
    unknown = [(v["id"], [n["target"] for n in v["nodes"]]) for v in serious if v["id"] not in KNOWN]
    assert not unknown, unknown
    for v in serious:  # the known ones stay where we know them, and their stand-in is there
        for node in v["nodes"]:
            html = node["html"]
            if v["id"] == "image-alt":
                assert html.startswith('<img src="data:image/png;base6'), html[:80]  # axe cuts it there
            else:
                assert "noUi-handle" in html, html[:120]
    figures = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedImage img").count()
    captions = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-sr-only").count()
    assert captions == figures, (captions, figures)  # a caption or a status region for every figure
    handles = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .noUi-handle").count()
    boxes = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .widget-hbox:has(.widget-slider) input").count()
    assert handles == boxes
