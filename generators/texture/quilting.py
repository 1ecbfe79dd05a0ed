"""Efros & Freeman (2001), "Image Quilting for Texture Synthesis and Transfer", SIGGRAPH.

The output is tiled in raster order with square blocks that overlap their left and upper neighbours. Each block is
an exemplar block whose overlap agrees with what is already there (chosen at random among those within a
tolerance of the best), and it is pasted along the minimum-error boundary cut through the overlap, found by
dynamic programming, so that seams follow the places where old and new agree. Texture transfer adds a second term:
the block's blurred luminance should also match the target image's at that place.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy.ndimage import gaussian_filter

from generators import imaging

DEFAULTS = {"block": 24, "overlap": 6, "tolerance": 0.1, "target": None, "alpha": 0.3}
# σ of the blur applied to both luminances before comparing them in texture transfer (Efros & Freeman blur them).
TRANSFER_BLUR = 1.5


def _kernel(exemplar: np.ndarray, size: tuple[int, int], *, block: int, overlap: int, tolerance: float,
            target: np.ndarray | None, alpha: float, seed: int,
            previews: bool) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Yield (canvas (H, W, C), source (H, W, 2), filled (H, W)) after each row of blocks if ``previews``."""
    rng = np.random.default_rng(seed)
    sample = exemplar.reshape(exemplar.shape[0], exemplar.shape[1], -1)
    step = block - overlap
    rows, columns = (max(1, math.ceil((side - overlap) / step)) for side in size)
    shape = (rows * step + overlap, columns * step + overlap)
    canvas = np.zeros(shape + (sample.shape[2],), dtype=np.float32)
    source = np.full(shape + (2,), -1, dtype=np.int32)
    filled = np.zeros(shape, dtype=bool)
    bank = _Bank(sample, block, overlap)
    guide = None if target is None else _Guide(sample, target, shape, block, bank.columns)
    for row in range(rows):
        top = row * step
        # the upper overlap right of the corner is final before this row starts, so one product does the row
        above = bank.above_errors(canvas[top:top + overlap], columns, step) if row else None
        for column in range(columns):
            left = column * step
            errors = bank.overlap_error(canvas[top:top + block, left:left + block],
                                        None if above is None else above[:, column], column > 0)
            if guide is not None:
                # Efros & Freeman, texture transfer: error = α · overlap error + (1 − α) · correspondence error
                errors = alpha * errors + (1 - alpha) * guide.error(top, left)
            choice = _pick(errors, tolerance, rng)
            y, x = divmod(choice, bank.columns)
            new = sample[y:y + block, x:x + block]
            old = canvas[top:top + block, left:left + block]
            keep_new = _seam_mask(old, new, overlap, row > 0, column > 0)
            old[keep_new] = new[keep_new]
            grid_y, grid_x = np.mgrid[y:y + block, x:x + block]
            source[top:top + block, left:left + block][keep_new] = np.stack([grid_y, grid_x], 2)[keep_new]
            filled[top:top + block, left:left + block] = True
        if previews or row == rows - 1:
            yield (canvas[:size[0], :size[1]].copy(), source[:size[0], :size[1]].copy(),
                   filled[:size[0], :size[1]].copy())


class _Bank:
    """Every exemplar block's overlap regions as rows, with their squared norms, for SSD by matrix products
    (np.einsum: single-threaded loops beat BLAS's thread start-up on products this small).

    The L-shaped overlap of a block is split into the left strip (b x o, corner included) and the rest of the
    upper strip (o x (b - o)), so that nothing is counted twice.
    """

    def __init__(self, sample: np.ndarray, block: int, overlap: int):
        windows = sliding_window_view(sample, (block, block), axis=(0, 1))          # (ny, nx, C, b, b)
        self.columns = windows.shape[1]
        windows = windows.reshape(-1, *windows.shape[2:]).transpose(0, 2, 3, 1)    # (N, b, b, C)
        self.block, self.overlap = block, overlap
        self.left = np.ascontiguousarray(windows[:, :, :overlap].reshape(len(windows), -1))
        self.upper = np.ascontiguousarray(windows[:, :overlap, overlap:].reshape(len(windows), -1))
        self.left_norms = np.einsum("ij,ij->i", self.left, self.left)
        self.upper_norms = np.einsum("ij,ij->i", self.upper, self.upper)
        self.count = len(windows)

    def above_errors(self, band: np.ndarray, columns: int, step: int) -> np.ndarray:
        """(N, columns): SSD of every exemplar block's upper strip (corner excluded) against ``band``'s."""
        o, b = self.overlap, self.block
        targets = np.stack([band[:, c * step + o:c * step + b].reshape(-1) for c in range(columns)], 1)
        # ‖e − t‖² = ‖e‖² − 2 e·t + ‖t‖², for all exemplar blocks e and all blocks t of the row at once
        return self.upper_norms[:, None] - 2 * np.einsum("ij,jk->ik", self.upper, targets) + (targets ** 2).sum(0)[None, :]

    def overlap_error(self, old: np.ndarray, above: np.ndarray | None, beside: bool) -> np.ndarray:
        """Mean squared difference between ``old``'s overlap and every exemplar block's; zeros for the first."""
        errors = np.zeros(self.count, dtype=np.float32) if above is None else above.astype(np.float32)
        values = 0 if above is None else self.upper.shape[1]
        if beside:
            flat = old[:, :self.overlap].reshape(-1)
            errors += self.left_norms - 2 * np.einsum("ij,j->i", self.left, flat) + flat @ flat
            values += flat.size
        elif above is not None:
            # no left neighbour (first column): the corner belongs to the upper strip only
            flat = old[:self.overlap, :self.overlap].reshape(-1)
            corner = self.left.reshape(self.count, self.block, self.overlap, -1)[:, :self.overlap].reshape(self.count, -1)
            errors += np.einsum("ij,ij->i", corner, corner) - 2 * np.einsum("ij,j->i", corner, flat) + flat @ flat
            values += flat.size
        return errors / max(values, 1)


