"""Train the CNN denoiser (generators.denoise.cnn) on gray patches of the BSDS training photographs.

    python -m generators.train bsds-cnn-denoiser [--steps 17000] [--threads 2] [--resume]

Data: the 360 photographs of generators.datasets.bsds("train"), gray; the last 8 of them are held out to
pick nothing but to log validation PSNR; the 40 bsds("test") photographs are never read here (the
benchmark measures on them). Each step draws random patches with a random flip/rotation and a noise level
sigma ~ U[0, 75/255] per patch; the loss is the squared error to the clean patch, by default divided by
sigma so every noise level counts alike (--loss balanced). Adam with a linear warm-up and cosine decay;
the shipped weights are the exponential moving average of the trained ones. The run state (weights, EMA,
Adam) is saved to runs/bsds-cnn-denoiser/ at every evaluation, so --resume continues an interrupted run.

--regular F swaps a share F of each batch for synthetic regular patches (gratings, checks, flat shaded
areas with straight edges: what classic test images hold and BSDS photographs rarely do), --glyphs F for
text-like ones (rows of pen strokes on paper, as a scanned page); --init-from DIR
starts from a finished checkpoint with a fresh optimiser (a fine-tune). Validation also logs PSNR on the
"select" classic images at sigma 25 (val_psnr_classic25); the "report" ones are never read here.
"""

from __future__ import annotations

import copy
import math

from pathlib import Path

import numpy as np
import torch

from generators import checkpoint, imaging, metrics
from generators.datasets import bsds, classic
from generators.denoise.cnn import SIGMA_MAX, CNNConfig, CNNDenoiser
from generators.train.patches import glyph_patches, random_patches, regular_patches
from generators.train.state import Run, add_run_arguments, start, weights

NAME = "bsds-cnn-denoiser"
VALIDATION = 8
VAL_SIGMAS = (15, 25, 50)
VAL_CROP = 128


def add_arguments(parser) -> None:
    parser.add_argument("--steps", type=int, default=17000, help="optimiser steps in total (a resumed run counts on)")
    parser.add_argument("--batch", type=int, default=24)
    parser.add_argument("--patch", type=int, default=64, help="side of the square training patches")
    parser.add_argument("--lr", type=float, default=6e-4, help="peak learning rate (Adam)")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--restart", type=int, default=0,
                        help="step at which the schedule restarts (warm-up, then cosine to --steps): continue a "
                             "finished run with --resume --restart <its steps> --steps <more>")
    parser.add_argument("--bf16", action="store_true",
                        help="bfloat16 autocast for the training forward/backward (about 2x faster on CPUs with "
                             "AVX512-BF16); weights, Adam, EMA and validation stay float32")
    parser.add_argument("--depth", type=int, default=CNNConfig.depth)
    parser.add_argument("--width", type=int, default=CNNConfig.width)
    parser.add_argument("--loss", choices=["mse", "balanced"], default="balanced",
                        help="mse: plain mean squared error (high noise levels dominate it); balanced: each "
                             "patch's squared error divided by its sigma, so every noise level counts alike")
    parser.add_argument("--ema", type=float, default=0.999, help="decay of the weight average that ships")
    parser.add_argument("--eval-every", type=int, default=500, help="steps between validation, saves and state")
    parser.add_argument("--regular", type=float, default=0.0,
                        help="share of each batch drawn as synthetic regular patches (gratings, checks, smooth "
                             "shading with edges) instead of photograph crops: the stripes and flat areas where "
                             "BM3D is strongest")
    parser.add_argument("--glyphs", type=float, default=0.0,
                        help="share of each batch drawn as synthetic text-like patches (rows of dark strokes on "
                             "paper, as a scanned page): where BM3D leads the CNN most")
    parser.add_argument("--init-from", default=None, metavar="DIR",
                        help=f"start from the {NAME} checkpoint in DIR (e.g. checkpoints) with a fresh optimiser "
                             "and schedule: continues a finished run whose --resume state is gone")
    add_run_arguments(parser, NAME)


def train(args) -> dict:
    generator = start(args)
    if args.dry_run:
        args.steps, args.eval_every, args.patch, args.batch, args.depth, args.width = 2, 1, 16, 2, 4, 8
    net = CNNDenoiser(CNNConfig(depth=args.depth, width=args.width))
    init = "random (PyTorch's default initialisation)"
    if args.init_from:
        net, sha = from_checkpoint(args, NAME, CNNDenoiser)
        init = f"the {NAME} checkpoint in {args.init_from} (sha256 {sha})"
    for flag, share in (("--regular", args.regular), ("--glyphs", args.glyphs)):
        if not 0 <= share <= 1:
            raise ValueError(f"{flag} {share:g} must be a share between 0 and 1")
    ema, optimizer, run = start_run(args, NAME, net, generator)
    train_photos, validation = load_photos(args, "gray", VAL_CROP)
    if not args.dry_run:
        validation += classic_validation()
    return train_loop(run, net, ema, optimizer, train_photos, validation, generator, _step,
                      lambda metrics: _save(run, ema, metrics, len(train_photos), init))


