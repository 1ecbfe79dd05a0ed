"""Quality measures shared by training scripts, the UI and benchmarks."""

from __future__ import annotations

import numpy as np


def frechet_distance(features_a: np.ndarray, features_b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets (Heusel et al. 2017, the "FID" formula):

    d^2 = |mu_a - mu_b|^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2))

    Tr((S_a S_b)^(1/2)) is computed as the sum of square roots of the eigenvalues of the symmetric
    S_a^(1/2) S_b S_a^(1/2), which stays stable when features have zero variance (dead ReLUs).
    """
    a = np.asarray(features_a, dtype=np.float64)
    b = np.asarray(features_b, dtype=np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or min(len(a), len(b)) < 2:
        raise ValueError(f"feature sets must be (n, d) with the same d and n >= 2, got {a.shape} and {b.shape}")
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    values, vectors = np.linalg.eigh(cov_a)
    root_a = (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T
    middle = np.linalg.eigvalsh(root_a @ cov_b @ root_a)
    trace_root = np.sum(np.sqrt(np.clip(middle, 0.0, None)))
    mean_term = np.sum((a.mean(0) - b.mean(0)) ** 2)
    return float(mean_term + np.trace(cov_a) + np.trace(cov_b) - 2.0 * trace_root)


def _pair(clean, restored) -> tuple[np.ndarray, np.ndarray]:
    clean = np.asarray(clean, dtype=np.float64)
    restored = np.clip(np.asarray(restored, dtype=np.float64), 0.0, 1.0)
    if clean.shape != restored.shape:
        raise ValueError(f"the restored image has shape {restored.shape} but the clean one {clean.shape}; "
                         "compare images of the same size")
    return clean, restored


def psnr(clean: np.ndarray, restored: np.ndarray) -> float:
    """Peak signal-to-noise ratio (dB) of ``restored`` against ``clean``, both on the [0, 1] scale; ``restored``
    is clipped to [0, 1] first (the image as shown). PSNR = 10 log10(1 / MSE), the mean over every pixel and
    channel; identical images score infinity."""
    from skimage.metrics import peak_signal_noise_ratio

    clean, restored = _pair(clean, restored)
    with np.errstate(divide="ignore"):
        return float(peak_signal_noise_ratio(clean, restored, data_range=1.0))


def ssim(clean: np.ndarray, restored: np.ndarray) -> float:
    """Structural similarity (Wang, Bovik, Sheikh & Simoncelli 2004) of ``restored`` against ``clean``, contract
    images (H, W) or (H, W, 3) on the [0, 1] scale, ``restored`` clipped to [0, 1] first:
    SSIM(x, y) = (2 mu_x mu_y + c1)(2 s_xy + c2) / ((mu_x^2 + mu_y^2 + c1)(s_x^2 + s_y^2 + c2)) in 7x7
    windows, averaged over the image (and over the channels of a colour image)."""
    from skimage.metrics import structural_similarity

    clean, restored = _pair(clean, restored)
    return float(structural_similarity(clean, restored, data_range=1.0,
                                       channel_axis=-1 if clean.ndim == 3 else None))
