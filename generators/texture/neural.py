"""Gatys, Ecker & Bethge (2015), "Texture Synthesis Using Convolutional Neural Networks", NeurIPS.

A texture is summarised by the Gram matrices (channel correlations, positions averaged away) of a network's
feature maps; synthesis starts from noise and moves the pixels by gradient descent until the output's Gram
matrices match the exemplar's. Gatys et al. used VGG-19 trained on ImageNet; Ustyuzhaninov, Brendel, Gatys &
Bethge (2017), "What does it take to generate natural textures?", ICLR, show that one layer of random filters at
several scales does nearly as well. The random network here applies the same random 5x5 filters to each level
of an image pyramid (a cheap stand-in for their larger filters) and works offline. VGG-19 is used only when
torchvision's ImageNet weight file is already in the local torch hub cache: it is never downloaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from generators import imaging, registry

DEFAULTS = {"network": "auto", "steps": 200, "optimizer": "lbfgs", "learning_rate": 0.02}
NETWORKS = ("auto", "random", "vgg19")
OPTIMIZERS = ("lbfgs", "adam")
RANDOM_NETWORK = "random multi-scale filters (Ustyuzhaninov et al. 2017)"
VGG_NETWORK = "VGG-19, ImageNet weights (Gatys et al. 2015)"
# torchvision's file name for VGG19_Weights.IMAGENET1K_V1 in <torch hub dir>/checkpoints/
VGG_FILE = "vgg19-dcbb9e9d.pth"
# Optimiser steps between two previews.
CHUNK = 5
RANDOM_FILTERS = 128
RANDOM_KERNEL = 5
MAX_SCALES = 5
NETWORK_SEED = 2017
# VGG-19 feature indices of conv1_1 (after ReLU) and pool1..pool4, the layers Gatys et al. match.
VGG_LAYERS = (1, 4, 9, 18, 27)
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

Features = Callable[[torch.Tensor], list[torch.Tensor]]


def vgg19_weights() -> Path | None:
    """torchvision's VGG-19 ImageNet weight file if it is already in the torch hub cache, else None."""
    path = Path(torch.hub.get_dir()) / "checkpoints" / VGG_FILE
    return path if path.is_file() else None


def network_name(choice: str) -> str:
    """The feature network that ``choice`` ("auto", "random" or "vgg19") uses on this machine, in words."""
    if choice == "vgg19" or (choice == "auto" and vgg19_weights() is not None):
        return VGG_NETWORK
    return RANDOM_NETWORK


def _kernel(exemplar: np.ndarray, size: tuple[int, int], *, network: str, steps: int, optimizer: str,
            learning_rate: float, seed: int, previews: bool,
            should_stop: Callable[[], bool] | None = None) -> Iterator[tuple[np.ndarray, int]]:
    """Yield (image, steps done) every CHUNK optimiser steps if ``previews``, else once at the end.
    ``should_stop()``, checked before every evaluation of the loss, ends it at once with a last yield."""
    generator = torch.Generator().manual_seed(seed)
    channels = 1 if exemplar.ndim == 2 else 3
    device = registry.device()
    if network_name(network) == VGG_NETWORK:
        features = _vgg19(device)
    else:
        features = _random_network(channels, min(exemplar.shape[:2] + tuple(size)), device)
    start = imaging.to_tensor(exemplar, device)
    with torch.no_grad():
        targets = [_gram(f) for f in features(start)]
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
        loss = sum(((_gram(f) - t) ** 2).sum() / (t ** 2).sum() for f, t in zip(features(image), targets))
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


def _gram(features: torch.Tensor) -> torch.Tensor:
    """Gatys et al.: G_ij = Σ_k F_ik F_jk over the M positions of a (1, K, H, W) map, divided by M here."""
    flat = features.flatten(2)[0]                                                 # (K, M)
    return flat @ flat.T / flat.shape[1]


def _random_network(channels: int, smallest_side: int, device: str = "cpu") -> Features:
    """One layer of random zero-mean, unit-norm 7x7 filters + ReLU on each level of an image pyramid."""
    generator = torch.Generator().manual_seed(NETWORK_SEED)
    scales = 1
    while scales < MAX_SCALES and smallest_side // 2 ** scales >= 2 * RANDOM_KERNEL:
        scales += 1
    filters = torch.randn(RANDOM_FILTERS, channels, RANDOM_KERNEL, RANDOM_KERNEL, generator=generator)
    filters -= filters.mean(dim=(1, 2, 3), keepdim=True)
    filters /= filters.flatten(1).norm(dim=1).view(-1, 1, 1, 1)
    filters = filters.to(device)

    def features(image: torch.Tensor) -> list[torch.Tensor]:
        level, maps = image - 0.5, []
        for scale in range(scales):
            if scale:
                level = F.avg_pool2d(level, 2)
            maps.append(F.relu(F.conv2d(level, filters)))
        return maps

    return features


def _vgg19(device: str = "cpu") -> Features:
    """VGG-19's convolutional part with torchvision's ImageNet weights from the local cache (max pools -> average
    pools, as Gatys et al. do); ValueError if the weight file is not there."""
    import torchvision

    if vgg19_weights() is None:
        raise ValueError(f"VGG-19 weights are not in the torch hub cache ({Path(torch.hub.get_dir()) / 'checkpoints' / VGG_FILE}); "
                         "use network='random' (works offline), or place torchvision's file there yourself")
    # The file is present, so torchvision reads it from the cache (its own loader) and downloads nothing.
    model = torchvision.models.vgg19(weights=torchvision.models.VGG19_Weights.IMAGENET1K_V1).features[:VGG_LAYERS[-1] + 1]
    layers = [torch.nn.AvgPool2d(2) if isinstance(m, torch.nn.MaxPool2d) else m for m in model]
    model = torch.nn.Sequential(*layers).eval().requires_grad_(False).to(device)
    mean = torch.tensor(IMAGENET_MEAN, device=device).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD, device=device).view(1, 3, 1, 1)

    def features(image: torch.Tensor) -> list[torch.Tensor]:
        x, maps = (image.expand(-1, 3, -1, -1) - mean) / std, []
        for index, layer in enumerate(model):
            x = layer(x)
            if index in VGG_LAYERS:
                maps.append(x)
        return maps

    return features
