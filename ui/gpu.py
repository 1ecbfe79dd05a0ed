"""ZeroGPU: on a Hugging Face Space with ZeroGPU hardware the ``spaces`` package is importable, and a GPU is
attached only while a function decorated with ``spaces.GPU(duration=...)`` runs. ``on_gpu`` applies that to
the handlers that do GPU work, with a bounded duration; everywhere else it returns the handler unchanged.

Durations are the seconds a call may hold the GPU. ZeroGPU defaults to 60 s and deducts the requested
duration from the visitor's quota, so only the iterative methods ask for more, and none for more than
``MAX_SECONDS``.
"""

from __future__ import annotations

import importlib.util

DEFAULT_SECONDS = 60
MAX_SECONDS = 120


def zero_gpu() -> bool:
    """True where the ``spaces`` package (ZeroGPU) is importable."""
    return importlib.util.find_spec("spaces") is not None


def on_gpu(seconds: int = DEFAULT_SECONDS):
    """Decorator: run the handler inside ``spaces.GPU(duration=min(seconds, MAX_SECONDS))`` on ZeroGPU,
    unchanged elsewhere. Either way the handler carries ``__gpu_seconds__``, the duration it asks for."""
    if not 0 < seconds:
        raise ValueError(f"a GPU duration must be positive seconds, got {seconds!r}")
    bounded = min(int(seconds), MAX_SECONDS)

    def decorate(handler):
        if zero_gpu():
            import spaces

            handler = spaces.GPU(duration=bounded)(handler)
        handler.__gpu_seconds__ = bounded
        return handler
    return decorate
