"""The app as a real server process (app.py on a free port) and a headless Chromium page on it.

A subprocess rather than the in-process app: the Stop tests read the server's CPU time from /proc. One server
and one browser serve every browser test (each starts in seconds on a busy machine); each test module gets
a fresh page of that browser."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# Outside the repository, so a test run leaves the checkout as it found it; $GENLAB_SCREENSHOTS to keep them.
SHOTS = Path(os.environ.get("GENLAB_SCREENSHOTS", Path(tempfile.gettempdir()) / "genlab-screenshots"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process, all its threads, from /proc/<pid>/stat."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS   # utime, stime (fields 14, 15 of stat)


@pytest.fixture(scope="session")
def app_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "GENLAB_DEVICE": "cpu"}
    # The server's log goes to a file, never a pipe: nobody reads a pipe while the tests run, and once its
    # buffer (64 KB) is full every log line blocks the thread that writes it, streams included.
    SHOTS.mkdir(parents=True, exist_ok=True)
    log = (SHOTS / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"app.py exited: {(SHOTS / 'server.log').read_text()[-2000:]}")
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("app.py did not answer within 60 s")
    yield Server(url, process)
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def server(app_server):
    return app_server.url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def open_page(browser, url: str, width: int = 1280, height: int = 1000):
    tab = browser.new_page(viewport={"width": width, "height": height})
    tab.goto(url)
    tab.wait_for_selector("text=GenLab", timeout=30_000)
    return tab


@pytest.fixture(scope="module")
def page(browser, server):
    tab = open_page(browser, server)
    yield tab
    tab.close()
