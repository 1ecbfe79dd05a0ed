"""EPLL: Expected Patch Log Likelihood with a Gaussian-mixture prior on 8x8 patches.

Zoran & Weiss, "From Learning Models of Natural Image Patches to Whole Image Restoration", ICCV 2011.
The prior: a zero-mean (DC-removed) 8x8 patch z follows p(z) = sum_k pi_k N(z; mu_k, Sigma_k), fitted by EM
(scikit-learn's GaussianMixture) on patches of the BSDS train split. Restoration maximises

    lambda/2 ||M (x - y)||^2 - sum_i log p(P_i x)

over the image x (P_i extracts patch i, M masks known pixels), by half-quadratic splitting: auxiliary patches
z_i and a weight beta that rises over the iterations,

    z_i <- argmax_z log p(z) - beta/2 ||z - P_i x||^2          (approximate MAP: best component's Wiener filter)
    x   <- (lambda M y + beta sum_i P_i^T z_i) / (lambda M + beta sum_i P_i^T P_i).

Only arrays are stored (weights, means, covariances); the scikit-learn object is never kept or pickled.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator

import numpy as np
import torch
import torch.nn.functional as F

PATCH = 8
DIM = PATCH * PATCH
# Rows of patches scored against all components at once: bounds memory to ~ CHUNK * K * 64 floats.
CHUNK = 2048
# Zoran & Weiss's schedule for denoising, beta = (1 / sigma^2) * [1, 4, 8, 16, 32], carried on for two more
# doublings (64, 128): +0.14 dB at sigma 25 on the 'select' classic images, every one of the four gaining, for
# 40 % more time; a third doubling added only 0.02 dB more (docs/benchmarks.md, Classic images).
DENOISE_BETAS = (1.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0)
# Inpainting: the patch noise level falls geometrically from 40/255 to 1/255 in 12 steps (there is no
# measurement noise to match; this schedule beat shorter and gentler ones on held-out crops).
INPAINT_SIGMAS = tuple(float(s) / 255.0 for s in np.geomspace(40.0, 1.0, 12))


class PatchGMM:
    """A Gaussian mixture over DC-removed 8x8 patches, kept as eigen-decompositions for fast Wiener filters."""

    def __init__(self, *, weights: np.ndarray, means: np.ndarray, covariances: np.ndarray, device: str = "cpu"):
        weights = np.asarray(weights, dtype=np.float64)
        means = np.asarray(means, dtype=np.float64)
        covariances = np.asarray(covariances, dtype=np.float64)
        if means.shape[1:] != (DIM,) or covariances.shape[1:] != (DIM, DIM) or len({len(weights), len(means),
                                                                                   len(covariances)}) != 1:
            raise ValueError(f"a patch GMM needs weights (K,), means (K, {DIM}), covariances (K, {DIM}, {DIM}); "
                             f"got {weights.shape}, {means.shape}, {covariances.shape}")
        self.weights, self.means, self.covariances = weights, means, covariances
        # Sigma_k = U_k diag(l_k) U_k^T: the noisy covariance Sigma_k + s^2 I shares U_k, so each noise level
        # costs only an eigenvalue shift, and the Wiener filter is diagonal in U_k's basis.
        values, vectors = np.linalg.eigh(covariances)                      # (K, 64), (K, 64, 64)
        self._log_weights = np.log(weights)
        self._values = np.clip(values, 1e-8, None)
        self._vectors = vectors
        self._upper = np.triu_indices(DIM)                                 # the 2,080 pairs i <= j
        self.device = device

    @property
    def components(self) -> int:
        return len(self.weights)

    @classmethod
    def fit(cls, patches: np.ndarray, *, components: int, seed: int = 0, max_iter: int = 100,
            reg_covar: float = 1e-6) -> "PatchGMM":
        """EM on DC-removed patches (n, 64); see generators.train.bsds_epll_gmm for the resumable version."""
        from sklearn.mixture import GaussianMixture

        mixture = GaussianMixture(components, covariance_type="full", reg_covar=reg_covar, max_iter=max_iter,
                                  random_state=seed).fit(remove_dc(patches))
        return cls(weights=mixture.weights_, means=mixture.means_, covariances=mixture.covariances_)

    @classmethod
    def from_checkpoint(cls, found, device: str = "cpu") -> "PatchGMM":
        arrays = found.arrays
        return cls(weights=arrays["weights"], means=arrays["means"], covariances=arrays["covariances"], device=device)

    def arrays(self) -> dict[str, np.ndarray]:
        return {"weights": self.weights, "means": self.means, "covariances": self.covariances}

    def log_likelihood(self, patches: np.ndarray) -> np.ndarray:
        """log p(z) per DC-removed patch (n,), in nats (float64 throughout)."""
        centred = torch.from_numpy(remove_dc(patches)).to(self.device)
        scores = _Scorer(self, 0.0, torch.float64)(centred)
        return torch.logsumexp(scores, dim=1).cpu().numpy() - 0.5 * DIM * math.log(2 * math.pi)

    def map_patches(self, patches: torch.Tensor, noise_sigma: float,
                    should_stop: Callable[[], bool] | None = None) -> torch.Tensor:
        """Approximate MAP of clean patches given noisy ones (n, 64) with noise level ``noise_sigma``.

        Zoran & Weiss's approximation: pick the component with the highest posterior
        k* = argmax_k log pi_k + log N(y; mu_k, Sigma_k + s^2 I), then its Wiener filter
        z = mu_k + Sigma_k (Sigma_k + s^2 I)^-1 (y - mu_k). The patch mean (DC) is kept from the input.
        """
        dc = patches.mean(dim=1, keepdim=True)
        centred = patches - dc
        variance = noise_sigma ** 2
        score = _Scorer(self, variance, torch.float32)
        best = []
        for chunk in centred.split(CHUNK):
            if should_stop is not None and should_stop():   # one chunk is a fraction of a second
                raise Stopped
            best.append(score(chunk).argmax(dim=1))
        best = torch.cat(best)
        out = torch.empty_like(centred)
        for k in torch.unique(best).tolist():
            rows = torch.nonzero(best == k).squeeze(1)
            vectors = torch.from_numpy(self._vectors[k]).to(patches.device, torch.float32)
            mean = torch.from_numpy(self.means[k]).to(patches.device, torch.float32)
            # In U_k's basis the Wiener filter is diagonal: shrink coordinate j by l_j / (l_j + s^2).
            shrink = torch.from_numpy(self._values[k] / (self._values[k] + variance)).to(patches.device, torch.float32)
            coords = (centred[rows] - mean) @ vectors
            out[rows] = mean + (coords * shrink) @ vectors.T
        return out + dc


class Stopped(Exception):
    """``should_stop()`` said so in the middle of a step; the step's work is dropped."""


