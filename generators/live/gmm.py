"""toy-gmm: a Gaussian mixture fitted to 2-D points by expectation-maximisation, one EM iteration per step
(Dempster, Laird & Rubin 1977; Bishop, PRML 2006, section 9.2.2). It starts from ``start()``'s parameters, and
adds ``REG_COVAR`` to every covariance's diagonal, as scikit-learn's ``GaussianMixture`` does, so both follow
the same path from the same start."""

from __future__ import annotations

import numpy as np

from generators.live.points import DATASETS, make
from generators.live.run import Run, choice, whole

REG_COVAR = 1e-6


class GMMRun(Run):
    kind = "toy-gmm"

    def __init__(self, seed: int = 0, *, data: str = "ring8", components: int = 8, points=None, labels=None):
        super().__init__(seed)
        choice(data, "data", DATASETS, self.kind)
        self.x, _ = make(data, seed=self.seed, points=points, labels=labels, kind=self.kind)
        self.x = self.x.astype(np.float64)
        self.components = whole(components, "components", 1, min(20, len(self.x)), self.kind)
        self.weights, self.means, self.covariances = start(self.x, self.components, seed=self.seed)
        self._responsibilities, self.log_likelihood = self._e_step()

    def _step(self) -> dict[str, float]:
        self._m_step(self._responsibilities)
        self._responsibilities, self.log_likelihood = self._e_step()
        return {"log-likelihood per point": self.log_likelihood}

    def _e_step(self) -> tuple[np.ndarray, float]:
        """Responsibilities r_nk = w_k N(x_n | mu_k, S_k) / sum_j w_j N(x_n | mu_j, S_j) (PRML eq. 9.23) and the
        mean log-likelihood (1/N) sum_n log sum_k w_k N(x_n | mu_k, S_k) (PRML eq. 9.28)."""
        log_joint = np.log(self.weights) + log_gaussian(self.x, self.means, self.covariances)   # (N, K)
        top = log_joint.max(axis=1, keepdims=True)
        log_evidence = top[:, 0] + np.log(np.exp(log_joint - top).sum(axis=1))
        return np.exp(log_joint - log_evidence[:, None]), float(log_evidence.mean())

    def _m_step(self, responsibilities: np.ndarray) -> None:
        """N_k = sum_n r_nk, mu_k = sum_n r_nk x_n / N_k, S_k = sum_n r_nk (x_n - mu_k)(x_n - mu_k)^T / N_k,
        w_k = N_k / N (PRML eqs. 9.24-9.27)."""
        counts = responsibilities.sum(axis=0) + 10 * np.finfo(float).eps                        # (K,)
        self.means = responsibilities.T @ self.x / counts[:, None]                              # (K, 2)
        centred = self.x[None] - self.means[:, None]                                            # (K, N, 2)
        self.covariances = (np.einsum("nk,kni,knj->kij", responsibilities, centred, centred) / counts[:, None, None]
                            + REG_COVAR * np.eye(2))
        self.weights = counts / len(self.x)

    def _extra(self) -> dict:
        return {"data": self.x, "weights": self.weights.copy(), "means": self.means.copy(),
                "covariances": self.covariances.copy(), "log_likelihood": self.log_likelihood}

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        n = whole(n, "n", 1, 100_000, self.kind)
        rng = np.random.default_rng(seed)
        component = rng.choice(self.components, n, p=self.weights / self.weights.sum())
        roots = np.linalg.cholesky(self.covariances)                                            # (K, 2, 2)
        noise = rng.standard_normal((n, 2))
        return (self.means[component] + np.einsum("nij,nj->ni", roots[component], noise)).astype(np.float32)


def start(x: np.ndarray, components: int, *, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The starting mixture: equal weights, means at ``components`` distinct data points picked with ``seed``,
    each covariance a circle with a quarter of the data's average variance."""
    rng = np.random.default_rng(seed)
    means = x[rng.choice(len(x), components, replace=False)].copy()
    spread = max(float(x.var(axis=0).mean()) / 4, 1e-4)
    return np.full(components, 1 / components), means, np.tile(spread * np.eye(2), (components, 1, 1))


def log_gaussian(x: np.ndarray, means: np.ndarray, covariances: np.ndarray) -> np.ndarray:
    """log N(x_n | mu_k, S_k) = -log(2 pi) - 1/2 log|S_k| - 1/2 (x - mu)^T S_k^-1 (x - mu), for (N, 2) x -> (N, K)."""
    roots = np.linalg.cholesky(covariances)                                                     # (K, 2, 2)
    centred = x[None] - means[:, None]                                                          # (K, N, 2)
    solved = np.linalg.solve(roots[:, None], centred[..., None])[..., 0]                        # (K, N, 2)
    log_det = 2 * np.log(np.abs(np.diagonal(roots, axis1=1, axis2=2))).sum(axis=1)              # (K,)
    return (-np.log(2 * np.pi) - 0.5 * log_det[:, None] - 0.5 * (solved ** 2).sum(axis=2)).T
