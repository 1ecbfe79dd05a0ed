"""One-click sweeps that make the seed articles' arguments: one or two settings varied over a grid, every
result labelled with its score, so the argument is one picture (and a plot of the scores).

    polynomial_fit   degree x window of a local polynomial fit: the best window grows with the degree
    ising_beta       the Ising prior's coupling beta under ICM and Gibbs: too weak keeps noise, too strong erodes
    icm_vs_gibbs     one noisy image restored with N seeds: ICM never varies, Gibbs varies where it is unsure
    gmm_components   a PCA-GMM of digits refitted with K Gaussians: training and held-out log-likelihood per K
    vae_priors       the VAE decoding N(0, I) codes against codes from its fitted prior, with Fréchet distances
    gatys_weights    Gatys style transfer over style weight x content weight

Each returns a SweepResult and takes ``should_stop`` (a callable: true ends the sweep before the next cell, and
Gatys within its step), ``progress(fraction, text)`` and ``time_limit`` (seconds); a sweep ended early keeps
the cells it finished, marks the others "not run" and says "Stopped at k of n". Labels drawn on the images are
ASCII: Pillow's default font has no Greek letters.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from generators import checks, imaging, metrics

ASSETS = Path(__file__).resolve().parent.parent / "assets"
BINARY_EXAMPLE = ASSETS / "denoise" / "binary-horse.png"
GRAY_EXAMPLE = ASSETS / "denoise" / "camera.png"
CONTENT_EXAMPLE = ASSETS / "stylize" / "astronaut.png"
STYLE_EXAMPLE = "starry-night"
TIME_LIMIT = 60.0          # seconds a sweep may run by default
MAX_VALUES = 8             # the most values one swept setting takes
FONT_SIZE = 13
ALGORITHMS = {"icm": "ICM", "gibbs": "Gibbs"}   # the Ising restorers, as labels show them
NOT_RUN = (225, 225, 225)  # the gray square of a cell that was not run
FRAME = (190, 190, 190)    # the line around every image, so an all-white one still shows


@dataclass(frozen=True)
class Axes:
    """What a sweep's plot shows: the x and y axis titles with their units, and what its lines are."""
    x_title: str
    y_title: str
    line_title: str


POLYNOMIAL_AXES = Axes("window side (pixels)", "PSNR (dB)", "polynomial degree")
ISING_AXES = Axes("coupling β (no unit)", "PSNR (dB)", "algorithm")
GMM_AXES = Axes("Gaussians in the mixture, K (count)", "log-likelihood (nats per digit)", "digits scored")


@dataclass(frozen=True)
class Plot:
    """Scores to plot: rows (x, y, line) on ``axes``."""
    rows: list[tuple[float, float, str]]
    axes: Axes


@dataclass(frozen=True)
class SweepResult:
    image: np.ndarray                # uint8 (H, W, 3): the labelled grid, or sheets side by side
    summary: str                     # markdown: what ran, the figures, and "Stopped at k of n" when ended early
    plot: Plot | None                # the scores against the swept setting, or None
    finished: int                    # cells (runs) done
    total: int                       # cells (runs) asked for
    scores: dict[str, float] = field(default_factory=dict)   # each finished cell's figure, by its name


class _Cells:
    """Counts a sweep's cells and says when to end it: ``should_stop()`` true, or ``time_limit`` s gone by."""

    def __init__(self, total: int, *, unit: str, should_stop, progress, time_limit):
        self.total, self.unit, self.done, self.why = total, unit, 0, ""
        self.should_stop, self.progress = should_stop, progress
        self.time_limit = checks.real(time_limit, name="time_limit", low=0.1, high=3600.0)
        self.started = time.perf_counter()

    def going(self) -> bool:
        """True while the sweep may start (or continue) a cell."""
        if not self.why and self.should_stop is not None and self.should_stop():
            self.why = "Stop was pressed"
        elif not self.why and time.perf_counter() - self.started > self.time_limit:
            self.why = f"the {self.time_limit:g} s time cap was reached"
        return not self.why

    def finished(self, text: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done / self.total, f"{text}: done ({self.done} of {self.total} {self.unit})")

    def note(self) -> str:
        seconds = time.perf_counter() - self.started
        if not self.why:
            return f"{self.total} {self.unit} in {seconds:.1f} s."
        return (f"**Stopped** at {self.done} of {self.total} {self.unit} ({self.why}, after {seconds:.1f} s); "
                "the ones finished are shown.")

    def result(self, image, summary: str, plot: Plot | None = None, scores=None) -> SweepResult:
        return SweepResult(image, f"{summary}  \n{self.note()}", plot, self.done, self.total, dict(scores or {}))


# --- restoration ---------------------------------------------------------------------------------------------


