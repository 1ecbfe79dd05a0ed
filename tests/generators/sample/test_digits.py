import numpy as np
import pytest

from generators.registry import Registry


@pytest.fixture(scope="module", params=["mnist-vae", "mnist-gan"])
def model(request):
    return Registry(device="cpu").load(request.param)


def test_samples_follow_the_contract_and_the_seed(model):
    digits = model.sample(16, seed=3)
    assert digits.shape == (16, 28, 28) and digits.dtype == np.float32
    assert digits.min() >= 0.0 and digits.max() <= 1.0
    np.testing.assert_array_equal(digits, model.sample(16, seed=3))
    assert not np.allclose(digits, model.sample(16, seed=4))


def test_samples_are_the_decoded_latents_of_the_same_seed(model):
    np.testing.assert_allclose(model.sample(3, seed=9), model.decode(model.latents(3, seed=9)), atol=1e-6)


@pytest.mark.parametrize("bad", [0, -3, 1.5, "four", 10_001])
def test_bad_counts_are_refused(model, bad):
    with pytest.raises(ValueError, match="n must be"):
        model.sample(bad, seed=0)


def test_wrong_codes_are_refused(model):
    with pytest.raises(ValueError, match="codes must be"):
        model.decode(np.zeros((2, model.latent + 1)))
