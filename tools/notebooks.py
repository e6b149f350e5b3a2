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
    python tools/notebooks.py lock [NOTEBOOK ...]      give every cell without nbgrader metadata the lesson-cell
                                                      metadata (locked, with a unique grade_id); idempotent

nbgrader runs in a throwaway course directory with its own gradebook, so the instructor's
gradebook.db is never touched. See CONTRIBUTING.md.
"""

from __future__ import annotations

import argparse
import difflib
import filecmp
import os
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
IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")


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


def lock(path):
    """Give each cell of ``path`` without nbgrader metadata the locked lesson-cell metadata; the number added."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    taken = {c.metadata["nbgrader"].get("grade_id") for c in nb.cells if "nbgrader" in c.metadata}
    added = 0
    for index, cell in enumerate(nb.cells, 1):
        if "nbgrader" in cell.metadata:
            continue
        base = f"{cell.cell_type}-{index:02d}"
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
    p = sub.add_parser("lock", help="add lesson-cell nbgrader metadata to cells that have none")
    p.add_argument("notebooks", nargs="*", help="default: every notebook in notebooks/")
    p.set_defaults(run=cmd_lock)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
