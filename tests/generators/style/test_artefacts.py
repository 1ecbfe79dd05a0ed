import numpy as np
import pytest
from skimage import data

from generators import api, imaging
from generators.style.artefacts import artefact_index
from generators.style.paintings import PAINTINGS, label, painting


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    return imaging.resize(imaging.as_float(data.chelsea()), (128, 128))


def test_a_period_4_stripe_grid_scores_far_above_the_photograph(photo):
    stripes = np.where(np.arange(128) % 4 < 2, 0.08, -0.08).astype(np.float32)
    striped = np.clip(photo + stripes[None, :, None], 0, 1)
    assert artefact_index(photo) < 20 < 30 < artefact_index(striped)


def test_stripes_below_the_frequency_floor_are_not_counted(photo):
    slow = (0.1 * np.sin(2 * np.pi * 0.05 * np.arange(128))).astype(np.float32)
    with_slow = np.clip(photo + slow[None, :, None], 0, 1)
    assert abs(artefact_index(with_slow) - artefact_index(photo)) < 3


def test_gray_and_colour_images_measure_their_luminance(photo):
    assert artefact_index(photo) == pytest.approx(artefact_index(imaging.to_gray(photo)), abs=1e-3)


@pytest.mark.parametrize("image, message", [
    (np.zeros((8, 40), np.float32), "8 px; the artefact index needs at least 16"),
    (np.full((32, 32), 2.0, np.float32), "outside \\[0, 1\\]"),
])
def test_bad_images_raise_a_value_error_naming_the_fix(image, message):
    with pytest.raises(ValueError, match=message):
        artefact_index(image)


def test_shipped_fast_styles_paint_without_stripes(photo):
    # The target is a mean of at most 20 dB over held-out photographs (benchmarks/style_artefacts.py);
    # one photograph at 128 px is a coarser check.
    for name in api.fast_styles():
        assert artefact_index(api.stylize(photo, name)) < 25, name


@pytest.mark.parametrize("name", PAINTINGS)
def test_the_six_paintings_ship_as_rgb_images(name):
    image = painting(name, max_side=128)
    assert image.ndim == 3 and image.shape[2] == 3 and max(image.shape[:2]) == 128 and image.dtype == np.float32
    assert image.std() > 0.05 and label(name).endswith(")")


def test_an_unknown_painting_names_the_choices():
    with pytest.raises(ValueError, match="choose one of: starry-night"):
        painting("mona-lisa")
