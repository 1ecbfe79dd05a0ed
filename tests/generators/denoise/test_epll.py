import numpy as np
import pytest
import skimage.data
from skimage.metrics import peak_signal_noise_ratio

from generators import api, imaging
from generators.denoise import denoise, missing_pixels
from generators.denoise.epll import DENOISE_BETAS, PatchGMM, remove_dc, steps


@pytest.fixture(scope="module")
def photo():
    return imaging.as_float(skimage.data.camera())[150:214, 220:284].copy()


@pytest.fixture(scope="module")
def tiny_prior():
    rng = np.random.default_rng(0)
    image = imaging.as_float(skimage.data.moon())
    rows, cols = rng.integers(0, 500, 3000), rng.integers(0, 500, 3000)
    patches = np.stack([image[r:r + 8, c:c + 8].ravel() for r, c in zip(rows, cols)])
    return PatchGMM.fit(patches, components=4, max_iter=20), remove_dc(patches)


def test_log_likelihood_matches_scikit_learn(tiny_prior):
    from sklearn.mixture import GaussianMixture

    prior, patches = tiny_prior
    reference = GaussianMixture(4, covariance_type="full")
    reference.weights_, reference.means_ = prior.weights, prior.means
    reference.covariances_ = prior.covariances
    reference.precisions_cholesky_ = np.linalg.cholesky(np.linalg.inv(prior.covariances))
    np.testing.assert_allclose(prior.log_likelihood(patches[:200]), reference.score_samples(patches[:200]),
                               rtol=1e-6, atol=1e-3)


def test_steps_stream_one_estimate_per_beta_and_honour_the_time_limit(tiny_prior, photo):
    prior, _ = tiny_prior
    seen = []
    estimates = list(steps(prior, photo, sigma=0.1, betas=(100.0, 400.0, 1600.0),
                           progress=lambda fraction, text: seen.append(fraction)))
    assert len(estimates) == 3 and seen == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert len(list(steps(prior, photo, sigma=0.1, time_limit=0.0))) == 1


def test_shipped_prior_inpaints_and_keeps_known_pixels(photo):
    holed, known = missing_pixels(photo, fraction=0.5, seed=0)
    restored = api.denoise(holed, method="epll", sigma=0.0, known=known)
    np.testing.assert_allclose(restored[known], photo[known], atol=2e-3)
    assert peak_signal_noise_ratio(photo, restored, data_range=1) > 25


def test_tiny_images_are_refused(tiny_prior):
    with pytest.raises(ValueError, match="at least 8x8"):
        denoise(np.zeros((5, 40), np.float32), method="epll", sigma=0.1, model=tiny_prior[0])


def test_a_malformed_mixture_is_refused():
    with pytest.raises(ValueError, match="weights"):
        PatchGMM(weights=np.ones(2), means=np.zeros((2, 10)), covariances=np.zeros((2, 10, 10)))


def test_should_stop_ends_a_step_midway_and_keeps_the_last_finished_one(tiny_prior, photo):
    prior, _ = tiny_prior
    big = np.tile(photo, (2, 2))            # 16,129 patches: eight chunks per step, so a step can be cut
    asked = []

    def stop_in_step_two():
        asked.append(1)
        return len(asked) > 8 + 2           # the first step's chunks pass, the second step is cut short

    estimates = list(steps(prior, big, sigma=0.1, should_stop=stop_in_step_two))
    assert len(estimates) == 1 and len(asked) == 11
    np.testing.assert_array_equal(estimates[0], next(steps(prior, big, sigma=0.1)))


def test_colour_channels_stop_at_the_same_step(tiny_prior, photo):
    prior, _ = tiny_prior
    colour = np.stack([photo, photo[::-1], photo.T], axis=2)
    reports, calls = [], []

    def stop_after_first_step():
        calls.append(1)
        return len(reports) >= 1            # Stop is pressed once step 1 of every channel is done

    restored = denoise(colour, method="epll", sigma=0.1, model=prior, should_stop=stop_after_first_step,
                       progress=lambda fraction, text: reports.append(text))
    assert reports == [f"EPLL step 1 of {len(DENOISE_BETAS)}"]
    one_step = [next(steps(prior, colour[..., c], sigma=0.1)) for c in range(3)]
    np.testing.assert_allclose(restored, np.clip(np.stack(one_step, axis=2), 0, 1))


def test_denoise_follows_the_schedule_it_is_given_and_refuses_an_empty_one(tiny_prior, photo):
    prior, _ = tiny_prior
    noisy = photo + np.random.default_rng(3).normal(0.0, 0.1, photo.shape).astype(np.float32)
    reports = []
    short = denoise(noisy, method="epll", sigma=0.1, model=prior, betas=(1, 4),
                    progress=lambda fraction, text: reports.append(text))
    assert reports == ["EPLL step 1 of 2", "EPLL step 2 of 2"]
    *_, last = steps(prior, noisy, sigma=0.1, betas=(1.0, 4.0))
    np.testing.assert_allclose(short, np.clip(last, 0, 1))
    assert not np.allclose(short, denoise(noisy, method="epll", sigma=0.1, model=prior))
    with pytest.raises(ValueError, match="betas must hold at least one value"):
        denoise(noisy, method="epll", sigma=0.1, model=prior, betas=())
