"""Style transfer: repaint a content photograph in the look of a style image.

    fast_styles()                                   names of the shipped feed-forward styles
    stylize(content, style, *, method="fast", ...)  one result, float32 (H, W, 3) in [0, 1]
    gatys(content, style, ...)                      the optimisation as a generator of GatysStep previews

Methods: "gatys" (Gatys et al. 2016, optimisation), "fast" (Johnson et al. 2016, one forward pass of a
trained network; ``style`` is a name from fast_styles()), "reinhard" (Reinhard et al. 2001, Lab mean and
spread) and "histogram" (per-channel histogram matching). For all but "fast", ``style`` is an image.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np

from generators import imaging, registry
from generators.style import classical

if TYPE_CHECKING:
    from generators.style.optimize import GatysStep

METHODS = ("gatys", "fast", "reinhard", "histogram")
PREFIX = "style-"
INITS = ("content", "noise")
MAX_GATYS_SIZE = 1024
MAX_GATYS_STEPS = 5000
VGG19_FILE = "vgg19-dcbb9e9d.pth"
VGG19_URL = f"https://download.pytorch.org/models/{VGG19_FILE}"  # torchvision's VGG19_Weights.IMAGENET1K_V1
VGG19_MB = 548
VGG19_ENV = "GENLAB_VGG19"


def hub_checkpoints() -> Path:
    """torch.hub's weight cache, found as torch.hub.get_dir() does ($TORCH_HOME, else $XDG_CACHE_HOME/torch)
    without importing torch."""
    home = os.environ.get("TORCH_HOME") or os.path.join(os.environ.get("XDG_CACHE_HOME", "~/.cache"), "torch")
    return Path(home).expanduser() / "hub" / "checkpoints"


def vgg_weights_path() -> Path | None:
    """torchvision's VGG-19 ImageNet weight file if it is already in the local torch hub cache; never downloads."""
    path = hub_checkpoints() / VGG19_FILE
    return path if path.is_file() else None


def vgg19_opted_in() -> bool:
    """Whether the host allows downloading VGG-19 (``GENLAB_VGG19=1``); the Stylize tab offers the same choice."""
    return os.environ.get(VGG19_ENV, "").strip() == "1"


def fetch_vgg19() -> tuple[Path | None, str]:
    """Download torchvision's VGG-19 ImageNet weights (~550 MB, once) into the torch hub cache, checking the
    sha256 prefix in their file name. Call it only when the user or host has opted in: never at import.

    Returns (the weight file, a sentence saying what happened), or (None, why it failed), for the caller to
    show with what it does instead: nothing falls back silently."""
    found = vgg_weights_path()
    if found is not None:
        return found, f"VGG-19 weights found in `{found.parent}`."
    from generators import fetch

    target = hub_checkpoints() / VGG19_FILE
    try:
        # torchvision names the file <name>-<first 8 hex digits of its sha256>.pth; the download checks them.
        fetch.download(VGG19_URL, target, sha256_prefix=VGG19_FILE.split("-")[1][:8])
    except (OSError, fetch.FetchError) as error:
        return None, f"VGG-19 could not be downloaded from {VGG19_URL} ({error})"
    return target, f"Downloaded VGG-19's ImageNet weights ({VGG19_MB} MB) to `{target.parent}`."


def fast_styles() -> list[str]:
    """Names of the shipped feed-forward styles (registry entries ``style-<name>``)."""
    return sorted(name.removeprefix(PREFIX) for name in registry.MODELS if name.startswith(PREFIX))


