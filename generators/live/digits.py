"""Digit models trained from scratch in the page, on the first ``train_digits`` of the 4,000 training digits
(generators.datasets.mnist; 100 of them shows overfitting), measured on the 1,000 held-out ones as they learn.
The VAE and DAE are the shipped models' architectures (generators.sample.vae, generators.denoise.autoencoder)
made narrow, so a step takes milliseconds on a CPU:

- mnist-gan: a fully connected generator (128 and 256 units; ``net="conv"``: the shipped DCGAN made narrow)
  against a spectrally normalised discriminator with the hinge loss, as the shipped GAN (Goodfellow et al.
  2014; Miyato et al. 2018; Lim & Ye 2017); samples come from an exponential moving average of the generator's
  weights (Yazici et al. 2019). The fully connected pair takes about 16 ms a step on one core, the narrow DCGAN
  about 45 ms, and the first learns faster per second (benchmarks/live_gan_select.py, judged by a scikit-learn MLP).
- mnist-vae: a convolutional VAE with a N(0, I) prior (Kingma & Welling 2014); the curves are the negative
  ELBO in nats per digit on every training batch, and every EVAL_EVERY steps on (up to) 1,000 training digits and
  on the held-out digits, measured alike at the same weights.
- mnist-dae: a denoising autoencoder (Vincent et al. 2008) for Gaussian noise of std ``noise``; samples are
  drawn by running its corrupt-and-denoise Markov chain (Bengio, Yao, Alain & Vincent 2013).
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.parametrizations import spectral_norm

from generators import metrics
from generators.datasets import mnist
from generators.denoise.autoencoder import DAE, DAEConfig, noisy_digits
from generators.live.run import Run, choice, number_in, seeded, whole
from generators.sample.digits import TorchDigitModel
from generators.sample.gan import GAN, Discriminator, GANConfig
from generators.sample.vae import VAE, VAEConfig

EVAL_EVERY = 50        # steps between held-out measurements
EVAL_TRAIN = 1000      # training digits measured beside the held-out ones
GRID = (6, 10)         # rows, columns of the sample picture
MAX_SAMPLES = 10_000
# mnist-gan's networks -> (default, lowest, highest) width: DCGAN channels at 28x28, or hidden units of the MLP.
GAN_WIDTHS = {"mlp": (128, 16, 1024), "conv": (8, 4, 32)}


class DigitRun(Run):
    """What the three digit kinds share: the data, batches, held-out curves and the sample picture."""

    chunk = 1

    def __init__(self, seed: int, *, lr: float, batch: int, code: int, train_digits: int):
        super().__init__(seed)
        self.lr = number_in(lr, "lr", 1e-5, 0.05, self.kind)
        self.batch = whole(batch, "batch", 8, 512, self.kind)
        self.code = whole(code, "code", 2, 128, self.kind)
        count = whole(train_digits, "train_digits", 100, 4000, self.kind)
        self.train_x = torch.from_numpy(mnist("train").images[:count, None])        # (n, 1, 28, 28)
        self.test_x = torch.from_numpy(mnist("test").images[:, None])               # (1000, 1, 28, 28)
        self.generator = torch.Generator().manual_seed(self.seed)
        self.held_out: dict[str, tuple[list[int], list[float]]] = {}

    def _batch(self) -> torch.Tensor:
        return self.train_x[torch.randint(0, len(self.train_x), (self.batch,), generator=self.generator)]

    def _record(self, losses: dict[str, float]) -> None:
        super()._record(losses)
        if self.step % EVAL_EVERY == 0:
            for name, value in zip((self.train_curve, self.held_curve), self._measure()):
                steps, values = self.held_out.setdefault(name, ([], []))
                steps.append(self.step)
                values.append(value)

    def _measure(self) -> tuple[float, float]:
        """(training value, held-out value) of the watched loss at the current weights, measured alike on the first
        EVAL_TRAIN training digits and on the 1,000 held-out ones. (A mean over the past batches lagged behind the
        weights: at step 50 it read 300 nats against 200 held out, as if unseen digits were easier.)"""
        return self._loss_on(train=True), self._loss_on(train=False)

    def _extra(self) -> dict:
        return {"held_out": {name: (list(s), list(v)) for name, (s, v) in self.held_out.items()}}

    def picture(self) -> np.ndarray:
        """A grid of digits (ink bright on black), float32 (6 * 28, 10 * 28) in [0, 1]."""
        return tile(self._picture_digits())

    def _picture_digits(self) -> np.ndarray:
        return self.sample(GRID[0] * GRID[1], seed=0)

    def _count(self, n) -> int:
        return whole(n, "n", 1, MAX_SAMPLES, self.kind)


class DigitGANRun(DigitRun):
    kind = "mnist-gan"
    watched = "D loss"
    train_curve, held_curve = "D(x) on training digits", "D(x) on held-out digits"

    def __init__(self, seed: int = 0, *, lr: float = 5e-4, batch: int = 64, code: int = 32, train_digits: int = 4000,
                 net: str = "mlp", width: int | None = None):
        super().__init__(seed, lr=lr, batch=batch, code=code, train_digits=train_digits)
        self.net = choice(net, "net", tuple(GAN_WIDTHS), self.kind)
        default, low, high = GAN_WIDTHS[self.net]
        width = whole(default if width is None else width, "width", low, high, self.kind)
        if self.net == "conv":
            config = GANConfig(latent=self.code, channels=width, critic_channels=2 * width)
            self.g, self.d = seeded(self.seed, lambda: (GAN(config), Discriminator(config)))
        else:
            self.g, self.d = seeded(self.seed, lambda: (MLPGenerator(self.code, width), MLPDiscriminator(width)))
        self.average = copy.deepcopy(self.g).eval()
        self.g_opt = torch.optim.Adam(self.g.parameters(), lr=self.lr, betas=(0.0, 0.9))
        self.d_opt = torch.optim.Adam(self.d.parameters(), lr=self.lr, betas=(0.0, 0.9))

    def _step(self) -> dict[str, float]:
        real = self._batch()
        fake = torch.sigmoid(self.g.logits(torch.randn(self.batch, self.code, generator=self.generator)))
        # Hinge loss (Lim & Ye 2017): D minimises E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))], G minimises -E[D(G(z))].
        d_loss = F.relu(1 - self.d(real)).mean() + F.relu(1 + self.d(fake.detach())).mean()
        self.d_opt.zero_grad(set_to_none=True)
        d_loss.backward()
        self.d_opt.step()
        g_loss = -self.d(fake).mean()
        self.g_opt.zero_grad(set_to_none=True)
        g_loss.backward()
        self.g_opt.step()
        self._average()
        return {"D loss": d_loss.item(), "G loss": g_loss.item()}

    @torch.no_grad()
    def _average(self) -> None:
        """theta_avg <- beta theta_avg + (1 - beta) theta, beta = min(0.999, (1 + t) / (10 + t)) (Yazici et al. 2019;
        the warm-up keeps early pictures current). Batch-norm statistics are copied."""
        beta = min(0.999, (1 + self.step) / (10 + self.step))
        for averaged, current in zip(self.average.parameters(), self.g.parameters()):
            averaged.lerp_(current, 1 - beta)
        for averaged, current in zip(self.average.buffers(), self.g.buffers()):
            averaged.copy_(current)

    def _measure(self) -> tuple[float, float]:
        """D's mean score of (up to 1,000) training digits and of the 1,000 held-out digits: when D scores the
        digits it trains on higher than unseen ones, it is memorising them."""
        with torch.no_grad():
            return float(self.d(self.train_x[:EVAL_TRAIN]).mean()), float(self.d(self.test_x).mean())

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        return self.average.sample(self._count(n), seed=seed)


class MLPGenerator(TorchDigitModel):
    """z (N, d) -> pixel logits (N, 1, 28, 28) through two batch-normalised ReLU layers (Goodfellow et al. 2014's
    fully connected generator)."""

    def __init__(self, latent: int, width: int):
        super().__init__()
        self.latent = latent
        self.net = nn.Sequential(
            nn.Linear(latent, width), nn.BatchNorm1d(width), nn.ReLU(),
            nn.Linear(width, 2 * width), nn.BatchNorm1d(2 * width), nn.ReLU(),
            nn.Linear(2 * width, 28 * 28), nn.Unflatten(1, (1, 28, 28)),                   # (N, 1, 28, 28)
        )

    def logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)


class MLPDiscriminator(nn.Module):
    """(N, 1, 28, 28) in [0, 1] -> (N,) scores through spectrally normalised layers (Miyato et al. 2018)."""

    def __init__(self, width: int):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),                                                                  # (N, 784)
            spectral_norm(nn.Linear(28 * 28, 2 * width)), nn.LeakyReLU(0.2),
            spectral_norm(nn.Linear(2 * width, width)), nn.LeakyReLU(0.2),
            spectral_norm(nn.Linear(width, 1)),                                            # (N, 1)
        )

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(2 * images - 1)[:, 0]


class DigitVAERun(DigitRun):
    kind = "mnist-vae"
    watched = "negative ELBO"
    train_curve, held_curve = "training digits", "held-out digits"

    def __init__(self, seed: int = 0, *, lr: float = 1e-3, batch: int = 64, code: int = 16, train_digits: int = 4000,
                 width: int = 16):
        super().__init__(seed, lr=lr, batch=batch, code=code, train_digits=train_digits)
        width = whole(width, "width", 4, 64, self.kind)
        self.model = seeded(self.seed, lambda: VAE(VAEConfig(latent=self.code, channels=width, hidden=16 * width)))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=self.lr)

    def _step(self) -> dict[str, float]:
        self.model.train()
        # -ELBO = E_q[-log p(x | z)] + KL(q(z | x) || N(0, I))   (Kingma & Welling 2014, eq. 3)
        reconstruction, kl = self.model.loss_terms(self._batch(), self.generator)
        loss = (reconstruction + kl).mean()
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return {"negative ELBO": loss.item(), "reconstruction": reconstruction.mean().item(), "KL": kl.mean().item()}

    def _loss_on(self, *, train: bool) -> float:
        return -self._elbo(self.train_x[:EVAL_TRAIN] if train else self.test_x)

    def held_out_elbo(self, *, seed: int = 0) -> float:
        """The ELBO (one draw of z per digit, seeded) averaged over the 1,000 held-out digits, in nats."""
        return self._elbo(self.test_x, seed=seed)

    def _elbo(self, digits: torch.Tensor, *, seed: int = 0) -> float:
        self.model.eval()
        with torch.no_grad():
            reconstruction, kl = self.model.loss_terms(digits, torch.Generator().manual_seed(seed))
        return -float((reconstruction + kl).mean())

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        self.model.eval()
        return self.model.sample(self._count(n), seed=seed)


class DigitDAERun(DigitRun):
    kind = "mnist-dae"
    watched = "cross-entropy"
    train_curve, held_curve = "training digits", "held-out digits"
    chain_steps = 20

    def __init__(self, seed: int = 0, *, lr: float = 1e-3, batch: int = 64, code: int = 32, train_digits: int = 4000,
                 noise: float = 0.5, width: int = 16):
        super().__init__(seed, lr=lr, batch=batch, code=code, train_digits=train_digits)
        self.noise = number_in(noise, "noise", 0.05, 1.0, self.kind)
        width = whole(width, "width", 4, 64, self.kind)
        self.model = seeded(self.seed, lambda: DAE(DAEConfig(code=self.code, channels=width)))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=self.lr)
        self.test_noisy = torch.from_numpy(noisy_digits(self.test_x[:, 0].numpy(), sigma=self.noise, seed=1)[:, None])
        self.train_noisy = torch.from_numpy(noisy_digits(self.train_x[:EVAL_TRAIN, 0].numpy(), sigma=self.noise,
                                                         seed=2)[:, None])

    def _corrupt(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        return (x + self.noise * torch.randn(x.shape, generator=generator)).clamp(0, 1)

    def _step(self) -> dict[str, float]:
        # min_theta E[BCE(x, sigmoid(D(E(x + sigma n))))]   (Vincent et al. 2008, section 2.3)
        clean = self._batch()
        loss = F.binary_cross_entropy_with_logits(self.model(self._corrupt(clean, self.generator)), clean,
                                                  reduction="none").flatten(1).sum(1).mean()
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return {"cross-entropy": loss.item()}

    def denoise(self, noisy: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return torch.sigmoid(self.model(torch.from_numpy(noisy[:, None]))).numpy()[:, 0]

    def _loss_on(self, *, train: bool) -> float:
        clean, noisy = (self.train_x[:EVAL_TRAIN], self.train_noisy) if train else (self.test_x, self.test_noisy)
        with torch.no_grad():
            return float(F.binary_cross_entropy_with_logits(self.model(noisy), clean,
                                                            reduction="none").flatten(1).sum(1).mean())

    def _picture_digits(self) -> np.ndarray:
        """Rows of ten: held-out digits, the same with noise, the autoencoder's repair (twice), then chain samples."""
        clean, noisy = self.test_x[:20, 0].numpy(), self.test_noisy[:20, 0].numpy()
        repaired = self.denoise(noisy)
        return np.concatenate([clean[:10], noisy[:10], repaired[:10], clean[10:], noisy[10:], repaired[10:]])

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """Digits drawn by the DAE's Markov chain x <- denoise(x + sigma n) from uniform noise (Bengio et al. 2013)."""
        generator = torch.Generator().manual_seed(int(seed))
        x = torch.rand((self._count(n), 1, 28, 28), generator=generator)
        with torch.no_grad():
            for _ in range(self.chain_steps):
                x = torch.sigmoid(self.model(self._corrupt(x, generator)))
        return x[:, 0].numpy()


