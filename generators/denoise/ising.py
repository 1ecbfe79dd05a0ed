"""A Markov random field (Ising model) prior for binary images, restored by ICM or Gibbs sampling.

Spins s_i in {-1, +1} stand for pixel values v_i = (s_i + 1) / 2. With Gaussian noise y_i = v_i + sigma n_i,
-log p(y_i | s_i) = const - s_i (y_i - 1/2) / (2 sigma^2), so the posterior energy is (Bishop, PRML 2006,
section 8.3.3, with the field taken from the noise model)

    E(s) = - sum_i h_i s_i - beta sum_{i~j} s_i s_j,    h_i = (y_i - 1/2) / (2 sigma^2),

summed over 4-neighbour pairs i~j. The two colour classes of a checkerboard are conditionally independent
given each other, so each half-sweep updates one class at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generators import checks, imaging


@dataclass(frozen=True)
class IsingResult:
    image: np.ndarray          # float32 (H, W) in {0, 1}
    energies: list[float]      # E(s) after each sweep (the first entry is the starting state)


def ising(image: np.ndarray, sigma: float, *, algorithm: str = "icm", beta: float = 1.0, sweeps: int = 10,
          seed: int = 0, burn_in: int | None = None) -> IsingResult:
    """Restore a binary image from its noisy version ``image`` (gray; colour is turned to gray).

    "icm" (Besag 1986): s_i <- sign(h_i + beta sum_{j~i} s_j), never raising E; stops early at a fixed point.
    "gibbs" (Geman & Geman 1984): s_i ~ p(s_i = +1 | rest) = sigmoid(2 (h_i + beta sum_{j~i} s_j)); the
    answer is the sign of the mean of the samples after ``burn_in`` sweeps (the marginal posterior mode).
    """
    checks.choice(algorithm, ("icm", "gibbs"), name="algorithm")
    gray = imaging.to_gray(image).astype(np.float64)
    field = (gray - 0.5) / (2.0 * max(sigma, 1e-2) ** 2)
    spins = np.where(gray > 0.5, 1.0, -1.0)
    rng = np.random.default_rng(seed)
    classes = (np.indices(gray.shape).sum(axis=0) % 2).astype(bool)
    energies = [_energy(spins, field, beta)]
    burn_in = sweeps // 2 if burn_in is None else burn_in
    total = np.zeros_like(spins)
    for sweep in range(sweeps):
        previous = spins.copy()
        for colour in (classes, ~classes):
            local = field + beta * _neighbour_sum(spins)
            if algorithm == "icm":
                spins[colour] = np.where(local[colour] >= 0, 1.0, -1.0)
            else:
                up = rng.random(local.shape) < 1.0 / (1.0 + np.exp(-2.0 * local))
                spins[colour] = np.where(up[colour], 1.0, -1.0)
        energies.append(_energy(spins, field, beta))
        if algorithm == "gibbs" and sweep >= burn_in:
            total += spins
        if algorithm == "icm" and np.array_equal(spins, previous):
            break
    final = spins if algorithm == "icm" else np.where(total >= 0, 1.0, -1.0)
    return IsingResult(image=((final + 1.0) / 2.0).astype(np.float32), energies=energies)


def _neighbour_sum(spins: np.ndarray) -> np.ndarray:
    """sum_{j~i} s_j over the 4 neighbours (free boundary: missing neighbours count 0)."""
    total = np.zeros_like(spins)
    total[1:] += spins[:-1]
    total[:-1] += spins[1:]
    total[:, 1:] += spins[:, :-1]
    total[:, :-1] += spins[:, 1:]
    return total


def _energy(spins: np.ndarray, field: np.ndarray, beta: float) -> float:
    """E(s) = - sum_i h_i s_i - beta sum_{i~j} s_i s_j, each neighbour pair counted once."""
    pairs = np.sum(spins[1:] * spins[:-1]) + np.sum(spins[:, 1:] * spins[:, :-1])
    return float(-np.sum(field * spins) - beta * pairs)
