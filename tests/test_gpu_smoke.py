import importlib.util
import math
import sys
from pathlib import Path

import pytest

from generators import registry

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "gpu_smoke.py"


@pytest.fixture
def smoke(monkeypatch):
    """benchmarks/gpu_smoke.py as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("gpu_smoke", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


def test_the_gpu_smoke_check_runs_on_the_cpu_and_finds_it_deterministic(smoke):
    rows = smoke.run("cpu", quick=True, only=("CNN (gray)", "fast", "GMM", "GAN", "LeNet", "autoencoders"))
    assert len(rows) == 6
    assert all(row["ok"] and row["psnr_db"] == math.inf and row["model_devices"] == "cpu" for row in rows), rows
    assert "| stylize: fast (starry-night) | cpu | cpu |" in smoke.table(rows)
    assert registry.loaded() == []  # it leaves the shared registry as it found it


def test_a_case_that_differs_from_the_cpu_fails(smoke, monkeypatch):
    import numpy as np

    calls = []

    def drifting() -> np.ndarray:
        calls.append(registry.device())
        return np.full((4, 4), 0.5 + 0.1 * (len(calls) == 1))  # the first (device) run differs by 0.1: 20 dB

    monkeypatch.setattr(smoke, "cases", lambda quick: [smoke.Case("drift", drifting, smoke.STRICT_DB)])
    (row,) = smoke.run("cpu")
    assert not row["ok"] and abs(row["psnr_db"] - 20.0) < 1e-6