def from_checkpoint(args, name: str, network: type) -> tuple[torch.nn.Module, str]:
    """--init-from: (``network`` built from checkpoint ``name`` in args.init_from, the weights' sha256) to start
    a new run from; refused beside --resume, which continues a run's own state instead."""
    if args.resume:
        raise ValueError("--init-from starts a new run from a checkpoint; --resume continues a run's state: "
                         "give one of them")
    found = checkpoint.load(args.init_from, name, rebuild=f"python -m generators.train {name}")
    return network.from_checkpoint(found), checkpoint.sha256(Path(args.init_from) / f"{name}.safetensors")


def classic_validation() -> list[tuple[str, np.ndarray, np.ndarray]]:
    """The "select" classic images (generators.datasets.CLASSIC: camera, astronaut, brick, text) at sigma 25,
    logged as val_psnr_classic25; the "report" ones are never read here."""
    out = []
    for index, (_, clean) in enumerate(classic("select")):
        noise = np.random.default_rng([100 + index, 25]).standard_normal(clean.shape).astype(np.float32)
        out.append(("classic25", clean, clean + 25 / 255 * noise))
    return out


def start_run(args, name: str, net: torch.nn.Module,
              generator: torch.Generator) -> tuple[torch.nn.Module, torch.optim.Adam, Run]:
    """What both CNN trainers set up before the photographs are read: the weight average, Adam and the run
    (restored with the weights by --resume); a --restart ahead of the run is refused here, before any data
    is loaded."""
    ema = copy.deepcopy(net)
    optimizer = torch.optim.Adam(net.parameters(), lr=args.lr)
    run = Run(args, name, {"net": net, "ema": ema}, {"adam": optimizer}, total=args.steps, generator=generator,
              curves=("step", "train_mse", "eval_step", *(f"val_psnr_{s}" for s in VAL_SIGMAS), "val_psnr_classic25"))
    if not 0 <= args.restart <= run.done:
        raise ValueError(f"--restart {args.restart}: the run is at step {run.done}; a warm restart starts "
                         "at or before the step a --resume continues from")
    return ema, optimizer, run


def load_photos(args, mode: str, crop: int) -> tuple[list[np.ndarray], list]:
    """The training photographs in ``mode`` ("gray" or "rgb") and the validation set from the last VALIDATION."""
    files = bsds("train", home=args.data)
    if args.dry_run:
        files = files[:2] + files[-1:]
    photos = [imaging.load_image(path, mode=mode)[0] for path in files]
    keep = 1 if args.dry_run else VALIDATION
    return photos[:-keep], _validation_set(photos[-keep:], 32 if args.dry_run else crop)


def train_loop(run: Run, net, ema, optimizer, photos, validation, generator, step, save,
               extra_metrics: dict | None = None) -> dict:
    """The step loop both CNN trainers share: learning-rate schedule, ``step(net, optimizer, photos, args, rng,
    generator) -> loss``, the weight average, the loss curve, and every --eval-every steps validation, the
    resumable state and ``save(metrics)`` of the checkpoint."""
    args = run.args
    rng = np.random.default_rng([args.seed, run.done])
    window: list[float] = []
    reported: dict = {}
    for index in run:
        for group in optimizer.param_groups:
            group["lr"] = _learning_rate(index, args)
        window.append(step(net, optimizer, photos, args, rng, generator))
        run.average(ema, net)
        if run.due(50):
            run.log(step=run.done, train_mse=float(np.mean(window)))
            run.bar.set_postfix(loss=f"{np.mean(window):.2e}", lr=f"{_learning_rate(index, args):.1e}")
            window = []
        if run.due(args.eval_every):
            scores = _validate(ema, validation)
            run.log(eval_step=run.done, **{f"val_psnr_{s}": score for s, score in scores.items()})
            run.save()
            reported = {f"val_psnr_sigma{s}" if isinstance(s, int) else f"val_psnr_{s}": score
                        for s, score in scores.items()}
            reported.update(steps=run.done, train_cpu_minutes=round(run.progress["cpu_seconds"] / 60, 1),
                           train_wall_minutes=round(run.progress["wall_seconds"] / 60, 1), **(extra_metrics or {}))
            save(reported)
            run.bar.write(f"step {run.done}: validation PSNR "
                          + ", ".join(f"σ={s} {score:.2f}" if isinstance(s, int) else f"{s} {score:.2f}"
                                      for s, score in scores.items()))
    return reported


