"""Wall time of each notebook's clean top-to-bottom run (kernel start included), and of the test suite.

Run: python benchmarks/bench_notebooks.py           (notebooks only)
     python benchmarks/bench_notebooks.py --suite   (also times `python -m pytest`, the README's test run)
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def run_notebook(path):
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp}}).execute()
        return time.perf_counter() - t


def main():
    print("| notebook | clean run (s) |")
    print("|---|---:|")
    total = 0.0
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        seconds = run_notebook(path)
        total += seconds
        print(f"| {path.name} | {seconds:.1f} |")
    print(f"| all eight | {total:.1f} |")
    if "--suite" in sys.argv:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=ROOT, check=True, capture_output=True)
        print(f"\n`python -m pytest` (the whole suite): {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()
