import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from generators.sample.sketch import ink_from_rgba, mnist_style
from ui.common import ASSETS


def _drawing(box):
    ink = np.zeros((280, 280), np.float32)
    top, bottom, left, right = box
    ink[top:bottom, left:right] = 1.0
    ink[top + 20:bottom - 20, left + 15:right - 15] = 0.0       # a hollow rectangle, off centre
    return ink


def test_drawings_are_cropped_scaled_to_20_pixels_and_centred_by_mass():
    digit = mnist_style(_drawing((10, 150, 150, 230)))
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert 0.0 <= digit.min() and digit.max() <= 1.0
    np.testing.assert_allclose(ndimage.center_of_mass(digit), (14.0, 14.0), atol=0.3)
    rows = np.flatnonzero(digit.max(1) > 0.1)
    assert 19 <= rows[-1] - rows[0] + 1 <= 22, "the longer side is scaled to 20 pixels"


def test_the_aspect_ratio_is_kept():
    digit = mnist_style(_drawing((40, 240, 100, 180)))           # 200 tall, 80 wide
    columns = np.flatnonzero(digit.max(0) > 0.1)
    assert 7 <= columns[-1] - columns[0] + 1 <= 10


@pytest.mark.parametrize("ink, match", [
    (np.zeros((280, 280)), "blank"),
    (np.pad(np.ones((20, 20)), 130), "dot"),
])
def test_blank_or_dot_drawings_are_refused(ink, match):
    with pytest.raises(ValueError, match=match):
        mnist_style(ink)


def test_ink_is_dark_strokes_on_light_or_transparent_pads():
    pad = np.asarray(Image.open(ASSETS / "sample" / "drawn-7.png"))
    ink = ink_from_rgba(pad)
    assert ink.max() == pytest.approx(1.0) and ink.min() == 0.0
    white = np.full((50, 50, 3), 255, np.uint8)
    assert ink_from_rgba(white).max() == 0.0
    with pytest.raises(ValueError, match="drawing must be"):
        ink_from_rgba(np.zeros((50, 50)))
