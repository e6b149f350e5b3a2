"""The static site of tools/build_site.py, as its readers get it: every notebook page and the index.

From the HTML: each page has its notebook's figures, each with the text alternative stored in the
output's metadata["image/png"]["alt"]; previous / index / next links; one h1 and no skipped heading
level; the index names each notebook's problem and exercises, read here from the notebooks.
In headless Chromium (Debian's, through the playwright package), with every request that is not a
file: aborted, as an offline reader: no raw TeX shows, every figure loads, MathJax typesets every
formula with its assistive MathML, and axe-core finds no serious or critical WCAG 2.1 A/AA violation.
"""

import functools
import json
import re
import runpy
import shutil
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
PAGES = [f"{p.stem}.html" for p in NOTEBOOKS] + ["index.html"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
NO_CHROMIUM = "no Chromium found (apt-get install chromium; .ci/run does)"
# WCAG 2.1 A and AA; details of the violations only (the passes are many and slow to collect).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# TeX a reader must never see: a command, $$, \( or \[, or $...$ around something.
RAW_TEX = re.compile(r"\\[A-Za-z]+|\$\$|\\\(|\\\[|\$[^$\s][^$\n]*\$")


def build(out_dir, source=ROOT / "notebooks"):
    return runpy.run_path(str(ROOT / "tools" / "build_site.py"))["build"](out_dir, source)


def load(path):
    return json.loads(path.read_text())


def source(cell):
    return "".join(cell["source"])


def figures(nb):
    """Every PNG output of the notebook, in order."""
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    return [o for o in outputs if "image/png" in o.get("data", {})]


def title(nb):
    return source(next(c for c in nb["cells"] if c["cell_type"] == "markdown")).splitlines()[0].lstrip("# ").strip()


def problem(nb):
    """'1.2(b)-(d)' from the italic line under the title, '*Problem 1.2(b)-(d) of homework 1.*'."""
    intro = source(next(c for c in nb["cells"] if c["cell_type"] == "markdown"))
    return re.search(r"^\*Problems? (.+?) of homework", intro, flags=re.M).group(1)


def exercises(nb):
    """The names of the `### Try it: NAME` headings that an nbgrader solution cell follows."""
    names, pending = [], None
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for name in re.findall(r"^### Try it: (.+)$", source(cell), flags=re.M):
                pending = name
        elif cell.get("metadata", {}).get("nbgrader", {}).get("solution") and pending:
            names.append(pending)
            pending = None
    return names


def text(element):
    """An element's text without the headings' hidden '¶' anchors, whitespace collapsed."""
    return " ".join(element.get_text(" ").replace("¶", " ").split())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    assert [page.name for page in build(out)] == PAGES[:-1]  # the notebook pages, in order
    return out


@functools.cache
def soup(page):
    """The parsed page, parsed once: each is about 400 kB."""
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def assert_alt_texts(page, nb, name):
    """Each <img> of the page carries its figure's metadata["image/png"]["alt"], in order."""
    wanted = [(o.get("metadata", {}).get("image/png", {}).get("alt") or "").strip() for o in figures(nb)]
    missing = [i + 1 for i, alt in enumerate(wanted) if not alt]
    assert not missing, f'{name}: figures {missing} have no alt text in output.metadata["image/png"]["alt"]'
    assert [img.get("alt") for img in page.find_all("img")] == wanted, name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_static_site_has_every_notebook_with_its_figures(site, path):
    html = (site / f"{path.stem}.html").read_text(encoding="utf-8")
    count = len(figures(load(path)))
    assert count >= 1
    assert html.count('src="data:image/png;base64,') == count, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_figure_has_its_alt_text(site, path):
    assert_alt_texts(soup(site / f"{path.stem}.html"), load(path), path.name)


def test_builder_writes_each_figures_alt_text_from_its_metadata(tmp_path):
    """On copies of two notebooks whose figures all have alt text (quotes and < > & included)."""
    (tmp_path / "notebooks").mkdir()
    for path in (NOTEBOOKS[0], NOTEBOOKS[-1]):
        nb = load(path)
        for i, output in enumerate(figures(nb)):
            alt = f'Figure {i} of {path.stem}: "ŷ" < 1 & more'
            output.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = alt
        (tmp_path / "notebooks" / path.name).write_text(json.dumps(nb))
    build(tmp_path / "site", tmp_path / "notebooks")
    for path in (NOTEBOOKS[0], NOTEBOOKS[-1]):
        page = soup(tmp_path / "site" / f"{path.stem}.html")
        assert_alt_texts(page, load(tmp_path / "notebooks" / path.name), path.name)


@pytest.mark.parametrize("i", range(len(NOTEBOOKS)), ids=IDS)
def test_every_page_links_the_previous_and_next_notebook_and_the_index(site, i):
    page = soup(site / f"{NOTEBOOKS[i].stem}.html")
    navs = page.find_all("nav")
    assert navs and all(nav.get("aria-label") for nav in navs)
    previous = [f"{NOTEBOOKS[i - 1].stem}.html"] if i > 0 else []  # none before the first page
    following = [f"{NOTEBOOKS[i + 1].stem}.html"] if i + 1 < len(NOTEBOOKS) else []  # none after the last
    for nav in navs:
        assert [a["href"] for a in nav.find_all("a", rel="prev")] == previous
        assert [a["href"] for a in nav.find_all("a", rel="next")] == following
        assert nav.find("a", href="index.html")
    assert page.find("a", href="#content") and page.find(id="content"), "a skip link to the content"


def test_index_lists_every_notebook_with_its_problem_and_exercises(site):
    index = soup(site / "index.html")
    assert "solutions edition" in text(index) and "student/notebooks/" in text(index)
    for path in NOTEBOOKS:
        nb = load(path)
        link = index.find("a", href=f"{path.stem}.html")
        assert link and text(link) == title(nb)
        row = text(link.find_parent("tr"))
        assert problem(nb) in row, path.name
        assert exercises(nb), f"{path.name} has no exercise"
        for name in exercises(nb):
            assert name in row, f"{path.name}: exercise {name!r}"


@pytest.mark.parametrize("page_name", PAGES)
def test_every_page_has_lang_title_one_h1_and_headings_in_order(site, page_name):
    page = soup(site / page_name)
    assert page.html.get("lang") == "en"
    assert page.title and page.title.string.strip()
    headings = page.find_all(re.compile(r"^h[1-6]$"))
    levels = [int(h.name[1]) for h in headings]
    assert levels[0] == 1 and levels.count(1) == 1, levels
    skipped = [text(h) for h, before in zip(headings[1:], levels) if int(h.name[1]) > before + 1]
    assert not skipped, f"{page_name}: headings that skip a level: {skipped}"
    if page_name != "index.html":
        nb = load(ROOT / "notebooks" / page_name.replace(".html", ".ipynb"))
        assert text(headings[0]) == title(nb) == page.title.string.strip()


# In the browser ------------------------------------------------------------------------------

VISIBLE_TEXT = """() => {
    const style = document.createElement("style");  // code and printed output may hold TeX on purpose
    style.textContent = "pre, code { display: none !important; }";
    document.head.append(style);
    const text = document.body.innerText;
    style.remove();
    return text;
}"""
# Resolves once MathJax has typeset the page; at once without MathJax (the raw TeX then shows).
MATHJAX_DONE = """() => new Promise((resolve, reject) => {
    if (!window.MathJax) return resolve();
    setTimeout(() => reject(new Error("MathJax did not finish in 60 s")), 60000);
    MathJax.Hub.Register.StartupHook("End", resolve);
})"""
# The exercises' hints are folded in <details>: open them all, so that they are read and checked too.
OPEN_HINTS = "() => document.querySelectorAll('details').forEach(details => { details.open = true; })"
# Each TeX formula MathJax found (a <script type="math/tex">) and what it made of it.
MATH = """() => [...document.querySelectorAll('script[type^="math/tex"]')].map(script => {
    const frame = document.getElementById(script.id + "-Frame");
    return {
        tex: script.textContent,
        typeset: Boolean(frame),
        mathml: Boolean(frame && frame.querySelector(".MJX_Assistive_MathML math")),
        error: Boolean(frame && frame.querySelector("merror, .MathJax_Error, .noError")),
    };
})"""
IMAGES_LOADED = "() => [...document.images].map(img => img.complete && img.naturalWidth > 0)"


def read_offline_in_chromium(site, names):
    """Each page as Chromium shows it with the network blocked: its text, formulas, images, requests, axe violations."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe, seen, left, failed = Axe(), {}, [], []

    def files_only(route):
        """Let file: requests through; note and abort every other one."""
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            left.append(route.request.url)
            route.abort()

    def note_failure(request):
        """A file of the site that did not load. (MathJax probes fonts with about:blank, which fails by design.)"""
        if request.url.startswith("file:"):
            failed.append(request.url)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.route("**/*", files_only)
        page = context.new_page()
        page.on("requestfailed", note_failure)
        for name in names:
            left.clear()
            failed.clear()
            page.goto((site / name).as_uri())
            page.evaluate(MATHJAX_DONE)
            page.evaluate(OPEN_HINTS)
            seen[name] = {
                "violations": axe.run(page, options=AXE_OPTIONS).response["violations"],
                "text": page.evaluate(VISIBLE_TEXT),
                "math": page.evaluate(MATH),
                "images_loaded": page.evaluate(IMAGES_LOADED),
                "requests_out": list(left),
                "failed": list(failed),
            }
        browser.close()
    return seen


@pytest.fixture(scope="module")
def read_offline(site):
    """Every page read in Chromium; two browsers, half the pages each, as MathJax and axe keep one core busy."""
    with ThreadPoolExecutor(2) as pool:  # the sync playwright API needs one instance per thread
        halves = pool.map(partial(read_offline_in_chromium, site), [PAGES[0::2], PAGES[1::2]])
        return {name: seen for half in halves for name, seen in half.items()}


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
@pytest.mark.parametrize("page_name", PAGES)
def test_page_reads_offline_with_its_math_typeset(read_offline, page_name):
    seen = read_offline[page_name]
    assert not seen["requests_out"], f"{page_name} asks the network for {seen['requests_out']}"
    assert not seen["failed"], f"{page_name}: these did not load: {seen['failed']}"
    raw = sorted(set(RAW_TEX.findall(seen["text"])))
    assert not raw, f"{page_name} shows raw TeX: {raw[:10]}"
    assert seen["math"] or page_name == "index.html", f"{page_name}: MathJax found no formula"
    for formula in seen["math"]:
        assert formula["typeset"] and formula["mathml"] and not formula["error"], (page_name, formula)
    assert all(seen["images_loaded"]), f"{page_name}: a figure did not load"


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
@pytest.mark.parametrize("page_name", PAGES)
def test_page_has_no_serious_wcag_violation(read_offline, page_name):
    serious = [v for v in read_offline[page_name]["violations"] if v["impact"] in ("serious", "critical")]
    report = "\n".join(
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}\n"
        + "\n".join(f"    {n['target']}: {n['failureSummary']}" for n in v["nodes"][:5])
        for v in serious
    )
    assert not serious, f"{page_name}: axe-core finds\n{report}"
