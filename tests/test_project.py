"""The project's promises about itself: README commands, CI, packaging, lazy imports."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands():
    """The shell commands in README's ```bash blocks, one per line."""
    blocks = re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)
    return [line.strip() for b in blocks for line in b.splitlines() if line.strip() and not line.startswith("#")]


def test_readme_has_exactly_two_setup_commands():
    cmds = readme_commands()
    setup = [c for c in cmds if "pip install" in c]
    assert len(setup) == 2, setup
    assert setup[0].endswith("jupyter lab notebooks/") and "requirements.txt" in setup[0]
    assert setup[1].endswith("python -m pytest") and "requirements-dev.txt" in setup[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text()
    (ci_cmd,) = re.findall(r"^TEST_COMMAND='(.*)'$", ci, flags=re.M)
    assert ci_cmd == [c for c in readme_commands() if "pip install" in c][1]
    assert 'bash -c "$TEST_COMMAND"' in ci and "rm -rf .venv" in ci


def _requirement_names(lines):
    names = {}
    for line in lines:
        line = line.split("#")[0].strip()
        m = re.match(r"^-?\s*([A-Za-z0-9_.\-]+)\s*([<>=!~].*)?$", line)
        if m and not line.startswith(("-r", "-e", "python", "pip")):
            names[m.group(1).lower()] = (m.group(2) or "").replace(" ", "")
    return names


def test_environment_yml_matches_requirements_txt():
    req = _requirement_names((ROOT / "requirements.txt").read_text().splitlines())
    env_lines = [line.strip().lstrip("- ").strip() for line in (ROOT / "environment.yml").read_text().splitlines()]
    deps_start = env_lines.index("dependencies:")
    env = _requirement_names(line for line in env_lines[deps_start + 1 :] if line not in ("pip:",))
    assert req == env
    assert "-e ." in (ROOT / "environment.yml").read_text() and "-e ." in (ROOT / "requirements.txt").read_text()


def test_import_helpers_loads_neither_sympy_nor_matplotlib():
    code = "import sys, helpers; print(sorted(m for m in ('sympy', 'matplotlib', 'ipywidgets') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_helpers_exports_the_homework_names():
    import helpers

    assert {"MLP", "mse_loss", "bce_loss"} <= set(helpers.__all__)
    assert helpers.symbolic.__name__ == "helpers.symbolic"


def test_ruff_check_and_format_are_clean():
    for args in (["check", "."], ["format", "--check", "."]):
        run = subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
