"""The checks every public function runs on numbers it is handed, in one place.

Each returns the value normalised (an ``int`` or a ``float``) or raises ``ValueError`` quoting what it got and
the range it wanted, so a message reads the same in every tab and through the API. Booleans are refused even
though Python counts them as numbers: ``True`` is never a sensible seed or step count.
"""

from __future__ import annotations

import math
from numbers import Real

MAX_SEED = 2**31 - 1   # the largest seed any GenLab function accepts (fits a 32-bit signed int, as Gradio sends it)


def _real(value, name: str, low, high) -> float:
    """``value`` as a finite float, or a ValueError naming ``name`` and the range [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (Real, str)):
        raise ValueError(f"{name} must be a number between {low:g} and {high:g}, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number between {low:g} and {high:g}, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number between {low:g} and {high:g}, got {value!r}")
    return number


def whole(value, *, name: str, low: int, high: int) -> int:
    """A whole number in [low, high] (``3`` and ``3.0`` pass, ``3.5``, ``True`` and ``"three"`` do not)."""
    number = _real(value, name, low, high)
    if number != int(number) or not low <= number <= high:
        raise ValueError(f"{name} must be a whole number between {low} and {high}, got {value!r}")
    return int(number)


def real(value, *, name: str, low: float, high: float, hint: str = "") -> float:
    """A finite float in [low, high]; ``hint`` is added to the message when the value is too large (for
    example how to convert a 0-255 level to the [0, 1] scale)."""
    number = _real(value, name, low, high)
    if not low <= number <= high:
        raise ValueError(f"{name} must be a number between {low:g} and {high:g}, got {value!r}"
                         + (f"; {hint}" if hint and number > high else ""))
    return number


def sequence(values, *, name: str, most: int | None = None) -> list:
    """``values`` as a list: one value alone, or a sequence of at least one (and at most ``most``) values."""
    values = [values] if isinstance(values, (int, float, str)) else list(values)
    if not values or (most is not None and len(values) > most):
        span = "at least one value" if most is None else f"1 to {most} values"
        raise ValueError(f"{name} must hold {span}, got {len(values)}")
    return values


def reals(values, *, name: str, low: float, high: float, most: int | None = None) -> list[float]:
    """A list of finite floats in [low, high] (``sequence`` of them)."""
    return [real(value, name=name, low=low, high=high) for value in sequence(values, name=name, most=most)]


def wholes(values, *, name: str, low: int, high: int, most: int | None = None) -> list[int]:
    """A list of whole numbers in [low, high] (``sequence`` of them)."""
    return [whole(value, name=name, low=low, high=high) for value in sequence(values, name=name, most=most)]


def seed(value, *, name: str = "seed") -> int:
    """A seed: a whole number in [0, MAX_SEED]."""
    return whole(value, name=name, low=0, high=MAX_SEED)


def choice(value, options, *, name: str) -> str:
    """One of ``options`` (a string), or a ValueError listing them."""
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"unknown {name} {value!r}; choose one of: {', '.join(map(str, options))}")
    return value
