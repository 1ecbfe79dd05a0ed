"""The one-click sweeps, at small sizes: each grid's shape, the property each sweep exists to show, Stop and the
time cap ending a sweep with what it finished, and bad settings refused by name."""

import itertools
import time

import numpy as np
import pytest

from generators import sweeps


def _is_picture(image: np.ndarray) -> None:
    assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3


def test_polynomial_grid_scores_each_fit_and_skips_a_degree_the_window_cannot_hold():
    result = sweeps.polynomial_fit(degrees=(0, 4), windows=(3, 5), side=48)
    _is_picture(result.image)
    assert result.finished == result.total == 3
    assert set(result.scores) == {"degree 0, window 3", "degree 0, window 5", "degree 4, window 5"}
    assert len(result.plot.rows) == 3 and result.plot.axes == sweeps.POLYNOMIAL_AXES
    noisy = float(result.summary.split("scores ")[1].split(" dB")[0])
    assert result.scores["degree 0, window 3"] > noisy + 1, "a 3x3 mean removes some of σ = 25 noise"


def test_ising_coupling_beats_thresholding_with_both_algorithms():
    result = sweeps.ising_beta(betas=(0, 1), side=48)
    _is_picture(result.image)
    assert result.finished == 4
    for algorithm in ("ICM", "Gibbs"):
        assert result.scores[f"{algorithm} beta 1"] > result.scores[f"{algorithm} beta 0"] + 2
    assert {line for _, _, line in result.plot.rows} == {"ICM", "Gibbs"}


def test_icm_never_varies_across_seeds_and_gibbs_does():
    result = sweeps.icm_vs_gibbs(seeds=3, side=48)
    _is_picture(result.image)
    assert result.finished == result.total == 6
    assert result.scores["ICM"] == 0.0
    assert result.scores["Gibbs"] > 0.0


def test_gmm_held_out_likelihood_rises_from_one_gaussian_to_five():
    result = sweeps.gmm_components(components=(1, 5), dims=10, train_digits=1000, shown=4)
    _is_picture(result.image)
    assert result.scores["K = 5"] > result.scores["K = 1"]
    held_out = [y for _, y, line in result.plot.rows if line.startswith("held-out")]
    training = [y for _, y, line in result.plot.rows if line.startswith("training")]
    assert len(held_out) == len(training) == 2 and training[1] > held_out[1]   # scored on digits it never saw


def test_vae_draws_from_its_fitted_prior_are_closer_to_real_digits_than_normal_draws():
    result = sweeps.vae_priors(samples=200, shown=4)
    _is_picture(result.image)
    assert result.scores["fitted prior codes"] < result.scores["N(0, I) codes"]
    assert "real digits against real digits" in result.summary


def test_gatys_depends_only_on_the_ratio_of_the_weights():
    result = sweeps.gatys_weights(style_weights=(1, 10), content_weights=(1, 10), size=32, steps=5)
    _is_picture(result.image)
    assert result.finished == 4
    assert result.scores["alpha 1, beta 1"] == pytest.approx(result.scores["alpha 10, beta 10"], rel=1e-3)
    assert result.scores["alpha 10, beta 1"] > result.scores["alpha 1, beta 10"], "more content, less style"


def test_stop_ends_the_sweep_after_the_cell_in_hand_and_keeps_it():
    done = []
    result = sweeps.polynomial_fit(degrees=(0, 2), windows=(3, 5), side=32, should_stop=lambda: bool(done),
                                   progress=lambda fraction, text: done.append((fraction, text)))
    assert (result.finished, result.total) == (1, 4)
    assert list(result.scores) == ["degree 0, window 3"]
    assert "**Stopped** at 1 of 4 fits (Stop was pressed" in result.summary
    assert done == [(0.25, "degree 0, window 3: done (1 of 4 fits)")]
    full = sweeps.polynomial_fit(degrees=(0, 2), windows=(3, 5), side=32)
    assert result.image.shape == full.image.shape, "cells not run keep their place in the grid"


def test_the_time_cap_ends_a_sweep_like_stop(monkeypatch):
    ticks = itertools.count()
    monkeypatch.setattr(time, "perf_counter", lambda: float(next(ticks)))   # one second per look
    result = sweeps.ising_beta(betas=(0, 1, 2), algorithms=("icm",), side=32, time_limit=1.5)
    assert result.finished < result.total == 3
    assert f"**Stopped** at {result.finished} of 3 restorations (the 1.5 s time cap was reached" in result.summary


@pytest.mark.parametrize("sweep, settings, named", [
    (sweeps.polynomial_fit, {"windows": (4,)}, "windows must be odd"),
    (sweeps.polynomial_fit, {"degrees": ()}, "degrees must hold 1 to 8 values"),
    (sweeps.ising_beta, {"betas": (-1,)}, "betas must be a number between 0 and 20"),
    (sweeps.ising_beta, {"algorithms": ("annealing",)}, "unknown algorithm 'annealing'"),
    (sweeps.icm_vs_gibbs, {"seeds": 1}, "seeds must be a whole number between 2 and 64"),
    (sweeps.gmm_components, {"components": (0, 5)}, "components must be a whole number between 1 and 100"),
    (sweeps.vae_priors, {"samples": 5}, "samples must be a whole number between 10 and 10000"),
    (sweeps.gatys_weights, {"style_weights": (0,), "content_weights": (0, 1)}, "both hold 0"),
    (sweeps.ising_beta, {"time_limit": 0}, "time_limit must be a number between 0.1 and 3600"),
])
def test_bad_settings_are_refused_by_name(sweep, settings, named):
    with pytest.raises(ValueError, match=named):
        sweep(**settings)


def test_a_grid_cell_not_run_keeps_its_size_and_captions_add_height():
    image = np.full((20, 30), 0.5, dtype=np.float32)
    one_line = sweeps.labelled_grid([(image, "a"), (None, "not run")], columns=2)
    two_lines = sweeps.labelled_grid([(image, "a\nb"), (None, "not run")], columns=2, row_titles=["row"])
    assert one_line.shape[0] < two_lines.shape[0] and one_line.shape[1] < two_lines.shape[1]
    assert (np.all(one_line == sweeps.NOT_RUN, axis=2)).sum() >= 20 * 30 - 200, "the cell not run is a gray square"
