import itertools

import numpy as np
import pytest
import torch

from generators import features, imaging
from generators.texture import neural, quilting, sourcemap, synthesize, synthesize_steps

FAST = {"efros_leung": {"window": 7}, "quilting": {"block": 12, "overlap": 3}, "neural": {"steps": 6}}
COPYING = ("efros_leung", "quilting")


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Two torch threads on a machine loaded by others spin far more than they compute."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def exemplar() -> np.ndarray:
    """A 40x40 colour texture with no repeats: smoothed noise, so exact pixel matches happen only by copying."""
    noise = np.random.default_rng(0).random((44, 44, 3)).astype(np.float32)
    smooth = sum(noise[dy:dy + 40, dx:dx + 40] for dy, dx in itertools.product(range(3), range(3))) / 9
    return ((smooth - smooth.min()) / np.ptp(smooth)).astype(np.float32)


@pytest.mark.parametrize("method", list(FAST))
def test_output_has_the_asked_size_dtype_and_range(exemplar, method):
    for image in (exemplar, imaging.to_gray(exemplar)):
        out = synthesize(image, method=method, size=(48, 40), seed=0, **FAST[method])
        assert out.shape == (48, 40) + image.shape[2:] and out.dtype == np.float32
        assert out.min() >= 0.0 and out.max() <= 1.0


@pytest.mark.parametrize("method", list(FAST))
def test_same_seed_same_output_other_seed_other_output(exemplar, method):
    first, again, other = (synthesize(exemplar, method=method, size=(40, 40), seed=seed, **FAST[method])
                           for seed in (3, 3, 4))
    np.testing.assert_array_equal(first, again)
    assert np.abs(first - other).mean() > 0.01


@pytest.mark.parametrize("method", COPYING)
def test_source_map_tells_where_every_pixel_came_from(exemplar, method):
    last = list(synthesize_steps(exemplar, method=method, size=(64, 64), seed=1, **FAST[method]))[-1]
    ys, xs = last.source[..., 0], last.source[..., 1]
    assert last.copied and ys.min() >= 0
    np.testing.assert_array_equal(last.image, exemplar[ys, xs])


@pytest.mark.parametrize("method", COPYING)
def test_output_is_not_a_shifted_copy_of_the_exemplar(exemplar, method):
    out = synthesize(exemplar, method=method, size=(80, 80), seed=2, **FAST[method])
    tiled = np.tile(exemplar, (3, 3, 1))
    best = max(np.mean(np.all(out == tiled[dy:dy + 80, dx:dx + 80], axis=2))
               for dy in range(40) for dx in range(40))
    assert best < 0.5, f"{best:.0%} of the output equals one shifted tiling of the exemplar"


@pytest.mark.parametrize("method", list(FAST))
def test_the_generator_form_grows_the_output_and_ends_where_synthesize_does(exemplar, method):
    steps = list(synthesize_steps(exemplar, method=method, size=(48, 48), seed=5, **FAST[method]))
    progress = [step.progress for step in steps]
    assert len(steps) >= 2 and progress == sorted(progress) and progress[-1] == 1.0 and progress[0] < 1.0
    np.testing.assert_array_equal(steps[-1].image, synthesize(exemplar, method=method, size=(48, 48), seed=5,
                                                              **FAST[method]))


def test_neural_synthesis_lowers_the_gram_loss_and_reports_its_network(exemplar):
    steps = list(synthesize_steps(exemplar, method="neural", size=(40, 40), seed=0, steps=20))
    assert steps[0].note == neural.network_name("auto") and not steps[-1].copied
    assert steps[-1].source.shape == (40, 40, 2) and steps[0].source is None
    maps = neural._network("random", 40, "cpu")
    target = [features.gram(f) for f in maps(imaging.to_tensor(exemplar))]

    def loss(image):
        grams = [features.gram(f) for f in maps(imaging.to_tensor(image))]
        return float(sum(((g - t) ** 2).sum() / (t ** 2).sum() for g, t in zip(grams, target)))

    assert loss(steps[-1].image) < 0.5 * loss(steps[0].image)


def test_min_cut_finds_the_cheapest_connected_path():
    errors = np.random.default_rng(0).random((6, 4))
    path = quilting._min_cut(errors)
    paths = [p for p in itertools.product(range(4), repeat=6) if all(abs(a - b) <= 1 for a, b in zip(p, p[1:]))]
    cheapest = min(sum(errors[i, j] for i, j in enumerate(p)) for p in paths)
    assert sum(errors[i, j] for i, j in enumerate(path)) == pytest.approx(cheapest)
    assert all(abs(a - b) <= 1 for a, b in zip(path, path[1:]))


def test_quilting_seams_follow_the_min_cut():
    old = np.zeros((8, 8, 1), dtype=np.float32)
    new = np.ones((8, 8, 1), dtype=np.float32)
    new[:, 2] = 0.0                                 # new agrees with old along column 2 of the overlap only
    keep = quilting._seam_mask(old, new, 4, above=False, beside=True)
    assert keep[:, 3:].all() and not keep[:, :2].any() and keep[:, 2].all()


