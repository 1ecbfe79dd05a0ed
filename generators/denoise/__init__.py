"""Image restoration, from fixed filters to learned statistical priors, behind one function.

    denoise(image, *, method, sigma, known=None, **params) -> restored image

``image``: float32 (H, W) or (H, W, 3); values may lie outside [0, 1] (unclipped Gaussian noise).
``sigma``: the noise standard deviation on the [0, 1] scale (25/255 for "sigma 25"); methods use it to set
their strength. ``known``: (H, W) bool, True where a pixel was observed, for the inpainting methods.
The result has the image's shape, float32, clipped to [0, 1]. The learned methods in NEEDS_MODEL take their
model object as ``model=`` (the EPLL patch prior, the gray or colour CNN); generators.api loads the shipped ones.

    compare(clean, corrupted, *, methods, sigma, ...) -> Row per method: restored image, PSNR, SSIM, seconds
"""

from __future__ import annotations

import inspect

import numpy as np

from generators import checks, imaging
from generators.denoise import classical, learned
from generators.denoise.compare import Row, compare, score
from generators.denoise.corrupt import SCALE_HINT, gaussian_noise, missing_pixels, salt_and_pepper
from generators.denoise.ising import IsingResult, ising


def _ising(image, sigma, *, algorithm="icm", beta=1.0, sweeps=10, seed=0):
    result = ising(image, sigma, algorithm=algorithm, beta=beta, sweeps=sweeps, seed=seed)
    return result.image if image.ndim == 2 else imaging.to_rgb(result.image)


def _epll(image, sigma, *, model, known=None, betas=None, progress=None, time_limit=None, should_stop=None):
    """EPLL with the patch prior ``model`` on each channel, the three channels of a colour image stepping
    together, so that Stop (``should_stop()`` true) or the ``time_limit`` (s) leaves them all at the same step:
    the result is the last step every channel finished; ``progress(fraction, "EPLL step k of n")`` follows each step.
    ``betas``: the half-quadratic schedule in units of 1/sigma^2 (default epll.DENOISE_BETAS)."""
    import time

    from generators.denoise import epll

    if known is not None:
        image = fill_holes(image, known)
    deadline = None if time_limit is None else time.perf_counter() + time_limit

    def stop() -> bool:
        return bool(should_stop is not None and should_stop()) or (
            deadline is not None and time.perf_counter() > deadline)

    planes = [image] if image.ndim == 2 else [image[..., c] for c in range(3)]
    if betas is not None:
        betas = tuple(checks.reals(betas, name="betas", low=1e-3, high=1e6))
    runs = [epll.steps(model, plane, sigma=sigma, known=known, betas=betas, should_stop=stop) for plane in planes]
    total = len(betas or (epll.DENOISE_BETAS if known is None else epll.INPAINT_SIGMAS))
    finished = list(planes)
    for step in range(1, total + 1):
        reached = [next(run, None) for run in runs]
        if any(plane is None for plane in reached):
            break
        finished = reached
        if progress is not None:
            progress(step / total, f"EPLL step {step} of {total}")
    return finished[0] if image.ndim == 2 else np.stack(finished, axis=2)


def _cnn(image, sigma, *, model, ensemble=1):
    return model.restore(image, sigma, ensemble=ensemble)


def _biharmonic(image, sigma, *, known):
    return classical.biharmonic(image, known)


