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
    real = mnist("test").images[:16]
    noise = np.random.default_rng(0).random((16, 28, 28)).astype(np.float32)
    scores = vae.elbo(real, refine=20)
    assert scores.shape == (16,) and np.all(np.isfinite(scores)) and np.all(scores < 0)
    np.testing.assert_array_equal(scores, vae.elbo(real, refine=20))
    assert scores.min() > vae.elbo(noise, refine=20).max()


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


def test_refined_and_fitted_prior_bounds_are_tighter_and_still_deterministic(vae):
    real = mnist("test").images[:10]
    plain = vae.elbo(real, refine=0, prior="normal")
    fitted = vae.elbo(real, refine=0)
    refined = vae.elbo(real, refine=50)                 # 50 Adam steps on each digit's q (the default is 500)
    # The mixture fitted to the aggregate posterior is a better prior than N(0, I), and the per-digit Adam
    # steps only tighten the bound (one noisy draw per step, so allow a little slack per digit).
    assert fitted.mean() > plain.mean() + 1
    assert refined.mean() > fitted.mean() + 1 and np.mean(refined > fitted - 1) >= 0.9
    np.testing.assert_array_equal(refined, vae.elbo(real, refine=50))


@pytest.mark.parametrize("options, match", [
    ({"refine": -1}, "refine"), ({"refine": 2.5}, "refine"), ({"draws": 0}, "draws"), ({"prior": "flat"}, "prior"),
])
def test_bad_elbo_options_are_refused(vae, options, match):
    with pytest.raises(ValueError, match=match):
        vae.elbo(mnist("test").images[:2], **options)


def test_a_learned_prior_is_what_training_and_the_bound_use_until_a_mixture_is_fitted():
    import torch

    from generators.sample.vae import VAE, VAEConfig

    torch.manual_seed(0)
    model = VAE(VAEConfig(latent=4, channels=4, hidden=16, prior_components=3)).eval()
    digits = mnist("test").images[:8]
    learned = model.elbo(digits, refine=0)
    normal = model.elbo(digits, refine=0, prior="normal")
    assert not np.allclose(learned, normal)
    # In code_prior's form it is the same density: the bound is unchanged (same seed, same draws).
    model.code_prior = model.learned_prior()
    np.testing.assert_allclose(model.elbo(digits, refine=0), learned, rtol=1e-4)
    assert model.code_prior["weights"].sum() == pytest.approx(1.0)
