"""Classical colour transfer: no network, a statistics match per channel."""

from __future__ import annotations

import warnings

import numpy as np
from skimage import color, exposure


def _reinhard(content: np.ndarray, style: np.ndarray) -> np.ndarray:
    """Reinhard, Ashikhmin, Gooch & Shirley 2001, "Color transfer between images", in CIELAB (skimage.color)."""
    source, target = color.rgb2lab(content), color.rgb2lab(style)
    mean_c, std_c = source.mean(axis=(0, 1)), source.std(axis=(0, 1))
    mean_s, std_s = target.mean(axis=(0, 1)), target.std(axis=(0, 1))
    # Reinhard et al. 2001, eq. 11: l' = (sigma_s / sigma_c) (l - mu_c) + mu_s, per channel L*, a*, b*
    lab = (std_s / np.maximum(std_c, 1e-6)) * (source - mean_c) + mean_s
    lab[..., 0] = np.clip(lab[..., 0], 0.0, 100.0)
    with warnings.catch_warnings():
        # Shifted colours can leave the sRGB gamut; lab2rgb clips them, which is what we want.
        warnings.filterwarnings("ignore", message="Conversion from CIE-LAB", category=UserWarning)
        rgb = color.lab2rgb(lab)
    return np.clip(rgb, 0.0, 1.0).astype(np.float32)


def _histogram(content: np.ndarray, style: np.ndarray) -> np.ndarray:
    """Histogram specification per RGB channel (Gonzalez & Woods, ch. 3): x' = F_s^{-1}(F_c(x))."""
    return exposure.match_histograms(content, style, channel_axis=-1).astype(np.float32)


def keep_colours(content: np.ndarray, styled: np.ndarray) -> np.ndarray:
    """Luminance from ``styled``, chrominance from ``content`` (Gatys, Bethge, Hertzmann & Shechtman 2016,
    "Preserving color in neural artistic style transfer"): in YIQ, out = (Y_styled, I_content, Q_content)."""
    yiq = color.rgb2yiq(content)
    yiq[..., 0] = color.rgb2yiq(styled)[..., 0]
    return np.clip(color.yiq2rgb(yiq), 0.0, 1.0).astype(np.float32)


def match_luminance(style: np.ndarray, content: np.ndarray) -> np.ndarray:
    """The style's luminance as a gray RGB image, its mean and spread matched to the content's
    (Gatys et al. 2016, luminance-only transfer: Y_s' = sigma_c / sigma_s (Y_s - mu_s) + mu_c)."""
    y_style, y_content = color.rgb2yiq(style)[..., 0], color.rgb2yiq(content)[..., 0]
    matched = y_content.std() / max(y_style.std(), 1e-6) * (y_style - y_style.mean()) + y_content.mean()
    return np.repeat(np.clip(matched, 0.0, 1.0)[..., None], 3, axis=2).astype(np.float32)


def luminance(image: np.ndarray) -> np.ndarray:
    """The Y of YIQ as a gray RGB image."""
    return np.repeat(np.clip(color.rgb2yiq(image)[..., 0], 0.0, 1.0)[..., None], 3, axis=2).astype(np.float32)
