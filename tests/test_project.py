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
    jupyter = setup[0].split("&&")[-1].strip()  # JupyterLab refuses to start as root without --allow-root
    assert jupyter.startswith("jupyter lab") and jupyter.endswith("--allow-root") and "requirements.txt" in setup[0]
    assert setup[1].endswith("python -m pytest") and "requirements-dev.txt" in setup[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text()
    (ci_cmd,) = re.findall(r"^TEST_COMMAND='(.*)'$", ci, flags=re.M)
    assert ci_cmd == [c for c in readme_commands() if "pip install" in c][1]
    assert 'bash -c "$TEST_COMMAND"' in ci


def test_ci_runs_in_a_fresh_copy_and_never_removes_the_repos_venv():
    ci = (ROOT / ".ci" / "run").read_text()
    code = [line.split("#")[0] for line in ci.splitlines()]
    assert not [line for line in code if re.search(r"\brm\b", line) and ".venv" in line], "no rm of a .venv"
    assert not [line for line in code if re.search(r"\brm\b", line) and '"$WORK"' not in line], "rm only $WORK"
    copy = ci.index("git ls-files -z --cached --others --exclude-standard")
    assert ci.index('WORK="$(mktemp -d') < copy < ci.index('cd "$WORK"') < ci.index('bash -c "$TEST_COMMAND"')
    assert "apt-get install" in ci and "chromium" in ci


def test_license_is_mit_as_pyproject_says_and_setuptools_reads_its_spdx_string():
    pyproject = (ROOT / "pyproject.toml").read_text()
    license_text = (ROOT / "LICENSE").read_text()
    assert re.search(r'^license = "MIT"$', pyproject, flags=re.M)
    assert (
        license_text.startswith("MIT License") and "Copyright (c) 2026 the backprop-notebooks authors" in license_text
    )
    (requires,) = re.findall(r"^\[build-system\]\nrequires = \[(.*)\]$", pyproject, flags=re.M)
    assert '"setuptools>=77"' in requires  # a plain-string SPDX license needs setuptools 77 or newer


def test_nbgrader_is_pinned_for_tests_and_instructors_but_not_students():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^instructor = \["nbgrader>=0\.9\.6,<0\.10"\]$', pyproject, flags=re.M)
    assert _requirement_names((ROOT / "requirements-dev.txt").read_text().splitlines())["nbgrader"] == ">=0.9.6,<0.10"
    assert "nbgrader" not in _requirement_names((ROOT / "requirements.txt").read_text().splitlines())


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
