import sys
import types

import pytest

from ui import gpu


def _handler(value):
    return value + 1


def test_without_spaces_the_decorator_returns_the_handler_itself(monkeypatch):
    monkeypatch.setattr(gpu, "zero_gpu", lambda: False)
    assert gpu.on_gpu(90)(_handler) is _handler and _handler.__gpu_seconds__ == 90


def test_on_zero_gpu_handlers_run_inside_spaces_gpu_with_a_bounded_duration(monkeypatch):
    asked = []

    def fake_gpu(*, duration):
        asked.append(duration)

        def wrap(handler):
            return lambda *args: ("gpu", handler(*args))
        return wrap

    monkeypatch.setitem(sys.modules, "spaces", types.SimpleNamespace(GPU=fake_gpu))
    monkeypatch.setattr(gpu, "zero_gpu", lambda: True)
    assert gpu.on_gpu()(_handler)(1) == ("gpu", 2)
    gpu.on_gpu(600)(_handler)
    assert asked == [gpu.DEFAULT_SECONDS, gpu.MAX_SECONDS]


def test_a_duration_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        gpu.on_gpu(0)


def test_the_heavy_handlers_are_marked_for_the_gpu():
    from ui import autoencoder, denoise, learned_filters, stylize, texture
    from ui.sample import generate, repair

    for handler in (denoise.corrupt_and_restore, learned_filters.learned, texture.grow, stylize.run,
                    generate.draw_samples, repair.repair_digit, autoencoder.autoencode):
        assert getattr(handler, "__gpu_seconds__", None), handler.__name__
