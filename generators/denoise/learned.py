"""Restorers learned from clean/noisy pairs: a least-squares linear filter (gray and colour) and a logistic
regression for binary images. Both are fitted on the fly (well under a second, then cached per noise level)
on images that are not among the app's examples, with noise drawn from a fixed seed:

- the least-squares filter on five scikit-image photographs (chelsea, rocket, coins, clock, moon);
- the logistic regression on scikit-image's seeded random binary blobs at three blob sizes.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from generators import imaging

FIT_SEED = 0
LS_SAMPLES = 120_000
LOGISTIC_SAMPLES = 40_000
RIDGE = 1e-3


def neighbourhoods(image: np.ndarray, size: int) -> np.ndarray:
    """Every pixel's size x size neighbourhood (edges reflected), as rows: (H * W, size * size)."""
    half = size // 2
    padded = np.pad(image, half, mode="reflect")
    return sliding_window_view(padded, (size, size)).reshape(-1, size * size)


@lru_cache(maxsize=1)
def _ls_pool() -> tuple[np.ndarray, ...]:
    import skimage.data

    pool = []
    for name in ("chelsea", "rocket", "coins", "clock", "moon"):
        image = imaging.as_float(getattr(skimage.data, name)())
        image, _ = imaging.cap_size(imaging.to_gray(image), 256)
        pool.append(image)
    return tuple(pool)


@lru_cache(maxsize=32)
def least_squares_filter(sigma: float, size: int = 7) -> tuple[np.ndarray, float]:
    """The size x size filter w and offset b minimising the ridge least-squares loss over training pairs

    sum_i (x_i - w . N_i(y) - b)^2 + alpha |w|^2,  y = x + sigma n,

    solved in closed form: [w; b] = (A^T A + alpha I)^-1 A^T x with A the neighbourhoods plus a ones column.
    This is the Wiener filter estimated from data (Wiener 1949), limited to a finite window."""
    rng = np.random.default_rng(FIT_SEED)
    rows, targets = [], []
    per_image = LS_SAMPLES // len(_ls_pool())
    for clean in _ls_pool():
        noisy = clean + sigma * rng.standard_normal(clean.shape).astype(np.float32)
        pick = rng.choice(clean.size, per_image, replace=False)
        rows.append(neighbourhoods(noisy, size)[pick])
        targets.append(clean.ravel()[pick])
    design = np.concatenate(rows).astype(np.float64)
    design = np.hstack([design, np.ones((len(design), 1))])                 # (n, k*k + 1), last column = bias
    target = np.concatenate(targets).astype(np.float64)
    penalty = RIDGE * len(design) * np.eye(design.shape[1])
    penalty[-1, -1] = 0.0                                                     # the offset is not shrunk
    solution = np.linalg.solve(design.T @ design + penalty, design.T @ target)
    return solution[:-1].reshape(size, size), float(solution[-1])


def least_squares(image: np.ndarray, sigma: float, *, size: int = 7) -> np.ndarray:
    """Apply the learned filter to each channel: x_hat = w * y + b."""
    from scipy import ndimage

    weights, offset = least_squares_filter(round(float(sigma), 4), size)
    planes = [image] if image.ndim == 2 else [image[..., c] for c in range(3)]
    out = [ndimage.correlate(p.astype(np.float64), weights, mode="reflect") + offset for p in planes]
    return out[0] if image.ndim == 2 else np.stack(out, axis=2)


@lru_cache(maxsize=1)
def _binary_pool() -> tuple[np.ndarray, ...]:
    from skimage.data import binary_blobs

    return tuple(binary_blobs(192, blob_size_fraction=f, volume_fraction=0.4, rng=i).astype(np.float32)
                 for i, f in enumerate((0.03, 0.06, 0.12)))


@lru_cache(maxsize=32)
def logistic_classifier(sigma: float, size: int = 5) -> tuple[np.ndarray, float]:
    """Weights (size, size) and intercept of p(x_i = 1 | y) = sigmoid(w . N_i(y) + b), fitted by
    scikit-learn's LogisticRegression (L2, C = 1) to maximise sum_i log p(x_i | N_i(y)) on noisy blobs
    (Cox 1958; Bishop, PRML 2006, section 4.3.2)."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(FIT_SEED)
    rows, targets = [], []
    per_image = LOGISTIC_SAMPLES // len(_binary_pool())
    for clean in _binary_pool():
        noisy = clean + max(sigma, 1e-3) * rng.standard_normal(clean.shape).astype(np.float32)
        pick = rng.choice(clean.size, per_image, replace=False)
        rows.append(neighbourhoods(noisy, size)[pick])
        targets.append(clean.ravel()[pick])
    model = LogisticRegression(C=1.0, max_iter=500).fit(np.concatenate(rows), np.concatenate(targets) > 0.5)
    return model.coef_[0].reshape(size, size), float(model.intercept_[0])


def logistic(image: np.ndarray, sigma: float, *, size: int = 5) -> np.ndarray:
    """Binary restoration: each pixel becomes 1 where sigmoid(w . N_i(y) + b) > 1/2, i.e. w . N_i(y) + b > 0.
    Colour images are turned to gray first; the result is a 0/1 image (replicated to 3 channels for colour)."""
    from scipy import ndimage

    weights, offset = logistic_classifier(round(float(sigma), 4), size)
    gray = imaging.to_gray(image).astype(np.float64)
    binary = (ndimage.correlate(gray, weights, mode="reflect") + offset > 0).astype(np.float32)
    return binary if image.ndim == 2 else imaging.to_rgb(binary)
