"""What every live run shares: a step counter, loss curves, the wall time spent training, and the checks on
hyperparameters (a ValueError naming the parameter, its allowed range and the fix)."""

from __future__ import annotations

import contextlib
import sys
import threading
import time

import numpy as np

# Every run stops itself after this much training (wall time spent in advance()).
TIME_LIMIT_S = 300.0


class Run:
    """A model being trained step by step. Subclasses set ``kind`` and implement ``_step()`` (one training step,
    returning {loss name: value}), ``_extra()`` (what the pictures need) and, for sampling kinds, ``sample``."""

    kind = ""
    chunk = 1  # steps a live page takes between checks for Pause (a few milliseconds' work)

    def __init__(self, seed: int):
        self.seed = _seed(seed)
        self.step = 0
        self.seconds = 0.0
        self.losses: dict[str, list[float]] = {}
        self.loss_steps: list[int] = []

    def advance(self, steps: int) -> dict:
        """Train ``steps`` more steps; return ``state()``."""
        steps = whole(steps, "steps", 0, 1_000_000, self.kind)
        start = time.perf_counter()
        with one_torch_thread():
            for _ in range(steps):
                self._record(self._step())
        self.seconds += time.perf_counter() - start
        return self.state()

    def advance_for(self, seconds: float, *, chunk: int = 1) -> dict:
        """Train in chunks of ``chunk`` steps until ``seconds`` of wall time have passed (at least one chunk)."""
        deadline = time.perf_counter() + seconds
        self.advance(chunk)
        while time.perf_counter() < deadline:
            self.advance(chunk)
        return self.state()

    @property
    def out_of_time(self) -> bool:
        return self.seconds >= TIME_LIMIT_S

    def state(self) -> dict:
        return {"kind": self.kind, "step": self.step, "seconds": self.seconds, "loss_steps": list(self.loss_steps),
                "losses": {name: list(values) for name, values in self.losses.items()}, **self._extra()}

    def _record(self, losses: dict[str, float]) -> None:
        self.step += 1
        if not losses:
            return
        self.loss_steps.append(self.step)
        for name, value in losses.items():
            self.losses.setdefault(name, []).append(float(value))

    def _step(self) -> dict[str, float]:
        raise NotImplementedError

    def _extra(self) -> dict:
        return {}


_threads_lock = threading.Lock()
_training = 0
_saved_threads = 0


@contextlib.contextmanager
def one_torch_thread():
    """Torch runs its operations on one thread while any live run trains, then goes back to its setting.

    The live networks are small: splitting each operation over threads gains little, and on a shared machine
    (several runs at once, other work on the cores) threads that wait for each other at every operation made a
    step up to 20 times slower (a GAN step: 35 ms alone, 770 ms with two threads on two busy cores)."""
    global _training, _saved_threads
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    with _threads_lock:
        if _training == 0:
            _saved_threads = torch.get_num_threads()
            torch.set_num_threads(1)
        _training += 1
    try:
        yield
    finally:
        with _threads_lock:
            _training -= 1
            if _training == 0:
                torch.set_num_threads(_saved_threads)


def seeded(seed: int, build):
    """``build()``, with torch's global generator (which layers draw their first weights from) seeded by ``seed``
    inside and left as it was outside."""
    import torch

    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return build()


def whole(value, name: str, low: int, high: int, kind: str) -> int:
    """An integer hyperparameter within [low, high], or a ValueError naming it, the range and the fix."""
    number = number_in(value, name, low, high, kind)
    if number != int(number):
        raise ValueError(f"{kind}: {name} must be a whole number between {low} and {high}, got {value!r}; "
                         f"pick a whole number in that range")
    return int(number)


def number_in(value, name: str, low: float, high: float, kind: str) -> float:
    """A real hyperparameter within [low, high], or a ValueError naming it, the range and the fix."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if isinstance(value, bool) or not np.isfinite(number) or not low <= number <= high:
        raise ValueError(f"{kind}: {name} must be between {low:g} and {high:g}, got {value!r}; "
                         f"pick a value in that range")
    return number


def choice(value, name: str, allowed, kind: str) -> str:
    if value not in allowed:
        raise ValueError(f"{kind}: {name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")
    return value


def _seed(seed) -> int:
    return whole(seed, "seed", 0, 2**31 - 1, "live run")