class _Scorer:
    """log pi_k + log N(y; mu_k, Sigma_k + s^2 I) + 32 log(2 pi), for every component k, as one matmul.

    With A_k = (Sigma_k + s^2 I)^-1, the Mahalanobis term (y - mu_k)^T A_k (y - mu_k) is
    y^T A_k y - 2 mu_k^T A_k y + mu_k^T A_k mu_k, and y^T A_k y = sum_{i<=j} c_ij A_k,ij y_i y_j (c = 1 on the
    diagonal, 2 off it): the 2,080 products y_i y_j times a (2080, K) matrix, about half the work of rotating
    every patch into all K eigenbases.
    """

    def __init__(self, prior: PatchGMM, variance: float, dtype: torch.dtype):
        noisy = prior._values + variance                                   # (K, 64)
        # A_k = U_k diag(1 / (l_k + s^2)) U_k^T, (K, 64, 64)
        precision = np.einsum("kij,kj,klj->kil", prior._vectors, 1.0 / noisy, prior._vectors)
        rows, cols = prior._upper
        twice = np.where(rows == cols, 1.0, 2.0)
        device = prior.device
        self.rows, self.cols = torch.from_numpy(rows).to(device), torch.from_numpy(cols).to(device)
        self.quadratic = torch.from_numpy((precision[:, rows, cols] * twice).T).to(device, dtype)  # (2080, K)
        linear = np.einsum("kij,kj->ki", precision, prior.means)           # A_k mu_k, (K, 64)
        self.linear = torch.from_numpy(-2.0 * linear.T).to(device, dtype)                  # (64, K)
        constant = (prior._log_weights - 0.5 * np.log(noisy).sum(axis=1)
                    - 0.5 * np.einsum("ki,ki->k", linear, prior.means))
        self.constant = torch.from_numpy(constant).to(device, dtype)                       # (K,)

    def __call__(self, centred: torch.Tensor) -> torch.Tensor:
        products = centred[:, self.rows] * centred[:, self.cols]          # (n, 2080): y_i y_j, i <= j
        mahalanobis = products @ self.quadratic + centred @ self.linear    # (n, K), mu^T A mu is in constant
        return self.constant - 0.5 * mahalanobis


