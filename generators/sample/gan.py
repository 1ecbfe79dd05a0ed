"""A small convolutional GAN of handwritten digits: a DCGAN generator (Radford, Metz & Chintala 2016) trained
against a spectrally normalised discriminator (Miyato et al. 2018) with the hinge loss (Lim & Ye 2017), on
translated copies of both real and generated digits (DiffAugment, Zhao et al. 2020, which keeps the
discriminator from memorising 4,000 digits). The shipped generator is the exponential moving average of the
trained one's weights (Yazici et al. 2019), which gives steadier samples.

With ``classes`` = 10 the GAN is class-conditional: the generator reads the digit as a one-hot vector beside
the noise (Mirza & Osindero 2014), and the discriminator scores the pair (x, y) by projection (Miyato &
Koyama 2018). Its code is then [z, one-hot(y)]: ``sample`` draws y uniformly, ``sample(n, seed=, digit=)``
draws only that digit.

Only the generator ships: G maps a code to pixel probabilities sigma(G(code)) in [0, 1].
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.parametrizations import spectral_norm

from generators import checks
from generators.sample import count
from generators.sample.digits import TorchDigitModel


@dataclass(frozen=True)
class GANConfig:
    latent: int = 32
    channels: int = 16         # generator width at 28x28; 2x at 14x14, 4x at 7x7
    critic_channels: int = 32  # discriminator width at 14x14; 2x at 7x7, 4x at 4x4
    classes: int = 0           # 0: unconditional; 10: one-hot digit in the code, projection discriminator


class GAN(TorchDigitModel):
    """The generator."""

    def __init__(self, config: GANConfig = GANConfig()):
        super().__init__()
        self.config = config
        c, d = config.channels, config.latent + config.classes
        self.net = nn.Sequential(
            nn.Linear(d, 4 * c * 49), nn.BatchNorm1d(4 * c * 49), nn.ReLU(),
            nn.Unflatten(1, (4 * c, 7, 7)),                                        # (N, 4c, 7, 7)
            nn.ConvTranspose2d(4 * c, 2 * c, 4, 2, 1), nn.BatchNorm2d(2 * c), nn.ReLU(),  # (N, 2c, 14, 14)
            nn.ConvTranspose2d(2 * c, c, 4, 2, 1), nn.BatchNorm2d(c), nn.ReLU(),  # (N, c, 28, 28)
            nn.Conv2d(c, 1, 3, 1, 1),                                              # (N, 1, 28, 28) logits
        )

    @property
    def latent(self) -> int:
        """The width of a code: the noise, then the one-hot digit when the GAN is conditional."""
        return self.config.latent + self.config.classes

    @property
    def conditional(self) -> bool:
        """Whether the code carries the digit (``classes`` > 0)."""
        return bool(self.config.classes)

    def codes(self, noise: torch.Tensor, digits: torch.Tensor | None = None) -> torch.Tensor:
        """Noise (N, latent) and digits (N,) int64 -> codes (N, latent + classes) = [z, one-hot(y)]."""
        if not self.config.classes:
            return noise
        return torch.cat([noise, F.one_hot(digits, self.config.classes).to(noise.dtype)], 1)

    def draw(self, n: int, generator: torch.Generator) -> torch.Tensor:
        """n codes: z ~ N(0, I) and, when conditional, y uniform over the classes (torch, for training)."""
        noise = torch.randn((n, self.config.latent), generator=generator)
        digits = torch.randint(self.config.classes, (n,), generator=generator) if self.config.classes else None
        return self.codes(noise, digits)

    def latents(self, n: int, *, seed: int, digit: int | None = None) -> np.ndarray:
        """n codes float32 (n, latent): z ~ N(0, I) and a uniformly drawn digit (or ``digit``) as one-hot."""
        n = count(n)
        generator = torch.Generator().manual_seed(checks.seed(seed))
        if digit is None:
            return self.draw(n, generator).numpy()
        if not self.config.classes:
            raise ValueError("this GAN is unconditional: sample without digit= (or use api.sample_digit)")
        digit = checks.whole(digit, name="digit", low=0, high=self.config.classes - 1)
        noise = torch.randn((n, self.config.latent), generator=generator)
        return self.codes(noise, torch.full((n,), digit)).numpy()

    def sample(self, n: int, *, seed: int, digit: int | None = None) -> np.ndarray:
        """n digits, float32 (n, 28, 28) in [0, 1] (all of class ``digit`` when given); same seed, same digits."""
        return self.decode(self.latents(n, seed=seed, digit=digit))

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
        self.features = nn.Sequential(
            spectral_norm(nn.Conv2d(1, c, 4, 2, 1)), nn.LeakyReLU(0.2),            # (N, c, 14, 14)
            spectral_norm(nn.Conv2d(c, 2 * c, 4, 2, 1)), nn.LeakyReLU(0.2),        # (N, 2c, 7, 7)
            spectral_norm(nn.Conv2d(2 * c, 4 * c, 3, 2, 1)), nn.LeakyReLU(0.2),    # (N, 4c, 4, 4)
            nn.Flatten(),                                                          # (N, 64c): phi(x)
        )
        self.score = spectral_norm(nn.Linear(4 * c * 16, 1))
        self.embed = spectral_norm(nn.Embedding(config.classes, 4 * c * 16)) if config.classes else None

    def forward(self, images: torch.Tensor, digits: torch.Tensor | None = None) -> torch.Tensor:
        """(N, 1, 28, 28) in [0, 1] (and (N,) digits when conditional) -> (N,) real-vs-fake scores."""
        phi = self.features(2 * images - 1)
        # Projection discriminator (Miyato & Koyama 2018): D(x, y) = psi(phi(x)) + <embed(y), phi(x)>.
        score = self.score(phi)[:, 0]
        if self.embed is None:
            return score
        return score + (self.embed(digits) * phi).sum(1)
