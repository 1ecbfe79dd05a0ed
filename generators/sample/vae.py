"""A convolutional variational autoencoder of handwritten digits (Kingma & Welling 2014, "Auto-Encoding
Variational Bayes").

Generative model: z ~ N(0, I_d), x_i | z ~ Bernoulli(sigma(f_theta(z))_i) for the 784 pixels. The encoder gives
q_phi(z | x) = N(mu_phi(x), diag sigma_phi(x)^2). Training maximises the evidence lower bound (ELBO)

    log p(x) >= E_q[log p(x | z)] - KL(q_phi(z | x) || N(0, I)).

MNIST pixels are grey, not binary: a grey value x_i is read as the probability that the pixel is inked, so
sum_i x_i log p_i + (1 - x_i) log(1 - p_i) is the expected Bernoulli log-likelihood over random binarisations
of the digit (the "dynamic binarisation" of Salakhutdinov & Murray 2008, taken in expectation).

The encoder's q is a guess made in one pass; on digits it was not trained on it is noticeably worse than the
best Gaussian q for that digit (the "amortisation gap", Cremer, Li & Duvenaud 2018). ``elbo`` therefore first
improves each digit's mean and variance by a few Adam steps on the ELBO itself, starting from the encoder's
(semi-amortised inference, Kim, Wiseman, Miller, Sontag & Rush 2018); the result is still a lower bound on
log p(x), only a tighter one. ``elbo(x, refine=0)`` is the encoder's own bound.

The prior: the codes of training digits do not fill N(0, I) evenly (the "holes" of the aggregate posterior
q(z) = 1/N sum_n q(z | x_n)), so decoded N(0, I) draws are often not digits. As in ex-post density estimation
(Ghosh et al. 2020, "From variational to deterministic autoencoders"; Dai & Wipf 2019, two-stage VAE), a
Gaussian mixture is fitted after training to codes drawn from q(z | x) of the training digits, i.e. to the
aggregate posterior, which is also the prior that maximises the ELBO for a fixed encoder and decoder (Hoffman &
Johnson 2016, "ELBO surgery"; the VampPrior of Tomczak & Welling 2018 learns it jointly). The model that ships
is z ~ that mixture, x | z ~ the decoder: ``sample`` draws from it and ``elbo`` bounds its likelihood, with the
KL term KL(q || p) = E_q[log q(z | x) - log p(z)] estimated from the same draws of z. ``prior="normal"`` gives
the textbook N(0, I) model for both.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from generators import checks
from generators.imaging import validate_digits
from generators.sample import count
from generators.sample.digits import TorchDigitModel
from generators.sample.gmm import draw_mixture

CODE_PRIOR = "code_prior."
REFINE_STEPS = 500      # Adam steps on each digit's q(z | x) before its ELBO is taken (0: the encoder's q)
REFINE_LR = 0.01
# The quick bound that reads one drawing in the Draw room: 0.66 nats less on the held-out digits, in a fifth of
# the time (about 0.6 CPU-s a digit instead of 3).
QUICK_REFINE_STEPS, QUICK_REFINE_LR = 100, 0.02
# The card's held-out figures of that bound (written by generators.train.mnist_vae): its mean and 1st percentile.
QUICK_ELBO_MEAN = f"test_elbo_refine_{QUICK_REFINE_STEPS}_steps_nats"
QUICK_ELBO_P01 = f"test_elbo_refine_{QUICK_REFINE_STEPS}_steps_p01_nats"


@dataclass(frozen=True)
class VAEConfig:
    latent: int = 32
    channels: int = 64
    hidden: int = 512
    prior_components: int = 0   # > 0: train with a learned mixture prior of that many diagonal Gaussians


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
        if config.prior_components:
            # A learned prior p_psi(z) = sum_k pi_k N(m_k, diag s_k^2), trained with the rest (the mixture-of-
            # Gaussians prior that Tomczak & Welling 2018 compare the VampPrior with): the codes need not fill N(0, I).
            k = config.prior_components
            self.prior_logits = nn.Parameter(torch.zeros(k))
            self.prior_means = nn.Parameter(torch.randn(k, d))
            self.prior_log_std = nn.Parameter(torch.zeros(k, d))
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
        """Everything the checkpoint holds: the network weights, stored as float16 (half the file; loaded back
        into the float32 model), and the fitted code mixture in float64."""
        weights = {key: value.detach().cpu().numpy().astype(np.float16) for key, value in self.state_dict().items()}
        return {**weights, **{CODE_PRIOR + key: value for key, value in self.code_prior.items()}}

    def fit_code_prior(self, images: np.ndarray, *, components: int, seed: int = 0, draws: int = 4) -> float:
        """Fit the K-Gaussian mixture prior (EM, full covariances) to ``draws`` codes z ~ q(z | x) of each of
        ``images`` (the aggregate posterior); returns the mean log-likelihood per code of the fit."""
        from sklearn.mixture import GaussianMixture

        x = self._tensor(validate_digits(images))
        generator = torch.Generator(device=self.device).manual_seed(seed)
        with torch.inference_mode():
            mean, log_var = self.posterior(x)
            codes = torch.cat([_draw(mean, log_var, generator) for _ in range(draws)]).double().cpu().numpy()
        mixture = GaussianMixture(components, covariance_type="full", reg_covar=1e-4, random_state=seed).fit(codes)
        self.code_prior = {"weights": mixture.weights_, "means": mixture.means_,
                           "cholesky": np.linalg.cholesky(mixture.covariances_)}
        return float(mixture.score(codes))

    def latents(self, n: int, *, seed: int, prior: str = "fitted") -> np.ndarray:
        """n codes, float32 (n, d): from the mixture fitted to training codes ("fitted", when there is one),
        or from the VAE's prior N(0, I) ("normal")."""
        if self._prior(prior) == "normal":
            return super().latents(n, seed=seed)
        fit = self.code_prior
        codes, _ = draw_mixture(fit["weights"], fit["means"], fit["cholesky"], count(n),
                                seed=checks.seed(seed))
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
        return self._terms(x, *self.posterior(x), generator, "learned" if self.config.prior_components else "normal")

    def _terms(self, x, mean, log_var, generator, prior: str = "normal") -> tuple[torch.Tensor, torch.Tensor]:
        z = _draw(mean, log_var, generator)
        # -log p(x | z) = -sum_i x_i log p_i + (1 - x_i) log(1 - p_i), with p = sigmoid(logits).
        reconstruction = F.binary_cross_entropy_with_logits(self.logits(z), x, reduction="none").flatten(1).sum(1)
        if prior == "normal":
            # KL(N(mu, sigma^2) || N(0, 1)) = 1/2 sum_j (mu_j^2 + sigma_j^2 - log sigma_j^2 - 1)   (ibid., app. B)
            kl = 0.5 * (mean.pow(2) + log_var.exp() - log_var - 1).sum(1)
        else:
            # KL(q || p) = -H[q] - E_q[log p(z)]: the Gaussian's entropy exactly, 1/2 sum_j (1 + log 2 pi sigma_j^2),
            # the mixture's log-density at the drawn z.
            entropy = 0.5 * (1 + math.log(2 * math.pi) + log_var).sum(1)
            kl = -entropy - (self._log_code_prior(z) if prior == "fitted" else self._log_learned_prior(z))
        return reconstruction, kl

    def _log_learned_prior(self, z: torch.Tensor) -> torch.Tensor:
        """log sum_k pi_k N(z; m_k, diag s_k^2) of the learned prior, for z (N, d)."""
        std = self.prior_log_std.exp()
        log_normal = (-0.5 * ((z[:, None, :] - self.prior_means) / std).pow(2) - self.prior_log_std
                      - 0.5 * math.log(2 * math.pi)).sum(-1)                        # (N, K)
        return torch.logsumexp(log_normal + torch.log_softmax(self.prior_logits, 0), dim=1)

    def learned_prior(self) -> dict[str, np.ndarray]:
        """The learned prior in code_prior's form (weights, means, Cholesky factors of diagonal covariances)."""
        std = self.prior_log_std.detach().exp().double().cpu().numpy()
        return {"weights": torch.softmax(self.prior_logits.detach(), 0).double().cpu().numpy(),
                "means": self.prior_means.detach().double().cpu().numpy(),
                "cholesky": np.stack([np.diag(row) for row in std])}

    def _log_code_prior(self, z: torch.Tensor) -> torch.Tensor:
        """log sum_k pi_k N(z; mu_k, L_k L_k^T) for z (N, d), differentiable in z."""
        fit = {key: torch.as_tensor(value, dtype=z.dtype, device=z.device) for key, value in self.code_prior.items()}
        diff = (z[:, None, :] - fit["means"][None]).unsqueeze(-1)                   # (N, K, d, 1)
        white = torch.linalg.solve_triangular(fit["cholesky"][None], diff, upper=False).squeeze(-1)
        log_det = torch.log(torch.diagonal(fit["cholesky"], dim1=-2, dim2=-1)).sum(-1)   # (K,) = 1/2 log |Sigma_k|
        log_normal = -0.5 * white.pow(2).sum(-1) - log_det - 0.5 * z.shape[1] * math.log(2 * math.pi)
        return torch.logsumexp(log_normal + torch.log(fit["weights"]), dim=1)

    def encode(self, images: np.ndarray) -> np.ndarray:
        """Digits float (n, 28, 28) in [0, 1] -> the posterior means mu_phi(x), float32 (n, d)."""
        x = self._tensor(validate_digits(images))
        with torch.inference_mode():
            mean, _ = self.posterior(x)
        return mean.cpu().numpy()

    def elbo(self, images: np.ndarray, *, draws: int = 16, seed: int = 0, refine: int = REFINE_STEPS,
             refine_lr: float = REFINE_LR, prior: str = "fitted") -> np.ndarray:
        """Per-image evidence lower bound in nats (higher is better), float64 (n,), averaged over ``draws``
        reparameterised samples of z (seeded, so the same call gives the same numbers). ``refine``: Adam steps
        that tighten each digit's q(z | x) first (module docstring), with step size ``refine_lr``; 0 takes the
        encoder's q as it is.
        ``prior``: the fitted code mixture that ``sample`` draws from ("fitted", when there is one) or N(0, I)."""
        x = self._tensor(validate_digits(images))
        prior = self._prior(prior)
        draws = checks.whole(draws, name="draws", low=1, high=1000)
        refine = checks.whole(refine, name="refine", low=0, high=10_000)
        refine_lr = checks.real(refine_lr, name="refine_lr", low=1e-6, high=1.0)
        generator = torch.Generator(device=self.device).manual_seed(checks.seed(seed))
        with torch.inference_mode():
            mean, log_var = self.posterior(x)
        if refine:
            mean, log_var = self._refine(x, mean.clone(), log_var.clone(), refine, refine_lr, generator, prior)
        total = torch.zeros(len(x), dtype=torch.float64, device=self.device)
        with torch.inference_mode():
            for _ in range(draws):
                reconstruction, kl = self._terms(x, mean, log_var, generator, prior)
                total -= (reconstruction + kl).double()
        return (total / draws).cpu().numpy()

    def _prior(self, prior: str) -> str:
        if prior not in ("fitted", "normal"):
            raise ValueError(f"prior must be 'fitted' or 'normal', got {prior!r}")
        if prior == "fitted" and self.code_prior:
            return "fitted"
        return "learned" if prior == "fitted" and self.config.prior_components else "normal"

    def _refine(self, x, mean, log_var, steps: int, lr: float, generator,
                prior: str) -> tuple[torch.Tensor, torch.Tensor]:
        """Semi-amortised inference (Kim et al. 2018): maximise each digit's ELBO over its own q's mean and
        log-variance by Adam, from the encoder's values, with one reparameterised draw per step."""
        mean.requires_grad_(True)
        log_var.requires_grad_(True)
        optimizer = torch.optim.Adam([mean, log_var], lr=lr)
        with torch.enable_grad():
            for _ in range(steps):
                reconstruction, kl = self._terms(x, mean, log_var, generator, prior)
                # Each digit's bound depends only on its own q, so the sum's gradient is every digit's own.
                mean.grad, log_var.grad = torch.autograd.grad((reconstruction + kl).sum(), [mean, log_var])
                optimizer.step()
        return mean.detach(), log_var.detach()

    def reconstruct(self, images: np.ndarray) -> np.ndarray:
        """Decode each digit's posterior mean: float32 (n, 28, 28) in [0, 1]."""
        return self.decode(self.encode(images))

    def _tensor(self, digits: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(digits[:, None]).to(self.device)


def _draw(mean: torch.Tensor, log_var: torch.Tensor, generator) -> torch.Tensor:
    """z ~ N(mean, diag exp(log_var)) by the reparameterisation trick (Kingma & Welling 2014, eq. 10):
    z = mu + sigma * eps, eps ~ N(0, I), differentiable in mu and log sigma^2."""
    return mean + torch.exp(0.5 * log_var) * torch.randn(mean.shape, generator=generator, device=mean.device)


class PriorSampler:
    """The VAE as a sampler (``sample(n, *, seed)``, what generators.sample.quality judges) whose codes come
    from ``prior``: "fitted", the mixture fitted to its training codes, or "normal", the textbook N(0, I)."""

    def __init__(self, vae: VAE, prior: str):
        self.vae, self.prior = vae, prior

    def sample(self, n: int, *, seed: int) -> np.ndarray:
        return self.vae.decode(self.vae.latents(n, seed=seed, prior=self.prior))