# Method name -> kernel(image, sigma, **params). Every kernel returns an unclipped float image.
METHODS = {
    "gaussian": classical.gaussian,
    "median": classical.median,
    "tv": classical.total_variation,
    "nlm": classical.nl_means,
    "least_squares": learned.least_squares,
    "polynomial": classical.polynomial,
    "logistic": learned.logistic,
    "ising": _ising,
    "epll": _epll,
    "cnn": _cnn,
    "biharmonic": _biharmonic,
}
# Methods that fill missing pixels (they take known=); biharmonic does nothing else.
INPAINTERS = ("biharmonic", "epll")
# Methods that need a model object (model=): EPLL its patch prior, the CNN the network for the image's channels.
NEEDS_MODEL = ("epll", "cnn")
# Methods that assume a binary (black and white) clean image and return one.
BINARY = ("logistic", "ising")
LABELS = {
    "gaussian": "Gaussian filter", "median": "Median filter", "tv": "Total variation (Chambolle)",
    "nlm": "Non-local means", "least_squares": "Least-squares filter", "polynomial": "Polynomial fit",
    "logistic": "Logistic regression (binary)", "ising": "Ising MRF (binary)", "epll": "EPLL (GMM patch prior)",
    "cnn": "CNN denoiser (learned)",
    "biharmonic": "Biharmonic inpainting",
}


def denoise(image: np.ndarray, *, method: str, sigma: float, known: np.ndarray | None = None,
            **params) -> np.ndarray:
    """Restore ``image`` with ``method`` (one of METHODS); see the module docstring for the contract."""
    checks.choice(method, METHODS, name="method")
    image = imaging.as_float(image) if not isinstance(image, np.ndarray) or image.dtype != np.float32 else image
    imaging.validate(image, clipped=False)
    sigma = checks.real(sigma, name="sigma", low=0.0, high=1.0, hint=SCALE_HINT)
    kernel = METHODS[method]
    allowed = [p for p in inspect.signature(kernel).parameters if p not in ("image", "sigma", "known")]
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise ValueError(f"method {method!r} has no option {', '.join(unknown)}; "
                         f"its options are: {', '.join(allowed) or 'none'}")
    if method in NEEDS_MODEL and params.get("model") is None:
        raise ValueError(f"method {method!r} needs its model: pass model= (generators.api.denoise loads the "
                         "shipped one)")
    if known is not None:
        known = _check_known(known, image, method)
        params["known"] = known
    elif method == "biharmonic":
        raise ValueError("biharmonic fills missing pixels: pass known=, an (H, W) bool mask of observed pixels")
    restored = kernel(image, sigma, **params)
    return np.clip(restored, 0.0, 1.0).astype(np.float32)


def fill_holes(image: np.ndarray, known: np.ndarray, width: float = 3.0) -> np.ndarray:
    """A quick first guess for missing pixels by normalised convolution (Knutsson & Westin 1993):
    x = G * (M y) / G * M, the Gaussian-weighted mean of the known pixels nearby; known pixels are kept."""
    from scipy import ndimage

    weight = known.astype(np.float64)
    planes = [image] if image.ndim == 2 else [image[..., c] for c in range(3)]
    filled = []
    for plane in planes:
        spread = ndimage.gaussian_filter(plane * weight, width) / np.maximum(ndimage.gaussian_filter(weight, width), 1e-6)
        filled.append(np.where(known, plane, spread))
    image = filled[0] if image.ndim == 2 else np.stack(filled, axis=2)
    return image.astype(np.float32)


def _check_known(known, image: np.ndarray, method: str) -> np.ndarray:
    if method not in INPAINTERS:
        raise ValueError(f"method {method!r} cannot fill missing pixels; for inpainting use one of: "
                         f"{', '.join(INPAINTERS)}")
    known = np.asarray(known)
    if known.shape != image.shape[:2]:
        raise ValueError(f"known has shape {known.shape} but the image is {image.shape[:2]}; "
                         "pass an (H, W) bool mask of the observed pixels")
    known = known.astype(bool)
    if not known.any():
        raise ValueError("known marks no pixel as observed; keep at least some pixels")
    return known


__all__ = ["BINARY", "INPAINTERS", "IsingResult", "LABELS", "METHODS", "NEEDS_MODEL", "Row", "compare", "denoise",
           "fill_holes", "gaussian_noise", "ising", "missing_pixels", "salt_and_pepper", "score"]
