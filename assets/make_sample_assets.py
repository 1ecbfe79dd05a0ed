"""Make the Sample tab's example drawings: digits drawn with PIL strokes on a transparent 280 x 280 pad, the way
a user draws them on the sketchpad (black brush, about 20 px wide).

    python assets/make_sample_assets.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 280
WIDTH = 20
FOLDER = Path(__file__).resolve().parent / "sample"
INK = (0, 0, 0, 255)


def seven(draw: ImageDraw.ImageDraw) -> None:
    draw.line([(70, 60), (210, 60), (120, 230)], fill=INK, width=WIDTH, joint="curve")


def zero(draw: ImageDraw.ImageDraw) -> None:
    draw.ellipse([(85, 45), (195, 235)], outline=INK, width=WIDTH)


def two(draw: ImageDraw.ImageDraw) -> None:
    draw.arc([(80, 40), (200, 150)], start=190, end=45, fill=INK, width=WIDTH)
    draw.line([(183, 130), (80, 230), (205, 230)], fill=INK, width=WIDTH, joint="curve")


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, strokes in (("drawn-7", seven), ("drawn-0", zero), ("drawn-2", two)):
        pad = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 0))
        strokes(ImageDraw.Draw(pad))
        pad.save(FOLDER / f"{name}.png")


if __name__ == "__main__":
    main()
