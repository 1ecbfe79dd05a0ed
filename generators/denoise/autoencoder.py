"""Denoising autoencoders of handwritten digits (Vincent, Larochelle, Bengio & Manzagol, ICML 2008), for
teaching: a small convolutional encoder squeezes a noisy digit into a 32-number code, a decoder rebuilds the
clean digit from that code alone. One network per training noise level, so a student can see what a network
trained for little noise does with a lot, and the other way round.

    code = E(x + sigma_train n),  x_hat = sigmoid(D(code)),  trained to minimise BCE(x_hat, x)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from generators.imaging import DIGIT_SIDE as SIDE, validate_digits


@dataclass(frozen=True)
class DAEConfig:
    code: int = 32          # bottleneck size
    channels: int = 32      # encoder width at 14x14; 2x at 7x7


class DAE(nn.Module):
    """One denoising autoencoder: (N, 1, 28, 28) -> code (N, code) -> pixel logits (N, 1, 28, 28)."""

    def __init__(self, config: DAEConfig = DAEConfig()):
        super().__init__()
        c, d = config.channels, config.code
        self.config = config
        self.encoder = nn.Sequential(
            nn.Conv2d(1, c, 3, 2, 1), nn.ReLU(),                        # (N, c, 14, 14)
            nn.Conv2d(c, 2 * c, 3, 2, 1), nn.ReLU(),                    # (N, 2c, 7, 7)
            nn.Flatten(), nn.Linear(2 * c * 49, d),                     # (N, d)
        )
        self.decoder = nn.Sequential(
            nn.Linear(d, 2 * c * 49), nn.ReLU(), nn.Unflatten(1, (2 * c, 7, 7)),
            nn.ConvTranspose2d(2 * c, c, 4, 2, 1), nn.ReLU(),           # (N, c, 14, 14)
            nn.ConvTranspose2d(c, 1, 4, 2, 1),                          # (N, 1, 28, 28) logits
        )

    def forward(self, noisy: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(noisy))


class DenoisingAutoencoders(nn.Module):
    """The shipped family: one DAE per training noise level (sigma on the [0, 1] pixel scale)."""

    def __init__(self, levels: tuple[float, ...], config: DAEConfig = DAEConfig()):
        super().__init__()
        self.levels = tuple(float(level) for level in levels)
        self.config = config
        self.nets = nn.ModuleList(DAE(config) for _ in self.levels)

    @property
    def device(self) -> str:
        return str(next(self.parameters()).device)

    def net(self, level: float) -> DAE:
        for trained, net in zip(self.levels, self.nets):
            if abs(trained - float(level)) < 1e-6:
                return net
        raise ValueError(f"no autoencoder was trained for noise {level!r}; choose one of {list(self.levels)}")

    @torch.no_grad()
    def encode(self, digits: np.ndarray, level: float) -> np.ndarray:
        """Noisy digits float (n, 28, 28) in [0, 1] -> bottleneck codes float32 (n, code)."""
        x = torch.from_numpy(validate_digits(digits)[:, None]).to(self.device)
        return self.net(level).encoder(x).cpu().numpy()

    @torch.no_grad()
    def denoise(self, digits: np.ndarray, level: float) -> np.ndarray:
        """Noisy digits float (n, 28, 28) in [0, 1] -> reconstructions float32 (n, 28, 28) in [0, 1]."""
        x = torch.from_numpy(validate_digits(digits)[:, None]).to(self.device)
        return torch.sigmoid(self.net(level)(x))[:, 0].cpu().numpy()

    def config_dict(self) -> dict:
        return {"levels": list(self.levels), **asdict(self.config)}

    @classmethod
    def from_checkpoint(cls, found, device: str = "cpu") -> "DenoisingAutoencoders":
        config = dict(found.meta["config"])
        model = cls(tuple(config.pop("levels")), DAEConfig(**config))
        model.load_state_dict({key: torch.from_numpy(value) for key, value in found.arrays.items()})
        return model.to(device).eval()


def noisy_digits(digits: np.ndarray, *, sigma: float, seed: int) -> np.ndarray:
    """x + sigma n, clipped to [0, 1] (a digit image stays an image), float32 (n, 28, 28); seeded."""
    digits = validate_digits(digits)
    noise = np.random.default_rng(seed).standard_normal(digits.shape).astype(np.float32)
    return np.clip(digits + float(sigma) * noise, 0.0, 1.0).astype(np.float32)


__all__ = ["DAE", "DAEConfig", "DenoisingAutoencoders", "SIDE", "noisy_digits"]
