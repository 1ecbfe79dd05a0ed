"""Seeded corruptions: Gaussian noise, salt and pepper, missing pixels. Each takes a contract image in [0, 1]
and a seed; the same seed always gives the same corruption."""

from __future__ import annotations

import numpy as np

from generators import checks, imaging

# Added to the message of a sigma above 1: the usual mistake is a level on the 0-255 scale.
SCALE_HINT = "sigma is on the [0, 1] scale: divide 0-255 values by 255"


def gaussian_noise(image: np.ndarray, *, sigma: float, seed: int) -> np.ndarray:
    """y = x + sigma * n, n ~ N(0, I), NOT clipped (denoisers see the true additive-noise model).

    ``sigma`` is on the [0, 1] scale (25/255 for the usual "sigma 25")."""
    image = imaging.validate(image)
    sigma = checks.real(sigma, name="sigma", low=0.0, high=1.0, hint=SCALE_HINT)
    noise = np.random.default_rng(seed).standard_normal(image.shape)
    return (image + sigma * noise).astype(np.float32)


def salt_and_pepper(image: np.ndarray, *, rate: float, seed: int) -> np.ndarray:
    """Replace a fraction ``rate`` of pixels (all channels of a pixel together) by 0 or 1, half each."""
    image = imaging.validate(image)
    rate = checks.real(rate, name="rate", low=0.0, high=1.0)
    rng = np.random.default_rng(seed)
    hit = rng.random(image.shape[:2]) < rate
    salt = rng.random(image.shape[:2]) < 0.5
    out = image.copy()
    out[hit & salt] = 1.0
    out[hit & ~salt] = 0.0
    return out


def missing_pixels(image: np.ndarray, *, fraction: float | None = None, seed: int = 0,
                   mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Remove pixels: a random ``fraction`` of them, or those where ``mask`` (H, W) is True (a drawn mask),
    or both. Returns (image with holes set to 0, known (H, W) bool: True where the pixel was kept)."""
    image = imaging.validate(image)
    missing = np.zeros(image.shape[:2], dtype=bool)
    if fraction is not None:
        fraction = checks.real(fraction, name="fraction", low=0.0, high=1.0)
        missing |= np.random.default_rng(seed).random(image.shape[:2]) < fraction
    if mask is not None:
        mask = np.asarray(mask)
        if mask.shape != image.shape[:2]:
            raise ValueError(f"mask has shape {mask.shape} but the image is {image.shape[:2]}; "
                             "draw the mask on the same image")
        missing |= mask.astype(bool)
    if fraction is None and mask is None:
        raise ValueError("missing_pixels needs a fraction (0-1) or a mask; pass one of them")
    if missing.all():
        raise ValueError("every pixel would be missing; lower the fraction or draw a smaller mask")
    holed = image.copy()
    holed[missing] = 0.0
    return holed, ~missing