def stylize(content: np.ndarray, style, *, method: str = "fast", strength: float = 1.0,
            preserve_colors: bool = False, **options) -> np.ndarray:
    """``content`` float32 (H, W, 3) in [0, 1] (a gray (H, W) image is converted to RGB) restyled by ``style``.

    ``strength`` in [0, 1] blends the result with the content (0 returns the content); ``preserve_colors``
    keeps the content's colours and transfers only luminance. ``options`` go to gatys() for method="gatys".
    Returns float32 (H, W, 3) in [0, 1] of the content's size.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of: {', '.join(METHODS)}")
    content = _content(content)
    strength = _fraction(strength, "strength")
    if options and method != "gatys":
        raise ValueError(f"options {sorted(options)} only apply to method='gatys'; remove them for {method!r}")
    if method == "fast":
        styled = _fast_model(style).apply(content)
    elif method == "gatys":
        last = None
        for last in gatys(content, style, preserve_colors=preserve_colors, **options):
            pass
        styled = imaging.resize(last.image, content.shape[:2])
    else:
        style = _style_image(style, method)
        styled = (classical._reinhard if method == "reinhard" else classical._histogram)(content, style)
    if preserve_colors and method != "gatys":
        styled = classical.keep_colours(content, styled)
    return blend(content, styled, strength)


def blend(content: np.ndarray, styled: np.ndarray, strength: float) -> np.ndarray:
    """Style strength: out = s * styled + (1 - s) * content."""
    return np.clip(strength * styled + (1.0 - strength) * content, 0.0, 1.0).astype(np.float32)


def gatys(content: np.ndarray, style: np.ndarray, *, content_weight: float = 1.0, style_weight: float = 10.0,
          steps: int = 200, size: int = 256, init: str = "content", preserve_colors: bool = False,
          preview_every: int = 5, lr: float = 0.03, seed: int = 0, network: str = "auto") -> Iterator["GatysStep"]:
    """Gatys et al. 2016 by optimisation, yielding a GatysStep (image, losses, seconds) every ``preview_every``
    steps, every 2 s, and at the last. Works at ``size`` px on the longer side; ``network``: "auto" (VGG-19 if its weights
    are cached locally, else random filters), "random" or "vgg19". The same seed gives the same result."""
    content = _content(content)
    style = _style_image(style, "gatys")
    for label, value in (("content_weight", content_weight), ("style_weight", style_weight), ("lr", lr)):
        _non_negative(value, label)
    if content_weight == 0 and style_weight == 0:
        raise ValueError("content_weight and style_weight are both 0; make at least one positive")
    steps = _whole(steps, "steps", 1, MAX_GATYS_STEPS)
    size = _whole(size, "size", 32, MAX_GATYS_SIZE)
    preview_every = _whole(preview_every, "preview_every", 1, MAX_GATYS_STEPS)
    if init not in INITS:
        raise ValueError(f"init must be one of {', '.join(INITS)}, got {init!r}")
    content, _ = imaging.cap_size(content, size)
    style, _ = imaging.cap_size(style, size)
    from generators.style.optimize import _kernel as _gatys_kernel  # torch loads on first use, not with the app

    return _gatys_kernel(content, style, content_weight=float(content_weight), style_weight=float(style_weight),
                         steps=steps, init=init, preserve_colors=bool(preserve_colors),
                         preview_every=preview_every, lr=float(lr), seed=int(seed), network=network)


def _fast_model(style):
    names = fast_styles()
    if not isinstance(style, str) or style not in names:
        shown = style if isinstance(style, str) else f"an array of shape {np.shape(style)}"
        raise ValueError(f"method 'fast' needs a shipped style name, got {shown!r}; choose one of: "
                         f"{', '.join(names)} (or use method 'gatys', 'reinhard' or 'histogram' with a style image)")
    return registry.load(PREFIX + style)


def _content(content) -> np.ndarray:
    if not isinstance(content, np.ndarray):
        raise ValueError(f"content must be a numpy image, got {type(content).__name__}; "
                         "load it with generators.imaging.load_image")
    image = imaging.validate(imaging.as_float(content, name="content"), name="content")
    return imaging.to_rgb(image)


def _style_image(style, method: str) -> np.ndarray:
    if isinstance(style, str):
        raise ValueError(f"method {method!r} needs a style image (float32 (H, W, 3) in [0, 1]), got the name "
                         f"{style!r}; style names work only with method='fast'")
    if not isinstance(style, np.ndarray):
        raise ValueError(f"style must be a numpy image for method {method!r}, got {type(style).__name__}")
    return imaging.to_rgb(imaging.validate(imaging.as_float(style, name="style"), name="style"))


def _fraction(value, name: str) -> float:
    number = _non_negative(value, name)
    if number > 1:
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")
    return number


def _non_negative(value, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}; pass e.g. 1.0")
    return number


def _whole(value, name: str, low: int, high: int) -> int:
    number = _non_negative(value, name)
    if number != int(number) or not low <= number <= high:
        raise ValueError(f"{name} must be a whole number between {low} and {high}, got {value!r}")
    return int(number)
