"""Faults a user must survive: a broken checkpoint disables only its model, GPU memory runs out."""

import gradio as gr
import numpy as np
import pytest

from generators import checkpoint, registry
from generators.registry import Registry
from ui import common
from ui.sample import generate


@pytest.fixture
def broken_gmm(checkpoint_copy, monkeypatch):
    weights = checkpoint_copy / "mnist-gmm.safetensors"
    weights.write_bytes(weights.read_bytes()[:-100])
    monkeypatch.setattr(registry, "load", Registry(directory=checkpoint_copy, device="cpu").load)
    return checkpoint_copy


def test_broken_checkpoint_gives_the_fix_in_the_ui(broken_gmm):
    with pytest.raises(gr.Error, match=r"mnist-gmm\.safetensors.*python -m generators\.train mnist-gmm"):
        generate.draw_samples(next(iter(generate.SAMPLERS)), 4, 0)
    assert registry.load("mnist-lenet").predict(np.zeros((1, 28, 28), np.float32)).shape == (1,)


def _oom(found, device):
    if device == "cuda":
        raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
    return {"device": device}


def test_gpu_out_of_memory_at_load_falls_back_to_cpu(tmp_path, monkeypatch):
    spec = registry.ModelSpec(name="big", kind="test", summary="", builder=f"{__name__}:_oom",
                              train_command="python -m generators.train big", data="", licence="")
    checkpoint.save(tmp_path, "big", {"w": np.ones(2, dtype=np.float32)}, {"config": {}})
    models = Registry({"big": spec}, directory=tmp_path)
    monkeypatch.setattr(models, "device", lambda: "cuda")
    monkeypatch.setattr(registry, "_free_gpu_cache", lambda: None)
    assert models.load("big") == {"device": "cpu"}
    assert "CPU" in models.status()[0]["note"]


def test_gpu_out_of_memory_while_running_is_a_message():
    @common.friendly_errors
    def greedy():
        raise RuntimeError("CUDA out of memory. Tried to allocate 20.00 GiB")

    with pytest.raises(gr.Error, match="--device cpu"):
        greedy()


def test_other_runtime_errors_are_not_hidden():
    @common.friendly_errors
    def buggy():
        raise RuntimeError("shape mismatch")

    with pytest.raises(RuntimeError, match="shape mismatch"):
        buggy()
