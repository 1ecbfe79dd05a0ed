"""Restoration sweeps: polynomial degree x window, the Ising prior's coupling under ICM and Gibbs, and ICM
against Gibbs over seeds."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from generators import checks, metrics
from generators.sweeps.grid import (ALGORITHMS, GRAY_EXAMPLE, ISING_AXES, MAX_VALUES, POLYNOMIAL_AXES, TIME_LIMIT,
                                    Cells, Plot, SweepResult, binary_example, example, labelled_grid)


def polynomial_fit(*, degrees=(0, 2, 4), windows=(3, 5, 7, 9, 13), sigma: float = 25 / 255, side: int = 128,
                   seed: int = 0, should_stop: Callable[[], bool] | None = None, progress=None,
                   time_limit: float = TIME_LIMIT) -> SweepResult:
    """The camera example (gray, ``side`` px) with Gaussian noise ``sigma`` restored by an unweighted local
    polynomial fit (Savitzky-Golay) of each degree (rows) over each window (columns), each cell with its PSNR."""
    from generators.denoise import denoise, gaussian_noise

    degrees = checks.wholes(degrees, name="degrees", low=0, high=12, most=MAX_VALUES)
    windows = checks.wholes(windows, name="windows", low=3, high=31, most=MAX_VALUES)
    if any(window % 2 == 0 for window in windows):
        raise ValueError(f"windows must be odd (a window has a centre pixel), got {windows}")
    sigma = checks.real(sigma, name="sigma", low=0.001, high=1.0)
    clean = example(GRAY_EXAMPLE, "gray", side)
    noisy = gaussian_noise(clean, sigma=sigma, seed=checks.seed(seed))
    pairs = [(degree, window) for degree in degrees for window in windows]
    # (d+1)(d+2)/2 monomials need a window wider than the degree: the other pairs are shown as "no fit".
    cells = Cells(sum(degree < window for degree, window in pairs), unit="fits", should_stop=should_stop,
                   progress=progress, time_limit=time_limit)
    grid, rows, scores = [], [], {}
    for degree, window in pairs:
        if degree >= window:
            grid.append((None, f"no fit: degree {degree}\nneeds a window > {degree}"))
            continue
        if not cells.going():
            grid.append((None, "not run"))
            continue
        # Savitzky & Golay 1964: fit c = argmin |A c - y|^2 over the window, keep the centre value c_0.
        restored = denoise(noisy, method="polynomial", sigma=sigma, order=degree, window=window)
        score = metrics.psnr(clean, restored)
        scores[f"degree {degree}, window {window}"] = score
        rows.append((window, round(score, 2), f"degree {degree}"))
        grid.append((restored, f"PSNR {score:.2f} dB"))
        cells.finished(f"degree {degree}, window {window}")
    picture = labelled_grid(grid, columns=len(windows), column_titles=[f"window {w}x{w}" for w in windows],
                            row_titles=[f"degree {d}" for d in degrees])
    best = max(scores, key=scores.get) if scores else None
    summary = (f"Camera, {clean.shape[1]}×{clean.shape[0]} px, Gaussian noise σ = {sigma * 255:.0f}/255 (seed "
               f"{seed}): the noisy input scores {metrics.psnr(clean, noisy):.2f} dB."
               + (f" Best: **{best}**, {scores[best]:.2f} dB." if best else ""))
    return cells.result(picture, summary, Plot(rows, POLYNOMIAL_AXES),
                        scores)


def ising_beta(*, betas=(0, 0.25, 0.5, 1, 2, 4), algorithms=("icm", "gibbs"), sigma: float = 0.6, side: int = 128,
               sweeps: int = 20, seed: int = 0, should_stop: Callable[[], bool] | None = None, progress=None,
               time_limit: float = TIME_LIMIT) -> SweepResult:
    """The binary horse (``side`` px) with Gaussian noise ``sigma`` restored by the Ising MRF at each coupling
    beta (columns) with each algorithm (rows), each cell with its PSNR and share of wrong pixels."""
    from generators.denoise import gaussian_noise, ising

    betas = checks.reals(betas, name="betas", low=0.0, high=20.0, most=MAX_VALUES)
    algorithms = [checks.choice(name, ALGORITHMS, name="algorithm")
                  for name in checks.sequence(algorithms, name="algorithms", most=MAX_VALUES)]
    sigma = checks.real(sigma, name="sigma", low=0.01, high=2.0)
    sweeps = checks.whole(sweeps, name="sweeps", low=1, high=200)
    clean = binary_example(side)
    noisy = gaussian_noise(clean, sigma=sigma, seed=checks.seed(seed))
    cells = Cells(len(betas) * len(algorithms), unit="restorations", should_stop=should_stop, progress=progress,
                   time_limit=time_limit)
    references = [(clean, "clean"), (noisy, f"noisy: PSNR {metrics.psnr(clean, noisy):.1f} dB")]
    grid, rows, scores = [], [], {}
    for row, algorithm in enumerate(algorithms):
        grid.append(references[row] if row < len(references) else (None, ""))
        for beta in betas:
            if not cells.going():
                grid.append((None, "not run"))
                continue
            # E(s) = - sum_i h_i s_i - beta sum_{i~j} s_i s_j  (generators.denoise.ising)
            restored = ising(noisy, sigma, algorithm=algorithm, beta=beta, sweeps=sweeps, seed=seed).image
            score, wrong = metrics.psnr(clean, restored), float(np.mean(restored != clean))
            scores[f"{ALGORITHMS[algorithm]} beta {beta:g}"] = score
            rows.append((beta, round(score, 2), ALGORITHMS[algorithm]))
            grid.append((restored, f"{score:.1f} dB, {wrong:.1%} wrong"))
            cells.finished(f"{ALGORITHMS[algorithm]} at beta {beta:g}")
    picture = labelled_grid(grid, columns=len(betas) + 1, column_titles=["input"] + [f"beta = {b:g}" for b in betas],
                            row_titles=[ALGORITHMS[name] for name in algorithms])
    best = max(scores, key=scores.get) if scores else None
    summary = (f"Binary horse, {clean.shape[1]}×{clean.shape[0]} px, Gaussian noise σ = {sigma:g} (seed {seed}); "
               f"{sweeps} sweeps each." + (f" Best: **{best.replace('beta', 'β =')}**, {scores[best]:.2f} dB." if best
                                            else ""))
    return cells.result(picture, summary, Plot(rows, ISING_AXES), scores)


def icm_vs_gibbs(*, seeds: int = 8, beta: float = 1.0, sigma: float = 0.6, side: int = 192, sweeps: int = 20,
                 seed: int = 0, should_stop: Callable[[], bool] | None = None, progress=None,
                 time_limit: float = TIME_LIMIT) -> SweepResult:
    """The binary horse with Gaussian noise (drawn with ``seed``) restored ``seeds`` times by ICM and by Gibbs
    sampling, each run with its own algorithm seed (0 to seeds - 1): one result, the mean and the per-pixel
    variance over the runs of each. ICM starts from the thresholded image and is deterministic: variance 0."""
    from generators.denoise import gaussian_noise, ising

    seeds = checks.whole(seeds, name="seeds", low=2, high=64)
    beta = checks.real(beta, name="beta", low=0.0, high=20.0)
    sigma = checks.real(sigma, name="sigma", low=0.01, high=2.0)
    sweeps = checks.whole(sweeps, name="sweeps", low=1, high=200)
    clean = binary_example(side)
    noisy = gaussian_noise(clean, sigma=sigma, seed=checks.seed(seed))
    cells = Cells(2 * seeds, unit="runs", should_stop=should_stop, progress=progress, time_limit=time_limit)
    grid, scores = [], {}
    for algorithm in ALGORITHMS:
        runs = []
        for run_seed in range(seeds):
            if not cells.going():
                break
            runs.append(ising(noisy, sigma, algorithm=algorithm, beta=beta, sweeps=sweeps, seed=run_seed).image)
            cells.finished(f"{ALGORITHMS[algorithm]} seed {run_seed}")
        grid.append((noisy, "noisy input"))
        grid += _spread_cells(np.stack(runs) if runs else None, algorithm, scores)
    picture = labelled_grid(grid, columns=4, row_titles=["ICM", "Gibbs"],
                            column_titles=["input", "seed 0", f"mean of {seeds} runs", f"variance of {seeds} runs"])
    figures = ", ".join(f"{name}: mean variance {value:.4f}" for name, value in scores.items())
    summary = (f"Binary horse, {clean.shape[1]}×{clean.shape[0]} px, Gaussian noise σ = {sigma:g} (seed {seed}), "
               f"β = {beta:g}, {sweeps} sweeps, algorithm seeds 0-{seeds - 1}. {figures}. Variance runs from 0 "
               "(white) to 0.25 (red: half the runs say black, half white).")
    return cells.result(picture, summary, None, scores)


def _spread_cells(runs: np.ndarray | None, algorithm: str, scores: dict) -> list[tuple]:
    """The first run, the mean and the per-pixel variance of ``runs`` (n, H, W) as three grid cells."""
    if runs is None or len(runs) < 2:
        return [(None if runs is None else runs[0], "seed 0"), (None, "not run"), (None, "needs 2 runs")]
    # Per-pixel variance over the runs: Var = mean(x^2) - mean(x)^2, at most 1/4 for values in {0, 1}.
    variance = runs.var(axis=0)
    scores[ALGORITHMS[algorithm]] = float(variance.mean())
    red = np.stack([np.ones_like(variance), 1 - 4 * variance, 1 - 4 * variance], axis=2)   # white 0 -> red 1/4
    return [(runs[0], "seed 0"), (runs.mean(axis=0), f"mean of {len(runs)}"),
            (np.clip(red, 0, 1), f"mean {variance.mean():.4f}\n{np.mean(variance > 0):.1%} of pixels vary")]
