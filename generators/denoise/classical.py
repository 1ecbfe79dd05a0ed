"""Fixed (not learned) restorers: Gaussian and median smoothing, total variation, non-local means,
local polynomial regression (Savitzky-Golay) and biharmonic inpainting. Parameters default to values that
scale with the noise level sigma (on the [0, 1] scale); each kernel takes (H, W) or (H, W, 3) float32."""

from __future__ import annotations

import numpy as np
from scipy import ndimage


def _channels(image: np.ndarray):
    return None if image.ndim == 2 else -1


def gaussian(image: np.ndarray, sigma: float, *, width: float | None = None) -> np.ndarray:
    """Convolve with a Gaussian of standard deviation ``width`` pixels (default 0.5 + 6 sigma).

    x_hat = G_w * y, G_w(u, v) = exp(-(u^2 + v^2) / (2 w^2)) / (2 pi w^2): the MAP estimate under a prior that
    penalises high frequencies, so it removes noise and blurs edges alike."""
    width = 0.5 + 6.0 * sigma if width is None else width
    spatial = (width, width) if image.ndim == 2 else (width, width, 0)
    return ndimage.gaussian_filter(image, spatial, mode="reflect")


def median(image: np.ndarray, sigma: float, *, size: int | None = None) -> np.ndarray:
    """Median of the size x size neighbourhood (default 3, or 5 above sigma 0.15): robust to outliers, so
    the classic cure for salt and pepper (Tukey 1977)."""
    size = (3 if sigma <= 0.15 else 5) if size is None else size
    footprint = (size, size) if image.ndim == 2 else (size, size, 1)
    return ndimage.median_filter(image, size=footprint, mode="reflect")


def total_variation(image: np.ndarray, sigma: float, *, weight: float | None = None) -> np.ndarray:
    """Rudin-Osher-Fatemi total variation, solved by Chambolle's projection algorithm (Chambolle 2004):

    x_hat = argmin_x 1/2 ||x - y||^2 + weight * sum_i |grad x_i|, weight defaulting to 0.9 sigma."""
    from skimage.restoration import denoise_tv_chambolle

    weight = 0.9 * sigma if weight is None else weight
    return denoise_tv_chambolle(image, weight=max(weight, 1e-4), channel_axis=_channels(image))


def nl_means(image: np.ndarray, sigma: float, *, h: float | None = None, patch_size: int | None = None,
             patch_distance: int | None = None) -> np.ndarray:
    """Non-local means (Buades, Coll & Morel 2005): every pixel becomes a weighted mean of pixels whose
    surrounding patches look alike,

    x_hat_i = sum_j w_ij y_j / sum_j w_ij, w_ij = exp(-max(||P_i y - P_j y||^2 - 2 sigma^2, 0) / h^2),

    with scikit-image's advice h = 0.8 sigma (fast mode); larger patches and windows as noise grows."""
    from skimage.restoration import denoise_nl_means

    h = 0.8 * sigma if h is None else h
    patch_size = (5 if sigma <= 0.1 else 7) if patch_size is None else patch_size
    patch_distance = (6 if sigma <= 0.1 else 9) if patch_distance is None else patch_distance
    return denoise_nl_means(image, h=max(h, 1e-4), sigma=sigma, patch_size=patch_size,
                            patch_distance=patch_distance, fast_mode=True, channel_axis=_channels(image))


def local_polynomial_kernel(size: int, order: int, width: float | None = None) -> np.ndarray:
    """The size x size filter that fits a 2-D polynomial of total degree ``order`` to a window by (weighted)
    least squares and returns its value at the centre: Savitzky & Golay 1964 in two dimensions when
    ``width`` is None, kernel regression with Gaussian weights of that width otherwise (Takeda, Farsiu &
    Milanfar 2007).

    With the design matrix A (one row per window pixel, one column per monomial u^a v^b, a + b <= order) and
    weights W, the fit is c = (A^T W A)^-1 A^T W y and the centre value is c_0: the filter is that row 0."""
    if size % 2 == 0 or size < 3:
        raise ValueError(f"window size must be odd and at least 3, got {size}")
    if not 0 <= order < size:
        raise ValueError(f"polynomial order must be between 0 and {size - 1} for a {size}x{size} window, got {order}")
    half = size // 2
    v, u = np.mgrid[-half:half + 1, -half:half + 1]
    powers = [(a, b) for a in range(order + 1) for b in range(order + 1 - a)]
    design = np.stack([(u.ravel() ** a) * (v.ravel() ** b) for a, b in powers], axis=1).astype(np.float64)
    weights = np.ones(size * size) if width is None else np.exp(-(u.ravel() ** 2 + v.ravel() ** 2) / (2 * width ** 2))
    weighted = design * weights[:, None]                                      # W A, (size^2, terms)
    return np.linalg.solve(design.T @ weighted, weighted.T)[0].reshape(size, size)


def polynomial(image: np.ndarray, sigma: float, *, width: float | None = None, order: int = 2,
               window: int | None = None) -> np.ndarray:
    """Local polynomial regression: fit a degree-``order`` surface to each pixel's neighbourhood, nearer
    pixels weighing more (Gaussian weights of ``width`` px, default 0.5 + 6 sigma, window 3 widths each side),
    and keep its centre value. With ``window`` (odd, px) every pixel of a window x window square weighs the
    same instead (Savitzky-Golay). It is one linear filter; see local_polynomial_kernel."""
    if window is not None:
        kernel = local_polynomial_kernel(window, order)
    else:
        width = 0.5 + 6.0 * sigma if width is None else width
        kernel = local_polynomial_kernel(int(2 * np.ceil(3 * width) + 1), order, width)
    if image.ndim == 3:
        return np.stack([ndimage.correlate(image[..., c], kernel, mode="reflect") for c in range(3)], axis=2)
    return ndimage.correlate(image, kernel, mode="reflect")


def biharmonic(image: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Fill the missing pixels with the smoothest surface that meets the known ones: Delta^2 x = 0 inside
    the holes (Damelin & Hoang 2018, scikit-image's inpaint_biharmonic)."""
    from skimage.restoration import inpaint_biharmonic

    return inpaint_biharmonic(image, ~known, channel_axis=_channels(image))
