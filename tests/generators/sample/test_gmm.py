import numpy as np
import pytest

from generators.datasets import mnist
from generators.registry import Registry
from generators.sample.gmm import GMMSampler


@pytest.fixture(scope="module")
def shipped():
    return Registry(device="cpu").load("mnist-gmm")


def test_samples_follow_the_contract(shipped):
    digits = shipped.sample(16, seed=3)
    assert digits.shape == (16, 28, 28) and digits.dtype == np.float32
    assert digits.min() >= 0.0 and digits.max() <= 1.0


def test_same_seed_same_digits_other_seed_other_digits(shipped):
    np.testing.assert_array_equal(shipped.sample(8, seed=5), shipped.sample(8, seed=5))
    assert not np.allclose(shipped.sample(8, seed=5), shipped.sample(8, seed=6))


@pytest.mark.parametrize("bad", [0, -1, 2.5, float("nan"), "ten", 10_001])
def test_bad_counts_are_refused(shipped, bad):
    with pytest.raises(ValueError, match="n must be"):
        shipped.sample(bad, seed=0)


def test_real_digits_are_likelier_than_noise(shipped):
    real = mnist("test").images[:50]
    noise = np.random.default_rng(0).random((50, 28, 28), dtype=np.float32)
    assert shipped.log_likelihood(real).mean() > shipped.log_likelihood(noise).mean() + 100


def test_component_means_are_sorted_by_weight(shipped):
    means, weights = shipped.component_means()
    assert means.shape == (shipped.components, 28, 28)
    assert np.all(np.diff(weights) <= 0) and weights.sum() == pytest.approx(1.0)


def test_fit_learns_something_from_a_small_set():
    digits = mnist("train").images[:300]
    model = GMMSampler.fit(digits, components=3, dims=10, seed=0)
    round_trip = GMMSampler(**{k: v for k, v in _unpacked(model).items()})
    np.testing.assert_array_equal(round_trip.sample(4, seed=1), model.sample(4, seed=1))
    assert model.log_likelihood(digits).mean() > model.log_likelihood(1.0 - digits).mean()


def _unpacked(model):
    arrays = model.arrays()
    arrays["residual_variance"] = float(arrays["residual_variance"][0])
    return arrays
