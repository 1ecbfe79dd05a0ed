"""Feature networks for style and texture losses, and the Gram matrix they are compared by: a multi-scale
random-filter network that needs no download, and VGG-19 with ImageNet weights when (and only when)
torchvision's weight file is already in the local torch hub cache (generators.vgg19; never downloaded here).

Random filters are enough for style: He, Wang & Hopcroft (2016, "A powerful generative model using random
weights for the deep image representation") and Ustyuzhaninov, Brendel, Gatys & Bethge (2017, "What does it
take to generate natural textures?") show that Gram matrices of ReLU responses to random multi-scale filters
capture textures and styles; we build the scales as an image pyramid with the same 7x7 filter bank size.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from generators import vgg19

# Indices in torchvision's vgg19().features of the layers whose outputs are taken.
# Gatys et al. 2016 (style): relu1_1, relu2_1, relu3_1, relu4_1, relu5_1; content relu4_2.
STYLE_LAYERS = (1, 6, 11, 20, 29)
CONTENT_LAYER = 22
# Gatys et al. 2015 (texture): relu1_1, pool1, pool2, pool3, pool4.
TEXTURE_LAYERS = (1, 4, 9, 18, 27)
# A crop whose feature energy is below this share of the batch mean is normalised as if it had this much.
CONTENT_FLOOR = 0.5


@dataclass(frozen=True)
class Features:
    style: list[torch.Tensor]  # one (N, C, H, W) map per scale, for Gram matrices
    content: torch.Tensor  # (N, C, H, W), for the content loss


class RandomFeatures(nn.Module):
    """ReLU responses of random zero-mean ``kernel`` x ``kernel`` filters (7x7 by default) at each level of a
    Gaussian pyramid (the filter's reach doubles per level: 7, 14, 28, 56, 112 px); ``widths`` filters per
    level. Deterministic from ``seed``."""

    name = "random multi-scale filters (offline)"

    def __init__(self, *, widths: tuple[int, ...] = (32, 48, 64, 64, 64), kernel: int = 7, content_level: int = 2,
                 seed: int = 0):
        super().__init__()
        generator = torch.Generator().manual_seed(seed)
        for level, width in enumerate(widths):
            weight = torch.randn(width, 3, kernel, kernel, generator=generator)
            weight = weight - weight.mean(dim=(1, 2, 3), keepdim=True)
            self.register_buffer(f"bank{level}", weight / weight.flatten(1).norm(dim=1)[:, None, None, None])
        binomial = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0]) / 16.0
        self.register_buffer("blur", (binomial[:, None] * binomial[None, :]).expand(3, 1, 5, 5).contiguous())
        self.levels = len(widths)
        self.content_level = content_level
        self.requires_grad_(False)

    def forward(self, image: torch.Tensor) -> Features:
        x = (image - 0.5) * 4.0
        maps = []
        for level in range(self.levels):
            if level:
                # Burt & Adelson 1983: x_{l+1} = (binomial blur * x_l) subsampled by 2; smooth in both directions
                x = F.conv2d(_pad(x, 2), self.blur, stride=2, groups=3)
            weight = getattr(self, f"bank{level}")
            # Ustyuzhaninov et al. 2017: F_l = ReLU(W_l * x_l), x_l the image at scale 2^-l
            maps.append(F.relu(F.conv2d(_pad(x, weight.shape[-1] // 2), weight)))
        return Features(style=maps, content=maps[self.content_level])


def _pad(x: torch.Tensor, width: int) -> torch.Tensor:
    """Mirror padding, or edge replication where the map is too small to mirror (the coarsest levels)."""
    return F.pad(x, [width] * 4, mode="reflect" if min(x.shape[-2:]) > width else "replicate")


class VGGFeatures(nn.Module):
    """VGG-19 (Simonyan & Zisserman 2015) with ImageNet weights; the outputs of ``layers`` (indices in
    vgg19().features) are the style maps, that of ``content_layer`` the content map."""

    name = "VGG-19, ImageNet weights (local torch hub cache)"
    MEAN = (0.485, 0.456, 0.406)
    STD = (0.229, 0.224, 0.225)

    def __init__(self, weights: Path, *, layers: tuple[int, ...] = STYLE_LAYERS, content_layer: int = CONTENT_LAYER):
        super().__init__()
        from torchvision.models import vgg19 as build_vgg19

        network = build_vgg19(weights=None)
        # weights_only=True: torch's restricted unpickler, which refuses anything but tensors and containers.
        state = torch.load(weights, map_location="cpu", weights_only=True)
        network.load_state_dict(state)
        self.style_layers, self.content_layer = tuple(layers), content_layer
        self.layers = network.features[:max(layers + (content_layer,)) + 1].eval()
        for index, layer in enumerate(self.layers):
            if isinstance(layer, nn.MaxPool2d):
                # Gatys et al. 2016: average pooling gives smoother gradients than max pooling.
                self.layers[index] = nn.AvgPool2d(2, ceil_mode=True)
        self.register_buffer("mean", torch.tensor(self.MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(self.STD).view(1, 3, 1, 1))
        self.requires_grad_(False)

    def forward(self, image: torch.Tensor) -> Features:
        x = (image - self.mean) / self.std
        style, content = [], None
        for index, layer in enumerate(self.layers):
            x = layer(x)
            if index in self.style_layers:
                style.append(x)
            if index == self.content_layer:
                content = x
        return Features(style=style, content=content)


@functools.cache
def vgg(layers: tuple[int, ...] = STYLE_LAYERS) -> VGGFeatures:
    """VGG-19 from the local weight file, loaded once per set of layers; ValueError naming the fix without it."""
    weights = vgg19.weights_path()
    if weights is None:
        raise ValueError(f"VGG-19 weights are not in {vgg19.hub_checkpoints()} ({vgg19.FILE}): download them "
                         "once with generators.vgg19.fetch() (the Stylize tab's VGG-19 choice), or use the "
                         "'random' feature network, which works offline")
    return VGGFeatures(weights, layers=layers)


@functools.cache
def _random() -> RandomFeatures:
    return RandomFeatures()


def network(kind: str = "auto") -> nn.Module:
    """The style feature network: "random", "vgg19" (needs the local weight file) or "auto" (VGG-19 if present)."""
    return vgg() if vgg19.chosen(kind) else _random()


def gram(maps: torch.Tensor) -> torch.Tensor:
    """One (C, C) Gram matrix per image of (N, C, H, W) feature maps: channel correlations, positions summed away."""
    n, c, h, w = maps.shape
    flat = maps.reshape(n, c, h * w)  # (N, C, M), M = H W positions
    # Gatys, Ecker & Bethge 2015 (texture) and 2016 (style): G^l_ij = sum_k F^l_ik F^l_jk, divided by M here
    return flat @ flat.transpose(1, 2) / (h * w)


def style_loss(grams: list[torch.Tensor], targets: list[torch.Tensor]) -> torch.Tensor:
    """Mean over scales of ||G_l - A_l||^2 / ||A_l||^2 (relative, so every scale and network weighs alike)."""
    terms = [((g - a) ** 2).sum(dim=(1, 2)) / (a ** 2).sum(dim=(1, 2)).clamp_min(1e-12) for g, a in zip(grams, targets)]
    return torch.stack(terms).mean(dim=0)


def content_loss(maps: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """mean (F(x) - F(c))^2 / max(mean F(c)^2, floor) per image: Gatys et al.'s content loss made scale-free;
    the floor keeps flat crops (a clear sky) from dominating a batch."""
    dims = (1, 2, 3)
    energy = (target ** 2).mean(dim=dims)
    return ((maps - target) ** 2).mean(dim=dims) / energy.clamp_min(CONTENT_FLOOR * energy.mean().detach() + 1e-12)
