"""Maintain the notebooks: re-execute them, regenerate the student edition, check both, add nbgrader markup.

notebooks/*.ipynb is the one source (solutions and stored outputs, compared by strict nbval);
student/notebooks/*.ipynb is the student edition nbgrader generates from it (committed too).

Usage, from anywhere (run it with the project's virtual environment):

    python tools/notebooks.py execute [NOTEBOOK ...]  re-execute top to bottom in a fresh python3 kernel (cwd: the
                                                      notebook's directory), store the outputs in place, then
                                                      regenerate student/ (default: every notebook in notebooks/)
    python tools/notebooks.py student                 regenerate student/ with `nbgrader generate_assignment`
    python tools/notebooks.py check                   run every notebook in memory and compare its text outputs with
                                                      the stored ones, and student/ with a fresh student edition;
                                                      print what differs, exit 1 on any difference
    python tools/notebooks.py exercise NOTEBOOK FUNCTION [--points P]
                                                      mark the cell defining FUNCTION() as its solution cell and write
                                                      its grade cell right after it (check and hidden test)
    python tools/notebooks.py lock [NOTEBOOK ...]      give every cell without nbgrader metadata the lesson-cell
                                                      metadata (locked, with a unique grade_id), except cells that
                                                      hold a solution or a check; idempotent
    python tools/notebooks.py written ASSIGNMENT QUESTION [--points P]
                                                      append to ASSIGNMENT (an assignment notebook of your own, not
                                                      one of notebooks/) the written question QUESTION: its prompt,
                                                      solution cell and check cell graded by helpers.written.grade

nbgrader runs in a throwaway course directory with its own gradebook, so the instructor's
gradebook.db is never touched. See CONTRIBUTING.md.
"""

from __future__ import annotations

import argparse
import difflib
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "notebooks"  # nbgrader's assignment id: the source is notebooks/*.ipynb (nbgrader_config.py)
SOURCE = ROOT / ASSIGNMENT
STUDENT = ROOT / "student" / ASSIGNMENT
TEXT_MIMES = ("text/plain", "text/markdown", "text/latex")
IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", ".ruff_cache")


def source_notebooks(root=ROOT):
    """The source notebooks, in course order."""
    return sorted((Path(root) / ASSIGNMENT).glob("*.ipynb"))


# --- nbgrader ------------------------------------------------------------------------------------


