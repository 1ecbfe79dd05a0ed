import json

import numpy as np
import pytest

from generators import checkpoint

REBUILD = "python -m generators.train toy"


@pytest.fixture
def saved(tmp_path):
    arrays = {"weight": np.arange(12, dtype=np.float32).reshape(3, 4)}
    checkpoint.save(tmp_path, "toy", arrays, {"config": {"width": 4}, "train_command": REBUILD})
    return tmp_path


def test_round_trip_keeps_arrays_and_meta(saved):
    found = checkpoint.load(saved, "toy", rebuild=REBUILD)
    np.testing.assert_array_equal(found.arrays["weight"], np.arange(12).reshape(3, 4))
    assert found.meta["config"] == {"width": 4} and found.meta["parameters"] == 12
    manifest = json.loads((saved / "manifest.json").read_text())["files"]
    assert set(manifest) == {"toy.safetensors", "toy.json"}


def _expect(saved, reason):
    with pytest.raises(checkpoint.CheckpointError) as caught:
        checkpoint.load(saved, "toy", rebuild=REBUILD)
    message = str(caught.value)
    assert "toy.safetensors" in message and REBUILD in message
    assert caught.value.reason == reason
    assert checkpoint.file_state(saved, "toy") == reason


def test_missing_file(saved):
    (saved / "toy.safetensors").unlink()
    _expect(saved, "missing")


def test_truncated_file(saved):
    path = saved / "toy.safetensors"
    path.write_bytes(path.read_bytes()[:-10])
    _expect(saved, "truncated")


def test_tampered_file(saved):
    path = saved / "toy.safetensors"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    _expect(saved, "mismatch")


def test_git_lfs_pointer(saved):
    (saved / "toy.safetensors").write_text(
        "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n")
    _expect(saved, "lfs-pointer")


def test_healthy_state(saved):
    assert checkpoint.file_state(saved, "toy") == "ok"
