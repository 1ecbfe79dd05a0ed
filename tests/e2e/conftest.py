"""The app as a real server process (tests/e2e/server.py) and a headless Chromium page on it.

A subprocess rather than the in-process app: the Stop tests read the server's CPU time from /proc. One server
and one browser serve every browser test (each starts in seconds on a busy machine). The tab tests share one page,
as a pupil's clicks through the tabs do, and each opens its own tab and sets what it uses (a page load costs the
browser and server about 2.7 CPU-s); the link tests open the pages their links need."""

import os
from dataclasses import dataclass

import pytest

from tests.e2e import server as launcher
from tests.e2e.server import CHROMIUM, SHOTS  # noqa: F401 - the test modules import them from here

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class Server:
    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process, all its threads, from /proc/<pid>/stat."""
        fields = launcher.stat(self.pid)
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS   # utime, stime (fields 14, 15 of stat)


@pytest.fixture(scope="session")
def app_server():
    """The server the xdist controller started (tests/conftest.py), else one of this session's own."""
    shared = os.environ.get(launcher.SHARED)
    process = None
    if shared:
        url, pid = shared.split()
        pid = int(pid)
    else:
        process, url = launcher.launch()
        pid = process.pid
    problem = launcher.wait_until_up(url, pid)
    if problem:
        if process is not None:
            launcher.stop(process)
        pytest.fail(problem)
    yield Server(url, pid)
    if process is not None:
        launcher.stop(process)


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


@pytest.fixture(scope="session")
def page(browser, server):
    tab = open_page(browser, server)
    yield tab
    tab.close()


def wait_or_explain(page, locator, shot: str, timeout: float = 60_000) -> None:
    """``locator.wait_for``; when it times out, fail with what the page and the server show: a full-page screenshot
    (SHOTS/<shot>-timeout.png), the toasts and status badges in the page, and the end of the server's log."""
    try:
        locator.wait_for(timeout=timeout)
    except Exception as error:   # noqa: BLE001 - playwright's TimeoutError
        page.screenshot(path=str(SHOTS / f"{shot}-timeout.png"), full_page=True)
        shown = page.evaluate("""() => [...document.querySelectorAll(
            '[data-testid=toast-text], [data-testid=status-tracker], .progress-text, .eta-bar')]
            .map(e => e.innerText.trim()).filter(Boolean)""")
        log = launcher.LOG.read_text()[-3000:] if launcher.LOG.exists() else "(no server log)"
        pytest.fail(f"{error}\npage shows: {shown}\nserver log ends:\n{log}")
