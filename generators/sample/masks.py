"""Named masks of missing pixels for the repair demo (no torch here, so the UI can list them at import)."""

from __future__ import annotations

import numpy as np

from generators import checks
from generators.imaging import DIGIT_SIDE

MASKS = ("top half", "bottom half", "left half", "right half", "centre square", "random 60% of pixels")


def make_mask(name: str, *, seed: int = 0) -> np.ndarray:
    """A named mask of missing pixels, bool (28, 28) with True = hidden from the model."""
    name = checks.choice(name, MASKS, name="mask")
    missing = np.zeros((DIGIT_SIDE, DIGIT_SIDE), dtype=bool)
    if name == "top half":
        missing[:14] = True
    elif name == "bottom half":
        missing[14:] = True
    elif name == "left half":
        missing[:, :14] = True
    elif name == "right half":
        missing[:, 14:] = True
    elif name == "centre square":
        missing[8:20, 8:20] = True
    elif name == "random 60% of pixels":
        missing = np.random.default_rng(checks.seed(seed)).random((DIGIT_SIDE, DIGIT_SIDE)) < 0.6
    return missing
