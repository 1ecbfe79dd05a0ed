"""Turn a drawing into an MNIST-style digit, the way the MNIST digits were made (LeCun et al. 1998, and the
MNIST page): crop to the ink, scale so the longer side is 20 pixels keeping the aspect ratio (anti-aliased,
which gives the grey edges), and place in a 28 x 28 field so the centre of mass of the ink is at the centre."""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from skimage.transform import resize

from generators import imaging
from generators.imaging import DIGIT_SIDE

BOX = 20
INK_THRESHOLD = 0.2        # a pixel counts as ink from this darkness on
MIN_INK_FRACTION = 0.002   # less inked area than this (0.2 % of the pad) is a blank pad
MIN_EXTENT = 0.1           # a drawing smaller than 10 % of the pad in both directions is a dot, not a digit


def ink_from_rgba(image: np.ndarray) -> np.ndarray:
    """A sketchpad composite (H, W, 4) or (H, W, 3) uint8/float -> ink float32 (H, W) in [0, 1] (1 = ink).
    Dark strokes on a light or transparent background count as ink: ink = alpha * (1 - luminance)."""
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] not in (3, 4) or min(image.shape[:2]) < 8:
        raise ValueError(f"a drawing must be an (H, W, 3 or 4) image at least 8 pixels wide, got {image.shape}")
    ink = imaging.paper_to_ink(imaging.to_gray(imaging.as_float(image, name="the drawing")))
    alpha = imaging.as_float(image[..., 3], name="the drawing's alpha") if image.shape[2] == 4 else 1.0
    return np.clip(alpha * ink, 0.0, 1.0).astype(np.float32)


def mnist_style(ink: np.ndarray) -> np.ndarray:
    """Ink float (H, W) in [0, 1] (1 = ink) -> digit float32 (28, 28) in [0, 1], MNIST-style.

    Raises ValueError for a blank pad or a mere dot: there is nothing to read, and the model should not guess.
    """
    ink = np.asarray(ink, dtype=np.float32)
    if ink.ndim != 2 or not np.all(np.isfinite(ink)):
        raise ValueError(f"ink must be a finite (H, W) array, got shape {ink.shape}")
    inked = ink >= INK_THRESHOLD
    if inked.mean() < MIN_INK_FRACTION:
        raise ValueError("the drawing is blank: draw a digit with the brush (big, filling most of the pad)")
    rows, cols = np.flatnonzero(inked.any(1)), np.flatnonzero(inked.any(0))
    height, width = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    if max(height / ink.shape[0], width / ink.shape[1]) < MIN_EXTENT:
        raise ValueError("the drawing is only a dot: draw a whole digit, filling most of the pad")
    crop = np.clip(ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1], 0.0, 1.0)
    # Scale the longer side to 20 pixels, keeping the aspect ratio (area-averaged, hence grey edges).
    factor = BOX / max(height, width)
    shape = (max(1, round(height * factor)), max(1, round(width * factor)))
    small = np.clip(resize(crop, shape, anti_aliasing=True, preserve_range=True), 0.0, 1.0)
    field = np.zeros((DIGIT_SIDE, DIGIT_SIDE), dtype=np.float64)
    top, left = (DIGIT_SIDE - shape[0]) // 2, (DIGIT_SIDE - shape[1]) // 2
    field[top:top + shape[0], left:left + shape[1]] = small
    # Move the centre of mass sum_i x_i r_i / sum_i x_i to pixel (14, 14), where MNIST digits have theirs.
    mass_row, mass_col = ndimage.center_of_mass(field)
    centre = DIGIT_SIDE / 2
    field = ndimage.shift(field, (centre - mass_row, centre - mass_col), order=1, mode="constant", cval=0.0)
    return np.clip(field, 0.0, 1.0).astype(np.float32)
