import numpy as np
import pytest
from skimage.data import binary_blobs

from generators.denoise import gaussian_noise, ising


@pytest.fixture(scope="module")
def noisy_pair():
    clean = binary_blobs(96, blob_size_fraction=0.12, volume_fraction=0.4, rng=3).astype(np.float32)
    return clean, gaussian_noise(clean, sigma=0.45, seed=0)


def test_icm_recovers_most_pixels_and_never_raises_the_energy(noisy_pair):
    clean, noisy = noisy_pair
    result = ising(noisy, 0.45, algorithm="icm", beta=1.0, sweeps=20)
    assert np.mean(result.image == clean) > 0.95
    assert np.mean((noisy > 0.5) == clean) < 0.9, "thresholding alone is clearly worse"
    assert all(later <= earlier for earlier, later in zip(result.energies, result.energies[1:]))
    assert result.energies[-1] < result.energies[0]


def test_gibbs_is_seeded_and_recovers_most_pixels(noisy_pair):
    clean, noisy = noisy_pair
    first = ising(noisy, 0.45, algorithm="gibbs", sweeps=12, seed=1)
    second = ising(noisy, 0.45, algorithm="gibbs", sweeps=12, seed=1)
    np.testing.assert_array_equal(first.image, second.image)
    assert len(first.energies) == 13
    assert np.mean(first.image == clean) > 0.93


def test_unknown_algorithm_is_refused(noisy_pair):
    with pytest.raises(ValueError, match="unknown algorithm .*; choose one of: icm, gibbs"):
        ising(noisy_pair[1], 0.45, algorithm="annealing")
