"""What the neural digit generators (VAE, GAN) share: a latent prior N(0, I), a decoder from codes to pixel
probabilities, and the numpy API ``latents``, ``decode``, ``sample(n, *, seed)`` on top of them."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from generators import checks
from generators.sample import count


class TorchDigitModel(nn.Module):
    """A torch module with ``latent`` (the code size d) and ``logits(z)`` -> (N, 1, 28, 28) pixel logits."""

    latent: int

    @property
    def device(self) -> str:
        return str(next(self.parameters()).device)

    def latents(self, n: int, *, seed: int) -> np.ndarray:
        """n codes z ~ N(0, I_d), float32 (n, d); the same seed gives the same codes on every device."""
        n = count(n)
        generator = torch.Generator().manual_seed(checks.seed(seed))
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
