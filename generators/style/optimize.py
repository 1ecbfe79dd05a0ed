"""Neural style transfer by optimisation (Gatys, Ecker & Bethge 2016, "Image style transfer using
convolutional neural networks"): start from the content photograph (or noise) and walk the pixels downhill on
L = alpha L_content + beta L_style, measured by a feature network."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch

from generators import features as feats
from generators import imaging
from generators.style import blend, classical


# A preview is also sent whenever this long has passed since the last, so a slow machine still shows progress.
PREVIEW_SECONDS = 2.0


@dataclass(frozen=True)
class GatysStep:
    step: int
    steps: int  # of the whole run
    image: np.ndarray  # float32 (H, W, 3) in [0, 1], the current estimate blended with the content by strength
    total: float
    style: float
    content: float
    seconds: float
    network: str


def _kernel(content: np.ndarray, style: np.ndarray, *, content_weight: float, style_weight: float, steps: int,
            init: str, preserve_colors: bool, preview_every: int, lr: float, seed: int,
            network: str, strength: float, device: str) -> Iterator[GatysStep]:
    started = time.perf_counter()
    net = feats.network(network).to(device)
    target_content, target_style = content, style
    if preserve_colors:
        target_content, target_style = classical.luminance(content), classical.match_luminance(style, content)
    with torch.no_grad():
        content_maps = net(imaging.to_tensor(target_content, device)).content
        style_grams = [feats.gram(m) for m in net(imaging.to_tensor(target_style, device)).style]
    generator = torch.Generator().manual_seed(seed)
    start = imaging.to_tensor(target_content, device)
    if init == "noise":
        start = torch.rand(start.shape, generator=generator).to(device)  # drawn on the CPU: same seed, same start
    image = start.clone().requires_grad_(True)
    # Gatys et al. update I <- I - lambda grad_I L, here with Adam's per-pixel step sizes (Kingma & Ba 2015),
    # which converges in far fewer steps than plain gradient descent.
    optimizer = torch.optim.Adam([image], lr=lr)
    shown = time.perf_counter()
    for step in range(1, steps + 1):
        got = net(image)
        style_term = feats.style_loss([feats.gram(m) for m in got.style], style_grams).mean()
        content_term = feats.content_loss(got.content, content_maps).mean()
        # Gatys et al. 2016, eq. 7: L_total = alpha L_content + beta L_style
        total = content_weight * content_term + style_weight * style_term
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
        with torch.no_grad():
            image.clamp_(0.0, 1.0)
        if step % preview_every == 0 or step == steps or time.perf_counter() - shown > PREVIEW_SECONDS:
            shown = time.perf_counter()
            current = imaging.from_tensor(image).astype(np.float32)
            if preserve_colors:
                current = classical.keep_colours(content, current)
            yield GatysStep(step, steps, blend(content, current, strength), total.item(), style_term.item(),
                            content_term.item(), time.perf_counter() - started, net.name)
