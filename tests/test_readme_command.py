"""Finding 11: the README's first command works as root and as a normal user.

The `jupyter lab ...` part of the first ```bash block of README.md is run verbatim, with this
environment's jupyter (no new virtual environment), in the repository root, with HOME and the
Jupyter directories in a fresh temporary directory. The test reads the URL the server prints, asks
it for /api/status, and terminates it by its PID. Run as root (as in CI), it also runs the command
as the unprivileged user nobody, with a HOME of its own.

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


def _wait_for_url(proc, lines: queue.Queue, seen: list):
    deadline = time.monotonic() + START_TIMEOUT
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


def serve_and_ask_status(argv: list, home: Path, prefix: list = ()) -> dict:
    """Start ``prefix + argv`` in the repository root, GET /api/status from the URL it prints, terminate it."""
    proc = subprocess.Popen(
        [*prefix, *argv], cwd=ROOT, env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines, seen = queue.Queue(), []
    threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True).start()
    try:
        match = _wait_for_url(proc, lines, seen)
        _, port, token = match.groups()
        return _status(port, token)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
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


def _unprivileged_user():
    if os.geteuid() != 0:
        pytest.skip("not root: the run as the current user above is the unprivileged run")
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is not installed, so the command cannot be run as another user")
    user = pwd.getpwnam("nobody")
    prefix = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", "--"]
    # Through a shell, as jupyter itself starts jupyter-lab: setpriv's own exec may still pass where the
    # user's later ones fail (an interpreter under /root, mode 700, as pyenv installs it for root).
    probe = subprocess.run(
        [*prefix, "sh", "-c", 'exec "$0" -c "import jupyterlab"', sys.executable], capture_output=True, cwd="/"
    )
    if probe.returncode != 0:
        pytest.skip(
            f"this environment's python ({Path(sys.executable).resolve()}) cannot be run by the user nobody: "
            f"{probe.stderr.decode(errors='replace').strip()[-200:]}"
        )
    return user, prefix


def test_its_jupyter_lab_part_serves_as_an_unprivileged_user(lab_argv):
    user, prefix = _unprivileged_user()
    home = Path(tempfile.mkdtemp(prefix="readme-nobody-"))  # under /tmp, reachable by nobody (tmp_path is not)
    try:
        os.chown(home, user.pw_uid, user.pw_gid)
        status = serve_and_ask_status(lab_argv, home, prefix)
        assert "started" in status
    finally:
        shutil.rmtree(home, ignore_errors=True)
