"""Finding 11: the README's first command works as root and as a normal user.

The `jupyter lab ...` part of the first ```bash block of README.md is run verbatim, with this
environment's jupyter (no new virtual environment), in the repository root, with HOME and the
Jupyter directories in a fresh temporary directory. The test reads the URL the server prints, asks
it for /api/status, and terminates it by its PID. Run as root (as in CI), it also runs the whole
command, venv and install included, as the unprivileged user nobody with the system's python3 in a
copy of the working tree, as a normal user on a fresh machine would.

Opening a browser is controlled through the environment (BROWSER=true, a browser that does nothing),
never by changing the command.
"""

import json
import os
import pwd
import queue
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # this environment's bin, where its jupyter lives
URL = re.compile(r"(http://(?:localhost|127\.0\.0\.1):(\d+)/\S*?\?token=(\w+))")
START_TIMEOUT = 120


def readme_command() -> str:
    """The first ```bash block of README.md."""
    blocks = re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert blocks, "README.md has no ```bash block"
    return blocks[0].strip()


def jupyter_part(command: str) -> str:
    """The `jupyter lab ...` step of a `a && b && ...` command, verbatim."""
    steps = [step.strip() for step in command.split("&&")]
    lab = [step for step in steps if step.startswith("jupyter lab")]
    assert lab, f"README's first command has no `jupyter lab ...` step: {command!r}"
    return lab[0]


def _env(home: Path) -> dict:
    env = dict(os.environ)
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_DATA_DIR=str(home / "data"),
        IPYTHONDIR=str(home / "ipython"),
        BROWSER="true",
    )
    for name in ("JUPYTER_PATH", "JUPYTER_TOKEN", "JUPYTER_PREFER_ENV_PATH", "XDG_RUNTIME_DIR"):
        env.pop(name, None)
    return env


def _lines(stream, out: queue.Queue):
    for line in iter(stream.readline, ""):
        out.put(line)
    out.put(None)


def _wait_for_url(proc, lines: queue.Queue, seen: list, timeout=START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        if line is None:
            break
        seen.append(line)
        match = URL.search(line)
        if match:
            return match
    output = "".join(seen)[-3000:]
    raise AssertionError(f"jupyter printed no URL (exit code {proc.poll()}); its output ended with:\n{output}")


def serve_and_ask_status(argv: list, home: Path, prefix: list = (), cwd=ROOT, env=None, timeout=START_TIMEOUT) -> dict:
    """Start ``prefix + argv`` in ``cwd``, GET /api/status from the URL it prints, then stop its process group."""
    proc = subprocess.Popen(
        [*prefix, *argv], cwd=cwd, env=env or _env(home), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )  # fmt: skip
    lines, seen = queue.Queue(), []
    threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True).start()
    try:
        match = _wait_for_url(proc, lines, seen, timeout)
        _, port, token = match.groups()
        return _status(port, token)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the whole group: a shell's children too
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _status(port, token):
    """GET /api/status; the URL may be printed a moment before the socket accepts, so retry a refusal."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/status", headers={"Authorization": f"token {token}"})
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 200
                return json.loads(response.read())
        except urllib.error.URLError as exc:
            if not isinstance(exc.reason, ConnectionRefusedError) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="module")
def lab_argv():
    if shutil.which("jupyter", path=str(BIN)) is None or shutil.which("jupyter-lab", path=str(BIN)) is None:
        pytest.skip(f"jupyter lab is not installed in this environment ({BIN})")
    argv = shlex.split(jupyter_part(readme_command()))
    assert argv[:2] == ["jupyter", "lab"]
    return argv


def test_the_first_command_installs_then_starts_jupyter_lab():
    command = readme_command()
    assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && python -m pip install -r requirements")
    assert jupyter_part(command) == command.split("&&")[-1].strip()


def test_its_jupyter_lab_part_serves_as_the_current_user(lab_argv, tmp_path):
    status = serve_and_ask_status(lab_argv, tmp_path)
    assert "started" in status


SYSTEM_PYTHON = "/usr/bin/python3"
INSTALL_TIMEOUT = 900  # a fresh install of requirements.txt from the package registry, then the server start


def _copy_of_the_working_tree(dest: Path):
    """The project's files, without the environment, caches and build output (CI's copy is no git repository)."""
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", ".ruff_cache", ".hypothesis",
                                    "build", "site", ".ipynb_checkpoints")  # fmt: skip
    shutil.copytree(ROOT, dest, ignore=ignore, dirs_exist_ok=True)


def test_the_whole_first_command_works_for_an_unprivileged_user_on_a_fresh_python():
    """The README's promise for a normal user on a machine with only Python 3: the whole first command,
    run as the user nobody with the system's python3, creates the venv, installs, and serves."""
    if os.geteuid() != 0:
        pytest.skip("not root: cannot switch to an unprivileged user")
    if shutil.which("setpriv") is None or not os.access(SYSTEM_PYTHON, os.X_OK):
        pytest.skip("needs setpriv and the system's python3 (Debian's python3 and python3-venv)")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import venv, ensurepip"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("the system python has no venv/ensurepip module (Debian: apt-get install python3-venv)")
    user = pwd.getpwnam("nobody")
    work = Path(tempfile.mkdtemp(prefix="readme-fresh-"))
    try:
        repo, home = work / "repo", work / "home"
        repo.mkdir()
        home.mkdir()
        _copy_of_the_working_tree(repo)
        for path in [work, *work.rglob("*")]:
            os.chown(path, user.pw_uid, user.pw_gid)
        env = _env(home)
        env["PATH"] = os.pathsep.join(["/usr/local/bin", "/usr/bin", "/bin"])  # python3 is the system's
        env.pop("VIRTUAL_ENV", None)
        if Path("/usr/local/bin/python3").exists():
            env["PATH"] = os.pathsep.join(["/usr/bin", "/bin"])
        prefix = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", "--"]
        status = serve_and_ask_status(["sh", "-c", readme_command()], home, prefix, cwd=repo, env=env,
                                      timeout=INSTALL_TIMEOUT)  # fmt: skip
        assert "started" in status
    finally:
        shutil.rmtree(work, ignore_errors=True)
