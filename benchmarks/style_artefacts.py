"""Artefacts and losses of the shipped fast style networks, printed as a markdown table:

    python benchmarks/style_artefacts.py [--skip 8] [--images 32] [--size 256] [--threads 1]

Content: --images of the 40 held-out BSDS photographs (generators.datasets.bsds("test"); no style network
trains on them) after the first --skip, each resized so its short side is --size and centre-cropped square.
Needs ../shared/data/bsds400. The first 8 are the selection set: the trainers report on them while training
(generators.train.style_net.EVAL_IMAGES) and they decided which paintings ship; the figures that report come
from the other 32, which played no part in any choice.

Artefact index (generators.style.artefacts): the luminance spectrum under a Hann window, the strongest
axis-aligned bin at |f| >= 0.15 cycles/px, in dB over the median power at its radius; the mean over the
photographs, and the worst one. The photographs themselves and the six paintings are measured for reference.
Style loss: relative Gram distance to the painting (features.style_loss), before (the photograph itself) and
after stylising; content loss: features.content_loss of the output against the photograph. Both measured with
the offline random multi-scale filter network at the painting size the networks trained with (256 px).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generators import api, imaging  # noqa: E402
from generators import features as feats  # noqa: E402
from generators.datasets import bsds  # noqa: E402
from generators.style.artefacts import artefact_index  # noqa: E402
from generators.style.paintings import PAINTINGS, painting  # noqa: E402
from generators.train.style_net import EVAL_IMAGES  # noqa: E402

STYLE_SIZE = 256


def held_out_photos(count: int, size: int, skip: int = 0) -> list[np.ndarray]:
    photos = []
    for path in bsds("test")[skip:skip + count]:
        image, _ = imaging.load_image(path, mode="rgb", max_side=4096)
        height, width = image.shape[:2]
        scale = size / min(height, width)
        image = imaging.resize(image, (max(size, round(height * scale)), max(size, round(width * scale))))
        top, left = (image.shape[0] - size) // 2, (image.shape[1] - size) // 2
        photos.append(image[top:top + size, left:left + size])
    return photos


def _tensor(image: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1)[None]  # (1, 3, H, W)


@torch.no_grad()
def _losses(loss_net, outputs, photos, style: np.ndarray) -> tuple[float, float, float]:
    targets = [feats.gram(m) for m in loss_net(_tensor(style)).style]
    before, after, kept = [], [], []
    for out, photo in zip(outputs, photos):
        got, want = loss_net(_tensor(out)), loss_net(_tensor(photo))
        after.append(feats.style_loss([feats.gram(m) for m in got.style], targets).item())
        before.append(feats.style_loss([feats.gram(m) for m in want.style], targets).item())
        kept.append(feats.content_loss(got.content, want.content).item())
    return float(np.mean(before)), float(np.mean(after)), float(np.mean(kept))


def table(photos: list[np.ndarray]) -> str:
    loss_net = feats.RandomFeatures()
    rows = ["| image | artefact index, mean dB | worst dB | style loss: photo -> stylised | content loss |",
            "|---|---:|---:|---:|---:|"]
    scores = [artefact_index(photo) for photo in photos]
    rows.append(f"| the {len(photos)} held-out photographs themselves | {np.mean(scores):.1f} | {max(scores):.1f} | | |")
    scores = [artefact_index(painting(name, max_side=STYLE_SIZE)) for name in PAINTINGS]
    rows.append(f"| the {len(PAINTINGS)} paintings ({STYLE_SIZE} px) | {np.mean(scores):.1f} | {max(scores):.1f} | | |")
    for name in api.fast_styles():
        model = api.fast_style(name)
        outputs = [model.apply(photo) for photo in photos]
        scores = [artefact_index(out) for out in outputs]
        style = painting(model.meta["style"], max_side=STYLE_SIZE)
        before, after, kept = _losses(loss_net, outputs, photos, style)
        rows.append(f"| fast `style-{name}` | {np.mean(scores):.1f} | {max(scores):.1f} | {before:.3f} -> {after:.3f} "
                    f"| {kept:.3f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip", type=int, default=EVAL_IMAGES,
                        help="leave out the first held-out photographs (the selection set)")
    parser.add_argument("--images", type=int, default=32, help="held-out BSDS photographs (at most 40 - --skip)")
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (the machine is shared)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    photos = held_out_photos(args.images, args.size, args.skip)
    print(f"{len(photos)} held-out BSDS photographs (bsds('test')[{args.skip}:{args.skip + len(photos)}]), "
          f"{args.size}x{args.size}\n")
    print(table(photos))


if __name__ == "__main__":
    main()
