import numpy as np
import pytest
import skimage.data
from skimage.data import binary_blobs
from skimage.metrics import peak_signal_noise_ratio

from generators import api, imaging, metrics
from generators.denoise import (BINARY, METHODS, compare, denoise, gaussian_noise, missing_pixels,
                                salt_and_pepper)
from generators.denoise.classical import local_polynomial_kernel
from generators.denoise.learned import least_squares_filter, logistic_classifier

SIGMA = 25 / 255
GRAY_METHODS = [m for m in METHODS if m not in BINARY and m != "biharmonic"]


def psnr(clean, estimate):
    return peak_signal_noise_ratio(clean, np.clip(estimate, 0, 1), data_range=1.0)


@pytest.fixture(scope="module")
def photo():
    return imaging.as_float(skimage.data.camera())[200:264, 200:264].copy()


@pytest.fixture(scope="module")
def binary():
    return binary_blobs(64, blob_size_fraction=0.15, volume_fraction=0.4, rng=7).astype(np.float32)


@pytest.mark.parametrize("method", GRAY_METHODS)
def test_every_method_raises_psnr_on_a_noisy_photo(photo, method):
    noisy = gaussian_noise(photo, sigma=SIGMA, seed=1)
    assert noisy.min() < 0 or noisy.max() > 1, "the test feeds unclipped noise"
    restored = api.denoise(noisy, method=method, sigma=SIGMA)
    assert restored.shape == photo.shape and restored.dtype == np.float32
    assert 0.0 <= restored.min() and restored.max() <= 1.0
    assert psnr(photo, restored) > psnr(photo, noisy) + 1.0


@pytest.mark.parametrize("method", BINARY)
def test_binary_methods_raise_psnr_on_a_noisy_binary_image(binary, method):
    noisy = gaussian_noise(binary, sigma=0.35, seed=2)
    restored = denoise(noisy, method=method, sigma=0.35)
    assert set(np.unique(restored)) <= {0.0, 1.0}
    assert psnr(binary, restored) > psnr(binary, noisy) + 3.0


@pytest.mark.parametrize("method", ["gaussian", "median", "tv", "nlm", "least_squares", "polynomial", "logistic"])
def test_colour_keeps_its_shape(photo, method):
    colour = np.stack([photo, photo[::-1], photo[:, ::-1]], axis=2)
    noisy = gaussian_noise(colour, sigma=SIGMA, seed=3)
    restored = denoise(noisy, method=method, sigma=SIGMA)
    assert restored.shape == colour.shape and restored.dtype == np.float32
    if method not in BINARY:
        assert psnr(colour, restored) > psnr(colour, noisy)


def test_biharmonic_fills_missing_pixels(photo):
    holed, known = missing_pixels(photo, fraction=0.5, seed=4)
    restored = denoise(holed, method="biharmonic", sigma=0.0, known=known)
    np.testing.assert_allclose(restored[known], photo[known], atol=1e-5)
    assert psnr(photo, restored) > psnr(photo, holed) + 10


def test_same_seed_same_corruption_other_seed_other(photo):
    for corrupt in (lambda s: gaussian_noise(photo, sigma=0.1, seed=s),
                    lambda s: salt_and_pepper(photo, rate=0.1, seed=s),
                    lambda s: missing_pixels(photo, fraction=0.3, seed=s)[0]):
        np.testing.assert_array_equal(corrupt(5), corrupt(5))
        assert not np.array_equal(corrupt(5), corrupt(6))


def test_salt_and_pepper_hits_about_the_rate_and_median_cleans_it(photo):
    noisy = salt_and_pepper(photo, rate=0.2, seed=0)
    assert 0.15 < np.mean(noisy != photo) < 0.25
    assert psnr(photo, denoise(noisy, method="median", sigma=0.0)) > psnr(photo, noisy) + 5


def test_drawn_mask_removes_exactly_those_pixels(photo):
    mask = np.zeros(photo.shape, dtype=bool)
    mask[10:20, 5:30] = True
    holed, known = missing_pixels(photo, mask=mask)
    np.testing.assert_array_equal(known, ~mask)
    assert np.all(holed[mask] == 0)


@pytest.mark.parametrize("kwargs, message", [
    ({"method": "bm3d", "sigma": 0.1}, "unknown method 'bm3d'; choose one of: gaussian, median"),
    ({"method": "tv", "sigma": float("nan")}, "sigma must be a finite number"),
    ({"method": "tv", "sigma": -0.1}, "sigma must be a number between 0 and 1, got -0.1"),
    ({"method": "tv", "sigma": 25}, r"sigma is on the \[0, 1\] scale: divide 0-255 values by 255"),
    ({"method": "tv", "sigma": 0.1, "strength": 2}, "has no option strength; its options are: weight"),
    ({"method": "tv", "sigma": 0.1, "known": np.ones((64, 64), bool)}, "cannot fill missing pixels"),
    ({"method": "biharmonic", "sigma": 0.0}, "pass known="),
    ({"method": "biharmonic", "sigma": 0.0, "known": np.ones((3, 3), bool)}, r"known has shape \(3, 3\)"),
])
def test_bad_arguments_name_the_fix(photo, kwargs, message):
    with pytest.raises(ValueError, match=message):
        denoise(photo, **kwargs)


