"""Feature networks for style losses: a multi-scale random-filter network that needs no download, and
VGG-19 with ImageNet weights when (and only when) torchvision's weight file is already in the local cache.

Random filters are enough for style: He, Wang & Hopcroft (2016, "A powerful generative model using random
weights for the deep image representation") and Ustyuzhaninov, Brendel, Gatys & Bethge (2017, "What does it
take to generate natural textures?") show that Gram matrices of ReLU responses to random multi-scale filters
capture textures and styles; we build the scales as an image pyramid with the same 7x7 filter bank size.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from generators.style import VGG19_FILE, hub_checkpoints, vgg_weights_path

# conv1_1, conv2_1, conv3_1, conv4_1, conv5_1 (style) and conv4_2 (content): indices in vgg19().features.
VGG_STYLE_LAYERS = (0, 5, 10, 19, 28)
VGG_CONTENT_LAYER = 21
# A crop whose feature energy is below this share of the batch mean is normalised as if it had this much.
CONTENT_FLOOR = 0.5


@dataclass(frozen=True)
class Features:
    style: list[torch.Tensor]  # one (N, C, H, W) map per scale, for Gram matrices
    content: torch.Tensor  # (N, C, H, W), for the content loss


class RandomFeatures(nn.Module):
    """ReLU responses of random zero-mean 7x7 filters at each level of a Gaussian pyramid (the filter's reach
    doubles per level: 7, 14, 28, 56, 112 px); ``widths`` filters per level. Deterministic from ``seed``."""

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
    """VGG-19 (Simonyan & Zisserman 2015) with ImageNet weights, Gatys et al.'s layers."""

    name = "VGG-19, ImageNet weights (local torch hub cache)"
    MEAN = (0.485, 0.456, 0.406)
    STD = (0.229, 0.224, 0.225)

    def __init__(self, weights: Path):
        super().__init__()
        from torchvision.models import vgg19

        network = vgg19(weights=None)
        # weights_only=True: torch's restricted unpickler, which refuses anything but tensors and containers.
        state = torch.load(weights, map_location="cpu", weights_only=True)
        network.load_state_dict(state)
        self.layers = network.features[:VGG_STYLE_LAYERS[-1] + 2].eval()  # up to relu5_1
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
            if index - 1 in VGG_STYLE_LAYERS and isinstance(layer, nn.ReLU):
                style.append(x)
            if index - 1 == VGG_CONTENT_LAYER:
                content = x
        return Features(style=style, content=content)


_networks: dict[str, nn.Module] = {}


def network(kind: str = "auto") -> nn.Module:
    """The feature network: "random", "vgg19" (needs the local weight file) or "auto" (VGG-19 if present)."""
    if kind not in ("auto", "random", "vgg19"):
        raise ValueError(f"feature network must be 'auto', 'random' or 'vgg19', got {kind!r}")
    weights = vgg_weights_path()
    if kind == "vgg19" and weights is None:
        raise ValueError(f"VGG-19 weights are not in {hub_checkpoints()} ({VGG19_FILE}): download them once "
                         "with generators.style.fetch_vgg19() (the Stylize tab's VGG-19 choice), or use the "
                         "'random' feature network, which works offline")
    chosen = "vgg19" if kind == "vgg19" or (kind == "auto" and weights is not None) else "random"
    if chosen not in _networks:
        _networks[chosen] = VGGFeatures(weights) if chosen == "vgg19" else RandomFeatures()
    return _networks[chosen]


def gram(maps: torch.Tensor) -> torch.Tensor:
    """Gatys et al. 2016: G_ij = sum_k F_ik F_jk / (H W), one (C, C) matrix per image."""
    n, c, h, w = maps.shape
    flat = maps.reshape(n, c, h * w)  # (N, C, HW)
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
