import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio

from generators import registry
from generators.datasets import mnist
from generators.denoise.autoencoder import noisy_digits


@pytest.fixture(scope="module")
def model():
    return registry.load("mnist-dae")


@pytest.fixture(scope="module")
def digits():
    return mnist("test").images[:200]


def _psnr(estimate, clean):
    return peak_signal_noise_ratio(clean, estimate, data_range=1.0)


def test_noise_is_seeded_and_stays_in_the_pixel_range(digits):
    a, b = noisy_digits(digits, sigma=0.5, seed=3), noisy_digits(digits, sigma=0.5, seed=3)
    np.testing.assert_array_equal(a, b)
    assert a.min() >= 0 and a.max() <= 1 and not np.array_equal(a, noisy_digits(digits, sigma=0.5, seed=4))


def test_each_network_removes_heavy_noise_and_codes_have_the_bottleneck_size(model, digits):
    noisy = noisy_digits(digits, sigma=0.5, seed=0)
    for level in model.levels:
        restored = model.denoise(noisy, level)
        assert restored.shape == digits.shape and restored.dtype == np.float32
        assert model.encode(noisy, level).shape == (len(digits), model.config.code)
    matched = model.denoise(noisy, 0.5)
    assert _psnr(matched, digits) > _psnr(noisy, digits) + 6


def test_the_network_trained_for_the_noise_does_best_on_it(model, digits):
    noisy = noisy_digits(digits, sigma=0.7, seed=0)
    scores = {level: _psnr(model.denoise(noisy, level), digits) for level in model.levels}
    assert max(scores, key=scores.get) >= 0.5 and scores[0.1] < scores[0.7] - 3


def test_an_untrained_level_names_the_ones_there_are(model, digits):
    with pytest.raises(ValueError, match=r"no autoencoder was trained for noise 0\.2.*0\.1"):
        model.denoise(digits, 0.2)
