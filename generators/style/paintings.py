"""The six public-domain paintings GenLab ships as style images (assets/stylize/styles/<name>.jpg, 512 px on
the longer side; provenance in assets/README.md): examples for every method and the styles the fast networks
are trained on."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from generators import imaging

STYLES_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "stylize" / "styles"
# name -> (title, artist, year)
PAINTINGS = {
    "starry-night": ("The Starry Night", "Vincent van Gogh", "1889"),
    "the-scream": ("The Scream", "Edvard Munch", "1893"),
    "great-wave": ("The Great Wave off Kanagawa", "Katsushika Hokusai", "c. 1831"),
    "udnie": ("Udnie", "Francis Picabia", "1913"),
    "shipwreck": ("The Shipwreck of the Minotaur", "J. M. W. Turner", "c. 1810"),
    "woman-with-a-hat": ("Woman with a Hat", "Henri Matisse", "1905"),
}


def path(name: str) -> Path:
    """The shipped file of painting ``name``."""
    if name not in PAINTINGS:
        raise ValueError(f"unknown painting {name!r}; choose one of: {', '.join(PAINTINGS)}")
    return STYLES_DIR / f"{name}.jpg"


def painting(name: str, *, max_side: int = 512) -> np.ndarray:
    """Painting ``name`` as float32 (H, W, 3) in [0, 1], downscaled to ``max_side`` px on the longer side."""
    image, _ = imaging.load_image(path(name), mode="rgb", max_side=max_side)
    return image


def label(name: str) -> str:
    """'The Starry Night (Vincent van Gogh, 1889)'."""
    title, artist, year = PAINTINGS[name]
    return f"{title} ({artist}, {year})"
