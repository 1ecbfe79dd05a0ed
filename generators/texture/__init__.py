"""Texture synthesis from an exemplar: grow a larger (or differently shaped) image of the same texture.

    synthesize(exemplar, *, method, size, seed, **params) -> float32 image of shape ``size`` (+ channels)
    synthesize_steps(...)                                  -> iterator of Step, the output growing

Methods and their parameters (defaults in brackets):
- "efros_leung": Efros & Leung 1999, pixel by pixel. window (11, odd), tolerance (0.1).
- "quilting": Efros & Freeman 2001, block by block. block (24), overlap (6), tolerance (0.1), and for texture
  transfer target (an image, resized to ``size``) with alpha (0.3, the weight of the overlap term).
- "neural": Gatys et al. 2015, Gram matrices. network ("auto", "random" or "vgg19"), steps (200),
  optimizer ("lbfgs" or "adam"), learning_rate (0.02, Adam only).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from generators import imaging
from generators.texture import sourcemap

# The method modules import torch, so they are imported on first use: building the app stays fast.
METHODS = ("efros_leung", "quilting", "neural")
MAX_SIDE = 1024
MAX_SEED = 2**32 - 1
MAX_STEPS = 5000
MIN_NEURAL_SIDE = 32


@dataclass(frozen=True)
class Step:
    """One stage of a synthesis. ``image`` follows the contract (unfilled pixels mid-grey); ``source`` is
    (H, W, 2) int32 exemplar (y, x) per pixel, -1 where nothing is there yet, or None; ``copied`` says whether
    ``source`` records real copies (False: nearest exemplar patches, for neural synthesis)."""

    image: np.ndarray
    source: np.ndarray | None
    progress: float
    copied: bool
    note: str = ""


def synthesize(exemplar: np.ndarray, *, method: str, size, seed: int, **params) -> np.ndarray:
    """The synthesised texture: float32 (height, width) or (height, width, 3) like ``exemplar``, in [0, 1]."""
    exemplar, size, seed, params = _checked(exemplar, method, size, seed, params)
    for image, *_ in _run(exemplar, method, size, seed, params, previews=False):
        pass
    return _shaped(image, exemplar)


def synthesize_steps(exemplar: np.ndarray, *, method: str, size, seed: int,
                     should_stop: Callable[[], bool] | None = None, **params) -> Iterator[Step]:
    """The same synthesis as ``synthesize`` (same seed, same final image), yielding a Step after each batch of
    pixels, row of blocks or few optimiser steps. Arguments are checked now, before the first step.
    ``should_stop()`` true ends the synthesis: neural synthesis checks it inside its optimiser steps (one
    can take seconds) and yields the image so far; the other methods' steps are short, so it is checked
    between them."""
    exemplar, size, seed, params = _checked(exemplar, method, size, seed, params)
    return _steps(exemplar, method, size, seed, params, should_stop)


def feature_network(choice: str = "auto") -> str:
    """Which network neural synthesis uses on this machine for ``choice`` ("auto", "random", "vgg19"), in words."""
    return _module("neural").network_name(choice)


def _module(method: str):
    return importlib.import_module(f"generators.texture.{method}")


def _steps(exemplar, method, size, seed, params, should_stop) -> Iterator[Step]:
    if method == "neural":
        steps = params["steps"]
        note = feature_network(params["network"])
        for image, done in _run(exemplar, method, size, seed, {**params, "should_stop": should_stop},
                                previews=True):
            final = done >= steps
            source = sourcemap.nearest_patches(image, exemplar) if final else None
            yield Step(_shaped(image, exemplar), source, done / steps, copied=False, note=note)
        return
    for image, source, filled in _run(exemplar, method, size, seed, params, previews=True):
        image = np.where(filled[..., None], image, np.float32(0.5))
        yield Step(_shaped(image, exemplar), source, float(filled.mean()), copied=True)
        if should_stop is not None and should_stop():
            return


def _run(exemplar, method, size, seed, params, *, previews):
    return _module(method)._kernel(exemplar, size, seed=seed, previews=previews, **params)


def _shaped(image: np.ndarray, exemplar: np.ndarray) -> np.ndarray:
    image = image.astype(np.float32, copy=False)
    return image.reshape(image.shape[:2]) if exemplar.ndim == 2 else image


def _checked(exemplar, method, size, seed, params):
    """Validate everything and fill in defaults; ValueError naming the bad value and the fix otherwise."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of: {', '.join(METHODS)}")
    exemplar = imaging.validate(exemplar, name="exemplar")
    if not isinstance(size, (tuple, list)) or len(size) != 2:
        raise ValueError(f"size must be (height, width), got {size!r}")
    size = tuple(_whole(side, f"size {name}", 1, MAX_SIDE) for side, name in zip(size, ("height", "width")))
    seed = _whole(seed, "seed", 0, MAX_SEED)
    defaults = _module(method).DEFAULTS
    unknown = sorted(set(params) - set(defaults))
    if unknown:
        raise ValueError(f"unknown parameter(s) {', '.join(unknown)} for method {method!r}; "
                         f"it takes: {', '.join(defaults)}")
    params = {**defaults, **params}
    return (exemplar, size, seed, _METHOD_CHECKS[method](exemplar, size, params))


