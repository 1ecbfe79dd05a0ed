"""The Texture tab's endpoint through gradio_client, in process (the way a script or another app calls it)."""

import numpy as np
import pytest
from PIL import Image

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
