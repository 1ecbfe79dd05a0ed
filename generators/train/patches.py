"""Training patches for the CNN denoisers: random crops of photographs (with the 8 symmetries of the square),
and synthetic patches of what classic test images hold and photographs rarely do: regular ones (gratings,
checks, flat shaded areas with straight edges) and text-like ones (rows of pen strokes on paper)."""

from __future__ import annotations

import numpy as np


def random_patches(photos, batch: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """(batch, C, size, size) random crops of gray (H, W) or colour (H, W, 3) photographs, each with a random
    rotation and flip (the 8 symmetries of the square)."""
    channels = 1 if photos[0].ndim == 2 else photos[0].shape[2]
    out = np.empty((batch, channels, size, size), dtype=np.float32)
    for i in range(batch):
        photo = photos[rng.integers(len(photos))]
        top, left = rng.integers(photo.shape[0] - size + 1), rng.integers(photo.shape[1] - size + 1)
        patch = np.rot90(photo[top:top + size, left:left + size], k=rng.integers(4))
        patch = patch[:, ::-1] if rng.random() < 0.5 else patch
        out[i] = patch.reshape(size, size, channels).transpose(2, 0, 1)
    return out


def regular_patches(count: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """(count, 1, size, size) synthetic patches of what photographs of the 360 BSDS training images show
    little of and classic test images show a lot of: striped and checked fabric (square-ish gratings whose
    frequency drifts, as folds and perspective make it), and large smooth areas with a few straight edges
    (walls, sky), under smooth shading. Float32 in [0, 1]."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64) - size / 2
    out = np.empty((count, 1, size, size), dtype=np.float32)
    for i in range(count):
        kind = rng.integers(3)
        # Smooth shading: a random quadratic surface, a few grey levels across the patch at most.
        a, b, c, d, e = rng.normal(0, 1, 5) / np.array([size, size, size ** 2, size ** 2, size ** 2])
        shade = a * xx + b * yy + c * xx ** 2 + d * yy ** 2 + e * xx * yy
        shade = shade / (np.abs(shade).max() + 1e-9) * rng.uniform(0, 0.25)
        base = rng.uniform(0.15, 0.85) + shade
        if kind < 2:
            # A grating: sin(2 pi (f u + c u^2) + phase) along a random direction u, sharpened towards a
            # square wave by tanh(k s) / tanh(k); kind 1 multiplies a second one across it (checks, weaves).
            wave = np.ones_like(xx)
            for _ in range(1 + int(kind == 1)):
                angle = rng.uniform(0, np.pi)
                u = xx * np.cos(angle) + yy * np.sin(angle)
                f = np.exp(rng.uniform(np.log(1 / 24), np.log(1 / 2.5)))
                chirp = rng.uniform(-0.3, 0.3) * f / size
                sharp = np.exp(rng.uniform(0, np.log(20)))
                wave = wave * np.tanh(sharp * np.sin(2 * np.pi * (f * u + chirp * u ** 2) + rng.uniform(0, 2 * np.pi)))
                wave = wave / np.tanh(sharp)
            image = base + rng.uniform(0.03, 0.35) * wave
        else:
            image = base
        # 0-3 straight edges: each half-plane shifts the level (and, for gratings, crops them to a region).
        for _ in range(rng.integers(0, 4)):
            angle = rng.uniform(0, 2 * np.pi)
            # An anti-aliased edge: a logistic step 0.3-1.5 px wide, as a lens and a sensor draw it.
            distance = xx * np.cos(angle) + yy * np.sin(angle) - rng.uniform(-size / 2, size / 2)
            side = 0.5 * (1 + np.tanh(distance / rng.uniform(0.3, 1.5)))
            level = rng.uniform(0.1, 0.9) + shade if rng.random() < 0.5 else image + rng.uniform(-0.3, 0.3)
            image = side * level + (1 - side) * image
        out[i, 0] = np.clip(image, 0, 1)
    return out


def glyph_patches(count: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """(count, 1, size, size) synthetic text-like patches: rows of "letters" (2-4 straight strokes each, 1-3.5 px
    wide) in dark ink on light, gently shaded paper, as on a scanned page; sometimes light on dark. Drawn by
    PIL at 4x and box-filtered down, which anti-aliases the strokes. Float32 in [0, 1]."""
    from PIL import Image, ImageDraw

    scale = 4
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64) - size / 2
    out = np.empty((count, 1, size, size), dtype=np.float32)
    for i in range(count):
        line = rng.uniform(7, 18)                                                     # row pitch, px
        height, width = 0.6 * line, rng.uniform(0.35, 0.7) * line                   # a letter's box
        pen = max(1, round(scale * rng.uniform(0.8, max(1.0, 0.13 * line))))          # stroke width at 4x
        canvas = Image.new("L", (size * scale, size * scale), 0)
        draw = ImageDraw.Draw(canvas)
        for row in np.arange(rng.uniform(0, line), size, line):
            x = rng.uniform(-width, 0)
            while x < size:
                for _ in range(rng.integers(2, 5)):
                    (x0, x1), (y0, y1) = x + rng.uniform(0, width, 2), row + rng.uniform(0, height, 2)
                    draw.line([(scale * x0, scale * y0), (scale * x1, scale * y1)], fill=255, width=pen, joint="curve")
                x += width * rng.uniform(1.1, 1.5) + (rng.uniform(0.5, 1.5) * width if rng.random() < 0.2 else 0)
        ink = np.asarray(canvas.resize((size, size), Image.Resampling.BOX), dtype=np.float64) / 255
        paper, dark = rng.uniform(0.6, 0.95), rng.uniform(0.0, 0.35)
        if rng.random() < 0.2:
            paper, dark = dark, paper
        tilt = rng.normal(0, 0.03, 2)
        out[i, 0] = np.clip(paper + (tilt[0] * xx + tilt[1] * yy) / size + (dark - paper) * ink, 0, 1)
    return out
