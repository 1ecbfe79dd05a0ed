"""A learned residual CNN denoiser with a noise-level input, after FFDNet (Zhang, Zuo & Zhang, IEEE TIP 2018)
and DnCNN (Zhang, Zuo, Chen, Meng & Zhang, IEEE TIP 2017).

The noisy image y = x + n, n ~ N(0, sigma^2), is split into four half-resolution sub-images by pixel
unshuffling (FFDNet), a constant map of sigma is appended, a plain stack of 3x3 convolutions and ReLUs
predicts the noise at half resolution, and pixel shuffling puts it back:

    x_hat = y - shuffle(f_theta(unshuffle(y), sigma))          (residual learning, DnCNN)

Working at half resolution makes every convolution four times cheaper and doubles the receptive field, which
is what lets the shipped network train on two CPU cores.

Colour follows CBM3D (Dabov, Foi, Katkovnik & Egiazarian, ICIP 2007): an orthonormal opponent transform
keeps the noise i.i.d., and the luminance Y = (R + G + B) / sqrt(3), scaled to [0, 1] as (R + G + B) / 3,
carries most of the signal at a third of the noise variance (sigma / sqrt(3)). CNNDenoiser on a colour image
denoises Y and each of the two low-contrast chroma channels (shifted by 1/2 into the gray range) as gray
images; ColourDenoiser (the shipped colour model) denoises Y with a luminance network, then each chroma
plane with a network that also sees the denoised Y and the other chroma plane, as CBM3D groups the chroma
by the luminance's block matches.

Precision: where the hardware has fast bfloat16 arithmetic (CPUs with AVX512-BF16 or AMX, recent GPUs), the
network runs under bfloat16 autocast: about twice as fast on such a CPU for about 0.01 dB (bf16=False: float32).

Large images are processed in overlapping tiles whose margin covers the receptive field, so the stitched
result equals the whole-image one (no seams) while memory stays bounded.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

TILE = 256
SIGMA_MAX = 75 / 255  # the noise levels the shipped network was trained on: sigma in [0, 75/255]

# Orthonormal opponent colour transform (rows: luminance, red-green, blue-yellow); O O^T = I, so white
# noise of std sigma in RGB stays white with std sigma in every opponent channel.
OPPONENT = np.array([[1 / np.sqrt(3)] * 3,
                     [1 / np.sqrt(2), 0.0, -1 / np.sqrt(2)],
                     [1 / np.sqrt(6), -2 / np.sqrt(6), 1 / np.sqrt(6)]], dtype=np.float32)
# The planes the gray network denoises: Y / sqrt(3) (in [0, 1], noise sigma / sqrt(3)), C1, C2 (noise sigma).
PLANE_SCALE = np.array([1 / np.sqrt(3), 1.0, 1.0], dtype=np.float32)[:, None, None]


def to_planes(rgb: np.ndarray) -> np.ndarray:
    """RGB float (H, W, 3) -> opponent planes (3, H, W) scaled by PLANE_SCALE."""
    return (rgb @ OPPONENT.T).transpose(2, 0, 1) * PLANE_SCALE


def from_planes(planes: np.ndarray) -> np.ndarray:
    """The inverse of to_planes (O^-1 = O^T)."""
    return (planes / PLANE_SCALE).transpose(1, 2, 0) @ OPPONENT


@dataclass(frozen=True)
class CNNConfig:
    depth: int = 15     # convolution layers in all (FFDNet gray: 15)
    width: int = 64     # feature channels of the hidden layers
    scale: int = 2      # pixel-unshuffle factor (FFDNet: 2)


def _plain_stack(inputs: int, outputs: int, config: CNNConfig) -> nn.Sequential:
    """conv3x3 + ReLU, (depth - 2) x [conv3x3 + ReLU], conv3x3: DnCNN's body without batch norm."""
    w = config.width
    layers: list[nn.Module] = [nn.Conv2d(inputs, w, 3, padding=1), nn.ReLU(inplace=True)]
    for _ in range(config.depth - 2):
        layers += [nn.Conv2d(w, w, 3, padding=1), nn.ReLU(inplace=True)]
    layers.append(nn.Conv2d(w, outputs, 3, padding=1))
    # He et al. 2015 initialisation, std = sqrt(2 / fan_in), keeps activations alive through a deep plain
    # ReLU stack (PyTorch's default shrinks them layer by layer, and the net would start by learning nothing).
    for layer in layers:
        if isinstance(layer, nn.Conv2d):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
    return nn.Sequential(*layers)


