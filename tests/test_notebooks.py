"""Notebook hygiene and nbgrader markup, read straight from the stored .ipynb files; README's links; the static site.

Each test here is an item of CONTRIBUTING.md's checklist for adding a notebook or an exercise.
"""

import ast
import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("notebook_tools", ROOT / "tools" / "notebooks.py")
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
PYPROJECT = (ROOT / "pyproject.toml").read_text()
REPO_URL = re.search(r'^Repository = "(.+)"$', PYPROJECT, flags=re.M).group(1)
VERSION = re.search(r'^version = "(.+)"$', PYPROJECT, flags=re.M).group(1)
REPO = REPO_URL.removeprefix("https://github.com/")

GRADE_ID = re.compile(r"^[A-Za-z0-9_-]+$")  # what nbgrader accepts
LESSON = {"grade": False, "solution": False, "locked": True}
SOLUTION = {"grade": False, "solution": True, "locked": False}
GRADE = {"grade": True, "solution": False, "locked": True}
ROLES = {"lesson": LESSON, "solution": SOLUTION, "grade": GRADE}
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"


def load(path):
    return json.loads(path.read_text())


def source(cell):
    return "".join(cell["source"])


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and source(c).strip()]


def role(cell):
    """'lesson', 'solution' or 'grade' from a cell's nbgrader metadata; None if it is none of them."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    flags = {k: meta.get(k) for k in LESSON}
    return next((name for name, want in ROLES.items() if flags == want), None)


def exercises(cells):
    """(index of the solution cell, index of the cell after it) for each exercise."""
    return [(i, i + 1) for i, c in enumerate(cells) if role(c) == "solution"]


def released(code):
    """A solution cell's code as nbgrader releases it: each solution region replaced by the stub."""
    out, inside = [], False
    for line in code.splitlines():
        if BEGIN_SOLUTION in line:
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + "# YOUR CODE HERE", indent + "raise NotImplementedError()"]
            inside = True
        elif END_SOLUTION in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def python_ast(code):
    """The cell's code parsed as Python, IPython magics turned into calls first."""
    from IPython.core.inputtransformer2 import TransformerManager

    return ast.parse(TransformerManager().transform_cell(code))


# --- files ---------------------------------------------------------------------------------------


def test_notebooks_are_numbered_in_course_order_without_gaps():
    assert NOTEBOOKS, "no notebook in notebooks/"
    assert [p.name[:3] for p in NOTEBOOKS] == [f"{i:02d}_" for i in range(1, len(NOTEBOOKS) + 1)]
    for path in NOTEBOOKS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), f"{path.name}: name it NN_lower_case_words.ipynb"


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
    assert first["cell_type"] == "markdown" and source(first).startswith("# ")
    colab = source(code_cells(nb)[0])
    assert "import helpers" in colab and "except ModuleNotFoundError" in colab
    # pinned to the release the notebook was made with: a rename on main cannot break a handed-out edition
    assert f'repository = "{REPO_URL}"' in colab
    assert f'%pip install -q "backprop-notebooks @ git+{{repository}}@v{VERSION}"' in colab
    assert path.stat().st_size < 2_000_000


