"""What the Sample tab's rooms share: the models offered, and the one wording of a choice and of a time."""

from __future__ import annotations

import time

from generators import checks

# Label shown in the UI -> registry name. Every entry offers sample(n, *, seed).
SAMPLERS = {
    "GMM: PCA + Gaussian mixture": "mnist-gmm",
    "VAE: variational autoencoder": "mnist-vae",
    "GAN: generative adversarial network": "mnist-gan",
}
# The models with a latent code z drawn from a prior and a decoder that draws it (interpolation, repair).
LATENT_MODELS = {label: name for label, name in SAMPLERS.items() if name != "mnist-gmm"}
DIGITS = [str(digit) for digit in range(10)]
VAE, GAN = "VAE: variational autoencoder", "GAN: generative adversarial network"


def model_name(label: str, choices: dict) -> str:
    """The registry name behind a model's label, or a ValueError listing the labels."""
    return choices[checks.choice(label, choices, name="model")]


def elapsed(start: float) -> str:
    """Milliseconds since ``start`` (a time.perf_counter()), in italics."""
    return f"*{(time.perf_counter() - start) * 1000:.0f} ms*"
