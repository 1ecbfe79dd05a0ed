"""toy-gan: a generative adversarial network on 2-D points (Goodfellow et al. 2014), as GAN Lab shows it
(Kahng et al. 2019): a small MLP generator G maps codes z ~ N(0, I) to points, an MLP discriminator D scores
points as real or generated. Both take one Adam step per training step, D first, with the non-saturating
generator loss (Goodfellow et al. 2014, section 3)."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from generators.live.points import DATASETS, make
from generators.live.run import Run, choice, number_in, seeded, whole


def _mlp(inputs: int, hidden: int, outputs: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(inputs, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, hidden), nn.LeakyReLU(0.2),
                         nn.Linear(hidden, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, outputs))


class GAN2DRun(Run):
    kind = "toy-gan"
    chunk = 5

    def __init__(self, seed: int = 0, *, data: str = "ring8", lr: float = 1e-3, batch: int = 256, code: int = 8,
                 hidden: int = 128, points=None, labels=None):
        super().__init__(seed)
        choice(data, "data", DATASETS, self.kind)
        x, _ = make(data, seed=self.seed, points=points, labels=labels, kind=self.kind)
        self.x = torch.from_numpy(x)
        lr = number_in(lr, "lr", 1e-5, 0.1, self.kind)
        self.batch = whole(batch, "batch", 8, 1024, self.kind)
        self.code = whole(code, "code", 1, 64, self.kind)
        hidden = whole(hidden, "hidden", 4, 512, self.kind)
        self.generator = torch.Generator().manual_seed(self.seed)
        self.g, self.d = seeded(self.seed, lambda: (_mlp(self.code, hidden, 2), _mlp(2, hidden, 1)))
        self.g_opt = torch.optim.Adam(self.g.parameters(), lr=lr, betas=(0.5, 0.999))
        self.d_opt = torch.optim.Adam(self.d.parameters(), lr=lr, betas=(0.5, 0.999))

    def _codes(self, n: int, generator: torch.Generator) -> torch.Tensor:
        return torch.randn(n, self.code, generator=generator)

    def _step(self) -> dict[str, float]:
        real = self.x[torch.randint(0, len(self.x), (self.batch,), generator=self.generator)]
        fake = self.g(self._codes(self.batch, self.generator))
        # D ascends log D(x) + log(1 - D(G(z))) (Goodfellow et al. 2014, eq. 1), written with logits:
        # softplus(-a) = -log sigma(a), softplus(a) = -log(1 - sigma(a)).
        d_loss = F.softplus(-self.d(real)).mean() + F.softplus(self.d(fake.detach())).mean()
        self.d_opt.zero_grad(set_to_none=True)
        d_loss.backward()
        self.d_opt.step()
        # G descends -log D(G(z)), the non-saturating loss (Goodfellow et al. 2014, section 3).
        g_loss = F.softplus(-self.d(fake)).mean()
        self.g_opt.zero_grad(set_to_none=True)
        g_loss.backward()
        self.g_opt.step()
        return {"D loss": d_loss.item(), "G loss": g_loss.item()}

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        n = whole(n, "n", 1, 100_000, self.kind)
        with torch.no_grad():
            return self.g(self._codes(n, torch.Generator().manual_seed(int(seed)))).numpy().astype(np.float32)

    def discriminator(self, grid: np.ndarray) -> np.ndarray:
        """D's probability that each of the (M, 2) points is real."""
        with torch.no_grad():
            return torch.sigmoid(self.d(torch.from_numpy(grid.astype(np.float32))))[:, 0].numpy()

    def generator_pull(self, fake: np.ndarray) -> np.ndarray:
        """-d(G loss)/dx at generated points x: the direction the generator's next step moves each one."""
        moved = torch.from_numpy(fake.astype(np.float32)).requires_grad_(True)
        (gradient,) = torch.autograd.grad(F.softplus(-self.d(moved)).sum(), moved)
        return -gradient.numpy()

    def _extra(self) -> dict:
        return {"data": self.x.numpy()}
