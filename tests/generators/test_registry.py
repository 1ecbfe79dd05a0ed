import threading
import time

import pytest

from generators import checkpoint, registry
from generators.registry import ModelSpec, Registry

BUILDS = []


def slow_builder(found, device):
    """A stand-in model builder that is slow, so two threads overlap inside load()."""
    BUILDS.append(device)
    time.sleep(0.2)
    return {"weights": found.arrays, "device": device}


def toy_registry(tmp_path) -> Registry:
    import numpy as np

    spec = ModelSpec(name="toy", kind="test", summary="", builder=f"{__name__}:slow_builder",
                     train_command="python -m generators.train toy", data="", licence="")
    checkpoint.save(tmp_path, "toy", {"w": np.ones(3, dtype=np.float32)}, {"config": {}})
    return Registry({"toy": spec}, directory=tmp_path, device="cpu")


def test_concurrent_first_requests_load_once(tmp_path):
    models = toy_registry(tmp_path)
    BUILDS.clear()
    results = []
    threads = [threading.Thread(target=lambda: results.append(models.load("toy"))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(BUILDS) == 1
    assert all(result is results[0] for result in results)
    assert models.loaded() == ["toy"]


def test_unknown_model_lists_the_known_ones():
    with pytest.raises(ValueError, match="mnist-gmm"):
        Registry().load("mnist-gpt")


def test_nothing_is_loaded_until_asked(checkpoint_copy):
    models = Registry(directory=checkpoint_copy, device="cpu")
    assert models.loaded() == []
    rows = {row["name"]: row for row in models.status()}
    assert set(rows) == set(registry.MODELS)
    assert all(row["checksum"] == "ok" and not row["loaded"] for row in rows.values())
    assert rows["mnist-gmm"]["parameters"] > 0 and rows["mnist-gmm"]["size_mb"] > 0


def test_broken_checkpoint_disables_only_its_model(checkpoint_copy):
    weights = checkpoint_copy / "mnist-lenet.safetensors"
    weights.write_bytes(weights.read_bytes()[:100])
    models = Registry(directory=checkpoint_copy, device="cpu")
    with pytest.raises(checkpoint.CheckpointError, match=r"mnist-lenet\.safetensors.*python -m generators.train mnist-lenet"):
        models.load("mnist-lenet")
    assert models.load("mnist-gmm").sample(2, seed=0).shape == (2, 28, 28)
    rows = {row["name"]: row for row in models.status()}
    assert rows["mnist-lenet"]["checksum"] == "truncated" and rows["mnist-gmm"]["loaded"]


def test_device_follows_flag_then_environment(monkeypatch):
    models = Registry()
    monkeypatch.setenv(registry.DEVICE_ENV, "cpu")
    assert models.device() == "cpu"
    monkeypatch.setenv(registry.DEVICE_ENV, "tpu")
    with pytest.raises(ValueError, match="GENLAB_DEVICE"):
        models.device()
    models.set_device("cpu")
    assert models.device() == "cpu"
