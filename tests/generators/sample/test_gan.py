"""The class-conditional GAN (mnist-gan) and the two judges of digit samples."""

import numpy as np
import pytest
import torch

from generators.datasets import mnist
from generators.registry import Registry
from generators.sample.gan import GAN, Discriminator, GANConfig


@pytest.fixture(scope="module")
def models():
    registry = Registry(device="cpu")
    return registry.load("mnist-gan"), registry.load("mnist-lenet"), registry.load("mnist-allconv")


def test_the_shipped_gan_is_conditional_and_draws_classes_uniformly(models):
    gan = models[0]
    assert gan.conditional
    codes = gan.latents(5000, seed=0)
    shares = np.bincount(codes[:, gan.config.latent:].argmax(1), minlength=10) / 5000
    assert codes.shape == (5000, gan.latent) and shares.min() > 0.08 and shares.max() < 0.12


def test_asked_digits_are_read_as_asked_by_the_report_judge(models):
    gan, _, report = models
    for digit in range(10):
        drawn = gan.sample(50, seed=digit, digit=digit)
        assert np.mean(report.predict(drawn) == digit) >= 0.9, digit


def test_asking_for_a_digit_keeps_the_seed_contract(models):
    gan = models[0]
    first = gan.sample(8, seed=5, digit=3)
    assert first.shape == (8, 28, 28) and first.dtype == np.float32 and 0 <= first.min() <= first.max() <= 1
    np.testing.assert_array_equal(first, gan.sample(8, seed=5, digit=3))
    assert not np.allclose(first, gan.sample(8, seed=5, digit=4))


@pytest.mark.parametrize("bad", [-1, 10, 2.5, True])
def test_a_bad_digit_is_refused(models, bad):
    with pytest.raises(ValueError, match="digit must be"):
        models[0].sample(4, seed=0, digit=bad)


def test_an_unconditional_gan_refuses_a_digit_and_its_critic_ignores_labels():
    config = GANConfig(channels=4, critic_channels=4)
    gan, critic = GAN(config).eval(), Discriminator(config)
    assert not gan.conditional and gan.latents(3, seed=0).shape == (3, config.latent)
    with pytest.raises(ValueError, match="unconditional"):
        gan.sample(2, seed=0, digit=1)
    assert critic(torch.rand(2, 1, 28, 28)).shape == (2,)


def test_the_projection_critic_scores_the_pair_of_image_and_digit():
    config = GANConfig(channels=4, critic_channels=4, classes=10)
    critic = Discriminator(config)
    images = torch.rand(3, 1, 28, 28)
    scores = critic(images, torch.tensor([0, 1, 2]))
    assert scores.shape == (3,) and not torch.allclose(scores, critic(images, torch.tensor([3, 4, 5])))


@pytest.mark.parametrize("index", [1, 2])
def test_both_judges_read_held_out_digits(models, index):
    held_out = mnist("test")
    judge = models[index]
    assert np.mean(judge.predict(held_out.images[:300]) == held_out.labels[:300]) > 0.93
    assert judge.embed(held_out.images[:4]).shape[0] == 4
