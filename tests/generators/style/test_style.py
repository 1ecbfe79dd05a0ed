import numpy as np
import pytest
from skimage import color, data

from generators import api, imaging
from generators.style import INITS, blend, gatys, stylize
from generators.style.patterns import PATTERNS, pattern


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    return imaging.resize(imaging.as_float(data.chelsea()), (48, 72))


@pytest.fixture(scope="module")
def style_image() -> np.ndarray:
    return imaging.resize(imaging.as_float(data.coffee()), (40, 60))


@pytest.mark.parametrize("method", ["reinhard", "histogram"])
def test_classical_methods_keep_shape_dtype_and_range(photo, style_image, method):
    out = stylize(photo, style_image, method=method)
    assert out.shape == photo.shape and out.dtype == np.float32
    assert 0.0 <= out.min() and out.max() <= 1.0
    assert np.abs(out - photo).mean() > 0.02


def test_reinhard_matches_the_styles_lab_mean_and_spread(photo):
    tinted = np.clip(photo[::-1] * np.float32([0.6, 0.8, 0.9]) + np.float32([0.0, 0.1, 0.1]), 0, 1)  # in gamut
    out = color.rgb2lab(stylize(photo, tinted, method="reinhard"))
    target = color.rgb2lab(tinted)
    np.testing.assert_allclose(out.mean(axis=(0, 1)), target.mean(axis=(0, 1)), atol=0.5)
    np.testing.assert_allclose(out.std(axis=(0, 1)), target.std(axis=(0, 1)), rtol=0.05)


def test_histogram_matching_matches_the_styles_histogram(photo, style_image):
    out = stylize(photo, style_image, method="histogram")
    for channel in range(3):
        quantiles = np.linspace(0.05, 0.95, 10)
        got = np.quantile(out[..., channel], quantiles)
        want = np.quantile(style_image[..., channel], quantiles)
        before = np.quantile(photo[..., channel], quantiles)
        assert np.abs(got - want).max() < 0.02 < np.abs(before - want).max()


def test_preserve_colours_keeps_the_contents_chroma(photo, style_image):
    out = stylize(photo, style_image, method="histogram", preserve_colors=True)
    chroma = color.rgb2yiq(out)[..., 1:]
    assert np.abs(chroma - color.rgb2yiq(photo)[..., 1:]).mean() < 0.005  # up to gamut clipping


def test_gatys_yields_previews_and_its_loss_decreases(photo, style_image):
    steps = list(gatys(photo, style_image, steps=12, size=48, preview_every=4, network="random"))
    assert [s.step for s in steps][-1] == 12 and len(steps) >= 3
    assert steps[-1].total < steps[0].total
    assert steps[-1].image.shape == (32, 48, 3) and steps[-1].image.dtype == np.float32
    assert "random" in steps[-1].network


@pytest.mark.parametrize("init", INITS)
def test_gatys_same_seed_same_result(photo, style_image, init):
    def run(seed):
        return stylize(photo, style_image, method="gatys", steps=3, size=32, init=init, seed=seed, network="random")

    first = run(5)
    np.testing.assert_array_equal(first, run(5))
    assert first.shape == photo.shape and first.dtype == np.float32
    if init == "noise":
        assert not np.array_equal(first, run(6))


def test_gatys_previews_are_blended_by_strength(photo, style_image):
    full, half = (list(gatys(photo, style_image, steps=2, size=48, network="random", strength=strength))[-1]
                  for strength in (1.0, 0.5))
    content = imaging.resize(photo, full.image.shape[:2])
    np.testing.assert_allclose(half.image, (full.image + content) / 2, atol=1e-5)
    assert full.steps == half.steps == 2


def test_api_stylize_loads_the_named_network_and_runs_gatys_on_the_app_device(photo, style_image, monkeypatch):
    np.testing.assert_array_equal(api.stylize(photo, "starry-night"),
                                  stylize(photo, model=api.fast_style("starry-night")))
    devices = []
    monkeypatch.setattr(api, "device", lambda: devices.append("cpu") or "cpu")
    api.stylize(photo, style_image, method="gatys", steps=1, size=32, network="random")
    list(api.gatys(photo, style_image, steps=1, size=32, network="random"))
    assert devices == ["cpu", "cpu"]


def test_gatys_preserve_colours_runs_on_luminance(photo, style_image):
    out = stylize(photo, style_image, method="gatys", steps=2, size=32, preserve_colors=True, network="random")
    assert out.shape == photo.shape


def test_fast_styles_load_and_change_the_image(photo):
    styles = api.fast_styles()
    assert len(styles) >= 4
    for name in styles:
        out = stylize(photo, method="fast", model=api.fast_style(name))
        assert out.shape == photo.shape and out.dtype == np.float32
        assert 0.0 <= out.min() and out.max() <= 1.0
        assert np.abs(out - photo).mean() > 0.03, name


