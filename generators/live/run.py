"""What every live run shares: a step counter, loss curves, the wall time spent training, and the checks on
hyperparameters (a ValueError naming the parameter, its allowed range and the fix)."""

from __future__ import annotations

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
