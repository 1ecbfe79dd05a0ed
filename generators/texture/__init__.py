"""Texture synthesis from an exemplar: grow a larger (or differently shaped) image of the same texture.

    synthesize(exemplar, *, method, size, seed, device="cpu", **params) -> float32 image of shape ``size``
                                                                           (+ channels)
    synthesize_steps(...)                                                -> iterator of Step, the output growing

``device`` is the torch device neural synthesis optimises on (generators.api passes the app's); the other
methods run on the CPU in numpy.

Methods and their parameters (defaults in brackets):
- "efros_leung": Efros & Leung 1999, pixel by pixel. window (11, odd), tolerance (0.1).
- "quilting": Efros & Freeman 2001, block by block. block (24), overlap (6), tolerance (0.1), and for texture
  transfer target (an image, resized to ``size``) with alpha (0.3, the weight of the overlap term).
- "neural": Gatys et al. 2015, Gram matrices. network ("auto", "random" or "vgg19"), steps (200),
  optimizer ("lbfgs" or "adam"), learning_rate (0.02, Adam only).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from generators import checks, imaging, vgg19
from generators.texture import sourcemap

# The method modules import torch, so they are imported on first use: building the app stays fast.
METHODS = ("efros_leung", "quilting", "neural")
MAX_SIDE = 1024
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


def synthesize(exemplar: np.ndarray, *, method: str, size, seed: int, device: str = "cpu", **params) -> np.ndarray:
    """The synthesised texture: float32 (height, width) or (height, width, 3) like ``exemplar``, in [0, 1]."""
    exemplar, size, seed, params = _checked(exemplar, method, size, seed, params, device)
    for image, *_ in _run(exemplar, method, size, seed, params, previews=False):
        pass
    return _shaped(image, exemplar)


def synthesize_steps(exemplar: np.ndarray, *, method: str, size, seed: int, device: str = "cpu",
                     should_stop: Callable[[], bool] | None = None, **params) -> Iterator[Step]:
    """The same synthesis as ``synthesize`` (same seed, same final image), yielding a Step after each batch of
    pixels, row of blocks or few optimiser steps. Arguments are checked now, before the first step.
    ``should_stop()`` true ends the synthesis: neural synthesis checks it inside its optimiser steps (one
    can take seconds) and yields the image so far; the other methods' steps are short, so it is checked
    between them."""
    exemplar, size, seed, params = _checked(exemplar, method, size, seed, params, device)
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


def _checked(exemplar, method, size, seed, params, device):
    """Validate everything and fill in defaults; ValueError naming the bad value and the fix otherwise."""
    checks.choice(method, METHODS, name="method")
    exemplar = imaging.validate(exemplar, name="exemplar")
    if not isinstance(size, (tuple, list)) or len(size) != 2:
        raise ValueError(f"size must be (height, width), got {size!r}")
    size = tuple(checks.whole(side, name=f"size {name}", low=1, high=MAX_SIDE)
                 for side, name in zip(size, ("height", "width")))
    seed = checks.seed(seed)
    defaults = _module(method).DEFAULTS
    unknown = sorted(set(params) - set(defaults))
    if unknown:
        raise ValueError(f"unknown parameter(s) {', '.join(unknown)} for method {method!r}; "
                         f"it takes: {', '.join(defaults)}")
    params = _METHOD_CHECKS[method](exemplar, size, {**defaults, **params})
    return exemplar, size, seed, {**params, "device": device} if method == "neural" else params


def _efros_leung_params(exemplar, size, params):
    window = checks.whole(params["window"], name="window", low=3, high=99)
    if window % 2 == 0:
        raise ValueError(f"window must be odd so that it has a centre pixel, got {window}; use {window + 1}")
    smallest = min(exemplar.shape[:2])
    if window > smallest:
        raise ValueError(f"the exemplar ({_shape(exemplar)}) is too small for a window of {window}: use a window of "
                         f"at most {smallest - 1 + smallest % 2} or a larger exemplar")
    return {"window": window, "tolerance": checks.real(params["tolerance"], name="tolerance", low=0.0, high=10.0)}


def _quilting_params(exemplar, size, params):
    smallest = min(exemplar.shape[:2])
    block = checks.whole(params["block"], name="block", low=4, high=MAX_SIDE)
    if block > smallest:
        raise ValueError(f"block {block} is larger than the exemplar ({_shape(exemplar)}): use a block of at most "
                         f"{smallest} or a larger exemplar")
    overlap = checks.whole(params["overlap"], name="overlap", low=1, high=block // 2)
    target = params["target"]
    if target is not None:
        target = imaging.resize(imaging.validate(target, name="target"), size)
    return {"block": block, "overlap": overlap, "target": target,
            "tolerance": checks.real(params["tolerance"], name="tolerance", low=0.0, high=10.0),
            "alpha": checks.real(params["alpha"], name="alpha", low=0.0, high=1.0)}


def _fetch_vgg19() -> None:
    """Download VGG-19 for network='vgg19' if the host opted in ($GENLAB_VGG19=1); else, or if that fails, a
    ValueError that says so."""
    if not vgg19.opted_in():
        raise ValueError("network 'vgg19' needs torchvision's VGG-19 weights in the torch hub cache, and they are "
                         f"not there: set {vgg19.ENV}=1 to let GenLab download them (~{vgg19.MB} MB, "
                         "once), or use network='random' or 'auto'")
    weights, note = vgg19.fetch()
    if weights is None:
        raise ValueError(f"{note}; use network='random' or 'auto', which work offline")


def _neural_params(exemplar, size, params):
    neural = _module("neural")
    if min(size) < MIN_NEURAL_SIDE or min(exemplar.shape[:2]) < MIN_NEURAL_SIDE:
        raise ValueError(f"neural synthesis needs an exemplar and an output of at least {MIN_NEURAL_SIDE}x"
                         f"{MIN_NEURAL_SIDE} pixels, got exemplar {_shape(exemplar)} and size {size[1]}x{size[0]}")
    network = checks.choice(params["network"], vgg19.NETWORKS, name="network")
    if network == "vgg19" and vgg19.weights_path() is None:
        _fetch_vgg19()
    return {"network": network, "optimizer": checks.choice(params["optimizer"], neural.OPTIMIZERS, name="optimizer"),
            "steps": checks.whole(params["steps"], name="steps", low=1, high=MAX_STEPS),
            "learning_rate": checks.real(params["learning_rate"], name="learning_rate", low=1e-5, high=1.0)}


_METHOD_CHECKS = {"efros_leung": _efros_leung_params, "quilting": _quilting_params, "neural": _neural_params}


def _shape(image: np.ndarray) -> str:
    """"width x height", as the app writes sizes everywhere."""
    return f"{image.shape[1]}x{image.shape[0]}"
