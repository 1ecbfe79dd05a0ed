import numpy as np
import pytest
import skimage.data
import torch
from skimage.metrics import peak_signal_noise_ratio

from generators import imaging, registry
from generators.denoise import denoise, gaussian_noise
from generators.denoise.cnn import OPPONENT, CNNConfig, CNNDenoiser, _dihedral_mean, from_planes, to_planes


@pytest.fixture(scope="module")
def tiny():
    torch.manual_seed(0)
    return CNNDenoiser(CNNConfig(depth=4, width=8)).eval()


@pytest.fixture(scope="module")
def photo():
    return imaging.as_float(skimage.data.camera())[100:228, 180:308].copy()


def test_tiles_stitch_to_the_whole_image_result_without_seams(tiny):
    image = np.random.default_rng(0).random((70, 53)).astype(np.float32)  # odd sizes, several tiles
    whole = tiny.restore(image, 0.1, tile=4096)
    tiled = tiny.restore(image, 0.1, tile=16)
    assert tiled.shape == image.shape and tiled.dtype == np.float32
    np.testing.assert_allclose(tiled, whole, atol=1e-5)


def test_colour_goes_through_an_orthonormal_opponent_space(tiny):
    np.testing.assert_allclose(OPPONENT @ OPPONENT.T, np.eye(3), atol=1e-6)
    image = np.random.default_rng(1).random((24, 30, 3)).astype(np.float32)
    np.testing.assert_allclose(from_planes(to_planes(image)), image, atol=1e-6)
    np.testing.assert_allclose(to_planes(image)[0], image.mean(axis=2), atol=1e-6)   # Y / sqrt(3) = mean of RGB
    assert tiny.restore(image, 0.1).shape == (24, 30, 3)


@pytest.mark.parametrize("count", [2, 4, 8])
def test_self_ensembles_undo_each_flip_and_turn(tiny, count):
    stack = np.random.default_rng(3).random((1, 16, 16)).astype(np.float32)
    # A map that commutes with flips and turns comes back unchanged only if every inverse is applied right.
    np.testing.assert_allclose(_dihedral_mean(lambda x: 2 * x, stack, count), 2 * stack, atol=1e-6)
    # A map that does not (adds a left-to-right ramp) is averaged over its turned copies.
    ramp = np.linspace(0, 1, 16, dtype=np.float32)
    averaged = _dihedral_mean(lambda x: x + ramp, stack, count)
    np.testing.assert_allclose(averaged.mean(), (stack + ramp).mean(), atol=1e-5)
    assert np.abs(averaged - (stack + ramp)).max() > 0.2
    with pytest.raises(ValueError, match="ensemble"):
        tiny.restore(stack[0], 0.1, ensemble=3)


def test_tiny_images_are_padded_not_refused(tiny):
    assert tiny.restore(np.full((1, 1), 0.5, np.float32), 0.1).shape == (1, 1)
    assert tiny.restore(np.full((1, 40), 0.5, np.float32), 0.1).shape == (1, 40)


@pytest.mark.parametrize("sigma255", [15, 50])
def test_shipped_network_beats_the_classical_filters(photo, sigma255):
    noisy = gaussian_noise(photo, sigma=sigma255 / 255, seed=0)
    cnn = denoise(noisy, method="cnn", sigma=sigma255 / 255)
    tv = denoise(noisy, method="tv", sigma=sigma255 / 255)
    psnr = [peak_signal_noise_ratio(photo, x, data_range=1.0) for x in (noisy, tv, cnn)]
    assert cnn.shape == photo.shape and cnn.dtype == np.float32 and 0 <= cnn.min() and cnn.max() <= 1
    assert psnr[2] > psnr[0] + 5 and psnr[2] > psnr[1] + 0.5


def test_bfloat16_costs_next_to_nothing_in_quality(photo):
    model = registry.load("bsds-cnn-denoiser")
    noisy = gaussian_noise(photo, sigma=25 / 255, seed=0)
    exact, fast = (np.clip(model.restore(noisy, 25 / 255, bf16=flag), 0, 1) for flag in (False, True))
    assert not np.array_equal(exact, fast)                          # bf16 really ran
    gap = peak_signal_noise_ratio(photo, exact, data_range=1.0) - peak_signal_noise_ratio(photo, fast, data_range=1.0)
    assert abs(gap) < 0.05 and np.abs(exact - fast).max() < 0.05


def test_shipped_network_denoises_colour_and_leaves_clean_images_alone():
    photo = imaging.as_float(skimage.data.astronaut())[::4, ::4].copy()
    noisy = gaussian_noise(photo, sigma=25 / 255, seed=1)
    restored = denoise(noisy, method="cnn", sigma=25 / 255)
    assert peak_signal_noise_ratio(photo, restored, data_range=1.0) > peak_signal_noise_ratio(photo, noisy, data_range=1.0) + 6
    untouched = denoise(photo, method="cnn", sigma=0.0)
    assert peak_signal_noise_ratio(photo, untouched, data_range=1.0) > 38


def test_the_shipped_checkpoint_records_how_it_was_made():
    card = registry.card("bsds-cnn-denoiser")
    assert card["train_command"].startswith("python -m generators.train bsds-cnn-denoiser")
    assert {"val_psnr_sigma15", "val_psnr_sigma25", "val_psnr_sigma50"} <= set(card["metrics"])
    assert card["curves"]["train_mse"]


def test_prepare_loads_the_model_a_method_needs_and_nothing_for_the_others(monkeypatch):
    from generators.denoise import prepare

    asked = []
    monkeypatch.setattr(registry, "load", asked.append)
    for method in ("gaussian", "cnn", "nlm", "epll"):
        prepare(method)
    assert asked == ["bsds-cnn-denoiser", "bsds-epll-gmm"]