def nbgrader(*args, cwd):
    """Run ``nbgrader ARGS`` in ``cwd`` (a course root) with this environment's bin/ on PATH (for alembic)."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    run = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if run.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed ({run.returncode}):\n{run.stdout}{run.stderr}")
    return run


def make_course(course, root=ROOT):
    """A throwaway nbgrader course at ``course``: this repository's nbgrader_config.py and a copy of notebooks/."""
    course = Path(course)
    course.mkdir(parents=True, exist_ok=True)
    shutil.copy2(Path(root) / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(Path(root) / ASSIGNMENT, course / ASSIGNMENT, ignore=IGNORE)
    return course


def generate_student(dest, root=ROOT):
    """Write the student edition of ``root``'s notebooks/ into ``dest`` (replaced wholly); return ``dest``."""
    dest = Path(dest)
    with tempfile.TemporaryDirectory(prefix="nbgrader-course-") as tmp:
        course = make_course(Path(tmp) / "course", root)
        nbgrader("generate_assignment", ASSIGNMENT, "--force", cwd=course)
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(course / "student" / ASSIGNMENT, dest)
    return dest


def compare_trees(expected, actual):
    """What differs between two directories, file by file (names relative to them); [] if identical."""
    expected, actual = Path(expected), Path(actual)
    names = {p.relative_to(expected) for p in expected.rglob("*") if p.is_file()}
    have = {p.relative_to(actual) for p in actual.rglob("*") if p.is_file()} if actual.is_dir() else set()
    problems = [f"{n}: missing" for n in sorted(names - have)]
    problems += [f"{n}: not generated from the source (stale?)" for n in sorted(have - names)]
    problems += [f"{n}: differs" for n in sorted(names & have) if not filecmp.cmp(expected / n, actual / n, False)]
    return problems


# --- running notebooks ---------------------------------------------------------------------------


def execute(path, allow_errors=False):
    """``path`` run top to bottom in a fresh python3 kernel with its directory as cwd; the notebook node."""
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        allow_errors=allow_errors,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # run timestamps: noise in diffs, copied into the student edition
    return nb


def text_outputs(cell):
    """The text a code cell shows, as nbval compares it: streams merged by name, then each text mime type."""
    streams, items = {}, []
    for out in cell.get("outputs", []):
        kind = out["output_type"]
        if kind == "stream":
            streams[out["name"]] = streams.get(out["name"], "") + out["text"]
        elif kind == "error":
            items.append(("error", f"{out['ename']}: {out['evalue']}"))
        else:
            data = out.get("data", {})
            items += [(f"{kind} {mime}", _text(data[mime])) for mime in TEXT_MIMES if mime in data]
    return [(f"stream {name}", text) for name, text in streams.items()] + items


def _text(value):
    return "".join(value) if isinstance(value, list) else value


def compare_outputs(stored, fresh):
    """How the fresh run's text outputs differ from the stored ones, cell by cell; [] if identical."""
    problems = []
    for number, (old, new) in enumerate(zip(stored.cells, fresh.cells, strict=True), 1):
        if old.cell_type != "code":
            continue
        before, after = text_outputs(old), text_outputs(new)
        if before == after:
            continue
        diff = difflib.unified_diff(_lines(before), _lines(after), "stored", "fresh run", lineterm="", n=2)
        first = old.source.splitlines()[0] if old.source else ""
        problems.append(f"cell {number} ({first[:60]!r}):\n    " + "\n    ".join(diff))
    return problems


def _lines(items):
    return [f"[{kind}] {line}" for kind, text in items for line in text.splitlines() or [""]]


# --- lesson-cell metadata ------------------------------------------------------------------------


def lesson_metadata(grade_id):
    return {"grade": False, "grade_id": grade_id, "locked": True, "schema_version": 3, "solution": False}


#: A call of an exercise's check, ``check_<function>(``, printed or not; ``check_answer(`` (the written-answer
#: check, which a lesson cell may show) is not one.
EXERCISE_CHECK_CALL = re.compile(r"\bcheck_(?!answer\b)\w+\s*\(")


def looks_like_an_exercise(cell):
    """True for a cell that holds a solution region or calls an exercise's check: it must be marked as an exercise
    cell (a solution or grade cell), never locked as a lesson cell."""
    text = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    return "### BEGIN SOLUTION" in text or "### BEGIN HIDDEN TESTS" in text or bool(EXERCISE_CHECK_CALL.search(text))


def lock(path):
    """Give each cell of ``path`` without nbgrader metadata the locked lesson-cell metadata; the number added.

    A cell that looks like an exercise's (a solution region, a check) is left alone with a warning: it must be
    marked as a solution or grade cell first, or nbgrader would hand the solution out locked.
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    taken = {c.metadata["nbgrader"].get("grade_id") for c in nb.cells if "nbgrader" in c.metadata}
    added = 0
    for index, cell in enumerate(nb.cells, 1):
        if "nbgrader" in cell.metadata:
            continue
        if looks_like_an_exercise(cell):
            print(f"{path.name}: cell {index} holds a solution or a check: mark it as a solution or grade cell "
                  "(CONTRIBUTING.md, 'Add an exercise'); not locked", file=sys.stderr)  # fmt: skip
            continue
        base = f"lesson-{index:02d}"
        grade_id, suffix = base, 1
        while grade_id in taken:
            suffix += 1
            grade_id = f"{base}-{suffix}"
        taken.add(grade_id)
        cell.metadata["nbgrader"] = lesson_metadata(grade_id)
        added += 1
    if added:
        nbformat.write(nb, path)
    return added


# --- command line --------------------------------------------------------------------------------


def _paths(names):
    paths = [Path(n).resolve() for n in names] if names else source_notebooks()
    for p in paths:
        if not p.is_file() or p.suffix != ".ipynb":
            sys.exit(f"not a notebook: {p}")
    return paths


def cmd_execute(args):
    from nbclient.exceptions import CellExecutionError

    for path in _paths(args.notebooks):
        print(f"executing {path.name} ...", flush=True)
        try:
            nb = execute(path)
        except CellExecutionError as exc:
            sys.exit(f"{path.name} stopped with an error, left unchanged:\n{exc}")
        nbformat.write(nb, path)
    cmd_student(args)


def cmd_student(args):
    generate_student(STUDENT)
    print(f"wrote the student edition: {STUDENT.relative_to(ROOT)}/ ({len(list(STUDENT.glob('*.ipynb')))} notebooks)")


def cmd_check(args):
    failed = False
    for path in source_notebooks():
        stored = nbformat.read(path, as_version=4)
        try:
            problems = compare_outputs(stored, execute(path, allow_errors=True))
        except Exception as exc:  # noqa: BLE001 -- a kernel that dies or a cell that times out is a difference too
            problems = [f"did not run: {type(exc).__name__}: {exc}"]
        print(f"{'ok  ' if not problems else 'FAIL'} {path.name}", flush=True)
        for problem in problems:
            print("  " + problem.replace("\n", "\n  "))
        failed = failed or bool(problems)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            problems = compare_trees(generate_student(Path(tmp) / ASSIGNMENT), STUDENT)
        except RuntimeError as exc:
            problems = [str(exc)]
    print(f"{'ok  ' if not problems else 'FAIL'} student edition {STUDENT.relative_to(ROOT)}/")
    for problem in problems:
        print("  " + problem)
    if problems:
        print("  regenerate it: python tools/notebooks.py student")
    failed = failed or bool(problems)
    if failed:
        print("\nre-execute what differs: python tools/notebooks.py execute notebooks/<name>.ipynb")
    sys.exit(1 if failed else 0)


def grade_cell_source(function):
    """The grade cell of an exercise: the check the student sees, and the hidden test nbgrader runs."""
    return (
        f"print(check_{function}({function}))\n"
        "### BEGIN HIDDEN TESTS\n"
        "from helpers.selfcheck import grade as _grade_\n\n"
        f'_grade_("{function}", {function})\n'
        "### END HIDDEN TESTS"
    )


def mark_exercise(path, function, points):
    """Mark the cell of ``path`` that defines ``function`` as its solution cell and put its grade cell right after it.

    The solution cell gets grade_id ``function``; the grade cell (made, or rewritten if one follows already)
    gets grade_id ``<function>-check``, ``points`` and the standard source of :func:`grade_cell_source`.
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    defining = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and f"def {function}(" in c.source]
    if len(defining) != 1:
        sys.exit(f"{path.name}: {len(defining)} code cells define {function}(); exactly one must")
    i = defining[0]
    if "### BEGIN SOLUTION" not in nb.cells[i].source:
        sys.exit(f"{path.name}: put ### BEGIN SOLUTION / ### END SOLUTION inside the body of {function}() first")
    nb.cells[i].metadata["nbgrader"] = {"grade": False, "grade_id": function, "locked": False,
                                        "schema_version": 3, "solution": True}  # fmt: skip
    after = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
    if after is None or f"print(check_{function}(" not in after.source:
        after = nbformat.v4.new_code_cell("")
        nb.cells.insert(i + 1, after)
    after.source = grade_cell_source(function)
    after.metadata["nbgrader"] = {"grade": True, "grade_id": f"{function}-check", "locked": True, "points": points,
                                  "schema_version": 3, "solution": False}  # fmt: skip
    nbformat.write(nb, path)


