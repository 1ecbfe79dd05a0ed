"""The two judges of digit samples. Their penultimate features feed the Fréchet distance, their predictions
count the classes a sampler draws. Two judges of different architectures, trained on different digits, keep
the measure honest: one (``LeNet``, mnist-lenet) selects checkpoints during training, the other
(``AllConvNet``, mnist-allconv) only reports, so no model is chosen by the judge that scores it.

- LeNet-5 (LeCun, Bottou, Bengio & Haffner 1998): 5x5 convolutions, max-pooling, 84-d embedding.
- An all-convolutional net (Springenberg, Dosovitskiy, Brox & Riedmiller 2015): 3x3 convolutions with
  batch norm (Ioffe & Szegedy 2015), strided instead of pooled, global average pooling to a 128-d embedding.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from generators.imaging import validate_digits


class DigitJudge(nn.Module):
    """A classifier of 28x28 digits made of ``features`` (the embedding) and ``head`` (the class logits)."""

    features: nn.Module
    head: nn.Module

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))

    @property
    def device(self) -> str:
        return str(next(self.parameters()).device)

    @classmethod
    def from_checkpoint(cls, found, device: str = "cpu") -> "DigitJudge":
        model = cls()
        model.load_state_dict({key: torch.from_numpy(value) for key, value in found.arrays.items()})
        return model.to(device).eval()

    def _batches(self, images: np.ndarray, batch: int = 1000):
        images = validate_digits(images)
        with torch.inference_mode():
            for start in range(0, len(images), batch):
                chunk = torch.from_numpy(images[start:start + batch, None]).to(self.device)
                yield self.features(chunk)

    def embed(self, images: np.ndarray) -> np.ndarray:
        """float32 (n, 28, 28) in [0, 1] -> float64 (n, k) penultimate features."""
        return np.concatenate([f.double().cpu().numpy() for f in self._batches(images)])

    def class_probabilities(self, images: np.ndarray) -> np.ndarray:
        """float32 (n, 28, 28) in [0, 1] -> float64 (n, 10) softmax probabilities of the ten digits."""
        return np.concatenate([torch.softmax(self.head(f), 1).double().cpu().numpy() for f in self._batches(images)])

    def predict(self, images: np.ndarray) -> np.ndarray:
        """float32 (n, 28, 28) in [0, 1] -> int64 (n,) predicted digit classes."""
        return np.concatenate([self.head(f).argmax(1).cpu().numpy() for f in self._batches(images)])


class LeNet(DigitJudge):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),   # (N, 6, 14, 14)
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),             # (N, 16, 5, 5)
            nn.Flatten(),                                                 # (N, 400)
            nn.Linear(400, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),                               # (N, 84): the embedding
        )
        self.head = nn.Linear(84, 10)


def _block(inputs: int, outputs: int, stride: int = 1) -> list[nn.Module]:
    return [nn.Conv2d(inputs, outputs, 3, stride, 1, bias=False), nn.BatchNorm2d(outputs), nn.ReLU()]


class AllConvNet(DigitJudge):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            *_block(1, 32), *_block(32, 32, 2),                          # (N, 32, 14, 14)
            *_block(32, 64), *_block(64, 64, 2),                         # (N, 64, 7, 7)
            *_block(64, 128),                                            # (N, 128, 7, 7)
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),                       # (N, 128): the embedding
        )
        self.head = nn.Linear(128, 10)
