"""How long nbgrader takes to grade a class: autograde time per submission (all 8 notebooks), and the class report.

A submission is the student edition with every exercise answered by the instructor's solution (so every hidden
test runs its check in full). ``--students N`` (default 4) submissions are autograded by one ``nbgrader
autograde`` in one course, as an instructor runs it; the time per submission is the total over N. A class of 300
is then 300 times that on one core; nbgrader grades one notebook at a time, so on more cores a course is split
into copies (as tests/test_nbgrader.py does), and the time divides by their number. The class report
(tools/misconceptions.py) is measured on 300 autograded submissions: the ones graded here, copied.
Run:
    python benchmarks/bench_autograde.py [--students N]
"""

import argparse
import importlib.util
import os
import runpy
import shutil
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("notebook_tools", ROOT / "tools" / "notebooks.py")
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)
ASSIGNMENT = tool.ASSIGNMENT
CLASS = 300


def answered(release, source, dest):
    """The student edition ``release`` with every solution cell holding the instructor's ``source`` solution."""
    dest.mkdir(parents=True)
    for path in sorted(release.glob("*.ipynb")):
        solutions = {
            c.metadata["nbgrader"]["grade_id"]: c.source
            for c in nbformat.read(source / path.name, as_version=4).cells
            if c.metadata.get("nbgrader", {}).get("solution")
        }
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in solutions:
                cell.source = solutions[grade_id].replace("### BEGIN SOLUTION\n", "").replace("### END SOLUTION\n", "")
        nbformat.write(nb, dest / path.name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=4)
    students = parser.parse_args().students
    with tempfile.TemporaryDirectory() as tmp:
        course = tool.make_course(Path(tmp) / "course")
        tool.nbgrader("generate_assignment", ASSIGNMENT, "--force", cwd=course)
        for k in range(students):
            answered(course / "student" / ASSIGNMENT, course / ASSIGNMENT, course / "submitted" / f"s{k}" / ASSIGNMENT)
        start = time.perf_counter()
        tool.nbgrader("autograde", ASSIGNMENT, cwd=course)
        per_submission = (time.perf_counter() - start) / students

        report = runpy.run_path(str(ROOT / "tools" / "misconceptions.py"))
        autograded = Path(tmp) / "class" / "autograded"
        for k in range(CLASS):
            shutil.copytree(course / "autograded" / f"s{k % students}", autograded / f"student{k:03d}")
        start = time.perf_counter()
        counts, messages = report["read_class"](autograded, ASSIGNMENT)
        report["write_csv"](counts, messages, Path(tmp) / "report.csv")
        report["draw"](counts, Path(tmp) / "report.png")
        report_time = time.perf_counter() - start

    cores = os.cpu_count() or 1
    print(f"| autograde, one submission of the {len(tool.source_notebooks())} notebooks (mean of {students}) "
          f"| {per_submission:.1f} s |")  # fmt: skip
    print(f"| a class of {CLASS}, one core | {CLASS * per_submission / 60:.0f} min |")
    print(f"| a class of {CLASS}, {cores} cores (the course split into {cores} copies) "
          f"| {CLASS * per_submission / cores / 60:.0f} min |")  # fmt: skip
    print(f"| the class report of {CLASS} submissions (CSV and chart) | {report_time:.1f} s |")


if __name__ == "__main__":
    main()
