"""Procedural style images that this project draws itself (no downloaded paintings): the styles the fast
networks are trained on, and examples for the other methods. Deterministic from ``seed``."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

SIZE = 256


def _palette(hexes: str) -> np.ndarray:
    return np.array([[int(h[i:i + 2], 16) / 255.0 for i in (0, 2, 4)] for h in hexes.split()], dtype=np.float32)


def _smooth_noise(rng: np.random.Generator, size: int, sigma: float) -> np.ndarray:
    field = ndimage.gaussian_filter(rng.standard_normal((size, size)), sigma, mode="wrap")
    return (field - field.mean()) / field.std()


def waves(size: int = SIZE, seed: int = 0) -> np.ndarray:
    """Bold op-art bands: stripes whose phase is bent by smooth noise, coloured from a warm palette."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size] / size
    phase = 9.0 * (x + 0.6 * y) + 1.6 * _smooth_noise(rng, size, size / 8)
    palette = _palette("1b3a6b e4572e f3a712 f0efe7 29a19c")
    band = np.floor(phase * 2.0).astype(int) % len(palette)
    return palette[band]


def mosaic(size: int = SIZE, seed: int = 1) -> np.ndarray:
    """Stained glass: Voronoi cells in jewel colours separated by dark lead lines."""
    rng = np.random.default_rng(seed)
    points = rng.uniform(0, size, (140, 2))
    y, x = np.mgrid[0:size, 0:size]
    distance = np.hypot(y[..., None] - points[:, 0], x[..., None] - points[:, 1])  # (H, W, cells)
    nearest = np.sort(distance, axis=2)
    cell = np.argmin(distance, axis=2)
    palette = _palette("0b3c5d 328cc1 d9b310 c0392b 1e8449 8e44ad f5f5dc")
    colours = palette[rng.integers(0, len(palette), len(points))]
    image = colours[cell] * (0.85 + 0.15 * rng.uniform(size=(len(points), 1)))[cell]
    lead = (nearest[..., 1] - nearest[..., 0]) < 2.5
    image[lead] = 0.08
    return np.clip(image, 0, 1).astype(np.float32)


def pointillism(size: int = SIZE, seed: int = 2) -> np.ndarray:
    """Seurat-like dots: thousands of small discs of pure, complementary colours on a pale ground."""
    rng = np.random.default_rng(seed)
    image = np.full((size, size, 3), _palette("f4ecd8")[0], dtype=np.float32)
    palette = _palette("1f4e9c 2e86de f39c12 e74c3c 27ae60 f1c40f 8e44ad")
    y, x = np.mgrid[0:size, 0:size]
    for _ in range(int(size * size / 14)):
        cy, cx = rng.uniform(0, size, 2)
        radius = rng.uniform(1.5, 3.2)
        top, left = int(max(cy - 4, 0)), int(max(cx - 4, 0))
        window = (slice(top, int(cy + 5)), slice(left, int(cx + 5)))
        disc = np.hypot(y[window] - cy, x[window] - cx) <= radius
        image[window][disc] = palette[rng.integers(len(palette))]
    return image


def flow(size: int = SIZE, seed: int = 3, steps: int = 18) -> np.ndarray:
    """Swirling brush strokes: line integral convolution (Cabral & Leedom 1993) of noise along a smooth
    vortex field, coloured from night blue to gold by a second smooth field."""
    rng = np.random.default_rng(seed)
    angle = np.pi * _smooth_noise(rng, size, size / 10)
    dy, dx = np.sin(angle), np.cos(angle)
    noise = rng.uniform(size=(size, size))
    y0, x0 = np.mgrid[0:size, 0:size].astype(np.float64)
    total = noise.copy()
    for sign in (1.0, -1.0):
        y, x = y0.copy(), x0.copy()
        for _ in range(steps):
            # Cabral & Leedom 1993: L(p) = sum_s noise(p_s), p_{s+1} = p_s + v(p_s)
            vy = ndimage.map_coordinates(dy, [y, x], order=1, mode="wrap")
            vx = ndimage.map_coordinates(dx, [y, x], order=1, mode="wrap")
            y, x = (y + sign * vy) % size, (x + sign * vx) % size
            total += ndimage.map_coordinates(noise, [y, x], order=1, mode="wrap")
    strokes = (total - total.min()) / np.ptp(total)
    strokes = np.clip((strokes - 0.5) * 3.0 + 0.5, 0, 1)
    hue = np.clip(0.5 + 0.35 * _smooth_noise(rng, size, size / 6), 0, 1)[..., None]
    night, gold = _palette("0d1b4c f2c14e")
    teal = _palette("3a7ca5")[0]
    base = (1 - hue) * night + hue * teal
    return np.clip(base * (1 - strokes[..., None]) + gold * strokes[..., None] * (0.6 + 0.4 * hue),
                   0, 1).astype(np.float32)


PATTERNS = {"waves": waves, "mosaic": mosaic, "pointillism": pointillism, "flow": flow}


def pattern(name: str, size: int = SIZE) -> np.ndarray:
    """The style image ``name`` (one of PATTERNS) as a contract image float32 (size, size, 3)."""
    if name not in PATTERNS:
        raise ValueError(f"unknown pattern {name!r}; choose one of: {', '.join(PATTERNS)}")
    return PATTERNS[name](size).astype(np.float32)
