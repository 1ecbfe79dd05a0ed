import numpy as np
import pytest

from generators.datasets import mnist
from generators.registry import Registry
from generators.sample import latent
from generators.sample.masks import make_mask


@pytest.fixture(scope="module")
def models():
    registry = Registry(device="cpu")
    return registry.load("mnist-vae"), registry.load("mnist-gan"), registry.load("mnist-lenet")


def test_slerp_starts_and_ends_on_the_codes_and_keeps_their_norm():
    a, b = np.random.default_rng(0).standard_normal((2, 16))
    path = latent.slerp(a, b, 7)
    np.testing.assert_allclose(path[0], a, atol=1e-5)
    np.testing.assert_allclose(path[-1], b, atol=1e-5)
    norms = np.linalg.norm(path, axis=1)
    assert norms.min() >= min(np.linalg.norm(a), np.linalg.norm(b)) - 1e-4
    with pytest.raises(ValueError, match="frames"):
        latent.slerp(a, b, 1)


def test_interpolation_frames_are_digits(models):
    vae = models[0]
    frames = latent.interpolate(vae, *vae.latents(2, seed=0), frames=5)
    assert frames.shape == (5, 28, 28) and frames.min() >= 0 and frames.max() <= 1


def test_latent_map_covers_the_codes(models):
    held_out = mnist("test")
    found = latent.latent_map(models[0], held_out.images[:200], held_out.labels[:200], size=5)
    assert found.tiles.shape == (5, 5, 28, 28) and found.points.shape == (200, 2)
    left, right, bottom, top = found.extent
    inside = (found.points[:, 0] > left) & (found.points[:, 0] < right)
    assert inside.mean() > 0.9 and bottom < 0 < top
    assert found.explained[0] >= found.explained[1] > 0


@pytest.mark.parametrize("which", [0, 1])
def test_asking_for_a_digit_gives_that_digit(models, which):
    judge = models[2]
    digits, share = latent.sample_digit(models[which], judge, 4, 8, seed=0, pool=512)
    assert digits.shape == (8, 28, 28) and 0 < share <= 1
    assert np.all(judge.predict(digits) == 4)
    with pytest.raises(ValueError, match="digit must be"):
        latent.sample_digit(models[which], judge, 10, 8, seed=0)
    # Asked for more than qualify: those that do, not an error and an empty sheet.
    some, share = latent.sample_digit(models[which], judge, 4, 64, seed=0, pool=64)
    assert 0 < len(some) < 64 and share == len(some) / 64 and np.all(judge.predict(some) == 4)


@pytest.mark.parametrize("which", [0, 1])
def test_repair_fills_hidden_pixels_better_than_leaving_them_blank(models, which):
    digits = mnist("test").images[:6]
    missing = make_mask("bottom half")
    blank, repaired = [], []
    for digit in digits:
        steps = list(latent.repair(models[which], digit, missing, steps=60, restarts=8, every=20, seed=0))
        final = steps[-1].filled
        np.testing.assert_array_equal(final[~missing], digit[~missing])
        assert steps[-1].visible_loss <= steps[0].visible_loss
        blank.append(np.mean(digit[missing] ** 2))
        repaired.append(np.mean((final[missing] - digit[missing]) ** 2))
    assert np.mean(repaired) < 0.7 * np.mean(blank)


def test_repair_refuses_masks_that_hide_nothing_or_everything(models):
    digit = mnist("test").images[0]
    for missing in (np.zeros((28, 28), bool), np.ones((28, 28), bool)):
        with pytest.raises(ValueError, match="mask"):
            next(latent.repair(models[0], digit, missing))
    with pytest.raises(ValueError, match="unknown mask"):
        make_mask("the middle bit")
