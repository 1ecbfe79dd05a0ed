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


def test_a_benchmarks_figures_merge_into_the_card_and_it_still_loads(saved):
    checkpoint.update_metrics(saved, "toy", {"psnr": 30.4, "note": "σ 25 ± 1"})
    checkpoint.update_metrics(saved, "toy", {"ssim": 0.85})
    found = checkpoint.load(saved, "toy", rebuild=REBUILD)        # the manifest holds the card's new hash
    assert found.meta["metrics"] == {"psnr": 30.4, "note": "σ 25 ± 1", "ssim": 0.85}
    assert found.meta["config"] == {"width": 4}
    assert "σ 25 ± 1" in (saved / "toy.json").read_text(encoding="utf-8")   # written as is, not \u-escaped


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


@pytest.fixture
def sharded(tmp_path):
    arrays = {f"layer{i}": np.full((50, 50), i, dtype=np.float32) for i in range(5)}  # 10,000 bytes each
    files = checkpoint.save(tmp_path, "toy", arrays, {"train_command": REBUILD}, shard_bytes=25_000)
    return tmp_path, arrays, files


def test_large_weights_are_sharded_with_an_index_and_every_shard_in_the_manifest(sharded):
    directory, arrays, files = sharded
    shards = sorted(path.name for path in directory.glob("toy-*-of-*.safetensors"))
    assert shards == ["toy-00001-of-00003.safetensors", "toy-00002-of-00003.safetensors",
                      "toy-00003-of-00003.safetensors"]
    assert not (directory / "toy.safetensors").exists()
    assert all((directory / shard).stat().st_size < 25_000 + 1_000 for shard in shards)
    index = json.loads((directory / "toy.safetensors.index.json").read_text())
    assert set(index["weight_map"]) == set(arrays) and set(index["weight_map"].values()) == set(shards)
    manifest = json.loads((directory / "manifest.json").read_text())["files"]
    assert set(manifest) == {*shards, "toy.safetensors.index.json", "toy.json"}
    found = checkpoint.load(directory, "toy", rebuild=REBUILD)
    for key, value in arrays.items():
        np.testing.assert_array_equal(found.arrays[key], value)


def test_a_missing_shard_names_itself_and_the_rebuild_command(sharded):
    directory, _, _ = sharded
    (directory / "toy-00002-of-00003.safetensors").unlink()
    with pytest.raises(checkpoint.CheckpointError, match=r"toy-00002-of-00003\.safetensors is missing.*generators\.train toy"):
        checkpoint.load(directory, "toy", rebuild=REBUILD)
    assert checkpoint.file_state(directory, "toy") == "missing"


def test_an_altered_shard_or_index_fails_its_sha256(sharded):
    directory, _, _ = sharded
    for name in ("toy-00003-of-00003.safetensors", "toy.safetensors.index.json"):
        path = directory / name
        original = path.read_bytes()
        altered = bytearray(original)
        altered[-2] ^= 0x01
        path.write_bytes(bytes(altered))
        with pytest.raises(checkpoint.CheckpointError, match=f"{name}.*sha256.*generators\\.train toy"):
            checkpoint.load(directory, "toy", rebuild=REBUILD)
        assert checkpoint.file_state(directory, "toy") == "mismatch"
        path.write_bytes(original)
    assert checkpoint.file_state(directory, "toy") == "ok"


def test_saving_small_again_removes_the_old_shards(sharded):
    directory, _, _ = sharded
    checkpoint.save(directory, "toy", {"weight": np.zeros(3, dtype=np.float32)}, {"train_command": REBUILD})
    assert sorted(path.name for path in directory.iterdir()) == ["manifest.json", "toy.json", "toy.safetensors"]
    manifest = json.loads((directory / "manifest.json").read_text())["files"]
    assert set(manifest) == {"toy.safetensors", "toy.json"}
    assert checkpoint.file_state(directory, "toy") == "ok"