def test_strength_zero_returns_the_content(photo, style_image):
    np.testing.assert_array_equal(stylize(photo, model=api.fast_style("starry-night"), strength=0.0), photo)
    np.testing.assert_array_equal(stylize(photo, style_image, method="reinhard", strength=0.0), photo)
    half = blend(photo, np.zeros_like(photo), 0.5)
    np.testing.assert_allclose(half, photo / 2, atol=1e-6)


def test_grayscale_content_is_converted_to_rgb(photo, style_image):
    out = stylize(imaging.to_gray(photo), style_image, method="histogram")
    assert out.shape == photo.shape


@pytest.mark.parametrize("call, message", [
    (lambda p, s: api.stylize(p, "van-gogh"), "choose one of: .*the-scream"),
    (lambda p, s: api.stylize(p, s, method="fast"), "shipped style name"),
    (lambda p, s: stylize(p, "the-scream"), "takes the trained network as model="),
    (lambda p, s: stylize(p), "needs model=, a trained FastStyle network, got NoneType"),
    (lambda p, s: stylize(p, "the-scream", method="reinhard"), "needs a style image"),
    (lambda p, s: stylize(p, s, method="cubism"), "unknown method 'cubism'"),
    (lambda p, s: stylize(p, s, method="histogram", strength=float("nan")), "strength"),
    (lambda p, s: stylize(p, s, method="histogram", strength=2), "strength must be a number between 0 and 1"),
    (lambda p, s: stylize(p, s, method="histogram", steps=3), "only apply to method='gatys'"),
    (lambda p, s: list(gatys(p, s, style_weight=float("nan"))), "style_weight must be a finite number"),
    (lambda p, s: list(gatys(p, s, content_weight=-1)), "content_weight"),
    (lambda p, s: list(gatys(p, s, content_weight=0, style_weight=0)), "make at least one positive"),
    (lambda p, s: list(gatys(p, s, steps=2.5)), "steps must be a whole number"),
    (lambda p, s: list(gatys(p, s, init="zeros")), "unknown init 'zeros'; choose one of: content, noise"),
    (lambda p, s: list(gatys(p, s, seed=-1)), "seed must be a whole number between 0 and 2147483647"),
    (lambda p, s: list(gatys(p, s, network="resnet")), "unknown network 'resnet'"),
    (lambda p, s: list(gatys(p, s, strength=1.5)), "strength must be a number between 0 and 1"),
    (lambda p, s: stylize(p * 3, s, method="histogram"), "outside \\[0, 1\\]"),
    (lambda p, s: stylize(p[..., :2].copy().reshape(48, 72, 2)[..., :1].repeat(5, 2), s, method="histogram"),
     "shape"),
    (lambda p, s: stylize([[0.5]], s, method="histogram"), "numpy image"),
])
def test_bad_inputs_raise_a_value_error_naming_the_fix(photo, style_image, call, message):
    with pytest.raises(ValueError, match=message):
        call(photo, style_image)


@pytest.mark.parametrize("name", PATTERNS)
def test_patterns_are_deterministic_contract_images(name):
    image = pattern(name, 64)
    assert image.shape == (64, 64, 3) and image.dtype == np.float32
    assert 0.0 <= image.min() and image.max() <= 1.0 and image.std() > 0.05
    np.testing.assert_array_equal(image, pattern(name, 64))


@pytest.mark.parametrize("shape", [(1, 2), (5, 7), (9, 4)])
def test_tiny_images_keep_their_shape(shape, style_image):
    tiny = np.random.default_rng(0).random(shape + (3,)).astype(np.float32)
    assert api.stylize(tiny, "starry-night").shape == tiny.shape
    assert stylize(tiny, style_image, method="gatys", steps=2, size=32, network="random").shape == tiny.shape


@pytest.mark.parametrize("style", [
    imaging.to_gray(imaging.resize(imaging.as_float(data.coffee()), (40, 60))),  # grayscale
    np.dstack([imaging.resize(imaging.as_float(data.coffee()), (40, 60)), np.full((40, 60), 0.5, np.float32)]),  # RGBA
])
def test_grayscale_and_rgba_style_images_become_rgb(photo, style):
    out = stylize(photo, style, method="gatys", steps=2, size=32, network="random")
    assert out.shape == photo.shape and out.dtype == np.float32


def test_a_1x1_style_image_still_gives_a_result(photo):
    out = stylize(photo, np.full((1, 1, 3), 0.5, np.float32), method="gatys", steps=2, size=32, network="random")
    assert out.shape == photo.shape and np.isfinite(out).all()