def _learning_rate(step: int, args) -> float:
    """Linear warm-up, then cosine decay to 1 % of the peak (Loshchilov & Hutter 2017); with --restart R the
    same shape runs again from step R (a warm restart, SGDR)."""
    step -= args.restart
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    t = (step - args.warmup) / max(args.steps - args.restart - args.warmup, 1)
    return args.lr * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * min(t, 1.0))))


def _step(net, optimizer, photos, args, rng, generator) -> float:
    net.train()
    clean = random_patches(photos, args.batch, args.patch, rng)                     # (B, 1, P, P)
    synthetic = rng.random(args.batch) < args.regular
    if synthetic.any():
        clean[synthetic] = regular_patches(int(synthetic.sum()), args.patch, rng)
    if args.glyphs:                           # (no draw at all without --glyphs: earlier runs replay exactly)
        text = (rng.random(args.batch) < args.glyphs) & ~synthetic
        if text.any():
            clean[text] = glyph_patches(int(text.sum()), args.patch, rng)
    clean = torch.from_numpy(clean)
    sigma = torch.rand(args.batch, generator=generator) * SIGMA_MAX                 # (B,)
    noisy = clean + sigma.view(-1, 1, 1, 1) * torch.randn(clean.shape, generator=generator)
    # DnCNN's loss: l(theta) = 1/(2N) sum ||R(y_i; theta) - (y_i - x_i)||^2, here as x_hat = y - R(y).
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
        restored = net(noisy, sigma)
    error = ((restored.float() - clean) ** 2).mean(dim=(1, 2, 3))                  # (B,) per-patch MSE
    if args.loss == "balanced":
        # A patch's error grows with its sigma, so plain MSE spends the network on the noisiest patches. PSNR
        # counts relative error (d PSNR ~ -d MSE / MSE), and MSE grows roughly like sigma: weight w_i =
        # sigma_ref / max(sigma_i, 5/255), normalised to 1 at sigma_ref = 25/255.
        error = error * (25 / 255) / sigma.clamp(min=5 / 255)
    loss = error.mean()
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def _validation_set(photos, side: int) -> list[tuple[int, np.ndarray, np.ndarray]]:
    out = []
    for index, photo in enumerate(photos):
        top, left = (photo.shape[0] - side) // 2, (photo.shape[1] - side) // 2
        clean = np.ascontiguousarray(photo[top:top + side, left:left + side])
        for sigma in VAL_SIGMAS:
            noise = np.random.default_rng([index, sigma]).standard_normal(clean.shape).astype(np.float32)
            out.append((sigma, clean, clean + sigma / 255 * noise))
    return out


def _validate(net, validation) -> dict:
    net.eval()
    psnr: dict = {}
    for sigma, clean, noisy in validation:
        level = 25 if sigma == "classic25" else sigma
        restored = np.clip(net.restore(noisy, level / 255), 0, 1)
        psnr.setdefault(sigma, []).append(metrics.psnr(clean, restored))
    return {sigma: round(float(np.mean(values)), 3) for sigma, values in psnr.items()}


def _save(run: Run, ema, metrics, photos: int, init: str) -> None:
    args = run.args
    run.ship(weights(ema), ema.config_dict(), metrics,
             data=data_record(args, photos, "gray (PIL luminance)", 75, VAL_CROP,
                              (f"; {args.regular:.0%} of each batch synthetic regular patches (regular_patches)"
                               if args.regular else "")
                              + (f"; about {args.glyphs:.0%} synthetic text-like patches (glyph_patches)"
                                 if args.glyphs else ""),
                              " and the 'select' classic images (camera, astronaut, brick, text), never the 'report' ones"),
             training=training_record(args, loss=args.loss, regular=args.regular, glyphs=args.glyphs,
                                      init=init))


def data_record(args, photos: int, kind: str, sigma_max: float, crop: int, noise: str = "",
                validation: str = "") -> str:
    """What a CNN run trained and validated on, for its checkpoint card's "data"."""
    return (f"BSDS400 {kind}: random {args.patch}x{args.patch} patches of {photos} of the 360 "
            f"generators.datasets.bsds('train') photographs, 8 flips/rotations, sigma ~ U[0, {sigma_max:g}]/255 "
            f"unclipped Gaussian noise{noise}; validation: centre {crop}px crops of the other {VALIDATION}"
            f"{validation}; bsds('test') never used")


def training_record(args, **extra) -> dict:
    """The settings of a CNN run that its checkpoint card lists under "training", plus a trainer's ``extra``."""
    return {"steps_target": args.steps, "batch": args.batch, "patch": args.patch, "lr": args.lr,
            "warmup": args.warmup, "schedule": "cosine to 1% of peak", "restart": args.restart, "bf16": args.bf16,
            "ema_decay": args.ema, "grad_clip": 1.0, "seed": args.seed, "threads": args.threads, **extra}
