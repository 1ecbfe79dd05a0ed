"""The measured figures every digit sampler's checkpoint carries: Fréchet distance and class balance under
both judges (generators.sample.lenet), each skipped with a note when its checkpoint is missing or broken.

The selection judge (mnist-lenet) may choose checkpoints during training, against training digits; the report
judge (mnist-allconv) never chooses anything. Both report against the 1,000 held-out digits, which neither
judge nor any sampler trains on.
"""

from __future__ import annotations

import numpy as np
import torch
from tqdm import tqdm

from generators import api, checkpoint
from generators.datasets import mnist
from generators.sample.quality import digit_quality, real_reference

SELECTION_JUDGE = "mnist-lenet"
REPORT_JUDGE = "mnist-allconv"
# The card's key for each figure of digit_quality, per judge (the selection judge's keys predate the second).
JUDGE_KEYS = {
    SELECTION_JUDGE: {},
    REPORT_JUDGE: {"frechet_lenet": "frechet_allconv", "class_fractions": "class_fractions_allconv",
                   "frechet_real_vs_real": "frechet_real_vs_real_allconv"},
}


def load_judge(skipping: str, name: str = SELECTION_JUDGE):
    """The shipped judge ``name`` (through generators.api), or None after printing ``skipping`` and why when
    its checkpoint is missing or broken."""
    try:
        return api.load(name)
    except checkpoint.CheckpointError as error:
        print(f"{skipping}: {error}")
        return None


def judge_sampler(model) -> dict:
    """Fréchet distance, class shares and the real-vs-real floor of ``model`` under each judge: the selection
    judge's under the keys frechet_lenet, class_fractions and frechet_real_vs_real, the report judge's with
    the suffix _allconv (JUDGE_KEYS)."""
    metrics = {}
    for name, keys in JUDGE_KEYS.items():
        judge = load_judge(f"skipping the Fréchet distance under {name}", name)
        if judge is None:
            continue
        quality = {**digit_quality(model, judge), "frechet_real_vs_real": real_reference(judge)}
        metrics.update({keys.get(key, key): value for key, value in quality.items()})
    return metrics


def add_judge_arguments(parser) -> None:
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)


def fit_judge(args, name: str, build, digits, *, architecture: str, data: str) -> dict:
    """Train the classifier ``build()`` (made after seeding torch) on ``digits`` with Adam and cross-entropy,
    measure its accuracy on the 1,000 held-out digits and save it as checkpoint ``name``."""
    generator = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)
    held_out = mnist("test")
    if args.dry_run:
        digits, args.epochs = type(digits)(digits.images[:128], digits.labels[:128]), 1
    images, labels = torch.from_numpy(digits.images[:, None]), torch.from_numpy(digits.labels)
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    progress = tqdm(range(args.epochs), desc=name, unit="epoch")
    for _ in progress:
        model.train()
        order = torch.randperm(len(images), generator=generator)
        for start in range(0, len(images), args.batch):
            batch = order[start:start + args.batch]
            loss = torch.nn.functional.cross_entropy(model(images[batch]), labels[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        progress.set_postfix(loss=f"{loss.item():.3f}")
    model.eval()
    metrics = {"held_out_accuracy": round(float(np.mean(model.predict(held_out.images) == held_out.labels)), 4)}
    checkpoint.save(args.out, name, {key: value.numpy() for key, value in model.state_dict().items()}, {
        "config": {"architecture": architecture},
        "train_command": args.command,
        "data": data,
        "training": {"epochs": args.epochs, "batch": args.batch, "lr": args.lr, "seed": args.seed,
                     "digits": len(labels)},
        "metrics": metrics,
    })
    return metrics
