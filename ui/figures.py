"""Pictures every tab makes from arrays: digit sheets, looping GIFs and matplotlib figures as files.

Files go into Gradio's cache (``ui.caches.cache_bytes``), which Gradio serves and cleans; nothing is left in
the system's temporary folder.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from generators import imaging
from ui.caches import cache_bytes
from ui.common import digit_picture, display

FRAME_MS = 90


def digit_sheet(digits: np.ndarray, *, zoom: int, columns: int | None = None) -> np.ndarray:
    """generators.imaging.digit_sheet as uint8, for an output image."""
    return display(imaging.digit_sheet(digits, zoom=zoom, columns=columns))


def gif_file(frames: np.ndarray, name: str, *, zoom: int = 8) -> str:
    """Digits (frames, 28, 28) as a looping GIF that plays them forth and back, in Gradio's cache; its path."""
    pictures = [Image.fromarray(digit_picture(frame, zoom)) for frame in frames]
    loop = pictures + pictures[-2:0:-1]
    stream = io.BytesIO()
    loop[0].save(stream, format="GIF", save_all=True, append_images=loop[1:], duration=FRAME_MS, loop=0)
    return cache_bytes(stream.getvalue(), f"{name}.gif")


def figure_file(figure: Figure | None, name: str) -> str | None:
    """A matplotlib ``figure`` as a PNG file in Gradio's cache, for a download button (gr.Plot has none)."""
    if figure is None:
        return None
    stream = io.BytesIO()
    figure.savefig(stream, format="png", dpi=150, bbox_inches="tight")
    return cache_bytes(stream.getvalue(), f"{name}.png")


def latent_map_figure(found) -> Figure:
    """A generators.sample.latent.LatentMap: its decoded tiles as a mosaic, the digits' codes scattered on top,
    coloured by class."""
    size = found.tiles.shape[0]
    side = imaging.DIGIT_SIDE
    mosaic = imaging.ink_on_paper(found.tiles.transpose(0, 2, 1, 3).reshape(size * side, size * side))
    figure = Figure(figsize=(7.5, 7.5), dpi=100)
    axes = figure.add_subplot()
    axes.imshow(mosaic, cmap="gray", vmin=0, vmax=1, extent=found.extent, interpolation="nearest", alpha=0.9,
                aspect="auto")
    for digit in range(10):
        chosen = found.labels == digit
        axes.scatter(*found.points[chosen].T, s=9, color=f"C{digit}", label=str(digit), alpha=0.8, linewidths=0)
    axes.set_xlim(found.extent[:2])
    axes.set_ylim(found.extent[2:])
    axes.set_xlabel("first principal direction of the codes")
    axes.set_ylabel("second principal direction")
    axes.legend(title="class", loc="upper left", bbox_to_anchor=(1.01, 1.0), markerscale=2, frameon=False)
    figure.tight_layout()
    return figure
