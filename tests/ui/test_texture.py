"""The Texture tab's endpoint through gradio_client, in process (the way a script or another app calls it)."""

import numpy as np
import pytest
from PIL import Image

from ui.caches import ExampleCache
from ui.common import examples

QUILTING = "Image quilting: block by block (2001)"
EFROS_LEUNG = "Efros–Leung: pixel by pixel (1999)"


def _call(client, method, *, side=64, seed=1, window=11, block=16, overlap=4):
    from gradio_client import handle_file

    brick = next(path for path in examples("texture") if path.endswith("brick.png"))
    return client.predict(handle_file(brick), method, side, seed, window, block, overlap, None, 0.3, 10,
                          api_name="/texture")


def test_quilting_endpoint_returns_the_texture_its_source_map_and_the_time(client):
    output, source, status = _call(client, QUILTING)
    again, _, _ = _call(client, QUILTING)
    image = np.asarray(Image.open(output))
    assert output.endswith(".png") and image.shape[0] >= 64 and image.std() > 5
    np.testing.assert_array_equal(image, np.asarray(Image.open(again)))
    assert np.asarray(Image.open(source)).shape[:2] == image.shape[:2]
    assert "done" in status and " s**" in status


@pytest.mark.parametrize("window, side, message", [(8, 64, "window must be odd"), (11, 0, "minimum|Output size")])
def test_bad_parameters_get_a_clear_message(client, window, side, message):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=message):
        _call(client, EFROS_LEUNG, window=window, side=side)


def test_an_example_clicked_again_with_the_same_settings_comes_from_the_cache(monkeypatch):
    from generators import api
    from ui import texture

    calls = []
    synthesize_steps = api.synthesize_steps

    def counted(*args, **kwargs):
        calls.append(kwargs["seed"])
        return synthesize_steps(*args, **kwargs)

    monkeypatch.setattr(api, "synthesize_steps", counted)
    monkeypatch.setattr(texture, "EXAMPLES", ExampleCache("texture"))
    brick = next(path for path in examples("texture") if path.endswith("brick.png"))
    settings = [QUILTING, 32, 5, 11, 8, 2, None, 0.3, 10]
    first = list(texture.example_result(brick, *settings))
    again = list(texture.example_result(brick, *settings))
    assert calls == [5] and len(again) == 1
    np.testing.assert_array_equal(again[0][0], first[-1][0])
    assert again[0][2].startswith(first[-1][2]) and texture.CACHED_NOTE in again[0][2]
    other_seed = list(texture.example_result(brick, QUILTING, 32, 6, 11, 8, 2, None, 0.3, 10))
    assert calls == [5, 6] and not np.array_equal(other_seed[-1][0], first[-1][0])
    assert texture.example_result.__gpu_seconds__ == texture.grow.__gpu_seconds__   # both on ZeroGPU's GPU


def test_a_refusal_about_the_exemplars_size_says_it_was_downscaled(tmp_path):
    """A 200x50 exemplar is worked on at 64x16 by Efros-Leung: "the exemplar (64x16) is too small" alone named a
    size the user never uploaded."""
    import gradio as gr

    from ui import texture

    wide = tmp_path / "wide.png"
    Image.fromarray(np.full((50, 200, 3), 128, np.uint8)).save(wide)
    with pytest.raises(gr.Error, match=r"exemplar \(64x16\) is too small.*was 200x50; it was downscaled to 64x16"):
        next(texture.grow(str(wide), EFROS_LEUNG, 64, 0, 31, 16, 4))
