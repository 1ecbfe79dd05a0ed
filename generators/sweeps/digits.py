"""Digit sweeps: a PCA-GMM refitted with K Gaussians, and the VAE's N(0, I) codes against its fitted prior."""

from __future__ import annotations

from collections.abc import Callable

from generators import checks, imaging
from generators.sweeps.grid import GMM_AXES, MAX_VALUES, TIME_LIMIT, Cells, Plot, SweepResult, labelled_grid


def gmm_components(*, components=(1, 5, 20, 50), dims: int = 50, max_iter: int = 100, train_digits: int = 4000,
                   shown: int = 36, seed: int = 0, should_stop: Callable[[], bool] | None = None, progress=None,
                   time_limit: float = TIME_LIMIT) -> SweepResult:
    """Refit the PCA-GMM of digits with each number of Gaussians K on ``train_digits`` of the 4,000 training
    digits, score it on the 1,000 held-out digits (never fitted), and draw ``shown`` samples of each."""
    from generators.datasets import mnist
    from generators.sample.gmm import GMMSampler

    components = checks.wholes(components, name="components", low=1, high=100, most=MAX_VALUES)
    dims = checks.whole(dims, name="dims", low=2, high=200)
    max_iter = checks.whole(max_iter, name="max_iter", low=1, high=1000)
    train_digits = checks.whole(train_digits, name="train_digits", low=max(components) + 1, high=4000)
    shown = checks.whole(shown, name="shown", low=1, high=100)
    train, held_out = mnist("train").images[:train_digits], mnist("test").images
    cells = Cells(len(components), unit="mixtures", should_stop=should_stop, progress=progress,
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
    cells = Cells(len(PRIORS), unit="priors", should_stop=should_stop, progress=progress, time_limit=time_limit)
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
