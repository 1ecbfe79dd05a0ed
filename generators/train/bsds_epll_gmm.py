"""Fit the EPLL patch prior: a full-covariance Gaussian mixture over DC-removed 8x8 gray patches sampled from
the BSDS train split (generators.datasets.bsds("train"); the 40 test photographs are only used to report the
held-out log-likelihood). Zoran & Weiss 2011 used 200 components on 2 million patches; the defaults here
(200 components, 500,000 patches, 30 EM iterations) rebuild the shipped prior in about 80 minutes on two
shared CPU cores.

EM runs in rounds of --round-iters iterations (scikit-learn's warm start); after each round the mixture is
saved, so an interrupted fit continues with --resume.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
from tqdm import tqdm

from generators import checkpoint, imaging
from generators.datasets import bsds
from generators.denoise.epll import DIM, PATCH, PatchGMM, remove_dc

NAME = "bsds-epll-gmm"


def add_arguments(parser) -> None:
    parser.add_argument("--components", type=int, default=200, help="Gaussians in the mixture (paper: 200)")
    parser.add_argument("--patches", type=int, default=500_000, help="8x8 training patches (paper: 2 million)")
    parser.add_argument("--max-iter", type=int, default=30, help="EM iterations in all")
    parser.add_argument("--round-iters", type=int, default=5, help="EM iterations between checkpoints")
    parser.add_argument("--reg-covar", type=float, default=1e-6)
    parser.add_argument("--resume", action="store_true", help="continue from the checkpoint in --out")


def sample_patches(paths, count: int, *, seed: int) -> np.ndarray:
    """``count`` random 8x8 gray patches, spread evenly over the images: float64 (count, 64)."""
    rng = np.random.default_rng(seed)
    per_image = int(np.ceil(count / len(paths)))
    out = []
    for path in paths:
        image, _ = imaging.load_image(path, mode="gray")
        rows = rng.integers(0, image.shape[0] - PATCH + 1, per_image)
        cols = rng.integers(0, image.shape[1] - PATCH + 1, per_image)
        offsets = np.arange(PATCH)
        # (n, 8, 8) by fancy indexing, then flattened row-major to (n, 64).
        block = image[rows[:, None, None] + offsets[None, :, None], cols[:, None, None] + offsets[None, None, :]]
        out.append(block.reshape(per_image, DIM))
    return np.concatenate(out)[:count].astype(np.float64)


def train(args) -> dict:
    import torch
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.mixture import GaussianMixture
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    train_paths, test_paths = bsds("train", home=args.data), bsds("test", home=args.data)
    components, count, max_iter, round_iters = args.components, args.patches, args.max_iter, args.round_iters
    if args.dry_run:
        train_paths, test_paths = train_paths[:4], test_paths[:2]
        components, count, max_iter, round_iters = 3, 2_000, 2, 1
    patches = remove_dc(sample_patches(train_paths, count, seed=args.seed))
    held_out = sample_patches(test_paths, min(count, 20_000), seed=args.seed + 1)
    mixture = GaussianMixture(components, covariance_type="full", reg_covar=args.reg_covar,
                              max_iter=round_iters, tol=1e-3, warm_start=True, random_state=args.seed)
    done, started = 0, time.perf_counter()
    if args.resume:
        done = _warm_start_from(mixture, args.out, components)
    history = []
    with threadpool_limits(1), tqdm(total=max_iter, initial=done, desc=NAME, unit="EM iter") as bar:
        while done < max_iter:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                mixture.fit(patches)
            done += mixture.n_iter_
            bar.update(mixture.n_iter_)
            history.append(round(float(mixture.lower_bound_), 3))
            model = PatchGMM(weights=mixture.weights_, means=mixture.means_, covariances=mixture.covariances_)
            metrics = {
                "train_log_likelihood_nats_per_patch": history[-1],
                "test_log_likelihood_nats_per_patch": round(float(model.log_likelihood(held_out).mean()), 3),
                "em_iterations": done,
                "converged": bool(mixture.converged_),
                "fit_seconds": round(time.perf_counter() - started, 1),
            }
            _save(args, model, components, len(patches), metrics, history)
            if mixture.converged_:
                break
    return metrics


def _warm_start_from(mixture, directory, components: int) -> int:
    found = checkpoint.load(directory, NAME, rebuild=f"python -m generators.train {NAME}")
    arrays = found.arrays
    if len(arrays["weights"]) != components:
        raise ValueError(f"--resume: the checkpoint has {len(arrays['weights'])} components, not {components}; "
                         "pass the same --components or start afresh without --resume")
    precisions = np.linalg.inv(arrays["covariances"])
    mixture.weights_init, mixture.means_init, mixture.precisions_init = (
        arrays["weights"], arrays["means"], precisions)
    return int(found.meta["metrics"]["em_iterations"])


def _save(args, model: PatchGMM, components: int, count: int, metrics: dict, history: list) -> None:
    checkpoint.save(args.out, NAME, model.arrays(), {
        "config": {"patch": PATCH, "components": components, "covariance": "full", "dc_removed": True,
                   "reg_covar": args.reg_covar, "patches": count, "seed": args.seed},
        "train_command": args.command,
        "data": f"{count:,} random 8x8 gray patches from the 360 BSDS train photographs "
                "(generators.datasets.bsds('train')); held-out likelihood on 20,000 patches of the 40 test ones",
        "paper": "Zoran & Weiss, From Learning Models of Natural Image Patches to Whole Image Restoration, ICCV 2011",
        "lower_bound_per_round": history,
        "metrics": metrics,
    })
