"""Generative models of handwritten digits: each offers ``sample(n, *, seed)`` -> float32 (n, 28, 28) in [0, 1]
(the digit contract, generators.imaging.validate_digits)."""

from generators import checks

MAX_SAMPLES = 10_000   # the most digits one sample(n, ...) call draws


def count(n) -> int:
    """A number of samples to draw: a whole number from 1 to MAX_SAMPLES, or a ValueError saying so."""
    return checks.whole(n, name="n", low=1, high=MAX_SAMPLES)