def polynomial_fit(*, degrees=(0, 2, 4), windows=(3, 5, 7, 9, 13), sigma: float = 25 / 255, side: int = 128,
                   seed: int = 0, should_stop: Callable[[], bool] | None = None, progress=None,
                   time_limit: float = TIME_LIMIT) -> SweepResult:
    """The camera example (gray, ``side`` px) with Gaussian noise ``sigma`` restored by an unweighted local
    polynomial fit (Savitzky-Golay) of each degree (rows) over each window (columns), each cell with its PSNR."""
    from generators.denoise import denoise, gaussian_noise

    degrees = _wholes(degrees, name="degrees", low=0, high=12)
    windows = _wholes(windows, name="windows", low=3, high=31)
    if any(window % 2 == 0 for window in windows):
        raise ValueError(f"windows must be odd (a window has a centre pixel), got {windows}")
    sigma = checks.real(sigma, name="sigma", low=0.001, high=1.0)
    clean = _example(GRAY_EXAMPLE, "gray", side)
    noisy = gaussian_noise(clean, sigma=sigma, seed=checks.seed(seed))
    pairs = [(degree, window) for degree in degrees for window in windows]
    # (d+1)(d+2)/2 monomials need a window wider than the degree: the other pairs are shown as "no fit".
    cells = _Cells(sum(degree < window for degree, window in pairs), unit="fits", should_stop=should_stop,
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

    betas = _reals(betas, name="betas", low=0.0, high=20.0)
    algorithms = [checks.choice(name, ALGORITHMS, name="algorithm") for name in _sequence(algorithms, "algorithms")]
    sigma = checks.real(sigma, name="sigma", low=0.01, high=2.0)
    sweeps = checks.whole(sweeps, name="sweeps", low=1, high=200)
    clean = _binary_example(side)
    noisy = gaussian_noise(clean, sigma=sigma, seed=checks.seed(seed))
    cells = _Cells(len(betas) * len(algorithms), unit="restorations", should_stop=should_stop, progress=progress,
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
    clean = _binary_example(side)
    noisy = gaussian_noise(clean, sigma=sigma, seed=checks.seed(seed))
    cells = _Cells(2 * seeds, unit="runs", should_stop=should_stop, progress=progress, time_limit=time_limit)
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


# --- digits --------------------------------------------------------------------------------------------------


def gmm_components(*, components=(1, 5, 20, 50), dims: int = 50, max_iter: int = 100, train_digits: int = 4000,
                   shown: int = 36, seed: int = 0, should_stop: Callable[[], bool] | None = None, progress=None,
                   time_limit: float = TIME_LIMIT) -> SweepResult:
    """Refit the PCA-GMM of digits with each number of Gaussians K on ``train_digits`` of the 4,000 training
    digits, score it on the 1,000 held-out digits (never fitted), and draw ``shown`` samples of each."""
    from generators.datasets import mnist
    from generators.sample.gmm import GMMSampler

    components = _wholes(components, name="components", low=1, high=100)
    dims = checks.whole(dims, name="dims", low=2, high=200)
    max_iter = checks.whole(max_iter, name="max_iter", low=1, high=1000)
    train_digits = checks.whole(train_digits, name="train_digits", low=max(components) + 1, high=4000)
    shown = checks.whole(shown, name="shown", low=1, high=100)
    train, held_out = mnist("train").images[:train_digits], mnist("test").images
    cells = _Cells(len(components), unit="mixtures", should_stop=should_stop, progress=progress,
                   time_limit=time_limit)
    sheets, rows, scores = [], [], {}
    for k in components:
        if not cells.going():
            sheets.append((None, f"K = {k}: not run"))
            continue
        # p(z) = sum_k pi_k N(z; mu_k, Sigma_k) on z = W (x - m), fitted by EM (generators.sample.gmm)
        model = GMMSampler.fit(train, components=k, dims=dims, reg_covar=0.03, seed=seed, max_iter=max_iter)
        fitted, unseen = (float(model.log_likelihood(images).mean()) for images in (train, held_out))
        scores[f"K = {k}"] = unseen
        rows += [(k, round(unseen, 1), "held-out digits (1,000)"), (k, round(fitted, 1), "training digits")]
        sheets.append((imaging.digit_sheet(model.sample(shown, seed=seed), zoom=2),
                       f"K = {k}: held-out {unseen:.1f}, training {fitted:.1f} nats/digit"))
        cells.finished(f"K = {k}")
    picture = labelled_grid(sheets, columns=min(2, len(sheets)))
    best = max(scores, key=scores.get) if scores else None
    summary = (f"Full-covariance GMMs in a {dims}-dimensional PCA space (the shipped mnist-gmm uses 100; fewer here "
               f"to fit the time cap), at most {max_iter} EM iterations, fitted on {train_digits:,} training "
               "digits and scored on the 1,000 held-out ones (log-likelihood in nats per digit, higher is better)."
               + (f" Best on held-out digits: **{best}** ({scores[best]:.1f})." if best else ""))
    return cells.result(picture, summary, Plot(rows, GMM_AXES),
                        scores)


PRIORS = {"normal": "N(0, I) codes", "fitted": "fitted prior codes"}


def vae_priors(*, samples: int = 2000, shown: int = 64, seed: int = 1, should_stop: Callable[[], bool] | None = None,
               progress=None, time_limit: float = TIME_LIMIT) -> SweepResult:
    """The shipped VAE's decoder fed codes from N(0, I) and from its fitted prior: a sheet of ``shown`` digits
    each, and the Fréchet distance of ``samples`` digits to the 1,000 held-out ones (the LeNet judge)."""
    from generators import api
    from generators.sample.quality import digit_quality
    from generators.sample.vae import PriorSampler
    from generators.train.judge import SELECTION_JUDGE

    samples = checks.whole(samples, name="samples", low=10, high=10_000)
    shown = checks.whole(shown, name="shown", low=1, high=256)
    seed = checks.seed(seed)
    cells = _Cells(len(PRIORS), unit="priors", should_stop=should_stop, progress=progress, time_limit=time_limit)
    vae, judge = api.load(api.DIGIT_VAE), api.load(SELECTION_JUDGE)
    sheets, scores = [], {}
    for prior, label in PRIORS.items():
        if not cells.going():
            sheets.append((None, f"{label}: not run"))
            continue
        # d^2 = |mu_a - mu_b|^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)) on LeNet features (generators.metrics)
        draws = PriorSampler(vae, prior)
        scores[label] = digit_quality(draws, judge, n=samples, seed=seed)["frechet_lenet"]
        sheets.append((imaging.digit_sheet(draws.sample(shown, seed=seed), zoom=2),
                       f"{label}: Frechet {scores[label]:.1f}"))
        cells.finished(label)
    floor = api.sample_card(api.DIGIT_VAE).get("metrics", {}).get("frechet_real_vs_real", "?")
    figures = "; ".join(f"{label}: **{value:.1f}**" for label, value in scores.items())
    summary = (f"The same decoder, two sources of codes. Fréchet distance of {samples:,} decoded digits (seed "
               f"{seed}) to the 1,000 held-out digits under {SELECTION_JUDGE}'s features, lower is better: "
               f"{figures or 'none finished'} (real digits against real digits: {floor}).")
    return cells.result(labelled_grid(sheets, columns=len(sheets)), summary, None, scores)


# --- style ---------------------------------------------------------------------------------------------------


def gatys_weights(*, style_weights=(1, 10, 100), content_weights=(0.1, 1, 10), size: int = 112, steps: int = 40,
                  seed: int = 0, should_stop: Callable[[], bool] | None = None, progress=None,
                  time_limit: float = TIME_LIMIT) -> SweepResult:
    """The astronaut repainted after The Starry Night by Gatys optimisation (``steps`` Adam steps from the
    photograph, ``size`` px) for each style weight beta (rows) and content weight alpha (columns)."""
    from generators import api
    from generators.style.paintings import painting

    style_weights = _reals(style_weights, name="style_weights", low=0.0, high=1e6)
    content_weights = _reals(content_weights, name="content_weights", low=0.0, high=1e6)
    size = checks.whole(size, name="size", low=32, high=256)
    steps = checks.whole(steps, name="steps", low=1, high=500)
    if 0 in style_weights and 0 in content_weights:
        raise ValueError("style_weights and content_weights both hold 0, and a cell with both weights 0 has nothing "
                         "to optimise: make one of them positive")
    content = _example(CONTENT_EXAMPLE, "rgb", size)
    style = painting(STYLE_EXAMPLE, max_side=size)
    cells = _Cells(len(style_weights) * len(content_weights), unit="optimisations", should_stop=should_stop,
                   progress=progress, time_limit=time_limit)
    grid, scores, network = [], {}, ""
    for beta in style_weights:
        for alpha in content_weights:
            last = _gatys_cell(api, content, style, alpha, beta, size, steps, seed, cells)
            if last is None:
                grid.append((None, "not run"))
                continue
            scores[f"alpha {alpha:g}, beta {beta:g}"], network = last.style, f" Features: {last.network}."
            grid.append((last.image, f"alpha/beta {alpha / beta:.3g}\nstyle loss {last.style:.3f}" if beta else
                         f"style loss {last.style:.3f}"))
            cells.finished(f"alpha {alpha:g}, beta {beta:g}")
    picture = labelled_grid(grid, columns=len(content_weights), row_titles=[f"beta {b:g}" for b in style_weights],
                            column_titles=[f"alpha {a:g}" for a in content_weights], zoom=2)
    summary = (f"The astronaut after *The Starry Night*, {size} px, {steps} Adam steps from the photograph (seed "
               f"{seed}); rows: style weight β, columns: content weight α. Adam's steps do not change when the loss "
               f"is scaled, so cells with the same ratio α/β match: only the ratio counts.{network}")
    return cells.result(picture, summary, None, scores)


def _gatys_cell(api, content, style, alpha, beta, size, steps, seed, cells: _Cells):
    """The last GatysStep of one optimisation, or None when ``cells`` says to end before its last step."""
    last = None
    # L_total = alpha L_content + beta L_style  (Gatys et al. 2016, eq. 7; generators.style.optimize)
    for last in api.gatys(content, style, content_weight=alpha, style_weight=beta, steps=steps, size=size,
                          seed=seed, preview_every=1, network="random"):
        if not cells.going():
            return None
    return last


# --- shared --------------------------------------------------------------------------------------------------


def labelled_grid(cells: list[tuple[np.ndarray | None, str]], *, columns: int, column_titles=(),
                  row_titles=(), zoom: int = 1, pad: int = 8) -> np.ndarray:
    """Cells (image or None, caption), row-major, as one uint8 (H, W, 3) picture: each image (a contract image,
    enlarged ``zoom`` times, centred in its cell) over its caption, column titles on top, row titles on the
    left. A None image is a gray square; its caption says why ("not run"). Text is drawn in Pillow's default
    font (ASCII only)."""
    font = ImageFont.load_default(size=FONT_SIZE)
    pictures = [None if image is None else
                Image.fromarray(imaging.to_uint8(imaging.upscale_nearest(imaging.to_rgb(image), zoom)))
                for image, _ in cells]
    shown = [picture for picture in pictures if picture is not None] or [Image.new("RGB", (96, 96))]
    captions = [caption for _, caption in cells]
    width = max(max(picture.width for picture in shown), _text_width(captions, font))
    height = max(picture.height for picture in shown)
    line = FONT_SIZE + 4
    cell_width = width + pad
    cell_height = height + line * max(caption.count("\n") + 1 for caption in captions) + pad
    left = _text_width(row_titles, font) + pad if row_titles else 0
    top = line + pad if column_titles else 0
    rows = math.ceil(len(cells) / columns)
    canvas = Image.new("RGB", (left + columns * cell_width + pad, top + rows * cell_height + pad), "white")
    draw = ImageDraw.Draw(canvas)
    for column, title in enumerate(column_titles):
        draw.text((left + pad + column * cell_width, pad), title, font=font, fill="black")
    for row, title in enumerate(row_titles):
        draw.text((pad, top + pad + row * cell_height + height // 2 - line // 2), title, font=font, fill="black")
    for index, (picture, caption) in enumerate(zip(pictures, captions)):
        x, y = left + pad + (index % columns) * cell_width, top + pad + (index // columns) * cell_height
        if picture is None:
            draw.rectangle([x, y, x + width - 1, y + height - 1], fill=NOT_RUN)
        else:
            corner = (x + (width - picture.width) // 2, y + (height - picture.height) // 2)
            canvas.paste(picture, corner)
            draw.rectangle([corner[0] - 1, corner[1] - 1, corner[0] + picture.width, corner[1] + picture.height],
                           outline=FRAME)
        draw.multiline_text((x, y + height + 3), caption, font=font, fill="black", spacing=4)
    return np.asarray(canvas)


def _text_width(texts, font) -> int:
    return int(max((font.getlength(line) for text in texts for line in text.split("\n")), default=0)) + 1


def _example(path: Path, mode: str, side) -> np.ndarray:
    side = checks.whole(side, name="side", low=16, high=512)
    image, _ = imaging.load_image(path, mode=mode, max_side=side)
    return image


def _binary_example(side) -> np.ndarray:
    """The binary horse at ``side`` px, thresholded again after downscaling (so it stays 0 and 1)."""
    return (_example(BINARY_EXAMPLE, "gray", side) > 0.5).astype(np.float32)


def _sequence(values, name: str) -> list:
    values = [values] if isinstance(values, (int, float, str)) else list(values)
    if not 1 <= len(values) <= MAX_VALUES:
        raise ValueError(f"{name} must hold 1 to {MAX_VALUES} values, got {len(values)}")
    return values


def _reals(values, *, name: str, low: float, high: float) -> list[float]:
    return [checks.real(value, name=name, low=low, high=high) for value in _sequence(values, name)]


def _wholes(values, *, name: str, low: int, high: int) -> list[int]:
    return [checks.whole(value, name=name, low=low, high=high) for value in _sequence(values, name)]