def cmd_exercise(args):
    mark_exercise(args.notebook, args.function, args.points)
    unit = "point" if args.points == 1 else "points"
    print(f"{Path(args.notebook).name}: {args.function} is an exercise worth {args.points} {unit}")


def written_question_cells(question, points):
    """The three cells of a written-answer question for an nbgrader assignment: the prompt (markdown), the
    solution cell (the student's LaTeX in ``answer``) and the grade cell, whose hidden test is
    :func:`helpers.written.grade` (the same judge as the answer box)."""
    from helpers.written import QUESTIONS

    q = QUESTIONS[question]
    slug = "written-" + "".join(ch if ch.isalnum() else "-" for ch in question).strip("-").lower()
    prompt = nbformat.v4.new_markdown_cell(
        f'**{q.part}** ${q.asked}$: in the cell below, write `answer = r"..."` with the formula of your write-up '
        "between the quotes, in LaTeX as you typed it (or plainly); the cell after it checks it."
    )
    solution = nbformat.v4.new_code_cell(f'### BEGIN SOLUTION\nanswer = r"{q.reference}"\n### END SOLUTION')
    grade = nbformat.v4.new_code_cell(
        f'print(check_answer("{question}", answer))\n'
        "### BEGIN HIDDEN TESTS\n"
        "from helpers.written import grade as _grade_\n\n"
        f'_grade_("{question}", answer)\n'
        "### END HIDDEN TESTS"
    )
    meta = {"schema_version": 3, "solution": False, "grade": False, "locked": True}
    prompt.metadata["nbgrader"] = {**meta, "grade_id": f"{slug}-question"}
    solution.metadata["nbgrader"] = {**meta, "grade_id": slug, "solution": True, "locked": False}
    grade.metadata["nbgrader"] = {**meta, "grade_id": f"{slug}-check", "grade": True, "points": points}
    return [prompt, solution, grade]


