"""tools/notebooks.py lock: lesson cells get their metadata, exercise cells are left to be marked."""

import importlib.util
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("notebook_tools", ROOT / "tools" / "notebooks.py")
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)


def test_lock_marks_lesson_cells_and_leaves_exercise_cells_to_be_marked(tmp_path, capsys):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 9. A toy"),
        nbformat.v4.new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"),
        nbformat.v4.new_code_cell("print(check_double(double))"),
        nbformat.v4.new_code_cell("check_double(double)"),  # a check not printed is still a check
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell('print(check_answer("1.5(b) w", "(x + y) z o + z"))'),  # a lesson may show this
    ]
    path = tmp_path / "09_toy.ipynb"
    nbformat.write(nb, path)
    assert tool.lock(path) == 3
    cells = nbformat.read(path, as_version=4).cells
    assert [("nbgrader" in c.metadata) for c in cells] == [True, False, False, False, True, True]
    assert cells[0].metadata["nbgrader"] == tool.lesson_metadata("lesson-01")
    assert "cell 2 holds a solution or a check" in capsys.readouterr().err
    assert tool.lock(path) == 0  # idempotent


def test_exercise_marks_the_solution_and_writes_the_grade_cell_the_structure_tests_expect(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("### Try it: double"),
        nbformat.v4.new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"),
        nbformat.v4.new_markdown_cell("## Next"),
    ]
    path = tmp_path / "09_toy.ipynb"
    nbformat.write(nb, path)
    tool.mark_exercise(path, "double", 2)
    tool.mark_exercise(path, "double", 3)  # again: the grade cell is rewritten, not added twice
    cells = nbformat.read(path, as_version=4).cells
    assert len(cells) == 4
    assert cells[1].metadata["nbgrader"]["grade_id"] == "double" and cells[1].metadata["nbgrader"]["solution"]
    grade = cells[2].metadata["nbgrader"]
    assert grade["grade_id"] == "double-check" and grade["grade"] and grade["points"] == 3
    assert cells[2].source == tool.grade_cell_source("double")
    assert cells[2].source.startswith("print(check_double(double))\n### BEGIN HIDDEN TESTS")
