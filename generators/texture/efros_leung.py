"""Efros & Leung (1999), "Texture Synthesis by Non-parametric Sampling", ICCV.

Texture is modelled as a Markov random field: a pixel depends only on its window of neighbours. The output grows
outwards from a 3x3 seed copied from the exemplar; each unfilled pixel on the border is given the centre of an
exemplar window whose known neighbours look like its own (Gaussian-weighted SSD over the known pixels only).
All exemplar windows are compared at once with two matrix products per batch of border pixels, so nothing loops
over the exemplar in Python.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch
import torch.nn.functional as F

DEFAULTS = {"window": 11, "tolerance": 0.1}
SEED_SIDE = 3
# How many border pixels are filled with one pair of matrix products (the largest layer of a 512 px output).
BATCH = 2048
FRONT = 0.8


def _kernel(exemplar: np.ndarray, size: tuple[int, int], *, window: int, tolerance: float, seed: int,
            previews: bool) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Yield (canvas (H, W, C), source (H, W, 2), filled (H, W)) after each batch if ``previews``, else once."""
    generator = torch.Generator().manual_seed(seed)
    height, width = size
    radius = window // 2
    sample = torch.from_numpy(np.ascontiguousarray(exemplar.reshape(exemplar.shape[0], exemplar.shape[1], -1)))
    channels = sample.shape[2]
    # every exemplar window as a row: (N, C, window²), N = (h - window + 1)(w - window + 1)
    windows = F.unfold(sample.permute(2, 0, 1)[None], window)[0].T.reshape(-1, channels, window * window)
    # each window as [e, Σ_c e²] so that one matrix product gives both data terms of the distance below
    bank = torch.cat([windows.reshape(len(windows), -1), (windows ** 2).sum(1)], 1)   # (N, (C + 1)·window²)
    columns = sample.shape[1] - window + 1
    # Efros & Leung: a 2-D Gaussian over the window with σ = window / 6.4 weights near neighbours more.
    axis = torch.arange(window, dtype=torch.float32) - radius
    gauss = torch.exp(-(axis[:, None] ** 2 + axis[None, :] ** 2) / (2 * (window / 6.4) ** 2)).reshape(-1)

    padded = (height + 2 * radius, width + 2 * radius)
    canvas = torch.full((channels,) + padded, 0.5)
    known = torch.zeros(padded, dtype=torch.bool)
    source = torch.full((height, width, 2), -1, dtype=torch.int32)
    _plant_seed(sample, canvas, known, source, radius, generator)
    offsets = (torch.arange(window)[:, None] * padded[1] + torch.arange(window)[None, :]).reshape(-1)
    inner = torch.zeros(padded, dtype=torch.bool)
    inner[radius:radius + height, radius:radius + width] = True

    while True:
        border = F.max_pool2d(known[None, None].float(), 3, stride=1, padding=1)[0, 0].bool() & ~known & inner
        ys, xs = torch.nonzero(border, as_tuple=True)
        if len(ys) == 0:
            break
        # Efros & Leung fill first the pixels with the most known neighbours; a batch takes those within
        # FRONT of the best, at most BATCH, so pixels filled together rarely depend on each other.
        mass = F.conv2d(known[None, None].float(), gauss.reshape(1, 1, window, window), padding=radius)[0, 0]
        mass = mass[ys, xs]
        keep = torch.nonzero(mass >= FRONT * mass.max())[:, 0]
        if len(keep) > BATCH:
            keep = torch.topk(mass, BATCH).indices
        ys, xs = ys[keep], xs[keep]
        index = (ys - radius)[:, None] * padded[1] + (xs - radius)[:, None] + offsets   # (P, window²) window cells
        values = canvas.reshape(channels, -1)[:, index].permute(1, 0, 2)                # (P, C, window²)
        weight = gauss * known.reshape(-1)[index]                                        # (P, window²)
        # d(p, n) = Σ_k g_k m_pk Σ_c (x_pck − e_nck)² / Σ_k g_k m_pk, expanded into one matrix product:
        # Σ g m x² + [−2 g m x, g m]·[e_n, Σ_c e_n²]. The row's normaliser Σ g m does not change the ranking.
        known_sq = (weight * (values ** 2).sum(1)).sum(1, keepdim=True)
        query = torch.cat([-2 * (values * weight[:, None, :]).reshape(len(ys), -1), weight], 1)
        distance = torch.addmm(known_sq, query, bank.T)                                   # (P, N)
        # Efros & Leung: sample uniformly among windows with d ≤ (1 + ε) d_min.
        best = distance.min(1, keepdim=True).values.clamp_min(0)
        chosen = _uniform_choice(distance <= best * (1 + tolerance) + 1e-5, generator)
        centre_y, centre_x = chosen // columns + radius, chosen % columns + radius
        canvas[:, ys, xs] = sample[centre_y, centre_x].T
        known[ys, xs] = True
        source[ys - radius, xs - radius] = torch.stack([centre_y, centre_x], 1).int()
        if previews:
            yield _crop(canvas, known, source, radius, size)
    if not previews:
        yield _crop(canvas, known, source, radius, size)


def _uniform_choice(candidates: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """For each row of a boolean (P, N) matrix, the column of one of its True entries, uniformly at random."""
    rows, columns = torch.nonzero(candidates, as_tuple=True)                 # row-major, so each row is a run
    counts = torch.bincount(rows, minlength=len(candidates))
    starts = torch.cumsum(counts, 0) - counts
    pick = starts + (torch.rand(len(counts), generator=generator) * counts).long().clamp_max(counts - 1)
    return columns[pick]


def _plant_seed(sample, canvas, known, source, radius, generator) -> None:
    """Efros & Leung start from a random 3x3 exemplar patch in the middle of the output."""
    height, width = source.shape[:2]
    side = min(SEED_SIDE, height, width)
    top = int(torch.randint(0, sample.shape[0] - side + 1, (1,), generator=generator))
    left = int(torch.randint(0, sample.shape[1] - side + 1, (1,), generator=generator))
    y0, x0 = (height - side) // 2, (width - side) // 2
    canvas[:, radius + y0:radius + y0 + side, radius + x0:radius + x0 + side] = (
        sample[top:top + side, left:left + side].permute(2, 0, 1))
    known[radius + y0:radius + y0 + side, radius + x0:radius + x0 + side] = True
    grid_y, grid_x = torch.meshgrid(torch.arange(top, top + side), torch.arange(left, left + side), indexing="ij")
    source[y0:y0 + side, x0:x0 + side] = torch.stack([grid_y, grid_x], 2).int()


def _crop(canvas, known, source, radius, size):
    height, width = size
    image = canvas[:, radius:radius + height, radius:radius + width].permute(1, 2, 0).numpy().copy()
    filled = known[radius:radius + height, radius:radius + width].numpy().copy()
    return image, source.numpy().copy(), filled