# --- nbgrader markup -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_cell_has_nbgrader_metadata_with_a_unique_grade_id(path):
    ids = []
    for number, cell in enumerate(load(path)["cells"], 1):
        meta = cell.get("metadata", {}).get("nbgrader")
        where = f"cell {number} ({source(cell)[:40]!r})"
        assert meta, f"{where} has no nbgrader metadata: python tools/notebooks.py lock {path.relative_to(ROOT)}"
        assert meta.get("schema_version") == 3, where
        assert isinstance(meta.get("grade_id"), str) and GRADE_ID.match(meta["grade_id"]), where
        ids.append(meta["grade_id"])
        kind = role(cell)
        assert kind, f"{where}: a lesson {LESSON}, solution {SOLUTION} or grade {GRADE} cell, got {meta}"
        assert kind == "lesson" or cell["cell_type"] == "code", f"{where}: a markdown cell can only be a lesson cell"
        if kind == "grade":
            assert isinstance(meta.get("points"), (int, float)) and meta["points"] > 0, f"{where}: points > 0"
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"grade_ids used twice: {duplicates}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_each_exercise_is_a_solution_cell_then_an_autograded_self_check(path):
    """A solution cell, grade_id the function it defines, then its grade cell, grade_id "<function>-check",
    printing check_<function>(<function>) and grading it in a hidden test with helpers.selfcheck.grade."""
    cells = load(path)["cells"]
    pairs = exercises(cells)
    assert pairs, "no exercise: a notebook has at least one solution cell (CONTRIBUTING.md, 'Add an exercise')"
    followed = [g for _, g in pairs]
    assert [i for i, c in enumerate(cells) if role(c) == "grade"] == followed, "a grade cell follows each solution"
    for s, g in pairs:
        function = cells[s]["metadata"]["nbgrader"]["grade_id"]
        assert re.search(rf"^def {function}\(", source(cells[s]), flags=re.M), (
            f"solution cell {s + 1}: its grade_id {function!r} is the name of the function it defines"
        )
        assert cells[g]["metadata"]["nbgrader"]["grade_id"] == f"{function}-check", f"grade cell {g + 1}"
        assert source(cells[g]) == tool.grade_cell_source(function), (
            f"grade cell {g + 1} prints check_{function}({function}) and grades it in its hidden test, as "
            f"`python tools/notebooks.py exercise {path.relative_to(ROOT)} {function}` writes it"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_exercise_cell_is_marked_as_a_lesson_cell(path):
    """What `tools/notebooks.py lock` run before marking the exercise cells would leave: a locked lesson cell with
    solution markers or a check in it, which nbgrader would hand out with the solution, or never grade."""
    for number, cell in enumerate(load(path)["cells"], 1):
        if role(cell) == "lesson" and tool.looks_like_an_exercise(cell):
            pytest.fail(f"cell {number} is marked as a locked lesson cell but holds an exercise's solution or check: "
                        "mark it as a solution or grade cell (CONTRIBUTING.md, 'Add an exercise')")  # fmt: skip


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_solution_markers_sit_inside_a_function_body(path):
    """The released stub raises NotImplementedError only when the function is called: Run All never stops."""
    cells = load(path)["cells"]
    for s, _ in exercises(cells):
        code = source(cells[s])
        markers = [m for line in code.splitlines() for m in (BEGIN_SOLUTION, END_SOLUTION) if m in line]
        assert markers and markers == [BEGIN_SOLUTION, END_SOLUTION] * (len(markers) // 2), (
            f"cell {s + 1}: pairs of {BEGIN_SOLUTION} / {END_SOLUTION}"
        )
        tree = python_ast(released(code))
        in_functions = {
            id(node)
            for f in ast.walk(tree)
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
            for node in ast.walk(f)
        }
        stubs = [n for n in ast.walk(tree) if isinstance(n, ast.Raise) and "NotImplementedError" in ast.unparse(n)]
        assert all(id(stub) in in_functions for stub in stubs), (
            f"cell {s + 1}: {BEGIN_SOLUTION} / {END_SOLUTION} go inside a function's body, indented with it, so the "
            "released stub raises only when the function is called"
        )
        top_level = [n for n in ast.walk(tree) if isinstance(n, ast.Raise) and id(n) not in in_functions]
        assert not top_level, f"cell {s + 1}: the released cell would raise when it runs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_each_exercise_has_a_collapsed_hint(path):
    cells = load(path)["cells"]
    for s, _ in exercises(cells):
        markdown = next((c for c in reversed(cells[:s]) if c["cell_type"] == "markdown"), None)
        text = source(markdown) if markdown else ""
        assert re.search(r"<details>\s*<summary>", text) and "</details>" in text, (
            f"the markdown before solution cell {s + 1} has a hint in a collapsed <details><summary>...</details>"
        )


# --- README and the static site ------------------------------------------------------------------


def _readme_rows():
    return [line for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("|")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_readme_row_links_colab_and_binder_from_the_one_repository_url(path):
    rows = [row for row in _readme_rows() if f"](notebooks/{path.name})" in row]
    assert len(rows) == 1, f"one README table row links notebooks/{path.name}"
    (row,) = rows
    assert f"(https://colab.research.google.com/github/{REPO}/blob/main/notebooks/{path.name})" in row
    assert f"(https://mybinder.org/v2/gh/{REPO}/main?labpath=notebooks%2F{path.name})" in row
    assert "Open in Colab" in row


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_readme_links_the_student_edition_on_colab_and_binder(path):
    colab = f"(https://colab.research.google.com/github/{REPO}/blob/main/student/notebooks/{path.name})"
    binder = f"(https://mybinder.org/v2/gh/{REPO}/main?labpath=student%2Fnotebooks%2F{path.name})"
    assert any(colab in row and binder in row for row in _readme_rows()), (
        f"a README table row links student/notebooks/{path.name} on Colab and Binder"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_readme_lists_each_notebooks_exercises(path):
    """The README row's exercises column names the notebook's exercise functions, in order; the count the
    README gives is the number of exercises of all notebooks."""
    (row,) = [row for row in _readme_rows() if f"](notebooks/{path.name})" in row]
    functions = [c["metadata"]["nbgrader"]["grade_id"] for c in load(path)["cells"] if role(c) == "solution"]
    assert row.split(" | ")[4] == ", ".join(f"`{f}`" for f in functions), row.split(" | ")[4]
    total = sum(1 for p in NOTEBOOKS for c in load(p)["cells"] if role(c) == "solution")
    assert f"({total} in all" in (ROOT / "README.md").read_text()
