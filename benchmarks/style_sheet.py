"""Contact sheet of the shipped fast styles: writes docs/styles.png.

    python benchmarks/style_sheet.py [--cell 200] [--size 384] [--out docs/styles.png]

Top row: the painting each network was trained on. Then one row per content photograph (the four scikit-image
photographs in assets/stylize/: astronaut, chelsea, coffee, rocket; no style network trained on them): the
photograph, then its stylisation by every shipped network, run at --size px on the longer side.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generators import api, imaging  # noqa: E402
from generators.style.paintings import painting  # noqa: E402

CONTENT = ("astronaut", "chelsea", "coffee", "rocket")
CAPTION = 18


def _cell(image: np.ndarray | None, side: int, caption: str) -> Image.Image:
    """``image`` fitted into a side x side white square, a caption underneath."""
    cell = Image.new("RGB", (side, side + CAPTION), "white")
    if image is not None:
        fitted, _ = imaging.cap_size(image, side)
        picture = Image.fromarray(imaging.to_uint8(fitted))
        cell.paste(picture, ((side - picture.width) // 2, (side - picture.height) // 2))
    ImageDraw.Draw(cell).text((4, side + 3), caption, fill="black")
    return cell


def sheet(cell: int, size: int) -> Image.Image:
    styles = api.fast_styles()
    rows = [[_cell(None, cell, "style ->")] +
            [_cell(painting(name), cell, name) for name in styles]]
    for photo in CONTENT:
        content, _ = imaging.load_image(ROOT / "assets" / "stylize" / f"{photo}.png", mode="rgb", max_side=size)
        rows.append([_cell(content, cell, photo)] + [_cell(api.stylize(content, name), cell, "") for name in styles])
    width, height = rows[0][0].size
    out = Image.new("RGB", (width * len(rows[0]), height * len(rows)), "white")
    for r, row in enumerate(rows):
        for c, picture in enumerate(row):
            out.paste(picture, (c * width, r * height))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cell", type=int, default=200, help="side of one cell of the sheet, px")
    parser.add_argument("--size", type=int, default=384, help="longer side the photographs are stylised at")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "styles.png")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (the machine is shared)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet(args.cell, args.size).save(args.out, optimize=True)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
