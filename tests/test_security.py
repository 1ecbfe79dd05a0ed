"""Security of the served app: no server path can be read, no unpickling anywhere in the code."""

import re
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def url(app_url):
    return app_url.rstrip("/")


@pytest.mark.parametrize("path", ["/etc/passwd", str(ROOT / "app.py"), str(ROOT / "checkpoints" / "manifest.json"),
                                  "../../../../etc/passwd", "app.py"])
def test_server_files_cannot_be_fetched(url, path):
    response = httpx.get(f"{url}/gradio_api/file={path}", timeout=10)
    assert response.status_code in (403, 404), f"{path} was served"
    assert "root:" not in response.text


def test_no_code_unpickles():
    # torch.load is allowed only with weights_only=True (the restricted unpickler), and only for optional
    # third-party weights such as a local VGG-19 hub cache; our own checkpoints are safetensors.
    pattern = re.compile(r"pickle\.loads?\(|joblib\.load\(|torch\.load\((?![^)]*weights_only=True)"
                         r"|np\.load\([^)]*allow_pickle=True")
    offenders = [str(path) for path in ROOT.rglob("*.py")
                 if ".venv" not in path.parts and path.name != "test_security.py"
                 and pattern.search(path.read_text())]
    assert offenders == []
