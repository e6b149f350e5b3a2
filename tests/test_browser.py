"""End to end: a real JupyterLab in headless Chromium runs the softmax and linear-transformation
notebooks, moves a slider of each with the keyboard, and sees the readout and the figure change.

Uses Debian's chromium through the playwright package (never a downloaded browser). Screenshots
after the move go to build/browser-screenshots/.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "build" / "browser-screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip

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
    for name in ("05_softargmax.ipynb", "07_linear_transformations.ipynb"):
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


def run_all(page, url, notebook):
    page.goto(f"{url}/lab/tree/{notebook}?reset", wait_until="networkidle")
    page.get_by_text("| Idle").first.wait_for(timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    # The last cell prints the self-check verdict: every cell has run once it shows.
    page.get_by_text("correct:").first.wait_for(timeout=120_000)


def move_slider(page, cell, index, presses):
    """Focus the index-th slider of the cell and press ArrowRight; returns (readout, figure) before and after."""
    slider = cell.locator(".widget-slider").nth(index)
    readout = slider.locator(".widget-readout")
    figure = cell.locator(".jp-OutputArea-output img").first
    before = readout.inner_text(), figure.get_attribute("src")
    slider.locator(".noUi-handle").focus()
    for _ in range(presses):
        page.keyboard.press("ArrowRight")
    deadline = time.time() + 20
    while time.time() < deadline and figure.get_attribute("src") == before[1]:
        time.sleep(0.2)
    return before, (readout.inner_text(), figure.get_attribute("src"))


def assert_no_errors(page):
    text = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").inner_text()
    assert "Error displaying widget" not in text and "Traceback" not in text
    assert page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count() == 0


@pytest.mark.parametrize(
    ("notebook", "slider_index", "presses"),
    [("05_softargmax.ipynb", 0, 6), ("07_linear_transformations.ipynb", 2, 15)],  # T; the mirror-axis angle
)
def test_slider_redraws_the_figure_in_jupyterlab(lab, browser, notebook, slider_index, presses):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        run_all(page, lab, notebook)
        cell = page.locator(".jp-Cell", has=page.locator(".widget-slider")).first
        cell.scroll_into_view_if_needed()
        (readout0, src0), (readout1, src1) = move_slider(page, cell, slider_index, presses)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{Path(notebook).stem}.png"))
        assert readout1 != readout0, "the slider's readout did not change"
        assert src0 and src1 != src0, "the figure was not redrawn"
        assert cell.locator(".jp-OutputArea-output img").count() == 1, "figures stacked up instead of redrawing"
        assert_no_errors(page)
    finally:
        page.close()
