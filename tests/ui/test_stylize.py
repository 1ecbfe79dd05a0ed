import gradio as gr
import numpy as np
import pytest
from PIL import Image

from ui import stylize

REINHARD = "Colour transfer (Reinhard et al.)"
GATYS = "Optimisation (Gatys et al.)"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stylize")
    rng = np.random.default_rng(0)
    big = folder / "big.png"
    Image.fromarray(rng.integers(0, 255, (1200, 1500, 3), dtype=np.uint8)).save(big)
    small = folder / "small.png"
    Image.fromarray(rng.integers(0, 255, (40, 50), dtype=np.uint8)).save(small)  # grayscale: converted
    style = folder / "style.png"
    Image.fromarray(np.full((30, 30, 3), (200, 80, 40), dtype=np.uint8)).save(style)
    gray_style = folder / "gray-style.png"
    Image.fromarray(rng.integers(0, 255, (30, 30), dtype=np.uint8)).save(gray_style)
    rgba_style = folder / "rgba-style.png"
    Image.fromarray(rng.integers(0, 255, (30, 30, 4), dtype=np.uint8)).save(rgba_style)
    dot = folder / "dot.png"
    Image.fromarray(np.full((1, 1, 3), 128, dtype=np.uint8)).save(dot)
    huge_painting = folder / "huge-painting.jpg"
    Image.fromarray(rng.integers(0, 255, (2400, 3000, 3), dtype=np.uint8)).save(huge_painting)
    return str(big), str(small), str(style), str(gray_style), str(rgba_style), str(dot), str(huge_painting)


def _run(content, method, style_path, **overrides):
    values = dict(fast_style="the-scream", strength=1.0, preserve_colors=False, content_weight=1.0, style_weight=10.0,
                  steps=4, size=32, init="content", seed=0)
    values.update(overrides)
    return list(stylize.run(content, method, values["fast_style"], style_path, values["strength"],
                            values["preserve_colors"], values["content_weight"], values["style_weight"],
                            values["steps"], values["size"], values["init"], values["seed"]))


def test_large_upload_is_downscaled_with_a_notice(files):
    big, _, style, *_ = files
    [(image, status, plot)] = _run(big, REINHARD, style)
    assert image.dtype == np.uint8 and max(image.shape[:2]) == stylize.MAX_SIDE
    assert "downscaled" in status and " s" in status and plot is None


def test_gatys_streams_previews_with_a_loss_table(files):
    _, small, style, *_ = files
    outputs = _run(small, GATYS, style, steps=6)
    assert len(outputs) >= 2
    image, status, table = outputs[-1]
    assert image.shape[2] == 3 and "· done ·" in status
    assert set(table["term"]) == {"total", "style", "content"} and table["step"].max() == 6


@pytest.mark.parametrize("content, method, style_index, overrides, message", [
    (None, REINHARD, 2, {}, "no content image"),
    ("small", REINHARD, None, {}, "no style image"),
    ("small", "Cubism", 2, {}, "unknown method 'Cubism'"),
    ("small", "Fast network (Johnson et al.)", None, {"fast_style": "van-gogh"}, "choose one of"),
    ("small", GATYS, 2, {"style_weight": float("nan")}, "style_weight"),
    ("small", GATYS, 2, {"strength": 3}, "strength must be a number between 0 and 1"),
    ("small", GATYS, 5, {}, "The style image \\(dot.png\\) is 1x1 pixels; this needs at least 16"),
])
def test_bad_inputs_become_a_clear_message(files, content, method, style_index, overrides, message):
    path = files[1] if content == "small" else content
    style = files[style_index] if style_index is not None else None
    with pytest.raises(gr.Error, match=message):
        _run(path, method, style, **overrides)


def test_gatys_with_vgg19_ticked_but_no_download_says_so_and_uses_random_filters(files, monkeypatch, tmp_path):
    import urllib.error

    from generators import fetch

    def offline(url, target, **options):
        raise urllib.error.URLError("offline")

    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(fetch, "download", offline)
    _, small, style = files[:3]
    outputs = list(stylize.run(small, GATYS, "starry-night", style, 1.0, False, 1.0, 10.0, 2, 32, "content", 0, True))
    status = outputs[-1][1]
    assert "could not be downloaded" in status and "random-filter network instead" in status
    assert "random" in status.split("·")[-1]


def test_gatys_unticked_never_downloads(files, monkeypatch):
    from generators import fetch

    def forbidden(url, target, **options):
        raise AssertionError("downloaded without being asked")

    monkeypatch.setattr(fetch, "download", forbidden)
    _, small, style = files[:3]
    assert "done · random" in _run(small, GATYS, style, steps=2)[-1][1]


@pytest.mark.parametrize("style_index", [3, 4])
def test_grayscale_and_rgba_style_images_are_used_as_rgb(files, style_index):
    image, status, _ = _run(files[1], GATYS, files[style_index], steps=2)[-1]
    assert image.ndim == 3 and image.shape[2] == 3 and "done" in status


def test_a_huge_painting_is_downscaled_with_a_notice(files):
    image, status, _ = _run(files[1], REINHARD, files[6])[-1]
    assert image.shape[2] == 3
    assert "Style: The image was 3000x2400; it was downscaled to 1024x819" in status


def test_a_content_example_sets_the_controls_it_shows_so_its_link_and_bundle_match(tmp_path, monkeypatch):
    """A content example shows the photograph through the default painting network whatever the controls say;
    with another method or painting picked, Copy link and the bundle described a result that was not shown."""
    from ui import bundles, share

    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path))
    with gr.Blocks() as blocks:
        stylize.build()
    view = share._VIEWS["stylize/fast"]
    controls = [view.when[0], *(view.param(name).component for name in ("style", "strength", "preserve"))]
    [setter] = [f for f in blocks.fns.values() if [c._id for c in f.outputs] == [c._id for c in controls]]
    values = dict(zip(map(id, controls), setter.fn()))
    assert values[id(controls[0])] in view.when[1], "the example's method is the fast network's"
    photo = view.uploads[0].examples()["rocket.png"]
    image, _ = stylize.example_result(photo)
    path = bundles.pack(view, {**values, id(view.uploads[0].component): photo, id(view.pictures[0]): image})
    verdict, _, _ = bundles.replay(path, {"stylize/fast": view})
    assert verdict.startswith("**identical**"), verdict
