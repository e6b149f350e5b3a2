"""Render every notebook under notebooks/ to HTML, with its stored outputs and figures, plus an index.

Usage: python tools/build_site.py [OUTPUT_DIR]     (default: site/)
Open OUTPUT_DIR/index.html in a browser; no Jupyter needed to read it.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent


def title_of(nb):
    """The text of the notebook's first Markdown heading."""
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    return first.source.splitlines()[0].lstrip("# ").strip()


def build(out_dir):
    """Write one HTML page per notebook and index.html into ``out_dir``; returns the page paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    entries, pages = [], []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        body, _ = exporter.from_notebook_node(nb)
        page = out_dir / f"{path.stem}.html"
        page.write_text(body, encoding="utf-8")
        pages.append(page)
        entries.append(f'<li><a href="{page.name}">{html.escape(title_of(nb))}</a></li>')
    index = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>backprop-notebooks</title></head><body>"
        "<h1>backprop-notebooks</h1><p>Backpropagation as NYU's Deep Learning course (CSCI-GA 2572) asks it in "
        "homework 1. Each page is a notebook with its stored outputs.</p><ol>"
        + "".join(entries)
        + "</ol></body></html>"
    )
    (out_dir / "index.html").write_text(index, encoding="utf-8")
    return pages


if __name__ == "__main__":
    pages = build(sys.argv[1] if len(sys.argv) > 1 else ROOT / "site")
    print(f"wrote {len(pages)} notebook pages and index.html")
