"""The edge of the compute layer: the one module under ``generators/`` that asks the registry for models.

The rule (README, "Layout"): technique families (``generators/denoise``, ``style``, ``texture``, ``sample``,
``live``) never load a model themselves; they take the model object, or the torch device, as an argument.
Callers at the edge (the ui, the benchmarks and the trainers) come here, which loads what a request needs from
``generators.registry`` (lazily, once, on the GPU when there is one) and hands it to the family.
"""

from __future__ import annotations

from generators import registry

STYLE_KIND = "Feed-forward style network"


def load(name: str):
    """The shipped model ``name``, loaded on first use and cached (see generators.registry)."""
    return registry.load(name)


def device() -> str:
    """The torch device models and optimisations run on: "cuda" when there is a GPU (or as set), else "cpu"."""
    return registry.device()


def fast_styles() -> list[str]:
    """Names of the shipped feed-forward styles (registry entries of kind STYLE_KIND, without the ``style-``)."""
    return sorted(name.removeprefix("style-") for name in registry.default.names(kind=STYLE_KIND))


# --- denoise -------------------------------------------------------------------------------------------------


# --- style and texture ---------------------------------------------------------------------------------------


# --- sample (digits) -----------------------------------------------------------------------------------------


# --- training ------------------------------------------------------------------------------------------------


def trainers() -> dict[str, str]:
    """Model name -> the module that trains it (``ModelSpec.trainer``), for ``python -m generators.train NAME``."""
    return {name: spec.trainer for name, spec in registry.MODELS.items()}
