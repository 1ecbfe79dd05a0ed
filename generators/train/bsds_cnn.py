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


def random_patches(photos, batch: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """(batch, C, size, size) random crops of gray (H, W) or colour (H, W, 3) photographs, each with a random
    rotation and flip (the 8 symmetries of the square)."""
    channels = 1 if photos[0].ndim == 2 else photos[0].shape[2]
    out = np.empty((batch, channels, size, size), dtype=np.float32)
    for i in range(batch):
        photo = photos[rng.integers(len(photos))]
        top, left = rng.integers(photo.shape[0] - size + 1), rng.integers(photo.shape[1] - size + 1)
        patch = np.rot90(photo[top:top + size, left:left + size], k=rng.integers(4))
        patch = patch[:, ::-1] if rng.random() < 0.5 else patch
        out[i] = patch.reshape(size, size, channels).transpose(2, 0, 1)
    return out


def regular_patches(count: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """(count, 1, size, size) synthetic patches of what photographs of the 360 BSDS training images show
    little of and classic test images show a lot of: striped and checked fabric (square-ish gratings whose
    frequency drifts, as folds and perspective make it), and large smooth areas with a few straight edges
    (walls, sky), under smooth shading. Float32 in [0, 1]."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64) - size / 2
    out = np.empty((count, 1, size, size), dtype=np.float32)
    for i in range(count):
        kind = rng.integers(3)
        # Smooth shading: a random quadratic surface, a few grey levels across the patch at most.
        a, b, c, d, e = rng.normal(0, 1, 5) / np.array([size, size, size ** 2, size ** 2, size ** 2])
        shade = a * xx + b * yy + c * xx ** 2 + d * yy ** 2 + e * xx * yy
        shade = shade / (np.abs(shade).max() + 1e-9) * rng.uniform(0, 0.25)
        base = rng.uniform(0.15, 0.85) + shade
        if kind < 2:
            # A grating: sin(2 pi (f u + c u^2) + phase) along a random direction u, sharpened towards a
            # square wave by tanh(k s) / tanh(k); kind 1 multiplies a second one across it (checks, weaves).
            wave = np.ones_like(xx)
            for _ in range(1 + int(kind == 1)):
                angle = rng.uniform(0, np.pi)
                u = xx * np.cos(angle) + yy * np.sin(angle)
                f = np.exp(rng.uniform(np.log(1 / 24), np.log(1 / 2.5)))
                chirp = rng.uniform(-0.3, 0.3) * f / size
                sharp = np.exp(rng.uniform(0, np.log(20)))
                wave = wave * np.tanh(sharp * np.sin(2 * np.pi * (f * u + chirp * u ** 2) + rng.uniform(0, 2 * np.pi)))
                wave = wave / np.tanh(sharp)
            image = base + rng.uniform(0.03, 0.35) * wave
        else:
            image = base
        # 0-3 straight edges: each half-plane shifts the level (and, for gratings, crops them to a region).
        for _ in range(rng.integers(0, 4)):
            angle = rng.uniform(0, 2 * np.pi)
            # An anti-aliased edge: a logistic step 0.3-1.5 px wide, as a lens and a sensor draw it.
            distance = xx * np.cos(angle) + yy * np.sin(angle) - rng.uniform(-size / 2, size / 2)
            side = 0.5 * (1 + np.tanh(distance / rng.uniform(0.3, 1.5)))
            level = rng.uniform(0.1, 0.9) + shade if rng.random() < 0.5 else image + rng.uniform(-0.3, 0.3)
            image = side * level + (1 - side) * image
        out[i, 0] = np.clip(image, 0, 1)
    return out


def glyph_patches(count: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """(count, 1, size, size) synthetic text-like patches: rows of "letters" (2-4 straight strokes each, 1-3.5 px
    wide) in dark ink on light, gently shaded paper, as on a scanned page; sometimes light on dark. Drawn by
    PIL at 4x and box-filtered down, which anti-aliases the strokes. Float32 in [0, 1]."""
    from PIL import Image, ImageDraw

    scale = 4
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64) - size / 2
    out = np.empty((count, 1, size, size), dtype=np.float32)
    for i in range(count):
        line = rng.uniform(7, 18)                                                     # row pitch, px
        height, width = 0.6 * line, rng.uniform(0.35, 0.7) * line                   # a letter's box
        pen = max(1, round(scale * rng.uniform(0.8, max(1.0, 0.13 * line))))          # stroke width at 4x
        canvas = Image.new("L", (size * scale, size * scale), 0)
        draw = ImageDraw.Draw(canvas)
        for row in np.arange(rng.uniform(0, line), size, line):
            x = rng.uniform(-width, 0)
            while x < size:
                for _ in range(rng.integers(2, 5)):
                    (x0, x1), (y0, y1) = x + rng.uniform(0, width, 2), row + rng.uniform(0, height, 2)
                    draw.line([(scale * x0, scale * y0), (scale * x1, scale * y1)], fill=255, width=pen, joint="curve")
                x += width * rng.uniform(1.1, 1.5) + (rng.uniform(0.5, 1.5) * width if rng.random() < 0.2 else 0)
        ink = np.asarray(canvas.resize((size, size), Image.Resampling.BOX), dtype=np.float64) / 255
        paper, dark = rng.uniform(0.6, 0.95), rng.uniform(0.0, 0.35)
        if rng.random() < 0.2:
            paper, dark = dark, paper
        tilt = rng.normal(0, 0.03, 2)
        out[i, 0] = np.clip(paper + (tilt[0] * xx + tilt[1] * yy) / size + (dark - paper) * ink, 0, 1)
    return out


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
