"""What every sweep shares: its result (SweepResult, with a Plot on labelled Axes), the cell counter that
ends a sweep on Stop or at its time cap, the labelled grid image and the example images. Swept values are
checked by generators.checks (reals, wholes, sequence) with at most MAX_VALUES each."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from generators import checks, imaging

ASSETS = Path(__file__).resolve().parents[2] / "assets"
BINARY_EXAMPLE = ASSETS / "denoise" / "binary-horse.png"
GRAY_EXAMPLE = ASSETS / "denoise" / "camera.png"
CONTENT_EXAMPLE = ASSETS / "stylize" / "astronaut.png"
STYLE_EXAMPLE = "starry-night"
TIME_LIMIT = 60.0          # seconds a sweep may run by default
MAX_VALUES = 8             # the most values one swept setting takes
FONT_SIZE = 13
ALGORITHMS = {"icm": "ICM", "gibbs": "Gibbs"}   # the Ising restorers, as labels show them
NOT_RUN = (225, 225, 225)  # the gray square of a cell that was not run
FRAME = (190, 190, 190)    # the line around every image, so an all-white one still shows


@dataclass(frozen=True)
class Axes:
    """What a sweep's plot shows: the x and y axis titles with their units, and what its lines are."""
    x_title: str
    y_title: str
    line_title: str


POLYNOMIAL_AXES = Axes("window side (pixels)", "PSNR (dB)", "polynomial degree")
ISING_AXES = Axes("coupling β (no unit)", "PSNR (dB)", "algorithm")
GMM_AXES = Axes("Gaussians in the mixture, K (count)", "log-likelihood (nats per digit)", "digits scored")


@dataclass(frozen=True)
class Plot:
    """Scores to plot: rows (x, y, line) on ``axes``."""
    rows: list[tuple[float, float, str]]
    axes: Axes


@dataclass(frozen=True)
class SweepResult:
    image: np.ndarray                # uint8 (H, W, 3): the labelled grid, or sheets side by side
    summary: str                     # markdown: what ran, the figures, and "Stopped at k of n" when ended early
    plot: Plot | None                # the scores against the swept setting, or None
    finished: int                    # cells (runs) done
    total: int                       # cells (runs) asked for
    scores: dict[str, float] = field(default_factory=dict)   # each finished cell's figure, by its name


class Cells:
    """Counts a sweep's cells and says when to end it: ``should_stop()`` true, or ``time_limit`` s gone by."""

    def __init__(self, total: int, *, unit: str, should_stop, progress, time_limit):
        self.total, self.unit, self.done, self.why = total, unit, 0, ""
        self.should_stop, self.progress = should_stop, progress
        self.time_limit = checks.real(time_limit, name="time_limit", low=0.1, high=3600.0)
        self.started = time.perf_counter()

    def going(self) -> bool:
        """True while the sweep may start (or continue) a cell."""
        if not self.why and self.should_stop is not None and self.should_stop():
            self.why = "Stop was pressed"
        elif not self.why and time.perf_counter() - self.started > self.time_limit:
            self.why = f"the {self.time_limit:g} s time cap was reached"
        return not self.why

    def finished(self, text: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done / self.total, f"{text}: done ({self.done} of {self.total} {self.unit})")

    def note(self) -> str:
        seconds = time.perf_counter() - self.started
        if not self.why:
            return f"{self.total} {self.unit} in {seconds:.1f} s."
        return (f"**Stopped** at {self.done} of {self.total} {self.unit} ({self.why}, after {seconds:.1f} s); "
                "the ones finished are shown.")

    def result(self, image, summary: str, plot: Plot | None = None, scores=None) -> SweepResult:
        return SweepResult(image, f"{summary}  \n{self.note()}", plot, self.done, self.total, dict(scores or {}))


def labelled_grid(cells: list[tuple[np.ndarray | None, str]], *, columns: int, column_titles=(),
                  row_titles=(), zoom: int = 1, pad: int = 8) -> np.ndarray:
    """Cells (image or None, caption), row-major, as one uint8 (H, W, 3) picture: each image (a contract image,
    enlarged ``zoom`` times, centred in its cell) over its caption, column titles on top, row titles on the
    left. A None image is a gray square; its caption says why ("not run"). Text is drawn in Pillow's default
    font (ASCII only)."""
    font = ImageFont.load_default(size=FONT_SIZE)
    pictures = [None if image is None else
                Image.fromarray(imaging.to_uint8(imaging.upscale_nearest(imaging.to_rgb(image), zoom)))
                for image, _ in cells]
    shown = [picture for picture in pictures if picture is not None] or [Image.new("RGB", (96, 96))]
    captions = [caption for _, caption in cells]
    width = max(max(picture.width for picture in shown), text_width(captions, font))
    height = max(picture.height for picture in shown)
    line = FONT_SIZE + 4
    cell_width = width + pad
    cell_height = height + line * max(caption.count("\n") + 1 for caption in captions) + pad
    left = text_width(row_titles, font) + pad if row_titles else 0
    top = line + pad if column_titles else 0
    rows = math.ceil(len(cells) / columns)
    canvas = Image.new("RGB", (left + columns * cell_width + pad, top + rows * cell_height + pad), "white")
    draw = ImageDraw.Draw(canvas)
    for column, title in enumerate(column_titles):
        draw.text((left + pad + column * cell_width, pad), title, font=font, fill="black")
    for row, title in enumerate(row_titles):
        draw.text((pad, top + pad + row * cell_height + height // 2 - line // 2), title, font=font, fill="black")
    for index, (picture, caption) in enumerate(zip(pictures, captions)):
        x, y = left + pad + (index % columns) * cell_width, top + pad + (index // columns) * cell_height
        if picture is None:
            draw.rectangle([x, y, x + width - 1, y + height - 1], fill=NOT_RUN)
        else:
            corner = (x + (width - picture.width) // 2, y + (height - picture.height) // 2)
            canvas.paste(picture, corner)
            draw.rectangle([corner[0] - 1, corner[1] - 1, corner[0] + picture.width, corner[1] + picture.height],
                           outline=FRAME)
        draw.multiline_text((x, y + height + 3), caption, font=font, fill="black", spacing=4)
    return np.asarray(canvas)


def text_width(texts, font) -> int:
    return int(max((font.getlength(line) for text in texts for line in text.split("\n")), default=0)) + 1


def example(path: Path, mode: str, side) -> np.ndarray:
    side = checks.whole(side, name="side", low=16, high=512)
    image, _ = imaging.load_image(path, mode=mode, max_side=side)
    return image


def binary_example(side) -> np.ndarray:
    """The binary horse at ``side`` px, thresholded again after downscaling (so it stays 0 and 1)."""
    return (example(BINARY_EXAMPLE, "gray", side) > 0.5).astype(np.float32)
