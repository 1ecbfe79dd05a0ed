"""The edge of the compute layer: the one module under ``generators/`` that asks the registry for models.

The rule (README, "Layout"): technique families (``generators/denoise``, ``style``, ``texture``, ``sample``,
``live``) never load a model themselves; they take the model object, or the torch device, as an argument.
Callers at the edge (the ui, the benchmarks and the trainers) come here, which loads what a request needs from
``generators.registry`` (lazily, once, on the GPU when there is one) and hands it to the family.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from generators import registry

STYLE_KIND = "Feed-forward style network"
LOG = logging.getLogger("genlab")


def load(name: str):
    """The shipped model ``name``, loaded on first use and cached (see generators.registry)."""
    return registry.load(name)


# What the tabs' default runs use (Denoise's colour and gray CNNs, the digit autoencoders, the VAE behind Repair
# and Draw, the LeNet that reads drawings, and the held-out digits they show, 3 s to read): loading them all
# takes several seconds, which a first click in front of a class would otherwise wait for.
WARM_UP = ("bsds-cnn-colour", "bsds-cnn-denoiser", "mnist-dae", "mnist-vae", "mnist-lenet")


def warm_up(names=WARM_UP) -> list[str]:
    """Load ``names`` now (the app calls this in a background thread after start-up); returns those loaded. A
    model that cannot load is logged and skipped: its tab says why when it is asked for."""
    from generators.checkpoint import CheckpointError
    from generators.datasets import mnist

    digits = mnist("test").images
    loaded = []
    for name in names:
        try:
            registry.load(name)
            loaded.append(name)
        except (CheckpointError, OSError) as error:
            LOG.warning("warm-up skipped %s: %s", name, error)
    if "mnist-vae" in loaded:
        # Two steps of the Repair search: torch's first backward pass and Adam step set up lazily (about 2 s
        # on 2 cores), which the first Repair click would otherwise wait for.
        missing = np.zeros(digits.shape[1:], dtype=bool)
        missing[digits.shape[1] // 2:] = True
        for _ in repair("mnist-vae", digits[0], missing, steps=2, restarts=8, every=1):
            pass
    return loaded


def model_hashes(names) -> dict[str, str]:
    """{name: sha256} of each shipped model in ``names``, from checkpoints/manifest.json without loading it: its
    weight file's sha256, or for sharded weights the sha256 of the index's and shards' hashes, one a line;
    "missing" for a model the manifest does not list."""
    import hashlib

    from generators import checkpoint

    manifest = checkpoint.read_manifest(registry.default.directory)
    found = {}
    for name in dict.fromkeys(names):
        files = [manifest.get(path.name, {}).get("sha256") for path in
                 checkpoint.weight_files(registry.default.directory, registry.default.spec(name).name)]
        found[name] = ("missing" if None in files else files[0] if len(files) == 1 else
                       hashlib.sha256("\n".join(files).encode()).hexdigest())
    return found


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

# The classifier that reads digits, and the model with an encoder and a likelihood (drawings, the latent map).
DIGIT_READER = "mnist-lenet"
DIGIT_VAE = "mnist-vae"
# A drawing whose ELBO falls this far below the worst 1 % of held-out digits is not read as a digit.
UNREADABLE_MARGIN_NATS = 100.0
# The last readings, by (VAE, 28x28 digit): the ELBO's refinement takes seconds, and a class re-reads the
# same example drawings.
READINGS_KEPT = 64
_READINGS: dict[tuple[int, bytes], "Reading"] = {}


@dataclass(frozen=True)
class Reading:
    digit: np.ndarray            # float32 (28, 28): the drawing, MNIST-style
    elbo: float                  # the VAE's evidence lower bound for it, nats
    reconstruction: np.ndarray   # float32 (28, 28): the VAE's decoding of its code
    chances: np.ndarray          # float64 (10,): the classifier's probability of each digit
    typical: float | None = None  # the same bound's mean over the held-out digits, nats (from the VAE's card)


def sample_card(name: str) -> dict:
    """The card of digit model ``name`` (config, metrics) from its checkpoint's JSON."""
    return registry.card(name)


def sample(name: str, n, *, seed, digit=None) -> np.ndarray:
    """``n`` digits (n, 28, 28) from the digit model ``name``, drawn with ``seed``; with ``digit``, all of that
    class, which only a class-conditional model (mnist-gan) can do exactly (else see ``sample_digit``)."""
    model = registry.load(name)
    if digit is None:
        return model.sample(n, seed=seed)
    if not getattr(model, "conditional", False):
        raise ValueError(f"{name} cannot be told which digit to draw: use sample_digit (classifier-guided) or "
                         "the class-conditional mnist-gan")
    return model.sample(n, seed=seed, digit=digit)


@dataclass(frozen=True)
class AskedDigits:
    digits: np.ndarray   # float32 (k, 28, 28), k <= the number asked for
    by_model: bool       # drawn by the model itself (class-conditional), else chosen by the classifier from a pool
    share: float         # by_model: the share the classifier reads as the digit; else the pool's share accepted
    pool: int = 0        # the pool the classifier chose from (0 when by_model)


