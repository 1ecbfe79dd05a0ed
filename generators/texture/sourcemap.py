"""Source maps: where in the exemplar each output pixel came from, as a picture a student can read."""

from __future__ import annotations

import numpy as np

# Largest number of (output pixel, exemplar patch) pairs the nearest-patch search compares; beyond it the
# exemplar patches are taken on a coarser grid.
NEAREST_BUDGET = 60_000_000
NEAREST_PATCH = 5


def colour(source: np.ndarray, exemplar_shape: tuple[int, ...]) -> np.ndarray:
    """(H, W, 2) exemplar coordinates (y, x), -1 where unknown -> RGB image: red = x, green = y, blue = 0.5;
    unknown pixels black. The same colouring of the exemplar itself (``key``) is the legend."""
    height, width = exemplar_shape[:2]
    image = np.zeros(source.shape[:2] + (3,), dtype=np.float32)
    known = source[..., 0] >= 0
    image[..., 0] = np.where(known, source[..., 1] / max(width - 1, 1), 0.0)
    image[..., 1] = np.where(known, source[..., 0] / max(height - 1, 1), 0.0)
    image[..., 2] = np.where(known, 0.5, 0.0)
    return image


def key(exemplar_shape: tuple[int, ...]) -> np.ndarray:
    """The colour of every exemplar position: the legend that source maps are read against."""
    height, width = exemplar_shape[:2]
    return colour(np.stack(np.mgrid[:height, :width], axis=2).astype(np.int32), exemplar_shape)


def nearest_patches(output: np.ndarray, exemplar: np.ndarray) -> np.ndarray:
    """(H, W, 2): for each output pixel, the centre of the exemplar 5x5 patch closest to the output's patch
    around it (SSD). A method that copies nothing (neural synthesis) can still be compared with the exemplar."""
    import torch
    import torch.nn.functional as F

    radius = NEAREST_PATCH // 2

    def patches(image: np.ndarray, stride: int) -> torch.Tensor:
        tensor = torch.from_numpy(np.ascontiguousarray(image.reshape(image.shape[0], image.shape[1], -1)))
        return F.unfold(tensor.permute(2, 0, 1)[None], NEAREST_PATCH, stride=stride)[0].T   # (count, C·25)

    padded = np.pad(output.reshape(output.shape[0], output.shape[1], -1), ((radius,) * 2, (radius,) * 2, (0, 0)),
                    mode="reflect")
    queries = patches(padded, 1)                                              # one per output pixel
    candidates_side = [side - NEAREST_PATCH + 1 for side in exemplar.shape[:2]]
    stride = 1
    while len(queries) * (candidates_side[0] // stride) * (candidates_side[1] // stride) > NEAREST_BUDGET:
        stride += 1
    bank = patches(exemplar, stride)
    columns = (exemplar.shape[1] - NEAREST_PATCH) // stride + 1
    norms = (bank ** 2).sum(1)
    # ‖q − e‖² = ‖q‖² − 2 q·e + ‖e‖²; ‖q‖² is the same for every e, so it is left out of the argmin
    best = torch.cat([(norms[None, :] - 2 * chunk @ bank.T).argmin(1) for chunk in queries.split(4096)])
    source = torch.stack([best // columns * stride + radius, best % columns * stride + radius], 1)
    return source.reshape(output.shape[0], output.shape[1], 2).int().numpy()
