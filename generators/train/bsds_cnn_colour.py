"""Train the chroma network of the colour CNN denoiser (generators.denoise.cnn.ColourDenoiser) on colour
patches of the BSDS training photographs, on top of the shipped gray network.

    python -m generators.train bsds-cnn-colour [--steps 4000] [--threads 2] [--resume]

The gray network (checkpoints/bsds-cnn-denoiser, trained first) is the starting point of both the luminance
and the chroma network (ColourDenoiser.from_gray), so training starts at the per-plane result and only has
to learn what is particular to colour luminance and chroma, and how to use the denoised luminance and the
other chroma plane. Each step draws random RGB patches with a random flip/rotation and sigma ~ U[0, 75/255]
per patch, adds the noise in RGB, and trains both networks on the RGB squared error, divided by sigma as
for the gray network (its balanced loss). The gray network's own checkpoint is not changed.
Data: the same 352 training photographs as the gray network, in colour; validation: centre crops of the
other 8 (colour PSNR); the 40 bsds("test") photographs are never read here.
"""

from __future__ import annotations

import numpy as np
import torch

from generators import api, checkpoint
from generators.denoise.cnn import OPPONENT, PLANE_SCALE, SIGMA_MAX, CNNConfig, CNNDenoiser, ColourDenoiser
from generators.train.bsds_cnn import (VAL_SIGMAS, _validate, data_record, from_checkpoint, load_photos, start_run,
                                       train_loop, training_record)
from generators.train.patches import random_patches
from generators.train.state import Run, add_run_arguments, start, weights

NAME = "bsds-cnn-colour"
GRAY = "bsds-cnn-denoiser"
VAL_CROP = 96


def add_arguments(parser) -> None:
    parser.add_argument("--steps", type=int, default=4000, help="optimiser steps in total (a resumed run counts on)")
    parser.add_argument("--batch", type=int, default=16, help="colour patches per step (two chroma planes each)")
    parser.add_argument("--patch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-4, help="peak learning rate (Adam); a fine-tune, so low")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--restart", type=int, default=0,
                        help="step at which the schedule restarts (as for bsds-cnn-denoiser): continue a finished "
                             "run with --resume --restart <its steps> --steps <more>")
    parser.add_argument("--sigma-max", type=float, default=75.0,
                        help="training noise levels sigma ~ U[0, this] / 255 (the network takes sigma as input)")
    parser.add_argument("--bf16", action="store_true", help="bfloat16 autocast for forward/backward (as the gray)")
    parser.add_argument("--ema", type=float, default=0.999)
    parser.add_argument("--eval-every", type=int, default=500)
    parser.add_argument("--init-from", default=None, metavar="DIR",
                        help=f"start both networks from the {NAME} checkpoint in DIR (e.g. checkpoints) instead of "
                             "from the gray network: continues a finished run whose --resume state is gone, with a "
                             "fresh optimiser and schedule")
    add_run_arguments(parser, NAME)


def train(args) -> dict:
    generator = start(args)
    if args.dry_run:
        args.steps, args.eval_every, args.patch, args.batch = 2, 1, 16, 2
        gray = CNNDenoiser(CNNConfig(depth=4, width=8))
        gray_sha = "untrained (dry run)"
    else:
        gray = api.load(GRAY)
        gray_sha = checkpoint.sha256(checkpoint.CHECKPOINT_DIR / f"{GRAY}.safetensors")
    gray = gray.to("cpu").float()
    if args.init_from:
        net, sha = from_checkpoint(args, NAME, ColourDenoiser)
        init = (f"both networks start as the {NAME} checkpoint in {args.init_from} (sha256 {sha}), itself grown "
                f"from {GRAY} (sha256 {gray_sha})")
    else:
        net = ColourDenoiser.from_gray(gray)
        init = (f"both networks start as {GRAY} (sha256 {gray_sha}), the chroma one with zero weights on its "
                "extra inputs (the denoised luminance, the other chroma plane)")
    net = net.float().to(memory_format=torch.channels_last)                         # oneDNN's fastest layout
    if not 0 < args.sigma_max <= SIGMA_MAX * 255:
        raise ValueError(f"--sigma-max {args.sigma_max:g} must be in (0, {SIGMA_MAX * 255:.0f}]")
    ema, optimizer, run = start_run(args, NAME, net, generator)
    train_photos, validation = load_photos(args, "rgb", VAL_CROP)
    baseline = {} if args.resume else _validate(gray, validation)       # the per-plane gray network, for the card
    per_plane = run.progress.setdefault("per_plane_val_psnr",
                                        {f"val_psnr_sigma{s}": baseline.get(s) for s in VAL_SIGMAS})
    return train_loop(run, net, ema, optimizer, train_photos, validation, generator, _step,
                      lambda metrics: _save(run, ema, metrics, len(train_photos), init),
                      {"per_plane_gray_network": per_plane})


def _step(net: ColourDenoiser, optimizer, photos, args, rng, generator) -> float:
    net.train()
    clean = torch.from_numpy(random_patches(photos, args.batch, args.patch, rng))  # (B, 3, P, P) RGB
    sigma = torch.rand(args.batch, generator=generator) * (args.sigma_max / 255)    # (B,)
    noisy = clean + sigma.view(-1, 1, 1, 1) * torch.randn(clean.shape, generator=generator)
    clean_planes, noisy_planes = _planes(clean), _planes(noisy)                     # (B, 3, P, P): Y/sqrt 3, C1, C2
    b, p = args.batch, args.patch
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
        luma = net.luma(noisy_planes[:, :1], sigma / np.sqrt(3))                   # (B, 1, P, P)
        # Each chroma plane with its patch's denoised luminance (not differentiated through: the luminance
        # network is trained by its own error) and the other chroma plane; both planes go through as a batch.
        chroma = noisy_planes[:, 1:] + 0.5                                          # (B, 2, P, P)
        guide = torch.stack([torch.cat([luma.detach().float(), chroma[:, 1:]], 1),
                             torch.cat([luma.detach().float(), chroma[:, :1]], 1)], dim=1)   # (B, 2, 2, P, P)
        restored = net(chroma.reshape(-1, 1, p, p), guide.reshape(-1, 2, p, p), sigma.repeat_interleave(2))
    estimate = torch.cat([luma.float(), restored.float().view(b, 2, p, p) - 0.5], dim=1)
    # The RGB squared error: the opponent transform is orthonormal, and the luminance plane is Y / sqrt(3).
    error = ((estimate - clean_planes) ** 2 * torch.tensor([3.0, 1.0, 1.0]).view(1, 3, 1, 1)).mean(dim=(1, 2, 3)) / 3
    # As the gray network's balanced loss: each patch's error divided by its sigma (floor 5/255), 1 at 25/255.
    loss = (error * (25 / 255) / sigma.clamp(min=5 / 255)).mean()
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def _planes(rgb: torch.Tensor) -> torch.Tensor:
    """(B, 3, H, W) RGB -> opponent planes scaled like generators.denoise.cnn.to_planes."""
    planes = torch.einsum("pc,bchw->bphw", torch.from_numpy(OPPONENT), rgb)
    return planes * torch.from_numpy(PLANE_SCALE)[None]


def _save(run: Run, ema, metrics, photos: int, init: str) -> None:
    args = run.args
    run.ship(weights(ema), ema.config_dict(), metrics,
             data=data_record(args, photos, "colour (RGB)", args.sigma_max, VAL_CROP, " added in RGB"),
             init=init,
             training=training_record(args, loss="balanced (RGB MSE / sigma)", sigma_max=args.sigma_max))
