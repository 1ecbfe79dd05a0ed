"""The Denoise tab's reading of its controls: the working image, the drawn mask, the corruption it asks for,
and the methods that fit it, as the arguments generators.denoise takes."""

from __future__ import annotations

import numpy as np

from generators import checks, imaging
from generators import denoise as restore_lib
from ui.common import nothing_uploaded

WORK_SIDE = 256
NOISE_LABEL = "Noise σ (0-255 scale)"
CORRUPTIONS = ("Gaussian noise", "Salt and pepper", "Missing pixels")
# UI label -> method name of generators.denoise.denoise
METHODS = {label: name for name, label in restore_lib.LABELS.items()}
# Geometric self-ensemble of the CNN (Timofte et al. 2016): its 4- and 8-fold means beat CBM3D in colour.
ENSEMBLE_CHOICES = [("1: plain", 1), ("4: the rotations", 4), ("8: rotations and flips", 8)]


def load_clean(path: str | None, grayscale: bool) -> np.ndarray:
    if not path:
        raise nothing_uploaded("image")
    image, _ = imaging.load_image(path, mode="gray" if grayscale else "auto", max_side=WORK_SIDE,
                                  min_side=imaging.MIN_UPLOAD_SIDE)
    return image


def drawn_mask(editor, shape: tuple[int, int]) -> np.ndarray | None:
    """The strokes drawn on the mask editor as an (H, W) bool mask at the working size, or None."""
    layers = (editor or {}).get("layers") or []
    strokes = [np.asarray(layer) for layer in layers if layer is not None]
    strokes = [layer[..., 3] > 0 for layer in strokes if layer.ndim == 3 and layer.shape[2] == 4]
    if not strokes or not np.any(np.logical_or.reduce(strokes)):
        return None
    painted = np.logical_or.reduce(strokes).astype(np.float32)
    return imaging.resize(painted, shape) > 0.5


def noise_level(sigma255) -> float:
    """The noise slider's value (0-255 scale) on the [0, 1] scale the restorers take."""
    return checks.real(sigma255, name=NOISE_LABEL, low=0.0, high=255.0) / 255.0


def corrupt(clean: np.ndarray, corruption: str, sigma255, rate, fraction, seed, editor):
    """(corrupted image, known mask or None, the sigma the restorers are told) for the chosen corruption."""
    seed = checks.seed(seed, name="Seed")
    if corruption == "Gaussian noise":
        sigma = noise_level(sigma255)
        return restore_lib.gaussian_noise(clean, sigma=sigma, seed=seed), None, sigma
    if corruption == "Salt and pepper":
        from skimage.restoration import estimate_sigma

        noisy = restore_lib.salt_and_pepper(clean, rate=rate, seed=seed)
        sigma = float(np.mean(estimate_sigma(noisy, channel_axis=-1 if noisy.ndim == 3 else None)))
        return noisy, None, min(sigma, 1.0)
    if corruption == "Missing pixels":
        mask = drawn_mask(editor, clean.shape[:2])
        holed, known = restore_lib.missing_pixels(clean, fraction=fraction if mask is None or fraction > 0 else None,
                                                  seed=seed, mask=mask)
        return holed, known, 0.0
    raise ValueError(f"unknown corruption {corruption!r}; choose one of: {', '.join(CORRUPTIONS)}")


def chosen(methods, corruption: str) -> tuple[list[str], list[str]]:
    """(method names to run, notes about the ones that do not apply to this corruption)."""
    if not methods:
        raise ValueError("no method chosen: tick at least one in Methods")
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method {unknown[0]!r}; choose from: {', '.join(METHODS)}")
    names = [METHODS[m] for m in methods]
    inpainting = corruption == "Missing pixels"
    keep = [n for n in names if (n in restore_lib.INPAINTERS) == inpainting or n == "epll"]
    skipped = [restore_lib.LABELS[n] for n in names if n not in keep]
    notes = []
    if skipped:
        why = "only inpainting methods fill missing pixels" if inpainting else "it only fills missing pixels"
        notes.append(f"Skipped {', '.join(skipped)}: {why}.")
    if not keep:
        raise ValueError("none of the chosen methods fits this corruption: for missing pixels choose "
                         "Biharmonic inpainting or EPLL; for noise any other method")
    return keep, notes


def cnn_ensemble(value) -> int:
    """The self-ensemble size from the radio (or an API caller): 1, 4 or 8, else a clear error."""
    return int(checks.choice(str(value), [str(size) for _, size in ENSEMBLE_CHOICES], name="CNN self-ensemble"))


def labelled(names: list[str], options: dict | None = None) -> dict[str, tuple[str, dict]]:
    """{label: (method, its options)}: the ``methods`` of generators.denoise.compare, labelled as in the tab."""
    return {restore_lib.LABELS[name]: (name, (options or {}).get(name, {})) for name in names}
