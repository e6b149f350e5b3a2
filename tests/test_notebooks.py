"""Notebook hygiene, read straight from the stored .ipynb files, README's links, and the static site."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
REPO_URL = re.search(r'^Repository = "(.+)"$', (ROOT / "pyproject.toml").read_text(), flags=re.M).group(1)
REPO = REPO_URL.removeprefix("https://github.com/")


def load(path):
    return json.loads(path.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_there_is_one_notebook_per_problem_in_course_order():
    assert [p.name[:3] for p in NOTEBOOKS] == [f"{i:02d}_" for i in range(1, 9)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_outputs_come_from_one_top_to_bottom_run(path):
    counts = [c["execution_count"] for c in code_cells(load(path))]
    assert counts == list(range(1, len(counts) + 1))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_stored_errors_tracebacks_paths_or_warnings(path):
    for cell in code_cells(load(path)):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", out.get("ename")
            text = json.dumps(out.get("text", "")) + json.dumps(out.get("data", {}).get("text/plain", ""))
            assert "Traceback" not in text
            assert not re.search(r"(/root/|/home/|/tmp/|/work/|C:\\\\)", text), text[:200]
            assert not re.search(r"Warning", text), text[:200]
            assert out.get("name") != "stderr", out.get("text")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_kernelspec_title_colab_cell_and_size(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown" and "".join(first["source"]).startswith("# ")
    colab = "".join(code_cells(nb)[0]["source"])
    assert "import helpers" in colab and "except ModuleNotFoundError" in colab
    assert f'%pip install -q "backprop-notebooks @ git+{REPO_URL}"' in colab
    assert path.stat().st_size < 2_000_000


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_try_it_has_a_solution_cell_and_a_self_check(path):
    cells = load(path)["cells"]
    solutions = [i for i, c in enumerate(cells) if "solution" in c.get("metadata", {}).get("tags", [])]
    assert solutions, "no cell tagged 'solution'"
    after = "".join("".join(c["source"]) for c in cells[solutions[-1] + 1 :])
    assert "print(check_" in after


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_readme_row_links_colab_and_binder_from_the_one_repository_url(path):
    readme = (ROOT / "README.md").read_text()
    (row,) = [line for line in readme.splitlines() if line.startswith("|") and f"notebooks/{path.name})" in line]
    assert f"(https://colab.research.google.com/github/{REPO}/blob/main/notebooks/{path.name})" in row
    assert f"(https://mybinder.org/v2/gh/{REPO}/main?labpath=notebooks%2F{path.name})" in row
    assert "Open in Colab" in row


def test_static_site_has_every_notebook_with_its_figures(tmp_path):
    import runpy

    build = runpy.run_path(str(ROOT / "tools" / "build_site.py"))["build"]
    pages = build(tmp_path)
    index = (tmp_path / "index.html").read_text()
    assert len(pages) == len(NOTEBOOKS)
    for path in NOTEBOOKS:
        page = tmp_path / f"{path.stem}.html"
        assert f'href="{page.name}"' in index
        figures = sum("image/png" in o.get("data", {}) for c in code_cells(load(path)) for o in c.get("outputs", []))
        assert figures >= 1
        assert page.read_text().count('src="data:image/png;base64,') == figures, path.name
