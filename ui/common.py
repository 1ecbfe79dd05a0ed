"""Widgets and habits shared by every tab."""

from __future__ import annotations

import contextlib
import functools
import inspect
from pathlib import Path

import gradio as gr
import numpy as np

from generators import imaging
from generators.checkpoint import CheckpointError

ASSETS = Path(__file__).resolve().parent.parent / "assets"
# Heavy model events share one queue slot pool so a full classroom cannot run the machine out of memory.
HEAVY = "heavy"
HEAVY_LIMIT = 2


OUT_OF_MEMORY = ("The GPU ran out of memory for this request: try a smaller image or fewer samples, "
                 "or restart the app with --device cpu.")


def friendly_errors(handler):
    """Turn the errors our generators raise on bad input (ValueError) or broken checkpoints into a gr.Error
    toast carrying their message, which already says what was wrong and what to do. A GPU out-of-memory
    error becomes a message too, and the server carries on."""
    if inspect.isgeneratorfunction(handler):
        @functools.wraps(handler)
        def streaming(*args, **kwargs):
            with _as_messages():
                yield from handler(*args, **kwargs)
        return streaming

    @functools.wraps(handler)
    def plain(*args, **kwargs):
        with _as_messages():
            return handler(*args, **kwargs)
    return plain


@contextlib.contextmanager
def _as_messages():
    try:
        yield
    except (ValueError, CheckpointError) as error:
        raise gr.Error(str(error)) from None
    except RuntimeError as error:
        if "out of memory" not in str(error).lower():
            raise
        raise gr.Error(OUT_OF_MEMORY) from None


def output_image(label: str, **kwargs) -> gr.Image:
    """An output image sent to the browser as lossless PNG."""
    return gr.Image(label=label, type="numpy", format="png", interactive=False, **kwargs)


def display(image: np.ndarray) -> np.ndarray:
    """Contract image -> uint8 for Gradio."""
    return imaging.to_uint8(image)


def whole_number(value, *, name: str, low: int, high: int) -> int:
    """A slider or number box value sent through the API -> int within [low, high], or a ValueError."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number between {low} and {high}, got {value!r}") from None
    if not np.isfinite(number) or number != int(number) or not low <= number <= high:
        raise ValueError(f"{name} must be a whole number between {low} and {high}, got {value!r}")
    return int(number)


def examples(tab: str) -> list[str]:
    """Example files for a tab: everything in assets/<tab>/, sorted by name."""
    folder = ASSETS / tab
    return sorted(str(path) for path in folder.glob("*.png")) if folder.is_dir() else []
