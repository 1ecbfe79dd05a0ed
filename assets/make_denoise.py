"""Make the Denoise tab's example images from pictures scikit-image ships (no download):

    python assets/make_denoise.py

Each is resized so its longer side is 256 px (the size the tab works at) and saved as PNG in assets/denoise/.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import skimage.data
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generators import imaging  # noqa: E402

SIDE = 256
OUT = ROOT / "assets" / "denoise"


def _photo(name: str) -> np.ndarray:
    image, _ = imaging.cap_size(imaging.as_float(getattr(skimage.data, name)()), SIDE)
    return image


def _binary(image: np.ndarray) -> np.ndarray:
    """Black ink on white paper, exactly 0 or 1."""
    return (imaging.to_gray(image) > 0.5).astype(np.float32)


def _ink(gray: np.ndarray) -> np.ndarray:
    """The text image as clean black ink on white: Sauvola's local threshold copes with its uneven lighting."""
    from skimage.filters import threshold_sauvola

    return (gray > threshold_sauvola(gray, window_size=25)).astype(np.float32)


def examples() -> dict[str, np.ndarray]:
    text = imaging.as_float(skimage.data.text())
    return {
        "camera.png": _photo("camera"),
        "astronaut.png": _photo("astronaut"),
        "coffee.png": _photo("coffee"),
        "text.png": imaging.cap_size(text, SIDE)[0],
        "binary-horse.png": _binary(_photo("horse")),
        "binary-text.png": _ink(imaging.cap_size(text, SIDE)[0]),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, image in examples().items():
        Image.fromarray(imaging.to_uint8(image)).save(OUT / name, optimize=True)
        print(OUT / name, image.shape)


if __name__ == "__main__":
    main()
