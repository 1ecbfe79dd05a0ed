import os
import shutil
import sys
from pathlib import Path

# pytest-xdist runs the suite in two workers on two cores (pyproject's addopts; see pytest_xdist_make_scheduler).
# One torch thread each, set before torch is imported: with two each, four threads fought over two cores and the
# run took longer than one worker alone.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generators import registry  # noqa: E402


@pytest.fixture
def checkpoint_copy(tmp_path) -> Path:
    """A private copy of the shipped checkpoints/ that a test may break."""
    target = tmp_path / "checkpoints"
    shutil.copytree(registry.CHECKPOINT_DIR, target)
    return target


os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def app_url():
    """The whole app, launched once in this process on a free loopback port."""
    import app

    app.demo.launch(prevent_thread_lock=True, server_port=_free_port(), quiet=True)
    try:
        yield app.demo.local_url
    finally:
        app.demo.close()


@pytest.fixture(scope="session")
def client(app_url):
    """A gradio_client.Client of the running app: calls endpoints by api_name, as scripts and benchmarks do.

    With one TLS context made here and shared: gradio_client opens a new httpx client for every upload, download
    and call, and each one otherwise builds its own context from certifi's CA bundle (about 20 ms of CPU): 25 s of
    the suite's CPU went there, for a server on plain http. The context is httpx's own default, so nothing checks
    less."""
    import ssl

    import certifi
    from gradio_client import Client

    return Client(app_url, verbose=False, ssl_verify=ssl.create_default_context(cafile=certifi.where()))


PHOTOS = 44  # more than the 40 photographs generators.datasets.bsds holds out, so "train" is not empty


@pytest.fixture(scope="session")
def photo_home(tmp_path_factory) -> Path:
    """A data home with a tiny synthetic bsds400/: 44 smooth, noisy 96x128 JPEG "photographs", so trainers'
    dry runs run on a fresh clone with no ../shared/data beside it."""
    import numpy as np
    from PIL import Image

    home = tmp_path_factory.mktemp("data")
    folder = home / "bsds400"
    folder.mkdir()
    rng = np.random.default_rng(0)
    rows, cols = np.mgrid[0:96, 0:128] / 128.0
    for index in range(PHOTOS):
        phase = rng.uniform(0, 2 * np.pi, 3)
        planes = [0.5 + 0.4 * np.sin(4 * rows + 3 * cols * (c + 1) + phase[c]) for c in range(3)]
        image = np.stack(planes, axis=-1) + rng.normal(0, 0.03, (96, 128, 3))
        Image.fromarray((np.clip(image, 0, 1) * 255).astype(np.uint8)).save(folder / f"{100000 + index}.jpg")
    return home


@pytest.fixture
def synthetic_data_home(monkeypatch, photo_home) -> Path:
    """$GENLAB_DATA pointed at ``photo_home`` for one test."""
    monkeypatch.setenv("GENLAB_DATA", str(photo_home))
    return photo_home


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's two workers (pyproject's addopts): the browser tests (tests/e2e: one app server, one Chromium,
    pages shared per module) are one unit, run whole by one worker; every other test is a unit of its own and goes
    to whichever worker is free. The load-scope scheduler hands out the largest unit first, so the browser tests
    start at once and the other worker takes the rest until the browser one joins it.

    Measured back to back on two cores: this 130 and 148 s; each test anywhere (two servers, two Chromiums) 131-150 s;
    the browser tests in two halves, one per worker, 165 s (two servers and two browsers fighting over two cores).
    The same machine took 190-230 s for this layout later that day: compare layouts run together. Once the in-process
    tests cost less (a shared TLS context, a faster MNIST read): this 124 and 134 s; the Stop and Train browser tests
    as a second unit with a server of their own, 124-139 s in three runs; three workers, 132 s. Not --dist loadgroup:
    xdist 3.8 groups tests by renaming item._nodeid, which pytest 9.2 no longer reads, so its groups silently vanish."""
    from xdist.scheduler import LoadScopeScheduling

    class BrowserApart(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "browser" if nodeid.startswith("tests/e2e/") else nodeid

    return BrowserApart(config, log)


_E2E_SERVER = pytest.StashKey()


def pytest_configure(config):
    """The xdist controller starts the browser tests' app server now, while its workers collect, and hands its
    address to them in the environment they inherit (tests/e2e/server.py says why)."""
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    from tests.e2e import server

    if server.selected(config):
        process, url = server.launch()
        config.stash[_E2E_SERVER] = process
        os.environ[server.SHARED] = f"{url} {process.pid}"


def pytest_unconfigure(config):
    process = config.stash.get(_E2E_SERVER, None)
    if process is not None:
        from tests.e2e import server

        server.stop(process)
        os.environ.pop(server.SHARED, None)
