import numpy as np
import pytest

from generators.datasets import mnist
from generators.registry import Registry


@pytest.fixture(scope="module")
def vae():
    return Registry(device="cpu").load("mnist-vae")


def test_encode_decode_shapes(vae):
    codes = vae.encode(mnist("test").images[:5])
    assert codes.shape == (5, vae.latent) and np.all(np.isfinite(codes))
    assert vae.decode(codes).shape == (5, 28, 28)


def test_elbo_is_finite_deterministic_and_prefers_real_digits_to_noise(vae):
    real = mnist("test").images[:50]
    noise = np.random.default_rng(0).random((50, 28, 28)).astype(np.float32)
    scores = vae.elbo(real)
    assert scores.shape == (50,) and np.all(np.isfinite(scores)) and np.all(scores < 0)
    np.testing.assert_array_equal(scores, vae.elbo(real))
    assert scores.min() > vae.elbo(noise).max()


def test_reconstructions_resemble_their_digits(vae):
    real = mnist("test").images[:50]
    error = np.mean((vae.reconstruct(real) - real) ** 2)
    shuffled = np.mean((vae.reconstruct(real) - real[::-1]) ** 2)
    assert error < 0.5 * shuffled


@pytest.mark.parametrize("bad, match", [
    (np.zeros((3, 28, 27)), "shape"), (np.full((2, 28, 28), 2.0), "within"), (np.full((28, 28), np.nan), "finite"),
])
def test_bad_digits_are_refused(vae, bad, match):
    with pytest.raises(ValueError, match=match):
        vae.elbo(bad)
