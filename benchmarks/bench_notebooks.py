"""Wall time of each notebook's clean top-to-bottom run (kernel start included), and of the test suite.

Run: python benchmarks/bench_notebooks.py              (notebooks only)
     python benchmarks/bench_notebooks.py --autograde  (also each notebook's nbgrader round trip: generate the
                                                        student edition, autograde the instructor's and the
                                                        untouched student notebook, export grades)
     python benchmarks/bench_notebooks.py --suite      (also times `python -m pytest`, the README's test run)
"""

import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("notebook_tools", ROOT / "tools" / "notebooks.py")
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)


def run_notebook(path):
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp}}).execute()
        return time.perf_counter() - t


def autograde_round_trip(path):
    """Seconds for generate_assignment, autograde of two submissions and export, for one notebook alone."""
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp)
        (course / tool.ASSIGNMENT).mkdir()
        shutil.copy2(path, course / tool.ASSIGNMENT / path.name)
        shutil.copy2(ROOT / "nbgrader_config.py", course)
        t = time.perf_counter()
        tool.nbgrader("generate_assignment", tool.ASSIGNMENT, "--force", cwd=course)
        shutil.copytree(course / tool.ASSIGNMENT, course / "submitted" / "instructor" / tool.ASSIGNMENT)
        shutil.copytree(course / "student" / tool.ASSIGNMENT, course / "submitted" / "blank" / tool.ASSIGNMENT)
        tool.nbgrader("autograde", tool.ASSIGNMENT, cwd=course)
        tool.nbgrader("export", cwd=course)
        return time.perf_counter() - t


def main():
    autograde = "--autograde" in sys.argv
    paths = tool.source_notebooks()
    print("| notebook | clean run (s) |" + (" autograde round trip (s) |" if autograde else ""))
    print("|---|---:|" + ("---:|" if autograde else ""))
    totals = [0.0, 0.0]
    for path in paths:
        times = [run_notebook(path)] + ([autograde_round_trip(path)] if autograde else [])
        totals = [a + b for a, b in zip(totals, times)]
        print(f"| {path.name} | " + " | ".join(f"{s:.1f}" for s in times) + " |", flush=True)
    print(f"| all {len(paths)} | " + " | ".join(f"{s:.1f}" for s in totals[: 1 + autograde]) + " |")
    if "--suite" in sys.argv:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=ROOT, check=True, capture_output=True)
        print(f"\n`python -m pytest` (the whole suite): {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()