def _channels_last(x: torch.Tensor) -> torch.Tensor:
    """x in channels-last memory order (NHWC), the layout oneDNN's CPU convolutions are fastest in (about 1.4x
    in bfloat16 here); the numbers are the same, only their order in memory changes."""
    return x.contiguous(memory_format=torch.channels_last)


def _level_map(sigma: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """sigma (N,) -> a constant map (N, 1, h, w) the size of ``like`` (FFDNet's noise level map)."""
    return sigma.view(-1, 1, 1, 1).expand(-1, 1, *like.shape[-2:]).to(like.dtype)


# The flips and rotations (flip left-right first?, quarter turns) each ensemble size averages over.
ENSEMBLES = {1: [(False, 0)], 2: [(False, 0), (False, 2)], 4: [(False, turns) for turns in range(4)],
             8: [(flip, turns) for flip in (False, True) for turns in range(4)]}


def fast_bf16(device: str) -> bool:
    """Whether ``device`` does bfloat16 convolutions natively (else autocast would emulate them, slower)."""
    try:
        if device.startswith("cuda"):
            return bool(torch.cuda.is_bf16_supported())
        return device == "cpu" and bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def _dihedral_mean(function, stack: np.ndarray, count: int = 8) -> np.ndarray:
    """Geometric self-ensemble (Timofte, Rothe & Van Gool 2016): x_hat = 1/|G| sum_g g^-1(f(g(y))) over the
    ``count`` flips and rotations g of ENSEMBLES (2: two half-turns, 4: the four rotations, 8: all);
    ``function`` maps (C, H, W) -> (C', H, W)."""
    total = None
    for flip, turns in ENSEMBLES[count]:
        view = stack[:, :, ::-1] if flip else stack
        out = np.rot90(function(np.ascontiguousarray(np.rot90(view, turns, axes=(1, 2)))), -turns, axes=(1, 2))
        out = out[:, :, ::-1] if flip else out
        total = out.astype(np.float64) if total is None else total + out
    return (total / count).astype(np.float32)


class _Restorer(nn.Module):
    """What the gray and the colour network share: self-ensembles, bf16 autocast and seamless tiling."""

    config: CNNConfig

    def _runner(self, ensemble: int | bool, bf16: bool | None):
        """run(function, stack): ``function`` on the (C, H, W) ``stack`` under the chosen ensemble and precision."""
        count = 8 if ensemble is True else 1 if ensemble is False else ensemble
        if count not in ENSEMBLES:
            raise ValueError(f"ensemble must be one of {tuple(ENSEMBLES)} (or True for 8), got {ensemble!r}")
        device = self.device
        autocast = torch.autocast(device.split(":")[0], dtype=torch.bfloat16,
                                  enabled=fast_bf16(device) if bf16 is None else bool(bf16))

        def run(function, stack):
            with autocast:
                return _dihedral_mean(function, stack, count) if count > 1 else function(stack)

        return run

    @property
    def device(self) -> str:
        return str(next(self.parameters()).device)

    @property
    def margin(self) -> int:
        """Receptive-field radius in full-resolution pixels: one pixel per 3x3 layer at half resolution."""
        return self.config.depth * self.config.scale

    def config_dict(self) -> dict:
        return asdict(self.config)

    @classmethod
    def from_checkpoint(cls, found, device: str = "cpu"):
        model = cls(CNNConfig(**found.meta["config"]))
        model.load_state_dict({key: torch.from_numpy(value) for key, value in found.arrays.items()})
        return model.to(device, memory_format=torch.channels_last).eval()

    def _tiles(self, run, stack: np.ndarray, tile: int) -> np.ndarray:
        """run: (1, C, h, w) tensor -> (1, C, h, w) tensor, applied to ``stack`` (C, H, W) tile by tile.

        Each tile gets a margin that covers the receptive field, reflected at the image border and rounded
        up to a multiple of the unshuffle factor, so its centre equals the whole-image result: no seams."""
        _, height, width = stack.shape
        margin, s = self.margin, self.config.scale
        out = np.empty(stack.shape, dtype=np.float32)
        for top in range(0, height, tile):
            for left in range(0, width, tile):
                bottom, right = min(top + tile, height), min(left + tile, width)
                t0, l0 = max(top - margin, 0), max(left - margin, 0)
                t1, l1 = min(bottom + margin, height), min(right + margin, width)
                crop = stack[:, t0:t1, l0:l1]
                pad_bottom, pad_right = (-crop.shape[1]) % s, (-crop.shape[2]) % s
                pad = ((top - t0 < margin) * margin, (t1 - bottom < margin) * margin + pad_bottom,
                       (left - l0 < margin) * margin, (l1 - right < margin) * margin + pad_right)
                padded = np.pad(crop, ((0, 0), (pad[0], pad[1]), (pad[2], pad[3])), mode="symmetric")
                x = torch.from_numpy(np.ascontiguousarray(padded, dtype=np.float32)).to(self.device)[None]
                y = run(x)[0].float().cpu().numpy()                                 # (C, h, w)
                r0, c0 = pad[0] + top - t0, pad[2] + left - l0
                out[:, top:bottom, left:right] = y[:, r0:r0 + bottom - top, c0:c0 + right - left]
        return out


class CNNDenoiser(_Restorer):
    """The gray network: noisy (N, 1, H, W) and sigma (N,) -> denoised (N, 1, H, W)."""

    def __init__(self, config: CNNConfig = CNNConfig()):
        super().__init__()
        self.config = config
        s2 = config.scale ** 2
        self.body = _plain_stack(s2 + 1, s2, config)

    def forward(self, noisy: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        """noisy (N, 1, H, W) with H, W multiples of ``scale``; sigma (N,) on the [0, 1] scale."""
        s = self.config.scale
        sub = F.pixel_unshuffle(noisy, s)                                           # (N, s*s, H/s, W/s)
        noise = self.body(_channels_last(torch.cat([sub, _level_map(sigma, sub)], dim=1)))   # (N, s*s, H/s, W/s)
        # DnCNN residual learning: x_hat = y - R(y), with R trained to predict the noise.
        return noisy - F.pixel_shuffle(noise, s)                                    # (N, 1, H, W)

    @torch.no_grad()
    def restore(self, image: np.ndarray, sigma: float, *, tile: int = TILE, ensemble: int | bool = 1,
                bf16: bool | None = None) -> np.ndarray:
        """Denoise a float image (H, W) or (H, W, 3) with noise std ``sigma`` ([0, 1] scale); unclipped.

        ``ensemble``: average over 1, 2, 4 or 8 flips and rotations of the image (True: 8), about 0.1-0.2 dB
        more for that many times the work. ``bf16``: bfloat16 autocast (None: where it is fast, fast_bf16)."""
        run = self._runner(ensemble, bf16)
        if image.ndim == 2:
            return run(lambda stack: self._gray(stack, sigma, tile), image[None])[0]
        # Without a chroma network (ColourDenoiser), every opponent plane is denoised as a gray image.
        planes = to_planes(image)                                                   # (3, H, W): Y, C1, C2
        # Y / sqrt(3) = (R + G + B) / 3 lies in [0, 1], like a gray image, with noise sigma / sqrt(3).
        luma = run(lambda stack: self._gray(stack, sigma / np.sqrt(3), tile), planes[:1])
        colour = run(lambda stack: self._gray(stack + 0.5, sigma, tile) - 0.5, planes[1:])   # (2, H, W)
        return from_planes(np.concatenate([luma, colour]))

    def _gray(self, stack: np.ndarray, sigma: float, tile: int) -> np.ndarray:
        """Each plane of ``stack`` (C, H, W), denoised as a gray image: the planes go through as one batch."""
        level = torch.full((len(stack),), min(float(sigma), SIGMA_MAX), dtype=torch.float32, device=self.device)
        return self._tiles(lambda x: self(x.transpose(0, 1), level).transpose(0, 1), stack, tile)


class ColourDenoiser(_Restorer):
    """The colour network: a luminance network denoises Y, then a chroma network that also sees the denoised
    luminance and the other chroma plane denoises each of C1, C2.

    CBM3D denoises the chroma with the groups of similar blocks found in the luminance (Dabov et al. 2007),
    because a photograph's colour edges sit where its brightness edges are and the luminance is the cleaner
    signal. Here that guidance is learned: the chroma network gets the half-resolution chroma plane (shifted
    by 1/2), its noise-level map, the half-resolution denoised luminance and the other chroma plane, and
    predicts the chroma noise,

        c_hat = c - shuffle(g_theta(unshuffle(c), sigma, unshuffle(y_hat), unshuffle(c')))
        y_hat = y - shuffle(f_phi(unshuffle(y), sigma / sqrt(3))).

    ``from_gray`` starts both f_phi and g_theta as copies of the gray network, g_theta with zero weights on
    the extra inputs: exactly the per-plane result of CNNDenoiser. Training on colour patches
    (generators.train.bsds_cnn_colour) then tunes f_phi to colour luminance and g_theta to chroma.
    """

    GUIDES = 2      # extra planes the chroma network sees: the denoised luminance and the other chroma plane

    def __init__(self, config: CNNConfig = CNNConfig()):
        super().__init__()
        self.config = config
        s2 = config.scale ** 2
        self.luma = CNNDenoiser(config)
        self.chroma = _plain_stack((1 + self.GUIDES) * s2 + 1, s2, config)

    @classmethod
    def from_gray(cls, gray: CNNDenoiser) -> "ColourDenoiser":
        model = cls(gray.config)
        model.luma.load_state_dict(gray.state_dict())
        state = {key: value.detach().clone() for key, value in gray.body.state_dict().items()}
        first = state["0.weight"]                                                   # (width, s*s + 1, 3, 3)
        extra = torch.zeros(first.shape[0], cls.GUIDES * gray.config.scale ** 2, *first.shape[2:], dtype=first.dtype)
        state["0.weight"] = torch.cat([first, extra], dim=1)
        model.chroma.load_state_dict(state)
        return model.to(gray.device)

    def forward(self, chroma: torch.Tensor, guide: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        """chroma (N, 1, H, W) a chroma plane + 1/2; guide (N, 2, H, W) the denoised luminance plane (Y / sqrt 3)
        and the other (noisy) chroma plane + 1/2; sigma (N,) the chroma's noise std -> denoised chroma (N, 1, H, W)."""
        s = self.config.scale
        sub = F.pixel_unshuffle(chroma, s)                                          # (N, s*s, H/s, W/s)
        features = torch.cat([sub, _level_map(sigma, sub), F.pixel_unshuffle(guide.to(sub.dtype), s)], dim=1)
        return chroma - F.pixel_shuffle(self.chroma(_channels_last(features)), s)

    @torch.no_grad()
    def restore(self, image: np.ndarray, sigma: float, *, tile: int = TILE, ensemble: int | bool = 1,
                bf16: bool | None = None) -> np.ndarray:
        """As CNNDenoiser.restore; a gray image goes to the luminance network alone."""
        if image.ndim == 2:
            return self.luma.restore(image, sigma, tile=tile, ensemble=ensemble, bf16=bf16)
        run = self._runner(ensemble, bf16)
        return from_planes(run(lambda planes: self._planes(planes, sigma, tile), to_planes(image)))

    def _planes(self, planes: np.ndarray, sigma: float, tile: int) -> np.ndarray:
        """Noisy opponent planes (3, H, W) -> denoised: the luminance first, then the chroma guided by it."""
        luma = self.luma._gray(planes[:1], sigma / np.sqrt(3), tile)                # (1, H, W)
        level = torch.full((2,), min(float(sigma), SIGMA_MAX), dtype=torch.float32, device=self.device)

        def chroma(x):                                                              # (1, 3, h, w): C1, C2, Y_hat
            return torch.cat([self.chroma_pair(x[0, :2], x[0, 2], level), x[:, 2:]], dim=1)

        out = self._tiles(chroma, np.concatenate([planes[1:] + 0.5, luma]), tile)
        return np.concatenate([luma, out[:2] - 0.5])

    def chroma_pair(self, pair: torch.Tensor, luma: torch.Tensor, level: torch.Tensor) -> torch.Tensor:
        """Both chroma planes of one image, pair (2, h, w) (+ 1/2), with its denoised luminance (h, w) and the
        noise std of each (2,) -> (1, 2, h, w), the two planes going through as a batch of two."""
        guide = torch.stack([torch.stack([luma, pair[1]]), torch.stack([luma, pair[0]])])    # (2, 2, h, w)
        return self(pair[:, None], guide, level).float().transpose(0, 1)
