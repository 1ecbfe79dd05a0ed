"""Train one feed-forward style network (Johnson et al. 2016) per painting: content crops from the 360 BSDS
training photographs, style Gram targets from the painting (generators.style.paintings), all losses measured
with the loss network generators.features.network("auto") picks: VGG-19 where its ImageNet weights are
in the local torch hub cache, else the offline random multi-scale filters. The card records which.

Long runs save a checkpoint every --save-every steps and keep the run's state (weights, Adam, loss curve; see
generators.train.state) in runs/<name>/, or in <out>/state/ when --out is elsewhere or for a dry run, so
--resume continues where a run stopped.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from generators.datasets import bsds
from generators import features as feats
from generators.style.fast import SLIM, StyleNet, config_to_dict
from generators.style.paintings import painting
from generators.train.state import Run, add_run_arguments, weights

EVAL_IMAGES = 8
EVAL_SIZE = 256
# Chosen on four scikit-image photographs (astronaut, coffee, chelsea, rocket), not the benchmark's BSDS ones:
# 10 kept the artefact index lower than 1e-3 at the same style loss.
TV_WEIGHT = 10.0


def add_arguments(parser) -> None:
    parser.add_argument("--steps", type=int, default=2000, help="optimiser steps in total (a resumed run counts on)")
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--size", type=int, default=128, help="side of the square content crops")
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--style-weight", type=float, default=4.0)
    parser.add_argument("--content-weight", type=float, default=1.0)
    parser.add_argument("--tv-weight", type=float, default=TV_WEIGHT)
    parser.add_argument("--style-size", type=int, default=256, help="longer side of the painting for the Gram targets")
    parser.add_argument("--loss-network", choices=("auto", "random", "vgg19"), default="auto")
    parser.add_argument("--save-every", type=int, default=250)
    add_run_arguments(parser, "<name>")


def train(args) -> dict:
    torch.set_num_threads(args.threads)
    style_name = args.name.removeprefix("style-")
    if args.dry_run:
        args.steps, args.batch, args.size, args.save_every = 1, 1, 64, 1
    photos = _photos(bsds("train", home=args.data)[:2 if args.dry_run else None], short_side=2 * args.size)
    held_out = _eval_images(bsds("test", home=args.data)[:1 if args.dry_run else EVAL_IMAGES],
                            64 if args.dry_run else EVAL_SIZE)
    loss_net = feats.network(args.loss_network)
    style_image = painting(style_name, max_side=args.style_size)
    with torch.no_grad():
        targets = [feats.gram(m) for m in loss_net(torch.from_numpy(style_image).permute(2, 0, 1)[None]).style]
    torch.manual_seed(args.seed)
    net = StyleNet(SLIM)
    optimizer = torch.optim.Adam(net.parameters(), lr=args.lr)
    run = Run(args, args.name, {"net": net}, {"adam": optimizer}, total=args.steps, curves=("step", "train_loss"))
    command = _command_history(args.out / f"{args.name}.json", args.command) if args.resume else args.command
    recent: list[float] = []
    window: list[float] = []
    metrics: dict = {}
    for step in run:
        rng = np.random.default_rng([args.seed, step])
        content = torch.from_numpy(_crops(photos, args.batch, args.size, rng))
        out = net(content)
        loss, parts = _loss(loss_net, out, content, targets, args)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        recent = (recent + [loss.item()])[-100:]
        window.append(loss.item())
        run.bar.set_postfix(style=f"{parts[0]:.3f}", content=f"{parts[1]:.3f}")
        if run.due(args.save_every):
            run.log(step=run.done, train_loss=round(float(np.mean(window)), 4))
            window = []
            run.save()
            metrics = _evaluate(net, loss_net, held_out, targets)
            curve = [list(pair) for pair in zip(run.curves["step"], run.curves["train_loss"])]
            metrics.update(train_loss_last100=round(float(np.mean(recent)), 4), steps=run.done,
                           train_cpu_minutes=round(run.progress["cpu_seconds"] / 60, 1), **_flattening(curve))
            _save(run, net, style_name, loss_net.name, command, metrics)
    return metrics


def _loss(loss_net, out, content, targets, args):
    got, want = loss_net(out), loss_net(content)
    style = feats.style_loss([feats.gram(m) for m in got.style], targets).mean()
    kept = feats.content_loss(got.content, want.content.detach()).mean()
    # Total variation (Johnson et al. 2016): sum |x_{i+1,j} - x_{i,j}|^2 + |x_{i,j+1} - x_{i,j}|^2
    tv = ((out[..., 1:, :] - out[..., :-1, :]) ** 2).mean() + ((out[..., :, 1:] - out[..., :, :-1]) ** 2).mean()
    # Johnson et al. 2016: L = lambda_s L_style + lambda_c L_content + lambda_tv L_tv
    total = args.style_weight * style + args.content_weight * kept + args.tv_weight * tv
    return total, (style.item(), kept.item())


@torch.no_grad()
def _evaluate(net, loss_net, images, targets) -> dict:
    """Held-out BSDS test photographs: style distance before and after, and how much content survived."""
    net.eval()
    before, after, kept = [], [], []
    for image in images:
        out = net(image)
        got, want = loss_net(out), loss_net(image)
        after.append(feats.style_loss([feats.gram(m) for m in got.style], targets).item())
        before.append(feats.style_loss([feats.gram(m) for m in want.style], targets).item())
        kept.append(feats.content_loss(got.content, want.content).item())
    net.train()
    return {"held_out_style_loss_content": round(float(np.mean(before)), 4),
            "held_out_style_loss_stylized": round(float(np.mean(after)), 4),
            "held_out_content_loss": round(float(np.mean(kept)), 4)}


def _command_history(card: Path, command: str) -> str:
    """A resumed run's card records every command that trained it: the earlier ones, then `&&` this one."""
    earlier = json.loads(card.read_text()).get("train_command") if card.exists() else None
    return f"{earlier} && {command}" if earlier else command


