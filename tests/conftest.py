import shutil
import sys
from pathlib import Path

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

import os  # noqa: E402

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
    """A gradio_client.Client of the running app: calls endpoints by api_name, as scripts and benchmarks do."""
    from gradio_client import Client

    return Client(app_url, verbose=False)