class _Guide:
    """Texture transfer's correspondence term: blurred luminance of exemplar blocks vs the target's."""

    def __init__(self, sample, target, shape, block, columns):
        def luminance(image):
            return gaussian_filter(imaging.to_gray(image if image.shape[2] == 3 else image[..., 0]), TRANSFER_BLUR)

        windows = sliding_window_view(luminance(sample), (block, block))
        self.windows = windows.reshape(-1, block * block)
        self.norms = np.einsum("ij,ij->i", self.windows, self.windows)
        target = luminance(target.reshape(target.shape[0], target.shape[1], -1))
        pad = ((0, shape[0] - target.shape[0]), (0, shape[1] - target.shape[1]))
        self.target = np.pad(target, pad, mode="edge")
        self.block = block

    def error(self, top: int, left: int) -> np.ndarray:
        flat = self.target[top:top + self.block, left:left + self.block].reshape(-1)
        return (self.norms - 2 * np.einsum("ij,j->i", self.windows, flat) + flat @ flat) / flat.size


def _pick(errors: np.ndarray, tolerance: float, rng: np.random.Generator) -> int:
    """Efros & Freeman: a random block among those with error ≤ (1 + tolerance) · the smallest error."""
    best = max(float(errors.min()), 0.0)
    candidates = np.flatnonzero(errors <= best * (1 + tolerance) + 1e-6)
    return int(rng.choice(candidates))


def _seam_mask(old: np.ndarray, new: np.ndarray, overlap: int, above: bool, beside: bool) -> np.ndarray:
    """(b, b) bool: True where the new block's pixel is kept, i.e. beyond the minimum-error cut(s)."""
    keep = np.ones(new.shape[:2], dtype=bool)
    if beside:
        errors = ((old[:, :overlap] - new[:, :overlap]) ** 2).reshape(new.shape[0], overlap, -1).sum(2)
        cut = _min_cut(errors)                                     # one column per row
        keep[:, :overlap] &= np.arange(overlap)[None, :] >= cut[:, None]
    if above:
        errors = ((old[:overlap] - new[:overlap]) ** 2).reshape(overlap, new.shape[1], -1).sum(2)
        cut = _min_cut(errors.T)                                   # one row per column
        keep[:overlap, :] &= np.arange(overlap)[:, None] >= cut[None, :]
    return keep


def _min_cut(errors: np.ndarray) -> np.ndarray:
    """The vertical path, one column per row and moving at most one column per row, of least summed error.

    Plain Python on lists: the overlap is a few pixels wide, where a numpy call per row costs more than the sums.
    """
    rows = errors.tolist()
    width = len(rows[0])
    cost, came_from = [rows[0]], []
    for row in rows[1:]:
        previous, here, links = cost[-1], [], []
        for j, error in enumerate(row):
            best = j
            if j > 0 and previous[j - 1] < previous[best]:
                best = j - 1
            if j + 1 < width and previous[j + 1] < previous[best]:
                best = j + 1
            # Efros & Freeman: E_i,j = e_i,j + min(E_i−1,j−1, E_i−1,j, E_i−1,j+1)
            here.append(error + previous[best])
            links.append(best)
        cost.append(here)
        came_from.append(links)
    path = [min(range(width), key=cost[-1].__getitem__)]
    for links in reversed(came_from):
        path.append(links[path[-1]])
    return np.array(path[::-1], dtype=np.int64)
