"""A Gaussian mixture model of handwritten digits, fitted in a PCA subspace.

Model (Bishop, PRML 2006, sections 9.2 and 12.1): a digit x in R^784 is projected to z = W (x - m) in R^d
with the top-d principal directions W; z follows a mixture of K full-covariance Gaussians,

    p(z) = sum_k pi_k N(z; mu_k, Sigma_k),

fitted by EM (scikit-learn's GaussianMixture). Sampling draws k ~ Cat(pi), z ~ N(mu_k, Sigma_k) and maps back
with x = m + W^T z. Only arrays are stored; the fitted scikit-learn objects are not kept or pickled.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from generators import checks, imaging
from generators.sample import count


class GMMSampler:
    def __init__(self, *, pca_mean: np.ndarray, pca_components: np.ndarray, residual_variance: float,
                 weights: np.ndarray, means: np.ndarray, covariances: np.ndarray, device: str = "cpu"):
        self.pca_mean = np.asarray(pca_mean, dtype=np.float64)              # (784,)
        self.pca_components = np.asarray(pca_components, dtype=np.float64)  # (d, 784), orthonormal rows
        self.residual_variance = float(residual_variance)
        self.weights = np.asarray(weights, dtype=np.float64)                # (K,)
        self.means = np.asarray(means, dtype=np.float64)                    # (K, d)
        self.covariances = np.asarray(covariances, dtype=np.float64)        # (K, d, d)
        self.cholesky = np.linalg.cholesky(self.covariances)                # (K, d, d), lower
        self.device = device
        self._decoder = None  # (mean, components) as float64 tensors on the device, made on first decode

    @property
    def components(self) -> int:
        return len(self.weights)

    @property
    def dims(self) -> int:
        return self.means.shape[1]

    @classmethod
    def fit(cls, images: np.ndarray, *, components: int, dims: int, reg_covar: float = 1e-4, seed: int = 0,
            max_iter: int = 200) -> "GMMSampler":
        """Fit PCA to ``dims`` dimensions, then a ``components``-Gaussian mixture by EM on the codes;
        ``reg_covar`` is added to every covariance's diagonal (it keeps small clusters from collapsing)."""
        from sklearn.decomposition import PCA
        from sklearn.mixture import GaussianMixture

        flat = np.asarray(images, dtype=np.float64).reshape(len(images), -1)
        pca = PCA(n_components=dims, random_state=seed).fit(flat)
        codes = pca.transform(flat)
        mixture = GaussianMixture(components, covariance_type="full", reg_covar=reg_covar, max_iter=max_iter,
                                  n_init=1, random_state=seed).fit(codes)
        # Probabilistic PCA's noise term: the mean variance of the discarded directions (Tipping & Bishop 1999).
        residual = float(pca.noise_variance_)
        return cls(pca_mean=pca.mean_, pca_components=pca.components_, residual_variance=max(residual, 1e-6),
                   weights=mixture.weights_, means=mixture.means_, covariances=mixture.covariances_)

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "pca_mean": self.pca_mean,
            "pca_components": self.pca_components,
            "residual_variance": np.array([self.residual_variance], dtype=np.float64),
            "weights": self.weights,
            "means": self.means,
            "covariances": self.covariances,
        }

    @classmethod
    def from_checkpoint(cls, found, device: str = "cpu") -> "GMMSampler":
        arrays = dict(found.arrays)
        arrays["residual_variance"] = float(arrays["residual_variance"][0])
        return cls(**arrays, device=device)

    def decode(self, codes: np.ndarray) -> np.ndarray:
        """PCA codes (n, d) -> digits float32 (n, 28, 28) clipped to [0, 1]: x = m + W^T z, on the model's
        device (float64, so every device gives the same digits to rounding)."""
        import torch

        if self._decoder is None:
            self._decoder = tuple(torch.from_numpy(array).to(self.device) for array in (self.pca_mean,
                                                                                        self.pca_components))
        mean, components = self._decoder
        flat = mean + torch.from_numpy(np.asarray(codes, dtype=np.float64)).to(self.device) @ components  # (n, 784)
        return flat.clamp(0.0, 1.0).reshape(-1, imaging.DIGIT_SIDE, imaging.DIGIT_SIDE).float().cpu().numpy()

    def sample_codes(self, n: int, *, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """(codes (n, d), component index (n,)) drawn with k ~ Cat(pi), z = mu_k + L_k eps, eps ~ N(0, I)."""
        return draw_mixture(self.weights, self.means, self.cholesky, count(n), seed=checks.seed(seed))

    def sample(self, n: int, *, seed: int) -> np.ndarray:
        """n digits, float32 (n, 28, 28) in [0, 1]; the same seed gives the same digits."""
        codes, _ = self.sample_codes(n, seed=seed)
        return self.decode(codes)

    def component_means(self) -> tuple[np.ndarray, np.ndarray]:
        """What each Gaussian learned: its mean as a digit (K, 28, 28), and its weight pi_k (K,), heaviest first."""
        order = np.argsort(-self.weights)
        return self.decode(self.means[order]), self.weights[order]

    def log_likelihood(self, images: np.ndarray) -> np.ndarray:
        """Per-image log p(x) in nats under the mixture plus isotropic Gaussian residual off the subspace:

        log p(x) = log sum_k pi_k N(z; mu_k, Sigma_k) + log N(x - m - W^T z; 0, s^2 I_{D-d})
        """
        flat = np.asarray(images, dtype=np.float64).reshape(len(images), -1)
        centred = flat - self.pca_mean
        codes = centred @ self.pca_components.T                              # (n, d)
        residual = centred - codes @ self.pca_components                     # (n, 784)
        per_component = np.stack([
            _log_gaussian(codes, mean, chol) for mean, chol in zip(self.means, self.cholesky)
        ], axis=1) + np.log(self.weights)                                    # (n, K)
        off = flat.shape[1] - self.dims
        log_residual = -0.5 * (np.sum(residual ** 2, axis=1) / self.residual_variance
                               + off * np.log(2 * np.pi * self.residual_variance))
        return logsumexp(per_component, axis=1) + log_residual


def draw_mixture(weights: np.ndarray, means: np.ndarray, cholesky: np.ndarray, n: int, *,
                 seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n draws from sum_k pi_k N(mu_k, L_k L_k^T): k ~ Cat(pi), z = mu_k + L_k eps, eps ~ N(0, I).
    Returns (codes (n, d), component index (n,))."""
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(weights), size=n, p=weights / weights.sum())
    noise = rng.standard_normal((n, means.shape[1]))
    codes = means[chosen] + np.einsum("nij,nj->ni", cholesky[chosen], noise)
    return codes, chosen


def _log_gaussian(x: np.ndarray, mean: np.ndarray, chol: np.ndarray) -> np.ndarray:
    """log N(x; mu, L L^T) = -1/2 |L^{-1}(x - mu)|^2 - sum log diag L - d/2 log 2 pi."""
    from scipy.linalg import solve_triangular

    white = solve_triangular(chol, (x - mean).T, lower=True)                 # (d, n)
    return (-0.5 * np.sum(white ** 2, axis=0) - np.log(np.diag(chol)).sum()
            - 0.5 * len(mean) * np.log(2 * np.pi))