def test_texture_transfer_follows_the_target(exemplar):
    target = np.zeros((64, 64), dtype=np.float32)
    target[:, 32:] = 1.0

    def right_minus_left(**transfer):
        out = imaging.to_gray(synthesize(exemplar, method="quilting", size=(64, 64), seed=0, block=10, overlap=3,
                                         **transfer))
        return out[:, 36:].mean() - out[:, :28].mean()

    assert right_minus_left(target=target, alpha=0.1) > abs(right_minus_left()) + 0.03


def test_source_map_colours_and_key():
    source = np.array([[[0, 0], [9, 19]], [[-1, -1], [0, 19]]], dtype=np.int32)
    image = sourcemap.colour(source, (10, 20))
    np.testing.assert_allclose(image[0, 1], [1.0, 1.0, 0.5])
    np.testing.assert_allclose(image[1, 0], [0.0, 0.0, 0.0])
    assert sourcemap.key((10, 20)).shape == (10, 20, 3)


def test_nearest_patches_find_a_copied_patch(exemplar):
    found = sourcemap.nearest_patches(exemplar[10:30, 5:25], exemplar)
    assert tuple(found[10, 10]) == (20, 15)


@pytest.mark.parametrize("method, size, params, message", [
    ("efros_leung", (32, 32), {"window": 8}, "window must be odd.*use 9"),
    ("efros_leung", (32, 32), {"window": 41}, "too small for a window of 41: use a window of at most 39"),
    ("efros_leung", (32, 32), {"tolerance": float("nan")}, "tolerance must be a finite number"),
    ("quilting", (32, 32), {"block": 48}, "block 48 is larger than the exemplar.*at most 40"),
    ("quilting", (32, 32), {"overlap": 20}, "overlap must be a whole number between 1 and 12"),
    ("quilting", (32, 32), {"alpha": 2.0}, "alpha must be a number between 0 and 1"),
    ("neural", (32, 32), {"steps": float("nan")}, "steps must be a finite number between 1 and 5000"),
    ("neural", (16, 16), {}, "at least 32x32"),
    ("neural", (32, 32), {"network": "resnet"}, "unknown network 'resnet'"),
    ("efros_leung", (0, 32), {}, "size height must be a whole number between 1 and 1024, got 0"),
    ("quilting", (32,), {}, r"size must be \(height, width\)"),
    ("dreaming", (32, 32), {}, "unknown method 'dreaming'; choose one of"),
    ("quilting", (32, 32), {"window": 5}, "unknown parameter.*window.*it takes: block"),
])
def test_bad_arguments_are_refused_with_the_fix(exemplar, method, size, params, message):
    with pytest.raises(ValueError, match=message):
        synthesize(exemplar, method=method, size=size, seed=0, **params)
    with pytest.raises(ValueError, match=message):
        synthesize_steps(exemplar, method=method, size=size, seed=0, **params)


def test_bad_exemplars_and_seeds_are_refused(exemplar):
    with pytest.raises(ValueError, match="exemplar contains NaN"):
        synthesize(np.full((20, 20), np.nan, dtype=np.float32), method="quilting", size=(8, 8), seed=0)
    with pytest.raises(ValueError, match=r"exemplar \(10x8\) is too small for a window of 11"):   # width x height
        synthesize(exemplar[:8, :10], method="efros_leung", size=(8, 8), seed=0)
    with pytest.raises(ValueError, match="seed must be a whole number"):
        synthesize(exemplar, method="quilting", size=(8, 8), seed=-1)


def test_vgg19_asked_for_without_its_weights_is_refused(exemplar, tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.delenv("GENLAB_VGG19", raising=False)
    with pytest.raises(ValueError, match="GENLAB_VGG19=1.*network='random'"):
        synthesize(exemplar, method="neural", size=(32, 32), seed=0, network="vgg19")


def test_vgg19_opted_in_but_offline_says_the_download_failed(exemplar, tmp_path, monkeypatch):
    import urllib.error

    from generators import fetch

    def offline(url, target, **options):
        raise urllib.error.URLError("offline")

    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setenv("GENLAB_VGG19", "1")
    monkeypatch.setattr(fetch, "download", offline)
    with pytest.raises(ValueError, match="could not be downloaded.*offline.*network='random'"):
        synthesize(exemplar, method="neural", size=(32, 32), seed=0, network="vgg19")


def test_seeds_above_checks_max_seed_are_refused(exemplar):
    from generators import checks

    synthesize(exemplar, method="quilting", size=(8, 8), seed=checks.MAX_SEED, block=8, overlap=2)
    with pytest.raises(ValueError, match="seed must be a whole number between 0 and 2147483647"):
        synthesize(exemplar, method="quilting", size=(8, 8), seed=checks.MAX_SEED + 1)


def test_api_synthesis_runs_on_the_app_device(exemplar, monkeypatch):
    from generators import api

    devices = []
    monkeypatch.setattr(api, "device", lambda: devices.append("cpu") or "cpu")
    image = api.synthesize(exemplar, method="neural", size=(32, 32), seed=0, steps=1)
    last = list(api.synthesize_steps(exemplar, method="neural", size=(32, 32), seed=0, steps=1))[-1]
    np.testing.assert_array_equal(image, last.image)
    assert devices == ["cpu", "cpu"]