def remove_dc(patches: np.ndarray) -> np.ndarray:
    """Subtract each patch's mean (the DC), as Zoran & Weiss do before fitting and scoring."""
    patches = np.asarray(patches, dtype=np.float64)
    return patches - patches.mean(axis=1, keepdims=True)


def restore(prior: PatchGMM, image: np.ndarray, *, sigma: float, known: np.ndarray | None = None,
            betas: tuple[float, ...] | None = None, time_limit: float | None = None,
            progress: Callable[[float, str], None] | None = None,
            should_stop: Callable[[], bool] | None = None) -> np.ndarray:
    """Run every step of :func:`steps` and return the last estimate (float32, not clipped)."""
    estimate = image
    for estimate in steps(prior, image, sigma=sigma, known=known, betas=betas, time_limit=time_limit,
                          progress=progress, should_stop=should_stop):
        pass
    return estimate


def steps(prior: PatchGMM, image: np.ndarray, *, sigma: float, known: np.ndarray | None = None,
          betas: tuple[float, ...] | None = None, time_limit: float | None = None,
          progress: Callable[[float, str], None] | None = None,
          should_stop: Callable[[], bool] | None = None) -> Iterator[np.ndarray]:
    """Half-quadratic splitting on a gray image (H, W); yields the estimate after each beta.

    ``should_stop``, checked every few thousand patches, ends the iteration at once (Stop, a time cap): the
    step under way is dropped and the last estimate yielded stands.

    ``known`` (H, W) bool marks observed pixels (inpainting); None means every pixel is observed (denoising).
    ``sigma`` is the measurement noise on the [0, 1] scale.
    """
    height, width = image.shape
    if min(height, width) < PATCH:
        raise ValueError(f"EPLL needs an image at least {PATCH}x{PATCH}, got {width}x{height}; use a larger image")
    observed = torch.from_numpy(np.ones_like(image) if known is None else known.astype(np.float32))[None, None]
    observed = observed.to(prior.device)
    noisy = torch.from_numpy(np.ascontiguousarray(image, dtype=np.float32))[None, None].to(prior.device)
    if known is None:
        noise_levels = [sigma / math.sqrt(b) for b in (betas or DENOISE_BETAS)]
    else:
        noise_levels = list(INPAINT_SIGMAS) if betas is None else [1 / math.sqrt(b) for b in betas]
    # Zoran & Weiss's data weight: lambda = patch_size^2 / sigma^2 (sigma floored so inpainting keeps y exactly).
    lam = DIM / max(sigma, 1e-3) ** 2
    counts = F.fold(F.unfold(torch.ones_like(noisy), PATCH), (height, width), PATCH)
    estimate = noisy.clone()
    started = time.perf_counter()
    for index, level in enumerate(noise_levels):
        beta = 1.0 / level ** 2
        patches = F.unfold(estimate, PATCH)[0].T                           # (L, 64), L overlapping patches
        try:
            cleaned = prior.map_patches(patches, level, should_stop)
        except Stopped:
            return
        average = F.fold(cleaned.T[None], (height, width), PATCH) / counts
        # x = (lambda M y + beta * 64 * average) / (lambda M + beta * 64), pixel by pixel.
        estimate = (lam * observed * noisy + beta * DIM * average) / (lam * observed + beta * DIM)
        if progress is not None:
            progress((index + 1) / len(noise_levels), f"EPLL step {index + 1}/{len(noise_levels)}")
        yield estimate[0, 0].cpu().numpy().copy()
        if time_limit is not None and time.perf_counter() - started > time_limit:
            break
