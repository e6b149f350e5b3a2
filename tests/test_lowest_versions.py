"""Colab ships older packages than a fresh pip install: run every notebook with the lowest versions
the package declares (pyproject's lower bounds, pinned exactly) in a throwaway virtual environment.

Needs the package registry (as CI has); takes about two minutes.
"""

import re
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

RUN_ALL = """
import sys, nbformat
from nbclient import NotebookClient
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
    print("ran", path.rsplit("/", 1)[-1])
"""


def lowest_pins():
    """'name>=x.y' of pyproject's dependencies -> ['name==x.y', ...]."""
    text = (ROOT / "pyproject.toml").read_text()
    block = re.search(r"^dependencies = \[(.*?)^\]", text, flags=re.S | re.M).group(1)
    return [f"{name}=={version}" for name, version in re.findall(r'"([A-Za-z0-9_.\-]+)>=([0-9.]+)"', block)]


def test_pins_cover_every_dependency():
    pins = lowest_pins()
    assert {p.split("==")[0] for p in pins} == {"numpy", "sympy", "mpmath", "matplotlib", "ipywidgets"}


def _release(version):
    """'1.24.0' and '1.24' -> (1, 24): release numbers without trailing zeros."""
    parts = [int(x) for x in version.split(".")]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


@pytest.mark.lowest
def test_every_notebook_runs_with_the_lowest_declared_versions(tmp_path):
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    py = str(env / "bin" / "python")
    pip = [py, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, *lowest_pins(), "ipykernel", "nbclient", "nbformat"], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    report = "import importlib.metadata as m, sys; print(' '.join(m.version(n) for n in sys.argv[1:]))"
    names = [p.split("==")[0] for p in lowest_pins()]
    installed = subprocess.run([py, "-c", report, *names], capture_output=True, text=True, check=True).stdout.split()
    assert [_release(v) for v in installed] == [_release(p.split("==")[1]) for p in lowest_pins()]
    notebooks = [str(p) for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    run = subprocess.run([py, "-c", RUN_ALL, *notebooks], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    assert run.stdout.count("ran ") == len(notebooks)