def _save(run: Run, net, style_name, loss_network: str, command: str, metrics) -> None:
    args = run.args
    run.ship(weights(net), config_to_dict(SLIM), metrics, style=style_name, train_command=command,
             data=("content: random crops of generators.datasets.bsds('train') (360 BSDS photographs, downscaled "
                   f"to a {2 * args.size} px short side); style: assets/stylize/styles/{style_name}.jpg "
                   f"({args.style_size} px longer side); metrics on {EVAL_IMAGES} bsds('test') photographs at "
                   f"{EVAL_SIZE} px"),
             loss_network=loss_network,
             training={"steps_target": args.steps, "batch": args.batch, "crop": args.size, "lr": args.lr,
                       "style_weight": args.style_weight, "content_weight": args.content_weight,
                       "tv_weight": args.tv_weight, "style_size": args.style_size, "seed": args.seed})


def _flattening(curve: list[list[float]]) -> dict:
    """The training loss curve (mean loss per --save-every window) and how much it still fell over the last
    quarter of the run: flattened when the last quarter lowered the loss by less than 3 %."""
    out: dict = {"loss_curve": curve}
    if len(curve) >= 4:
        quarter = curve[-1 - len(curve) // 4][1]
        drop = (quarter - curve[-1][1]) / quarter
        out.update(loss_drop_last_quarter=round(drop, 4), loss_flattened=bool(drop < 0.03))
    return out


def _photos(files, short_side: int) -> list[np.ndarray]:
    photos = []
    for path in files:
        with Image.open(path) as picture:
            picture = picture.convert("RGB")
            scale = short_side / min(picture.size)
            size = (max(short_side, round(picture.width * scale)), max(short_side, round(picture.height * scale)))
            photos.append(np.asarray(picture.resize(size, Image.Resampling.LANCZOS)))
    return photos


def _crops(photos, batch: int, size: int, rng: np.random.Generator) -> np.ndarray:
    out = np.empty((batch, 3, size, size), dtype=np.float32)
    for i in range(batch):
        photo = photos[rng.integers(len(photos))]
        top = rng.integers(photo.shape[0] - size + 1)
        left = rng.integers(photo.shape[1] - size + 1)
        crop = photo[top:top + size, left:left + size]
        if rng.random() < 0.5:
            crop = crop[:, ::-1]
        out[i] = crop.transpose(2, 0, 1) / 255.0
    return out


def _eval_images(files, size: int) -> list[torch.Tensor]:
    return [torch.from_numpy(_crops([photo], 1, size, np.random.default_rng(0))) for photo in _photos(files, size)]
