"""Gatys, Ecker & Bethge (2015), "Texture Synthesis Using Convolutional Neural Networks", NeurIPS.

A texture is summarised by the Gram matrices (channel correlations, positions averaged away) of a network's
feature maps; synthesis starts from noise and moves the pixels by gradient descent until the output's Gram
matrices match the exemplar's. Gatys et al. used VGG-19 trained on ImageNet; Ustyuzhaninov, Brendel, Gatys &
Bethge (2017), "What does it take to generate natural textures?", ICLR, show that one layer of random filters at
several scales does nearly as well. The random network here (generators.features.RandomFeatures) applies
random 5x5 filters to each level of an image pyramid (a cheap stand-in for their larger filters) and works
offline. VGG-19 is used only when
torchvision's ImageNet weight file is already in the local torch hub cache: it is never downloaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import torch

from generators import features, imaging, vgg19

DEFAULTS = {"network": "auto", "steps": 200, "optimizer": "lbfgs", "learning_rate": 0.02}
OPTIMIZERS = ("lbfgs", "adam")
RANDOM_NETWORK = "random multi-scale filters (Ustyuzhaninov et al. 2017)"
VGG_NETWORK = "VGG-19, ImageNet weights (Gatys et al. 2015)"
# Optimiser steps between two previews.
CHUNK = 5
RANDOM_FILTERS = 128
RANDOM_KERNEL = 5
MAX_SCALES = 5
NETWORK_SEED = 2017

Maps = Callable[[torch.Tensor], list[torch.Tensor]]


def network_name(choice: str) -> str:
    """The feature network that ``choice`` ("auto", "random" or "vgg19") uses on this machine, in words."""
    return VGG_NETWORK if vgg19.chosen(choice) else RANDOM_NETWORK


def _kernel(exemplar: np.ndarray, size: tuple[int, int], *, network: str, steps: int, optimizer: str,
            learning_rate: float, seed: int, previews: bool, device: str = "cpu",
            should_stop: Callable[[], bool] | None = None) -> Iterator[tuple[np.ndarray, int]]:
    """Yield (image, steps done) every CHUNK optimiser steps if ``previews``, else once at the end.
    ``should_stop()``, checked before every evaluation of the loss, ends it at once with a last yield."""
    generator = torch.Generator().manual_seed(seed)
    channels = 1 if exemplar.ndim == 2 else 3
    maps = _network(network, min(exemplar.shape[:2] + tuple(size)), device)
    start = imaging.to_tensor(exemplar, device)
    with torch.no_grad():
        targets = [features.gram(f) for f in maps(start)]
    # start from noise around the exemplar's mean colour
    mean = start.mean(dim=(2, 3), keepdim=True)
    noise = torch.randn((1, channels) + tuple(size), generator=generator).to(device)  # CPU draw: same seed, same start
    image = (mean + 0.1 * noise).clamp(0, 1)
    image.requires_grad_(True)
    solver = (torch.optim.LBFGS([image], lr=1, max_iter=CHUNK, history_size=20) if optimizer == "lbfgs"
              else torch.optim.Adam([image], lr=learning_rate))

    def loss_and_gradient() -> torch.Tensor:
        if should_stop is not None and should_stop():
            raise _Stopped
        with torch.no_grad():
            image.clamp_(0, 1)
        solver.zero_grad()
        # Gatys et al.: L = Σ_l w_l ‖G_l(x) − G_l(exemplar)‖²_F, with w_l = 1 / ‖G_l(exemplar)‖²_F here
        loss = sum(((features.gram(f) - t) ** 2).sum() / (t ** 2).sum() for f, t in zip(maps(image), targets))
        loss.backward()
        return loss

    done = 0
    while done < steps:
        chunk = min(CHUNK, steps - done)
        try:
            if optimizer == "lbfgs":
                solver.param_groups[0]["max_iter"] = chunk
                solver.step(loss_and_gradient)
            else:
                for _ in range(chunk):
                    loss_and_gradient()
                    solver.step()
        except _Stopped:
            yield np.clip(imaging.from_tensor(image.detach()), 0.0, 1.0).astype(np.float32), done
            return
        done += chunk
        if previews or done >= steps:
            yield np.clip(imaging.from_tensor(image), 0.0, 1.0).astype(np.float32), done


class _Stopped(Exception):
    """should_stop() said so during an optimiser step."""


def _network(choice: str, smallest_side: int, device: str) -> Maps:
    """The Gram layers' maps of a (1, channels, H, W) image: VGG-19 at Gatys et al.'s texture layers, or one
    layer of RANDOM_FILTERS random 5x5 filters + ReLU on as many pyramid levels as the smallest side allows."""
    if vgg19.chosen(choice):
        net = features.vgg(features.TEXTURE_LAYERS)
    else:
        scales = 1
        while scales < MAX_SCALES and smallest_side // 2 ** scales >= 2 * RANDOM_KERNEL:
            scales += 1
        net = features.RandomFeatures(widths=(RANDOM_FILTERS,) * scales, kernel=RANDOM_KERNEL, content_level=0,
                                      seed=NETWORK_SEED)
    net = net.to(device)

    def maps(image: torch.Tensor) -> list[torch.Tensor]:
        return net(image.expand(-1, 3, -1, -1)).style  # a grey image is seen as three equal channels

    return maps
