"""Corrupt -> restore -> score, in one place: every restorer on the same corrupted image, each scored against
the clean one as soon as it finishes (the Denoise tab, its PSNR sweep and both denoise benchmarks use it)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from generators import metrics


@dataclass(frozen=True)
class Row:
    """One result: its ``label``, the ``method`` that made it, the restored image, PSNR (dB) and SSIM against
    the clean image, and seconds. ``stopped_at``: for EPLL ended early by Stop or the time cap, the last step
    it finished ("EPLL step 3 of 5"); "" when it ran to the end."""
    label: str
    method: str
    restored: np.ndarray
    psnr: float
    ssim: float
    seconds: float
    stopped_at: str = ""


def score(clean: np.ndarray, image: np.ndarray, *, label: str, method: str = "", seconds: float = 0.0,
          stopped_at: str = "") -> Row:
    """``image`` scored against ``clean`` (the corrupted input itself, or any restorer's output) as a Row."""
    return Row(label, method, image, metrics.psnr(clean, image), metrics.ssim(clean, image), seconds, stopped_at)


def compare(clean: np.ndarray, corrupted: np.ndarray, *, methods: Sequence[str] | Mapping[str, tuple[str, dict]],
            sigma: float, known: np.ndarray | None = None, models: Mapping[str, object] | None = None,
            should_stop: Callable[[], bool] | None = None, progress: Callable[[float, str], None] | None = None,
            time_limit: float | None = None, clock: Callable[[], float] = time.perf_counter) -> Iterator[Row]:
    """Restore ``corrupted`` with each of ``methods`` in turn and yield its Row as soon as it is done.

    ``methods``: method names of generators.denoise.denoise (each labelled by its name), or {label: (method,
    options)} for variants (``{"cnn x8": ("cnn", {"ensemble": 8})}``). ``sigma`` and ``known`` go to every
    method; ``models`` maps a method in NEEDS_MODEL to its model object (an option ``model`` wins).
    ``should_stop()`` true ends the run before the next method, and EPLL within its step; EPLL also stops at
    ``time_limit`` seconds and reports its steps to ``progress(fraction, text)``. ``clock`` times each method
    (time.process_time for CPU seconds)."""
    from generators.denoise import NEEDS_MODEL, denoise

    variants = dict(methods) if isinstance(methods, Mapping) else {name: (name, {}) for name in methods}
    for label, (method, options) in variants.items():
        if should_stop is not None and should_stop():
            return
        options = dict(options)
        if method in NEEDS_MODEL:
            options.setdefault("model", (models or {}).get(method))
        if known is not None:
            options["known"] = known
        reached = [(0.0, "EPLL step 0")]
        if method == "epll":
            def report(fraction: float, text: str) -> None:
                reached[0] = (fraction, text)
                if progress is not None:
                    progress(fraction, text)
            options.update(progress=report, time_limit=time_limit, should_stop=should_stop)
        started = clock()
        restored = denoise(corrupted, method=method, sigma=sigma, **options)
        seconds = clock() - started
        stopped_at = reached[0][1] if method == "epll" and reached[0][0] < 1.0 else ""
        yield score(clean, restored, label=label, method=method, seconds=seconds, stopped_at=stopped_at)
