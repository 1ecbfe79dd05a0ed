"""A small convolutional GAN of handwritten digits: a DCGAN generator (Radford, Metz & Chintala 2016) trained
against a spectrally normalised discriminator (Miyato et al. 2018) with the hinge loss (Lim & Ye 2017), on
translated copies of both real and generated digits (DiffAugment, Zhao et al. 2020, which keeps the
discriminator from memorising 4,000 digits). The shipped generator is the exponential moving average of the
trained one's weights (Yazici et al. 2019), which gives steadier samples.

Only the generator ships: G maps z ~ N(0, I_d) to pixel probabilities sigma(G(z)) in [0, 1].
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm

from generators.sample.digits import TorchDigitModel


@dataclass(frozen=True)
class GANConfig:
    latent: int = 32
    channels: int = 16         # generator width at 28x28; 2x at 14x14, 4x at 7x7
    critic_channels: int = 32  # discriminator width at 14x14; 2x at 7x7, 4x at 4x4


class GAN(TorchDigitModel):
    """The generator."""

    def __init__(self, config: GANConfig = GANConfig()):
        super().__init__()
        self.config = config
        c, d = config.channels, config.latent
        self.net = nn.Sequential(
            nn.Linear(d, 4 * c * 49), nn.BatchNorm1d(4 * c * 49), nn.ReLU(),
            nn.Unflatten(1, (4 * c, 7, 7)),                                        # (N, 4c, 7, 7)
            nn.ConvTranspose2d(4 * c, 2 * c, 4, 2, 1), nn.BatchNorm2d(2 * c), nn.ReLU(),  # (N, 2c, 14, 14)
            nn.ConvTranspose2d(2 * c, c, 4, 2, 1), nn.BatchNorm2d(c), nn.ReLU(),  # (N, c, 28, 28)
            nn.Conv2d(c, 1, 3, 1, 1),                                              # (N, 1, 28, 28) logits
        )

    @property
    def latent(self) -> int:
        return self.config.latent

    def logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)

    def config_dict(self) -> dict:
        return asdict(self.config)

    @classmethod
    def from_checkpoint(cls, found, device: str = "cpu") -> "GAN":
        model = cls(GANConfig(**found.meta["config"]["model"]))
        model.load_state_dict({key: torch.from_numpy(value) for key, value in found.arrays.items()})
        return model.to(device).eval()


class Discriminator(nn.Module):
    def __init__(self, config: GANConfig = GANConfig()):
        super().__init__()
        c = config.critic_channels
        self.net = nn.Sequential(
            spectral_norm(nn.Conv2d(1, c, 4, 2, 1)), nn.LeakyReLU(0.2),            # (N, c, 14, 14)
            spectral_norm(nn.Conv2d(c, 2 * c, 4, 2, 1)), nn.LeakyReLU(0.2),        # (N, 2c, 7, 7)
            spectral_norm(nn.Conv2d(2 * c, 4 * c, 3, 2, 1)), nn.LeakyReLU(0.2),    # (N, 4c, 4, 4)
            nn.Flatten(),
            spectral_norm(nn.Linear(4 * c * 16, 1)),                               # (N, 1) score
        )

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """(N, 1, 28, 28) in [0, 1] -> (N,) real-vs-fake scores."""
        return self.net(2 * images - 1)[:, 0]