def sample_digit(name: str, digit, n, *, seed, pool: int = 4096) -> AskedDigits:
    """``n`` samples of ``name`` of class ``digit``: a class-conditional model (mnist-gan) draws them itself, with
    nothing rejected; for the others the classifier keeps those it reads as ``digit`` from ``pool`` samples
    (generators.sample.latent.sample_digit; fewer than ``n`` when fewer qualify)."""
    from generators import checks
    from generators.sample import latent

    model, reader = registry.load(name), registry.load(DIGIT_READER)
    if getattr(model, "conditional", False):
        digit = checks.whole(digit, name="digit", low=0, high=9)
        digits = model.sample(checks.whole(n, name="n", low=1, high=pool), seed=seed, digit=digit)
        return AskedDigits(digits, True, float(np.mean(reader.class_probabilities(digits).argmax(1) == digit)))
    digits, share = latent.sample_digit(model, reader, digit, n, seed=seed, pool=pool)
    return AskedDigits(digits, False, share, pool)


def interpolate_seeds(name: str, seed_a, seed_b, *, frames) -> np.ndarray:
    """Digits (frames, 28, 28) decoded along the great circle from the code of ``seed_a`` to that of ``seed_b``."""
    from generators.sample import latent

    sampler = registry.load(name)
    return latent.interpolate(sampler, sampler.latents(1, seed=seed_a)[0], sampler.latents(1, seed=seed_b)[0],
                              frames=frames)


def latent_map(images: np.ndarray, labels: np.ndarray, *, size):
    """The VAE's decoded latent plane over ``images``' codes (generators.sample.latent.latent_map)."""
    from generators.sample import latent

    return latent.latent_map(registry.load(DIGIT_VAE), images, labels, size=size)


def drawn_digit(rgba: np.ndarray) -> np.ndarray:
    """A sketchpad composite -> an MNIST-style (28, 28) digit; a blank pad is a ValueError. No model runs."""
    from generators.sample import sketch

    return sketch.mnist_style(sketch.ink_from_rgba(rgba))


def read_drawing(rgba: np.ndarray) -> Reading:
    """A sketchpad composite -> an MNIST-style digit, its ELBO, the VAE's reconstruction and the classifier's
    reading; a blank pad, or a drawing the VAE finds far less likely than any real digit, is a ValueError."""
    digit = drawn_digit(rgba)
    vae = registry.load(DIGIT_VAE)
    key = (id(vae), digit.tobytes())
    if (found := _READINGS.get(key)) is not None:   # deterministic: the same drawing reads the same
        return found
    # The quick bound (100 Adam steps on q instead of 500: a fifth of the time, 0.66 nats lower on average),
    # held against the same bound's figures for the held-out digits.
    from generators.sample.vae import QUICK_ELBO_MEAN, QUICK_ELBO_P01, QUICK_REFINE_LR, QUICK_REFINE_STEPS

    elbo = float(vae.elbo(digit, refine=QUICK_REFINE_STEPS, refine_lr=QUICK_REFINE_LR)[0])
    held_out = sample_card(DIGIT_VAE).get("metrics", {})
    floor = held_out.get(QUICK_ELBO_P01)
    if floor is not None and elbo < floor - UNREADABLE_MARGIN_NATS:
        raise ValueError(f"this does not look like a handwritten digit to the VAE (ELBO {elbo:.0f} nats; the "
                         f"worst 1 % of real digits score above {floor:.0f}): draw one digit, 0-9, in one or two "
                         "strokes")
    chances = registry.load(DIGIT_READER).class_probabilities(digit[None])[0]
    reading = Reading(digit, elbo, vae.reconstruct(digit)[0], chances,
                      held_out.get(QUICK_ELBO_MEAN))
    while len(_READINGS) >= READINGS_KEPT:
        _READINGS.pop(next(iter(_READINGS)), None)
    _READINGS[key] = reading
    return reading


def morph(start: np.ndarray, end: np.ndarray, *, frames) -> np.ndarray:
    """Digits (frames, 28, 28) from digit ``start`` to digit ``end`` through the VAE's latent space."""
    from generators.sample import latent

    vae = registry.load(DIGIT_VAE)
    codes = vae.encode(np.stack([start, end]))
    return latent.interpolate(vae, codes[0], codes[1], frames=frames)


def repair(name: str, image: np.ndarray, missing: np.ndarray, **options) -> Iterator:
    """Fill the ``missing`` pixels of ``image`` with model ``name`` (generators.sample.latent.repair), streamed."""
    from generators.sample import latent

    return latent.repair(registry.load(name), image, missing, **options)


def gmm_components(name: str = "mnist-gmm"):
    """The mixture ``name``: its component means as digits and weights (heaviest first), its number of
    components and of PCA dimensions."""
    sampler = registry.load(name)
    means, weights = sampler.component_means()
    return means, weights, sampler.components, sampler.dims



# --- training ------------------------------------------------------------------------------------------------


def trainers() -> dict[str, str]:
    """Model name -> the module that trains it (``ModelSpec.trainer``), for ``python -m generators.train NAME``."""
    return {name: spec.trainer for name, spec in registry.MODELS.items()}