def tile(digits: np.ndarray, columns: int = GRID[1]) -> np.ndarray:
    """(n, 28, 28) -> one image of rows of ``columns`` digits with 2-pixel gaps, float32 in [0, 1]."""
    rows = -(-len(digits) // columns)
    padded = np.zeros((rows * columns, 30, 30), np.float32)
    padded[:len(digits), 1:29, 1:29] = digits
    return padded.reshape(rows, columns, 30, 30).transpose(0, 2, 1, 3).reshape(rows * 30, columns * 30)


def sample_figures(sampler, judge, *, n: int = 1000, seed: int = 1) -> dict:
    """How a digit sampler's ``n`` samples read to the LeNet ``judge``: its mean confidence (the top class
    probability, averaged) and the Fréchet distance of its features to the 1,000 held-out digits."""
    from generators.sample.quality import digit_quality

    quality = digit_quality(sampler, judge, n=n, seed=seed)
    confidence = judge.class_probabilities(sampler.sample(n, seed=seed)).max(axis=1).mean()
    return {"lenet_confidence": round(float(confidence), 3), "frechet_lenet": quality["frechet_lenet"],
            "class_fractions": quality["class_fractions"]}


def denoising_psnr(denoise, *, sigma: float, seed: int = 1) -> float:
    """PSNR (dB) of ``denoise`` (noisy digits (n, 28, 28) -> restored) on the 1,000 held-out digits with noise
    of std ``sigma`` drawn with ``seed``, over all their pixels."""
    clean = mnist("test").images
    restored = denoise(noisy_digits(clean, sigma=sigma, seed=seed))
    return round(metrics.psnr(clean, restored), 2)


def compare(run: DigitRun, shipped, judge) -> dict:
    """The live run and the shipped model of its kind on the same figures: {"live": {...}, "shipped": {...}}.
    GAN and VAE: ``sample_figures``; DAE: held-out ``denoising_psnr`` at the run's noise (the shipped family's
    network for the nearest noise level), plus the live run's."""
    if isinstance(run, DigitDAERun):
        level = min(shipped.levels, key=lambda trained: abs(trained - run.noise))
        return {"live": {"held_out_psnr_db": denoising_psnr(run.denoise, sigma=run.noise), "noise": run.noise},
                "shipped": {"held_out_psnr_db": denoising_psnr(lambda x: shipped.denoise(x, level), sigma=run.noise),
                            "trained_noise": level}}
    return {"live": sample_figures(run, judge), "shipped": sample_figures(shipped, judge)}
