"""The app as a real server process (app.py on a free port) for the browser tests.

Under pytest-xdist the controller starts it while the workers still collect (tests/conftest.py's
pytest_configure) and hands its address to them in $GENLAB_E2E_SERVER: the app's import and warm-up then overlap
the collection instead of holding up the first browser test (about 10 s on two cores). Without xdist the session
fixture in tests/e2e/conftest.py starts it. Either way its log goes to a file, never a pipe: nobody reads a pipe
while the tests run, and once its buffer (64 KB) is full every log line blocks the thread that writes it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
E2E = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
# Outside the repository, so a test run leaves the checkout as it found it; $GENLAB_SCREENSHOTS to keep them.
SHOTS = Path(os.environ.get("GENLAB_SCREENSHOTS", Path(tempfile.gettempdir()) / "genlab-screenshots"))
LOG = SHOTS / "server.log"
SHARED = "GENLAB_E2E_SERVER"   # "<url> <pid>" of a server the xdist controller started


def launch() -> tuple[subprocess.Popen, str]:
    """Start app.py on a free loopback port; returns the process and its URL at once (see ``wait_until_up``)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # One torch thread, as the xdist workers have (tests/conftest.py): it shares two cores with them.
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "GENLAB_DEVICE": "cpu", "OMP_NUM_THREADS": "1"}
    env.pop(SHARED, None)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with LOG.open("w") as log:    # the child keeps its own copy of the file descriptor
        process = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}/"


def stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (field 3, the state, first): proc(5)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (not gone, not a zombie waiting for its parent)."""
    try:
        return stat(pid)[0] != "Z"
    except OSError:
        return False


def wait_until_up(url: str, pid: int, timeout: float = 120.0) -> str | None:
    """None once ``url`` answers; else why not (the process exited, or ``timeout`` s went by), with the log's end."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return None
        except OSError:
            if not alive(pid):
                return f"app.py exited: {LOG.read_text()[-2000:]}"
            time.sleep(0.5)
    return f"app.py did not answer within {timeout:.0f} s: {LOG.read_text()[-2000:]}"


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def selected(config) -> bool:
    """Whether this run may reach the browser tests: Chromium is there, the mark expression does not leave out
    e2e, and a path given (or testpaths) is tests/e2e, inside it or above it."""
    if not CHROMIUM.exists() or "not e2e" in (config.option.markexpr or ""):
        return False
    for arg in config.args:
        path = (Path(config.invocation_params.dir) / arg.split("::")[0]).resolve()
        if path == E2E or E2E in path.parents or path in E2E.parents:
            return True
    return False