@pytest.mark.parametrize("image, message", [
    (np.zeros((4, 4, 2, 1), np.float32), r"shape \(H, W\) or \(H, W, 3\)"),
    (np.zeros((8, 8, 5), np.float32), r"shape \(H, W\) or \(H, W, 3\)"),
    (np.full((8, 8), np.nan, np.float32), "NaN"),
    (np.zeros((0, 8), np.float32), "empty"),
])
def test_bad_images_are_refused(image, message):
    with pytest.raises(ValueError, match=message):
        denoise(image, method="gaussian", sigma=0.1)


def test_bad_corruption_levels_are_refused(photo):
    with pytest.raises(ValueError, match="rate must be"):
        salt_and_pepper(photo, rate=1.5, seed=0)
    with pytest.raises(ValueError, match="sigma must be"):
        gaussian_noise(photo, sigma=float("nan"), seed=0)
    with pytest.raises(ValueError, match="needs a fraction"):
        missing_pixels(photo)


@pytest.mark.parametrize("width", [None, 1.5])
def test_local_polynomial_fit_reproduces_quadratics_exactly(width):
    kernel = local_polynomial_kernel(7, 2, width)
    v, u = np.mgrid[-3:4, -3:4]
    assert abs(np.sum(kernel * (2 + u - 3 * v + u * v + 0.5 * u ** 2)) - 2) < 1e-9
    assert np.isclose(kernel.sum(), 1.0)



def test_polynomial_over_a_window_weighs_every_pixel_alike():
    """With ``window`` the fit is Savitzky-Golay: degree 0 over a 5x5 window is the 5x5 mean."""
    from scipy import ndimage

    noisy = np.random.default_rng(0).random((24, 24)).astype(np.float32)
    mean = ndimage.uniform_filter(noisy.astype(np.float64), 5, mode="reflect")
    restored = denoise(noisy, method="polynomial", sigma=SIGMA, order=0, window=5)
    np.testing.assert_allclose(restored, np.clip(mean, 0, 1), atol=1e-5)
    with pytest.raises(ValueError, match="window size must be odd"):
        denoise(noisy, method="polynomial", sigma=SIGMA, window=4)

def test_learned_filters_are_exposed_and_sensible():
    weights, offset = least_squares_filter(SIGMA, 7)
    assert weights.shape == (7, 7) and abs(weights.sum() + offset - 1.0) < 0.1, "a smoothing filter passes DC"
    assert weights[3, 3] == weights.max()
    coef, _ = logistic_classifier(0.3, 5)
    assert coef.shape == (5, 5) and np.all(coef[1:4, 1:4] > 0), "brighter neighbours vote for a white pixel"


def test_compare_yields_a_scored_row_per_method_in_order(photo):
    noisy = gaussian_noise(photo, sigma=SIGMA, seed=1)
    rows = list(compare(photo, noisy, methods={"tv": ("tv", {}), "wide gaussian": ("gaussian", {"width": 3.0})},
                        sigma=SIGMA))
    assert [(row.label, row.method) for row in rows] == [("tv", "tv"), ("wide gaussian", "gaussian")]
    for row in rows:
        assert row.psnr == metrics.psnr(photo, row.restored) > metrics.psnr(photo, noisy)
        assert row.ssim == metrics.ssim(photo, row.restored) and row.seconds >= 0 and row.stopped_at == ""
    np.testing.assert_array_equal(rows[1].restored, denoise(noisy, method="gaussian", sigma=SIGMA, width=3.0))


def test_compare_stops_before_the_next_method(photo):
    done = []
    for row in compare(photo, photo, methods=["gaussian", "median", "tv"], sigma=SIGMA,
                       should_stop=lambda: len(done) >= 1):   # Stop pressed once the first result is in
        done.append(row.method)
    assert done == ["gaussian"]


def test_psnr_and_ssim_match_scikit_image_in_gray_and_colour(photo):
    from skimage.metrics import structural_similarity

    noisy = gaussian_noise(photo, sigma=SIGMA, seed=2)
    assert metrics.psnr(photo, noisy) == pytest.approx(psnr(photo, noisy))
    colour = np.stack([photo, photo.T, photo[::-1]], axis=2)
    blurred = denoise(colour, method="gaussian", sigma=SIGMA)
    assert metrics.ssim(colour, blurred) == pytest.approx(
        structural_similarity(colour, blurred, data_range=1.0, channel_axis=-1))
    assert metrics.psnr(photo, photo) == np.inf and metrics.ssim(photo, photo) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="same size"):
        metrics.psnr(photo, colour)
