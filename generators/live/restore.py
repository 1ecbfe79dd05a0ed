"""logistic-restore: a 5x5 restoration filter, learned. A noisy binary image y = x + sigma n is restored pixel
by pixel with p(x_i = 1 | y) = sigmoid(w . N_i(y) + b), N_i(y) the 5 x 5 neighbourhood of pixel i; here w and b
are learned by plain gradient descent on the mean cross-entropy plus (l2 / 2)|w|^2 (Cox 1958; Bishop, PRML 2006,
section 4.3.2), the model generators.denoise.learned fits with scikit-learn. Training image: scikit-image's
seeded random binary blobs; the restoration is measured on a second, unseen blob image with its own noise."""

from __future__ import annotations

import numpy as np

from generators.denoise.learned import neighbourhoods
from generators.live.run import Run, number_in

SIZE = 5
SIDE = 96


def _blobs(seed: int) -> np.ndarray:
    from skimage.data import binary_blobs

    return binary_blobs(SIDE, blob_size_fraction=0.08, volume_fraction=0.4, rng=seed).astype(np.float64)


class RestoreRun(Run):
    kind = "logistic-restore"
    chunk = 1

    def __init__(self, seed: int = 0, *, lr: float = 2.0, noise: float = 0.5, l2: float = 1e-3):
        super().__init__(seed)
        self.lr = number_in(lr, "lr", 1e-3, 20.0, self.kind)
        self.noise = number_in(noise, "noise", 0.05, 1.5, self.kind)
        self.l2 = number_in(l2, "l2", 0.0, 1.0, self.kind)
        rng = np.random.default_rng(self.seed)
        self.clean, self.test_clean = _blobs(self.seed), _blobs(self.seed + 1)
        self.noisy = self.clean + self.noise * rng.standard_normal(self.clean.shape)
        self.test_noisy = self.test_clean + self.noise * rng.standard_normal(self.clean.shape)
        self.rows, self.targets = neighbourhoods(self.noisy, SIZE), self.clean.ravel()      # (H * W, 25), (H * W,)
        self.test_rows = neighbourhoods(self.test_noisy, SIZE)
        self.weights, self.intercept = np.zeros(SIZE * SIZE), 0.0

    def _step(self) -> dict[str, float]:
        # L = (1/N) sum_i [log(1 + e^(a_i)) - x_i a_i] + (l2 / 2)|w|^2, a_i = w . N_i(y) + b;
        # dL/dw = (1/N) N^T (sigma(a) - x) + l2 w, dL/db = mean(sigma(a) - x)   (PRML eq. 4.91)
        activation = self.rows @ self.weights + self.intercept
        error = 0.5 * (1 + np.tanh(0.5 * activation)) - self.targets
        loss = np.mean(np.logaddexp(0, activation) - self.targets * activation) + 0.5 * self.l2 * self.weights @ self.weights
        self.weights = self.weights - self.lr * (self.rows.T @ error / len(error) + self.l2 * self.weights)
        self.intercept -= self.lr * float(error.mean())
        return {"cross-entropy (training image)": float(loss),
                "wrong pixels, unseen image": float(np.mean(self.restore(self.test_rows) != self.test_clean.ravel()))}

    def restore(self, rows: np.ndarray) -> np.ndarray:
        """Each pixel -> 1 where w . N_i(y) + b > 0, i.e. p(x_i = 1 | y) > 1/2."""
        return (rows @ self.weights + self.intercept > 0).astype(np.float64)

    def _extra(self) -> dict:
        return {"filter": self.weights.reshape(SIZE, SIZE).copy(), "intercept": self.intercept,
                "noisy_error": float(np.mean((self.test_noisy > 0.5) != self.test_clean))}

    def picture(self) -> np.ndarray:
        """[unseen clean | its noisy version | restored], float32 (96, 3 * 96 + 8) in [0, 1]."""
        restored = self.restore(self.test_rows).reshape(self.test_clean.shape)
        gap = np.ones((SIDE, 4))
        return np.hstack([self.test_clean, gap, np.clip(self.test_noisy, 0, 1), gap, restored]).astype(np.float32)
