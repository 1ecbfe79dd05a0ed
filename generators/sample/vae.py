"""A convolutional variational autoencoder of handwritten digits (Kingma & Welling 2014, "Auto-Encoding
Variational Bayes").

Generative model: z ~ N(0, I_d), x_i | z ~ Bernoulli(sigma(f_theta(z))_i) for the 784 pixels. The encoder gives
q_phi(z | x) = N(mu_phi(x), diag sigma_phi(x)^2). Training maximises the evidence lower bound (ELBO)

    log p(x) >= E_q[log p(x | z)] - KL(q_phi(z | x) || N(0, I)).

MNIST pixels are grey, not binary: a grey value x_i is read as the probability that the pixel is inked, so
sum_i x_i log p_i + (1 - x_i) log(1 - p_i) is the expected Bernoulli log-likelihood over random binarisations
of the digit (the "dynamic binarisation" of Salakhutdinov & Murray 2008, taken in expectation).

Sampling: the codes of training digits do not fill N(0, I) evenly (the "holes" of the aggregate posterior), so
decoded prior draws are often not digits. As in ex-post density estimation (Ghosh et al. 2020, "From variational
to deterministic autoencoders"; Dai & Wipf 2019 two-stage VAE), a Gaussian mixture is fitted to the training
digits' codes after training, and ``sample`` draws codes from it; ``latents(n, seed=s, prior="normal")`` gives
plain N(0, I) draws. The decoder, encoder and ELBO are unchanged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from generators.sample.digits import TorchDigitModel, as_digits, count
from generators.sample.gmm import draw_mixture

CODE_PRIOR = "code_prior."


@dataclass(frozen=True)
class VAEConfig:
    latent: int = 16
    channels: int = 32
    hidden: int = 256


class VAE(TorchDigitModel):
    def __init__(self, config: VAEConfig = VAEConfig()):
        super().__init__()
        self.config = config
        self.code_prior: dict[str, np.ndarray] = {}        # weights (K,), means (K, d), cholesky (K, d, d)
        c, h, d = config.channels, config.hidden, config.latent
        self.encoder = nn.Sequential(
            nn.Conv2d(1, c, 4, 2, 1), nn.ELU(),                         # (N, c, 14, 14)
            nn.Conv2d(c, 2 * c, 4, 2, 1), nn.ELU(),                     # (N, 2c, 7, 7)
            nn.Flatten(),                                               # (N, 2c * 49)
            nn.Linear(2 * c * 49, h), nn.ELU(),
            nn.Linear(h, 2 * d),                                        # (N, 2d): mean and log-variance
        )
        self.decoder = nn.Sequential(
            nn.Linear(d, h), nn.ELU(),
            nn.Linear(h, 2 * c * 49), nn.ELU(),
            nn.Unflatten(1, (2 * c, 7, 7)),                             # (N, 2c, 7, 7)
            nn.ConvTranspose2d(2 * c, c, 4, 2, 1), nn.ELU(),            # (N, c, 14, 14)
            nn.ConvTranspose2d(c, c // 2, 4, 2, 1), nn.ELU(),           # (N, c/2, 28, 28)
            nn.Conv2d(c // 2, 1, 3, 1, 1),                              # (N, 1, 28, 28): pixel logits
        )

    @property
    def latent(self) -> int:
        return self.config.latent

    @classmethod
    def from_checkpoint(cls, found, device: str = "cpu") -> "VAE":
        model = cls(VAEConfig(**found.meta["config"]["model"]))
        model.load_state_dict({key: torch.from_numpy(value) for key, value in found.arrays.items()
                               if not key.startswith(CODE_PRIOR)})
        model.code_prior = {key[len(CODE_PRIOR):]: value.astype(np.float64) for key, value in found.arrays.items()
                            if key.startswith(CODE_PRIOR)}
        return model.to(device).eval()

    def arrays(self) -> dict[str, np.ndarray]:
        """Everything the checkpoint holds: the network weights and the fitted code mixture."""
        weights = {key: value.detach().cpu().numpy() for key, value in self.state_dict().items()}
        return {**weights, **{CODE_PRIOR + key: value for key, value in self.code_prior.items()}}

    def fit_code_prior(self, images: np.ndarray, *, components: int, seed: int = 0) -> float:
        """Fit the K-Gaussian mixture that ``sample`` draws codes from to the posterior means of ``images``
        (EM, full covariances); returns the mean log-likelihood per code of the fit."""
        from sklearn.mixture import GaussianMixture

        codes = self.encode(images).astype(np.float64)
        mixture = GaussianMixture(components, covariance_type="full", reg_covar=1e-3, random_state=seed).fit(codes)
        self.code_prior = {"weights": mixture.weights_, "means": mixture.means_,
                           "cholesky": np.linalg.cholesky(mixture.covariances_)}
        return float(mixture.score(codes))

    def latents(self, n: int, *, seed: int, prior: str = "fitted") -> np.ndarray:
        """n codes, float32 (n, d): from the mixture fitted to training codes ("fitted", when there is one),
        or from the VAE's prior N(0, I) ("normal")."""
        if prior not in ("fitted", "normal"):
            raise ValueError(f"prior must be 'fitted' or 'normal', got {prior!r}")
        if prior == "normal" or not self.code_prior:
            return super().latents(n, seed=seed)
        fit = self.code_prior
        codes, _ = draw_mixture(fit["weights"], fit["means"], fit["cholesky"], count(n), seed=seed)
        return codes.astype(np.float32)

    def config_dict(self) -> dict:
        return asdict(self.config)

    def posterior(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(N, 1, 28, 28) -> mean and log-variance of q(z | x), each (N, d)."""
        return self.encoder(x).chunk(2, dim=1)

    def logits(self, z: torch.Tensor) -> torch.Tensor:
        """(N, d) -> (N, 1, 28, 28) Bernoulli logits f_theta(z)."""
        return self.decoder(z)

    def loss_terms(self, x: torch.Tensor, generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Per-image reconstruction term -E_q[log p(x | z)] (one reparameterised draw) and KL, each (N,)."""
        mean, log_var = self.posterior(x)
        # Reparameterisation trick (Kingma & Welling 2014, eq. 10): z = mu + sigma * eps, eps ~ N(0, I).
        eps = torch.randn(mean.shape, generator=generator, device=mean.device)
        z = mean + torch.exp(0.5 * log_var) * eps
        # -log p(x | z) = -sum_i x_i log p_i + (1 - x_i) log(1 - p_i), with p = sigmoid(logits).
        reconstruction = F.binary_cross_entropy_with_logits(self.logits(z), x, reduction="none").flatten(1).sum(1)
        # KL(N(mu, sigma^2) || N(0, 1)) = 1/2 sum_j (mu_j^2 + sigma_j^2 - log sigma_j^2 - 1)   (ibid., appendix B)
        kl = 0.5 * (mean.pow(2) + log_var.exp() - log_var - 1).sum(1)
        return reconstruction, kl

    def encode(self, images: np.ndarray) -> np.ndarray:
        """Digits float (n, 28, 28) in [0, 1] -> the posterior means mu_phi(x), float32 (n, d)."""
        x = self._tensor(as_digits(images))
        with torch.inference_mode():
            mean, _ = self.posterior(x)
        return mean.cpu().numpy()

    def elbo(self, images: np.ndarray, *, draws: int = 16, seed: int = 0) -> np.ndarray:
        """Per-image evidence lower bound in nats (higher is better), float64 (n,), averaged over ``draws``
        reparameterised samples of z (seeded, so the same call gives the same numbers)."""
        x = self._tensor(as_digits(images))
        if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= 1000:
            raise ValueError(f"draws must be a whole number from 1 to 1000, got {draws!r}")
        generator = torch.Generator(device=self.device).manual_seed(seed)
        total = torch.zeros(len(x), dtype=torch.float64, device=self.device)
        with torch.inference_mode():
            for _ in range(draws):
                reconstruction, kl = self.loss_terms(x, generator)
                total -= (reconstruction + kl).double()
        return (total / draws).cpu().numpy()

    def reconstruct(self, images: np.ndarray) -> np.ndarray:
        """Decode each digit's posterior mean: float32 (n, 28, 28) in [0, 1]."""
        return self.decode(self.encode(images))

    def _tensor(self, digits: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(digits[:, None]).to(self.device)

