"""What the neural digit generators (VAE, GAN) share: a latent prior N(0, I), a decoder from codes to pixel
probabilities, and the numpy API ``latents``, ``decode``, ``sample(n, *, seed)`` on top of them."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

SIDE = 28
MAX_SAMPLES = 10_000


class TorchDigitModel(nn.Module):
    """A torch module with ``latent`` (the code size d) and ``logits(z)`` -> (N, 1, 28, 28) pixel logits."""

    latent: int

    @property
    def device(self) -> str:
        return str(next(self.parameters()).device)

    def latents(self, n: int, *, seed: int) -> np.ndarray:
        """n codes z ~ N(0, I_d), float32 (n, d); the same seed gives the same codes on every device."""
        n = count(n)
        generator = torch.Generator().manual_seed(_seed(seed))
        return torch.randn((n, self.latent), generator=generator).numpy()

    def probabilities(self, z: torch.Tensor) -> torch.Tensor:
        """(N, d) -> (N, 1, 28, 28) pixel probabilities sigma(f(z)), differentiable (used by repair)."""
        return torch.sigmoid(self.logits(z))

    def decode(self, codes: np.ndarray) -> np.ndarray:
        """Codes float (n, d) -> digits float32 (n, 28, 28) in [0, 1] (the mean image of p(x | z))."""
        codes = np.asarray(codes, dtype=np.float32)
        if codes.ndim != 2 or codes.shape[1] != self.latent or not np.all(np.isfinite(codes)):
            raise ValueError(f"codes must be finite with shape (n, {self.latent}), got {codes.shape}")
        with torch.inference_mode():
            pixels = self.probabilities(torch.from_numpy(codes).to(self.device))
        return pixels[:, 0].float().cpu().numpy()

    def sample(self, n: int, *, seed: int) -> np.ndarray:
        """n digits, float32 (n, 28, 28) in [0, 1]; the same seed gives the same digits."""
        return self.decode(self.latents(n, seed=seed))


def as_digits(images) -> np.ndarray:
    """Validate a stack of digits: float32 (n, 28, 28) in [0, 1], or a ValueError naming what is wrong."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 2:
        images = images[None]
    if images.ndim != 3 or images.shape[1:] != (SIDE, SIDE) or len(images) == 0:
        raise ValueError(f"digits must have shape (n, 28, 28) or (28, 28), got {images.shape}")
    if not np.all(np.isfinite(images)) or images.min() < 0 or images.max() > 1:
        raise ValueError("digit pixels must be finite and within [0, 1]; convert with generators.imaging.as_float")
    return np.ascontiguousarray(images)


def count(n) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer, float)) or n != n or int(n) != n:
        raise ValueError(f"n must be a whole number of samples, got {n!r}")
    if not 1 <= int(n) <= MAX_SAMPLES:
        raise ValueError(f"n must be between 1 and {MAX_SAMPLES}, got {int(n)}")
    return int(n)


def _seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**63:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    return int(seed)
