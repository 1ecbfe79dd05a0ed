"""Make the Stylize tab's example images (no download):

    python assets/make_stylize.py

Content photographs come from scikit-image's bundled data (longer side 384 px) into assets/stylize/; style
images into assets/stylize/styles/: the four procedural patterns
(generators.style.patterns, 256 px) and two bundled scikit-image pictures.
"""

from __future__ import annotations

import sys
from pathlib import Path

import skimage.data
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generators import imaging  # noqa: E402
from generators.style.patterns import PATTERNS, pattern  # noqa: E402

CONTENT_SIDE = 384
STYLE_SIDE = 256
OUT = ROOT / "assets" / "stylize"
CONTENT = ("astronaut", "chelsea", "coffee", "rocket")
STYLE_PHOTOS = ("immunohistochemistry", "hubble_deep_field")


def _bundled(name: str, side: int):
    image, _ = imaging.cap_size(imaging.as_float(getattr(skimage.data, name)()), side)
    return image


def _save(image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(imaging.to_uint8(image)).save(path, optimize=True)
    print(path.relative_to(ROOT))


def main() -> None:
    for name in CONTENT:
        _save(_bundled(name, CONTENT_SIDE), OUT / f"{name}.png")
    for name in PATTERNS:
        _save(pattern(name, STYLE_SIDE), OUT / "styles" / f"{name}.png")
    for name in STYLE_PHOTOS:
        _save(_bundled(name, STYLE_SIDE), OUT / "styles" / f"{name}.png")


if __name__ == "__main__":
    main()
