"""Make the example images of every tab from scikit-image's bundled data and the project's own code.

    python assets/make_assets.py

Everything written here is listed with its provenance in assets/README.md. Nothing is downloaded.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image
from skimage import data
from skimage.draw import disk

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from generators import imaging  # noqa: E402

TEXTURE_SIDE = 128


def texture() -> dict[str, np.ndarray]:
    """Texture exemplars: three scikit-image photographs downscaled to 128 px, and
    three patterns drawn here with fixed seeds."""
    # brick whole (512 px, many bricks); grass and gravel from their central 256 px, so blades and stones stay
    # large enough to see at 128 px
    photos = {"brick": data.brick(), "grass": data.grass()[128:384, 128:384], "gravel": data.gravel()[128:384, 128:384]}
    examples = {name: imaging.resize(imaging.as_float(photo), (TEXTURE_SIDE, TEXTURE_SIDE))
                for name, photo in photos.items()}
    examples["pattern-pebbles"] = _pebbles(np.random.default_rng(1))
    examples["pattern-tiles"] = _tiles(np.random.default_rng(2))
    examples["pattern-weave"] = _weave(np.random.default_rng(3))
    return examples


def _pebbles(rng: np.random.Generator) -> np.ndarray:
    """Overlapping coloured discs of random size on a sand background."""
    image = np.empty((TEXTURE_SIDE, TEXTURE_SIDE, 3), dtype=np.float32)
    image[:] = (0.86, 0.78, 0.62)
    palette = np.array([(0.55, 0.35, 0.25), (0.35, 0.45, 0.55), (0.75, 0.6, 0.4), (0.4, 0.4, 0.42)])
    for _ in range(140):
        centre = rng.uniform(0, TEXTURE_SIDE, 2)
        rows, cols = disk(centre, rng.uniform(4, 9), shape=image.shape[:2])
        shade = palette[rng.integers(len(palette))] * rng.uniform(0.85, 1.15)
        image[rows, cols] = np.clip(shade, 0, 1)
    return image


def _tiles(rng: np.random.Generator) -> np.ndarray:
    """Irregular mosaic: every pixel takes the colour of its nearest random seed point (a Voronoi diagram),
    with dark grout where two cells meet."""
    points = rng.uniform(0, TEXTURE_SIDE, (60, 2))
    colours = rng.uniform(0.3, 0.95, (60, 3)) * np.array([1.0, 0.8, 0.6])
    ys, xs = np.mgrid[:TEXTURE_SIDE, :TEXTURE_SIDE]
    grid = np.stack([ys, xs], -1)[:, :, None, :]
    # distances on a torus, so the pattern has no border effects
    delta = np.abs(grid - points[None, None])
    delta = np.minimum(delta, TEXTURE_SIDE - delta)
    distance = np.sqrt((delta ** 2).sum(-1))
    order = np.sort(distance, axis=2)
    image = colours[distance.argmin(2)]
    image[(order[..., 1] - order[..., 0]) < 1.5] = 0.15
    return image.astype(np.float32)


def _weave(rng: np.random.Generator) -> np.ndarray:
    """A basket weave: alternating horizontal and vertical bands with a little random shading per cell."""
    cell = 16
    ys, xs = np.mgrid[:TEXTURE_SIDE, :TEXTURE_SIDE]
    horizontal = ((ys // cell) + (xs // cell)) % 2 == 0
    stripe = np.where(horizontal, np.sin(np.pi * (ys % (cell // 2)) / (cell // 2)),
                      np.sin(np.pi * (xs % (cell // 2)) / (cell // 2)))
    shade = rng.uniform(0.8, 1.0, (TEXTURE_SIDE // cell, TEXTURE_SIDE // cell))[ys // cell, xs // cell]
    base = np.where(horizontal[..., None], (0.75, 0.55, 0.3), (0.55, 0.4, 0.22))
    image = base * (0.55 + 0.45 * stripe)[..., None] * shade[..., None]
    return np.clip(image, 0, 1).astype(np.float32)


SECTIONS = {"texture": texture}


def main() -> None:
    for tab, make in SECTIONS.items():
        folder = ROOT / tab
        folder.mkdir(exist_ok=True)
        for name, image in make().items():
            Image.fromarray(imaging.to_uint8(image)).save(folder / f"{name}.png", optimize=True)
            print(folder / f"{name}.png", image.shape)


if __name__ == "__main__":
    main()