def add_written_question(path, question, points):
    """Append the cells of :func:`written_question_cells` to the notebook ``path`` (and the import of
    ``check_answer`` they need, once)."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    if not any("from helpers.written import check_answer" in c.source for c in nb.cells if c.cell_type == "code"):
        imports = nbformat.v4.new_code_cell("from helpers.written import check_answer")
        imports.metadata["nbgrader"] = {"schema_version": 3, "solution": False, "grade": False, "locked": True,
                                        "grade_id": "written-imports"}  # fmt: skip
        nb.cells.append(imports)
    nb.cells.extend(written_question_cells(question, points))
    nbformat.write(nb, path)


def cmd_written(args):
    add_written_question(args.notebook, args.question, args.points)
    unit = "point" if args.points == 1 else "points"
    print(f"{Path(args.notebook).name}: the written answer {args.question!r} is a question worth {args.points} {unit}")


def cmd_lock(args):
    for path in _paths(args.notebooks):
        print(f"{path.name}: {lock(path)} cells given lesson-cell metadata")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("execute", help="re-execute notebooks in place, then regenerate student/")
    p.add_argument("notebooks", nargs="*", help="default: every notebook in notebooks/")
    p.set_defaults(run=cmd_execute)
    sub.add_parser("student", help="regenerate student/ with nbgrader").set_defaults(run=cmd_student)
    sub.add_parser("check", help="compare fresh runs and a fresh student edition with what is stored").set_defaults(
        run=cmd_check
    )
    p = sub.add_parser("exercise", help="mark the cell defining FUNCTION as an exercise and write its grade cell")
    p.add_argument("notebook")
    p.add_argument("function")
    p.add_argument("--points", type=int, default=1)
    p.set_defaults(run=cmd_exercise)
    p = sub.add_parser(
        "written", help="append a written-answer question (a key of helpers.written.QUESTIONS) graded by its checker"
    )
    p.add_argument("notebook")
    p.add_argument("question")
    p.add_argument("--points", type=int, default=1)
    p.set_defaults(run=cmd_written)
    p = sub.add_parser("lock", help="add lesson-cell nbgrader metadata to cells that have none")
    p.add_argument("notebooks", nargs="*", help="default: every notebook in notebooks/")
    p.set_defaults(run=cmd_lock)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
