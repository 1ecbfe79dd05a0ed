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
