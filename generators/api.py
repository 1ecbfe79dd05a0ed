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

# The shipped model each learned restorer needs: EPLL's patch prior; the CNN's gray network, or for colour
# images the gray network plus a luminance-guided chroma network.
DENOISE_MODELS = {"epll": ("bsds-epll-gmm", "bsds-epll-gmm"), "cnn": ("bsds-cnn-denoiser", "bsds-cnn-colour")}
DIGIT_AUTOENCODERS = "mnist-dae"


def denoise_model(method: str, *, colour: bool):
    """The model generators.denoise's ``method`` takes as ``model=`` (for a colour image when ``colour``), or
    None for a method that needs none."""
    if method not in DENOISE_MODELS:
        return None
    gray, rgb = DENOISE_MODELS[method]
    return registry.load(rgb if colour else gray)


def denoise(image, *, method: str, sigma: float, known=None, **params):
    """generators.denoise.denoise with the shipped model the method needs (unless ``model=`` is given)."""
    from generators import denoise as family

    if params.get("model") is None and method in DENOISE_MODELS:
        params["model"] = denoise_model(method, colour=getattr(image, "ndim", 2) == 3)
    return family.denoise(image, method=method, sigma=sigma, known=known, **params)


def compare_denoisers(clean, corrupted, *, methods, **options):
    """generators.denoise.compare (one Row per method: restored image, PSNR, SSIM, seconds) with the shipped
    models its methods need, loaded before the first method starts so no load is timed."""
    from generators import denoise as family

    names = [method for method, _ in methods.values()] if isinstance(methods, dict) else list(methods)
    colour = getattr(corrupted, "ndim", 2) == 3
    models = {name: denoise_model(name, colour=colour) for name in set(names) & set(DENOISE_MODELS)}
    return family.compare(clean, corrupted, methods=methods, models=models, **options)


def digit_autoencoders():
    """The shipped denoising autoencoders on MNIST digits, one per training noise level."""
    return registry.load(DIGIT_AUTOENCODERS)


def digit_autoencoder_card() -> dict:
    """The digit autoencoders' model card (its measured metrics), read without loading the weights."""
    return registry.card(DIGIT_AUTOENCODERS)



# --- style and texture ---------------------------------------------------------------------------------------


def fast_style(name: str):
    """The shipped feed-forward style network ``style-<name>`` (a generators.style.fast.FastStyle), loaded once;
    ValueError listing the shipped names for any other ``name``."""
    names = fast_styles()
    if not isinstance(name, str) or name not in names:
        shown = name if isinstance(name, str) else f"a {type(name).__name__}"
        raise ValueError(f"method 'fast' needs a shipped style name, got {shown!r}; choose one of: "
                         f"{', '.join(names)} (or use method 'gatys', 'reinhard' or 'histogram' with a style image)")
    return registry.load(f"style-{name}")


def fast_style_card(name: str) -> dict:
    """The JSON card of the shipped style network ``style-<name>`` (config, command, metrics), without loading it."""
    return registry.card(f"style-{name}")


def stylize(content, style, *, method: str = "fast", **options):
    """generators.style.stylize with what ``method`` needs: for "fast", ``style`` names a shipped style whose
    network is loaded here; "gatys" optimises on the app's device."""
    from generators import style as styles

    if method == "fast":
        return styles.stylize(content, method=method, model=fast_style(style), **options)
    if method == "gatys":
        options = {"device": device(), **options}
    return styles.stylize(content, style, method=method, **options)


def gatys(content, style, **options):
    """generators.style.gatys on the app's device: an iterator of GatysStep previews."""
    from generators import style as styles

    return styles.gatys(content, style, device=device(), **options)


def synthesize(exemplar, **options):
    """generators.texture.synthesize; neural synthesis optimises on the app's device."""
    from generators import texture

    return texture.synthesize(exemplar, device=device(), **options)


def synthesize_steps(exemplar, **options):
    """generators.texture.synthesize_steps (an iterator of Step); neural synthesis optimises on the app's device."""
    from generators import texture

    return texture.synthesize_steps(exemplar, device=device(), **options)


# --- sample (digits) -----------------------------------------------------------------------------------------


# --- training ------------------------------------------------------------------------------------------------


def trainers() -> dict[str, str]:
    """Model name -> the module that trains it (``ModelSpec.trainer``), for ``python -m generators.train NAME``."""
    return {name: spec.trainer for name, spec in registry.MODELS.items()}
