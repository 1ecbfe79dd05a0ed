"""generators.api: the edge that answers registry queries for the families."""

from pathlib import Path

import numpy as np
import pytest

from generators import api, registry


def test_fast_styles_are_the_registry_entries_of_the_style_kind():
    styles = api.fast_styles()
    assert styles and styles == sorted(styles)
    for name in styles:
        assert registry.spec(f"style-{name}").kind == api.STYLE_KIND
    assert len(styles) == len(registry.default.names(kind=api.STYLE_KIND))


def test_sample_draws_the_registry_models_digits():
    digits = api.sample("mnist-gmm", 4, seed=1)
    assert digits.shape == (4, 28, 28) and digits.dtype == np.float32
    np.testing.assert_array_equal(digits, registry.load("mnist-gmm").sample(4, seed=1))


def test_a_bad_sample_request_is_refused_by_the_model_once_with_the_fix():
    with pytest.raises(ValueError, match="n must be a whole number between 1 and 10000"):
        api.sample("mnist-gmm", 0, seed=1)
    with pytest.raises(ValueError, match="seed must be a whole number between 0 and 2147483647"):
        api.sample("mnist-gmm", 4, seed=-1)


def test_interpolation_runs_from_seed_a_to_seed_b():
    strip = api.interpolate_seeds("mnist-vae", 1, 2, frames=5)
    vae = registry.load("mnist-vae")
    assert strip.shape == (5, 28, 28)
    np.testing.assert_allclose(strip[[0, -1]], vae.decode(np.concatenate([vae.latents(1, seed=1),
                                                                         vae.latents(1, seed=2)])), atol=1e-5)


def test_sample_can_ask_the_conditional_gan_for_a_digit_and_only_it():
    digits = api.sample("mnist-gan", 3, seed=2, digit=7)
    np.testing.assert_array_equal(digits, registry.load("mnist-gan").sample(3, seed=2, digit=7))
    with pytest.raises(ValueError, match="sample_digit"):
        api.sample("mnist-vae", 3, seed=2, digit=7)


def test_asking_for_a_digit_asks_the_conditional_gan_itself_and_the_others_through_the_classifier():
    """The lesson says the GAN draws the digit asked for with nothing rejected; the tab rejected from a pool."""
    asked = api.sample_digit("mnist-gan", 7, 16, seed=2)
    np.testing.assert_array_equal(asked.digits, registry.load("mnist-gan").sample(16, seed=2, digit=7))
    assert asked.by_model and asked.share >= 0.9 and asked.pool == 0
    picked = api.sample_digit("mnist-gmm", 7, 8, seed=2, pool=256)       # 13 of the 256 qualify
    assert not picked.by_model and len(picked.digits) == 8 and 0 < picked.share < 0.5 and picked.pool == 256


def test_warm_up_loads_the_default_runs_models_and_skips_a_broken_one(monkeypatch, caplog):
    from generators import registry
    from generators.checkpoint import CheckpointError

    assert set(api.WARM_UP) <= set(registry.default.table)          # a typo here would fail at start-up
    assert api.warm_up(("mnist-lenet",)) == ["mnist-lenet"] and "mnist-lenet" in registry.loaded()

    def broken(name):
        raise CheckpointError(f"{name}: checksum mismatch; rebuild it with python -m generators.train {name}")

    monkeypatch.setattr(registry, "load", broken)
    assert api.warm_up(("mnist-vae",)) == []
    assert "warm-up skipped mnist-vae" in caplog.text


def test_the_app_warms_up_unless_told_not_to():
    import app

    assert app.parse_args([]).warm_up and not app.parse_args(["--no-warm-up"]).warm_up


def test_a_scribble_is_refused_by_the_vaes_floor_and_a_digit_is_held_against_the_held_out_ones():
    from PIL import Image, ImageDraw

    from generators.sample.vae import QUICK_ELBO_MEAN, QUICK_ELBO_P01

    pad = Image.new("RGBA", (280, 280), (255, 255, 255, 0))
    ink = ImageDraw.Draw(pad)
    for at in range(20, 280, 40):          # a grid: ink everywhere, nothing like a digit
        ink.line([(at, 20), (at, 260)], fill=(0, 0, 0, 255), width=12)
        ink.line([(20, at), (260, at)], fill=(0, 0, 0, 255), width=12)
    metrics = api.sample_card(api.DIGIT_VAE)["metrics"]
    floor = metrics[QUICK_ELBO_P01]
    with pytest.raises(ValueError, match=rf"does not look like a handwritten digit.*above {floor:.0f}"):
        api.read_drawing(np.asarray(pad))
    seven = api.read_drawing(np.asarray(Image.open(Path(__file__).parents[2] / "assets" / "sample" / "drawn-7.png")))
    assert seven.typical == metrics[QUICK_ELBO_MEAN]
    assert floor - api.UNREADABLE_MARGIN_NATS < seven.elbo and seven.elbo > seven.typical - 20


def test_a_drawing_read_twice_is_scored_once_and_reads_the_same(monkeypatch):
    from PIL import Image

    drawing = np.asarray(Image.open(Path(__file__).parents[2] / "assets" / "sample" / "drawn-7.png"))
    first = api.read_drawing(drawing)
    assert int(first.chances.argmax()) == 7 and np.isfinite(first.elbo)
    vae, scored = registry.load(api.DIGIT_VAE), []
    monkeypatch.setattr(type(vae), "elbo", lambda self, *args, **kwargs: scored.append(1) or np.array([-90.0]))
    again = api.read_drawing(drawing.copy())
    assert again.elbo == first.elbo and np.array_equal(again.reconstruction, first.reconstruction)
    assert scored == []
    # The same ink moved on the pad is the same 28x28 digit; the drawing upside down is another one.
    assert api.read_drawing(np.roll(drawing, 40, axis=1)).elbo == first.elbo and scored == []
    assert api.read_drawing(np.ascontiguousarray(drawing[::-1])).elbo == -90.0 and scored == [1]