def _efros_leung_params(exemplar, size, params):
    window = _whole(params["window"], "window", 3, 99)
    if window % 2 == 0:
        raise ValueError(f"window must be odd so that it has a centre pixel, got {window}; use {window + 1}")
    smallest = min(exemplar.shape[:2])
    if window > smallest:
        raise ValueError(f"the exemplar ({_shape(exemplar)}) is too small for a window of {window}: use a window of "
                         f"at most {smallest - 1 + smallest % 2} or a larger exemplar")
    return {"window": window, "tolerance": _real(params["tolerance"], "tolerance", 0.0, 10.0)}


def _quilting_params(exemplar, size, params):
    smallest = min(exemplar.shape[:2])
    block = _whole(params["block"], "block", 4, MAX_SIDE)
    if block > smallest:
        raise ValueError(f"block {block} is larger than the exemplar ({_shape(exemplar)}): use a block of at most "
                         f"{smallest} or a larger exemplar")
    overlap = _whole(params["overlap"], "overlap", 1, block // 2)
    target = params["target"]
    if target is not None:
        target = imaging.resize(imaging.validate(target, name="target"), size)
    return {"block": block, "overlap": overlap, "target": target,
            "tolerance": _real(params["tolerance"], "tolerance", 0.0, 10.0),
            "alpha": _real(params["alpha"], "alpha", 0.0, 1.0)}


def _fetch_vgg19() -> None:
    """Download VGG-19 for network='vgg19' if the host opted in ($GENLAB_VGG19=1); else, or if that fails, a
    ValueError that says so."""
    from generators import style

    if not style.vgg19_opted_in():
        raise ValueError("network 'vgg19' needs torchvision's VGG-19 weights in the torch hub cache, and they are "
                         f"not there: set {style.VGG19_ENV}=1 to let GenLab download them (~{style.VGG19_MB} MB, "
                         "once), or use network='random' or 'auto'")
    weights, note = style.fetch_vgg19()
    if weights is None:
        raise ValueError(f"{note}; use network='random' or 'auto', which work offline")


def _neural_params(exemplar, size, params):
    neural = _module("neural")
    if min(size) < MIN_NEURAL_SIDE or min(exemplar.shape[:2]) < MIN_NEURAL_SIDE:
        raise ValueError(f"neural synthesis needs an exemplar and an output of at least {MIN_NEURAL_SIDE}x"
                         f"{MIN_NEURAL_SIDE} pixels, got exemplar {_shape(exemplar)} and size {size[0]}x{size[1]}")
    network = params["network"]
    if network not in neural.NETWORKS:
        raise ValueError(f"unknown network {network!r}; use one of: {', '.join(neural.NETWORKS)}")
    if network == "vgg19" and neural.vgg19_weights() is None:
        _fetch_vgg19()
    optimizer = params["optimizer"]
    if optimizer not in neural.OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; use one of: {', '.join(neural.OPTIMIZERS)}")
    return {"network": network, "optimizer": optimizer, "steps": _whole(params["steps"], "steps", 1, MAX_STEPS),
            "learning_rate": _real(params["learning_rate"], "learning_rate", 1e-5, 1.0)}


_METHOD_CHECKS = {"efros_leung": _efros_leung_params, "quilting": _quilting_params, "neural": _neural_params}


def _whole(value, name: str, low: int, high: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, float, np.floating)) \
            or not math.isfinite(value) or value != int(value) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number between {low} and {high}, got {value!r}")
    return int(value)


def _real(value, name: str, low: float, high: float) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, float, np.floating)) \
            or not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{name} must be a finite number between {low:g} and {high:g}, got {value!r}")
    return float(value)


def _shape(image: np.ndarray) -> str:
    return f"{image.shape[0]}x{image.shape[1]}"
