"""Style transfer: repaint a content photograph in the look of a style image.

    stylize(content, style, *, method="fast", model=..., ...)  one result, float32 (H, W, 3) in [0, 1]
    gatys(content, style, *, device="cpu", ...)                 the optimisation as a generator of GatysStep previews

Methods: "gatys" (Gatys et al. 2016, optimisation), "fast" (Johnson et al. 2016, one forward pass of a
trained network: ``model``, a generators.style.fast.FastStyle, with no style image), "reinhard" (Reinhard et
al. 2001, Lab mean and spread) and "histogram" (per-channel histogram matching). For all but "fast", ``style``
is an image. generators.api.stylize loads the shipped network by its name and passes the device.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Iterator

import numpy as np

from generators import checks, imaging, vgg19
from generators.style import classical

if TYPE_CHECKING:
    from generators.style.fast import FastStyle
    from generators.style.optimize import GatysStep

METHODS = ("gatys", "fast", "reinhard", "histogram")
INITS = ("content", "noise")
MAX_GATYS_SIZE = 1024
MAX_GATYS_STEPS = 5000


def stylize(content: np.ndarray, style=None, *, method: str = "fast", model: "FastStyle | None" = None,
            strength: float = 1.0, preserve_colors: bool = False, **options) -> np.ndarray:
    """``content`` float32 (H, W, 3) in [0, 1] (a gray (H, W) image is converted to RGB) restyled by ``style``,
    or for method="fast" by the trained network ``model``.

    ``strength`` in [0, 1] blends the result with the content (0 returns the content); ``preserve_colors``
    keeps the content's colours and transfers only luminance. ``options`` go to gatys() for method="gatys"
    (``device`` among them). Returns float32 (H, W, 3) in [0, 1] of the content's size.
    """
    checks.choice(method, METHODS, name="method")
    content = _content(content)
    strength = checks.real(strength, name="strength", low=0.0, high=1.0)
    if options and method != "gatys":
        raise ValueError(f"options {sorted(options)} only apply to method='gatys'; remove them for {method!r}")
    if method == "fast":
        styled = _fast_network(style, model).apply(content)
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
          preview_every: int = 5, lr: float = 0.03, seed: int = 0, network: str = "auto",
          strength: float = 1.0, device: str = "cpu") -> Iterator["GatysStep"]:
    """Gatys et al. 2016 by optimisation on the torch ``device``, yielding a GatysStep (image, losses, seconds)
    every ``preview_every`` steps, every 2 s, and at the last. Works at ``size`` px on the longer side;
    ``network``: "auto" (VGG-19 if its weights are cached locally, else random filters), "random" or "vgg19".
    Each preview's image is blended with the content by ``strength``. The same seed gives the same result.
    Everything is checked now, before the first step."""
    content = _content(content)
    style = _style_image(style, "gatys")
    content_weight, style_weight, lr = (checks.real(value, name=label, low=0.0, high=math.inf) for label, value in
                                        (("content_weight", content_weight), ("style_weight", style_weight),
                                         ("lr", lr)))
    if content_weight == 0 and style_weight == 0:
        raise ValueError("content_weight and style_weight are both 0; make at least one positive")
    steps = checks.whole(steps, name="steps", low=1, high=MAX_GATYS_STEPS)
    size = checks.whole(size, name="size", low=32, high=MAX_GATYS_SIZE)
    preview_every = checks.whole(preview_every, name="preview_every", low=1, high=MAX_GATYS_STEPS)
    init = checks.choice(init, INITS, name="init")
    seed = checks.seed(seed)
    network = checks.choice(network, vgg19.NETWORKS, name="network")
    strength = checks.real(strength, name="strength", low=0.0, high=1.0)
    content, _ = imaging.cap_size(content, size)
    style, _ = imaging.cap_size(style, size)
    from generators.style.optimize import _kernel as _gatys_kernel  # torch loads on first use, not with the app

    return _gatys_kernel(content, style, content_weight=content_weight, style_weight=style_weight, steps=steps,
                         init=init, preserve_colors=bool(preserve_colors), preview_every=preview_every, lr=lr,
                         seed=seed, network=network, strength=strength, device=device)


def _fast_network(style, model):
    """The trained network of method "fast", which takes no style image."""
    from generators.style.fast import FastStyle

    if style is not None:
        shown = style if isinstance(style, str) else f"an array of shape {np.shape(style)}"
        raise ValueError(f"method 'fast' takes the trained network as model=, not a style ({shown!r}); call "
                         "generators.api.stylize with a shipped style name, or use method 'gatys', 'reinhard' or "
                         "'histogram' with a style image")
    if not isinstance(model, FastStyle):
        raise ValueError(f"method 'fast' needs model=, a trained FastStyle network, got {type(model).__name__}; "
                         "generators.api.stylize loads one by its style name")
    return model


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
