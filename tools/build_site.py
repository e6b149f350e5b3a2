"""Render the notebooks to a static site that reads offline and accessibly.

Usage: python tools/build_site.py [OUTPUT_DIR]     (default: site/)
Open OUTPUT_DIR/index.html in a browser: no Jupyter and no network needed to read it.

The site is the solutions edition (notebooks/, with its stored outputs); the student edition is not
rendered. One page per notebook, from nbconvert's `lab` template through tools/site/templates/site/:
previous / index / next links, a skip link, colours that pass WCAG 2.1 AA (tools/site/site.css), a note
where a widget was (widgets need a kernel), nothing loaded from a CDN, and on every figure the text
alternative stored in its output's metadata["image/png"]["alt"] (a figure without one gets nbconvert's
placeholder, "No description has been provided for this image", and the build warns). index.html lists
each notebook with its homework problem and its exercises, read from the notebooks themselves.

Math: MathJax 2.7.9, copied from the PyPI package jupyter-server-mathjax into OUTPUT_DIR/mathjax/
(12 MB), HTML-CSS output with its STIX-Web fonts, assistive MathML on for screen readers. Tried
against converting to MathML at build time, on the notebooks' 499 distinct formulas: latex2mathml 3.81
converts all but two (\\arg) in 0.4 s, but Chromium's native MathML then draws \\mathbb R and \\mathbf 1
as plain letters (MathML Core ignores mathvariant), leaves the brackets of bmatrix and \\big/\\Big
unstretched, and \\mathrel{+} comes out as invalid MathML. MathJax typeset all 499 correctly with the
network blocked, in 0.3-3.4 s per page in headless Chromium.
"""

from __future__ import annotations

import copy
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe
import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(__file__).resolve().parent / "site"  # the templates and the stylesheet
TEMPLATES = SITE / "templates"
MATHJAX = "mathjax"  # where MathJax goes, relative to the output directory
CSS = SITE / "site.css"  # inlined in every page, as lab's own CSS is

# The italic line under each notebook's title: "*Problem 1.2(b)-(d) of homework 1.*",
# "*Problems 1.2(a) and 1.5(e) of homework 1.*", "*Problem 1.5(b) of homework 1 (left blank in the source).*"
PROBLEM = re.compile(r"^\*Problems? (?P<problem>.+?) of homework (?P<homework>\d+)\b.*\*\s*$", flags=re.M)
TRY_IT = re.compile(r"^###\s+Try it:\s*(?P<name>.+?)\s*$", flags=re.M)


@dataclass
class Notebook:
    """What the site shows of one notebook: its page, its title, its problem and its exercises."""

    path: Path
    node: nbformat.NotebookNode
    title: str
    problem: str
    homework: str
    exercises: list[str]

    @property
    def page(self):
        return f"{self.path.stem}.html"

    @classmethod
    def read(cls, path):
        node = nbformat.read(path, as_version=4)
        intro = next(c for c in node.cells if c.cell_type == "markdown").source
        match = PROBLEM.search(intro)
        if match is None:
            raise ValueError(f"{path.name}: no '*Problem N of homework M.*' line under the title")
        return cls(path, node, title_of(node), match["problem"], match["homework"], exercises_of(node))


def title_of(nb):
    """The text of the notebook's first Markdown heading."""
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    return first.source.splitlines()[0].lstrip("# ").strip()


def exercises_of(nb):
    """Each exercise's name: a `### Try it: NAME` heading that an nbgrader solution cell follows (before the next)."""
    names, pending = [], None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for match in TRY_IT.finditer(cell.source):
                pending = match["name"]
        elif cell.get("metadata", {}).get("nbgrader", {}).get("solution") and pending is not None:
            names.append(pending)
            pending = None
    return names


def figures_without_alt(nb):
    """How many PNG outputs lack their text alternative, output.metadata["image/png"]["alt"]."""
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    return sum(not o.get("metadata", {}).get("image/png", {}).get("alt") for o in figures)


def copy_mathjax(dest):
    """Copy MathJax 2.7 as the jupyter-server-mathjax package ships it (code, extensions, fonts) to ``dest``."""
    try:
        import jupyter_server_mathjax
    except ImportError:
        raise ImportError("the site needs MathJax: pip install jupyter-server-mathjax (requirements-dev.txt)") from None
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", dest, dirs_exist_ok=True)


def build(out_dir, source=ROOT / "notebooks"):
    """Write one page per notebook of ``source``, index.html and MathJax into ``out_dir``.

    Returns the notebook pages' paths, in the notebooks' order.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    notebooks = [Notebook.read(path) for path in sorted(Path(source).glob("*.ipynb"))]
    copy_mathjax(out_dir / MATHJAX)
    css = CSS.read_text(encoding="utf-8")

    exporter = HTMLExporter(template_name="site", extra_template_basedirs=[str(TEMPLATES)])
    pages = []
    for i, nb in enumerate(notebooks):
        site = {  # what tools/site/templates/site/ adds to lab's page
            "prev": notebooks[i - 1] if i > 0 else None,
            "next": notebooks[i + 1] if i + 1 < len(notebooks) else None,
            "index": "index.html",
            "mathjax": MATHJAX,
            "css": css,
        }
        node = copy.deepcopy(nb.node)
        node.metadata["title"] = nb.title  # the page's <title>
        body, _ = exporter.from_notebook_node(node, resources={"site": site})
        page = out_dir / nb.page
        page.write_text(body, encoding="utf-8")
        pages.append(page)
        if missing := figures_without_alt(nb.node):
            print(f"warning: {nb.path.name}: {missing} figure(s) without alt text", file=sys.stderr)

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "site"), autoescape=True)
    index = env.get_template("contents.html.j2").render(
        notebooks=notebooks, css=markupsafe.Markup(css), mathjax=MATHJAX
    )
    (out_dir / "index.html").write_text(index, encoding="utf-8")
    return pages


if __name__ == "__main__":
    pages = build(sys.argv[1] if len(sys.argv) > 1 else ROOT / "site")
    print(f"wrote {len(pages)} notebook pages, index.html and {MATHJAX}/")
