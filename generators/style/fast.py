"""Feed-forward style networks (Johnson, Alahi & Fei-Fei 2016, "Perceptual losses for real-time style
transfer") with instance normalisation (Ulyanov, Vedaldi & Lempitsky 2016): one forward pass per image.

GenLab's networks are slimmer than Johnson's (widths 16/32/64, 3 residual blocks and 5x5 outer convolutions instead of 32/64/128, 5 and 9x9),
and upsample by nearest-neighbour + convolution (Odena et al. 2016) to avoid checkerboard artefacts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from generators import imaging


@dataclass(frozen=True)
class NetConfig:
    widths: tuple[int, int, int] = (16, 32, 64)
    blocks: int = 3
    outer_kernel: int = 9
    upsample: str = "nearest"  # "nearest" or "bilinear": the resize before each upsampling convolution


SLIM = NetConfig(widths=(16, 32, 64), blocks=3, outer_kernel=5, upsample="bilinear")
# Johnson et al. 2016, supplementary Table 1: 32/64/128 channels, 5 residual blocks, 9x9 outer convolutions.
JOHNSON = NetConfig(widths=(32, 64, 128), blocks=5, outer_kernel=9)


def _conv(cin: int, cout: int, kernel: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, kernel, stride, padding=kernel // 2, padding_mode="reflect")


def _conv_norm_relu(cin: int, cout: int, kernel: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(_conv(cin, cout, kernel, stride), nn.InstanceNorm2d(cout, affine=True), nn.ReLU())


class _Residual(nn.Module):
    def __init__(self, width: int):
        super().__init__()
        self.body = nn.Sequential(_conv_norm_relu(width, width, 3), _conv(width, width, 3),
                                  nn.InstanceNorm2d(width, affine=True))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # He et al. 2016: y = x + F(x)
        return x + self.body(x)


class _Up(nn.Module):
    def __init__(self, cin: int, cout: int, mode: str):
        super().__init__()
        self.conv = _conv_norm_relu(cin, cout, 3)
        self.mode = mode

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Odena et al. 2016: resize, then convolve; every output pixel sees the same number of kernel taps.
        resized = F.interpolate(x, scale_factor=2, mode=self.mode, **({} if self.mode == "nearest" else
                                                                     {"align_corners": False}))
        return self.conv(resized)


class StyleNet(nn.Module):
    """Image (N, 3, H, W) in [0, 1] -> stylised image of the same size in [0, 1]."""

    def __init__(self, config: NetConfig = SLIM):
        super().__init__()
        a, b, c = config.widths
        k = config.outer_kernel
        self.config = config
        self.body = nn.Sequential(
            _conv_norm_relu(3, a, k), _conv_norm_relu(a, b, 3, 2), _conv_norm_relu(b, c, 3, 2),
            *[_Residual(c) for _ in range(config.blocks)],
            _Up(c, b, config.upsample), _Up(b, a, config.upsample), _conv(a, 3, k),
        )

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        height, width = image.shape[-2:]
        # Two stride-2 stages: pad to a multiple of 4, and to at least 8 so the 2x2 bottleneck can be mirrored.
        pad_h, pad_w = max(8, height + (-height) % 4) - height, max(8, width + (-width) % 4) - width
        x = F.pad(image, [0, pad_w, 0, pad_h], mode="replicate") if pad_h or pad_w else image
        return torch.sigmoid(self.body(x))[..., :height, :width]

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())


class FastStyle:
    """A trained StyleNet loaded from its checkpoint, with ``apply(content) -> stylised`` on contract images."""

    def __init__(self, net: StyleNet, meta: dict, device: str = "cpu"):
        self.net = net.to(device).eval()
        self.meta = meta
        self.device = device

    @classmethod
    def from_checkpoint(cls, found, device: str) -> "FastStyle":
        net = StyleNet(config_from_dict(found.meta["config"]))
        net.load_state_dict({key: torch.from_numpy(value) for key, value in found.arrays.items()})
        return cls(net, found.meta, device)

    @torch.inference_mode()
    def apply(self, content: np.ndarray) -> np.ndarray:
        out = self.net(imaging.to_tensor(content, self.device))
        return imaging.from_tensor(out).astype(np.float32)


def config_to_dict(config: NetConfig) -> dict:
    return {**asdict(config), "widths": list(config.widths)}


def config_from_dict(values: dict) -> NetConfig:
    return NetConfig(widths=tuple(values["widths"]), blocks=int(values["blocks"]),
                     outer_kernel=int(values["outer_kernel"]), upsample=str(values.get("upsample", "nearest")))
