"""Getting the training data onto a new machine: ``python -m generators.datasets fetch bsds500|mnist``.

Online, the archive is downloaded from its official source, its checksum checked, and it is laid out where
generators.datasets looks (``data_home()``). Offline, the message says which file to fetch by hand, where to
put it, and the ``--archive`` command that lays it out. Nothing here runs at import time or in the app.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# Arbelaez, Maire, Fowlkes & Malik, "Contour Detection and Hierarchical Image Segmentation", TPAMI 2011.
BSDS500_URL = "http://www.eecs.berkeley.edu/Research/Projects/CS/vision/grouping/BSR/BSR_bsds500.tgz"
BSDS_MEMBERS = "BSR/BSDS500/data/images"
BSDS_SPLITS = ("train", "test")  # 200 + 200 = the 400 photographs of "Train400"; val (100) is left out
# sha256 of `sha256sum *.jpg` over the 400 laid-out photographs: the copy the shipped checkpoints trained on.
BSDS400_SHA256 = "76e4e2d8a5cca48eea7efc7cd48acb757709880b75b3f6b199481eb23164aa72"
BSDS400_COUNT = 400

# LeCun, Cortes & Burges; the checksums are the md5 sums published with the files (as torchvision uses them).
MNIST_URLS = ("http://yann.lecun.com/exdb/mnist/", "https://ossci-datasets.s3.amazonaws.com/mnist/")
MNIST_MD5 = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
TIMEOUT_S = 30


class FetchError(RuntimeError):
    """The data could not be fetched or laid out; the message says what to do by hand."""


@dataclass(frozen=True)
class Layout:
    folder: Path
    files: int


def _digest(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bsds_listing_sha256(folder: Path) -> str:
    """The same value as ``sha256sum *.jpg | sha256sum`` run in ``folder``."""
    lines = "".join(f"{_digest(path, 'sha256')}  {path.name}\n" for path in sorted(folder.glob("*.jpg")))
    return hashlib.sha256(lines.encode()).hexdigest()


def download(url: str, target: Path, *, sha256_prefix: str | None = None) -> None:
    """Download ``url`` to ``target`` via a .part file, so an interrupted or rejected download leaves nothing;
    a stalled connection fails after TIMEOUT_S. ``sha256_prefix``: the file's sha256 must start with it."""
    part = target.with_name(target.name + ".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response, open(part, "wb") as stream:
            shutil.copyfileobj(response, stream)
        if sha256_prefix is not None and not _digest(part, "sha256").startswith(sha256_prefix):
            raise FetchError(f"{url} did not match its sha256 (expected it to start with {sha256_prefix})")
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)


def layout_bsds(archive: Path, home: Path, *, expected_sha256: str | None) -> Layout:
    """Extract the train and test photographs of BSR_bsds500.tgz into ``home/bsds400`` (flat, as trainers read
    them), then check the 400 files against ``expected_sha256`` (None skips the check, for test archives)."""
    archive, target = Path(archive), Path(home) / "bsds400"
    if not archive.is_file():
        raise FetchError(f"{archive} does not exist: download {BSDS500_URL} there first")
    Path(home).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".bsds400-", dir=home))
    try:
        count = 0
        folders = {f"{BSDS_MEMBERS}/{split}" for split in BSDS_SPLITS}
        try:
            with tarfile.open(archive) as tar:
                for member in tar.getmembers():
                    path = PurePosixPath(member.name)
                    if member.isfile() and path.suffix == ".jpg" and str(path.parent) in folders:
                        (staging / path.name).write_bytes(tar.extractfile(member).read())
                        count += 1
        except (tarfile.TarError, EOFError, OSError) as error:
            raise FetchError(f"{archive} is not a readable .tgz ({error}): delete it and download {BSDS500_URL} "
                             "again") from None
        if count == 0:
            raise FetchError(f"{archive} holds no {BSDS_MEMBERS}/{{train,test}}/*.jpg: is it BSR_bsds500.tgz "
                             f"from {BSDS500_URL}?")
        if expected_sha256 is not None:
            found = bsds_listing_sha256(staging)
            if found != expected_sha256:
                raise FetchError(f"{archive} gave {count} photographs whose sha256 listing is {found}, not the "
                                 f"expected {expected_sha256} ({BSDS400_COUNT} files): the archive is damaged or "
                                 f"not BSR_bsds500.tgz; delete it and download {BSDS500_URL} again")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Layout(target, count)


def offline_bsds(home: Path, reason: str) -> str:
    archive = Path(home) / "BSR_bsds500.tgz"
    return (f"Could not download BSDS500 ({reason}).\n"
            f"On a machine with internet, fetch {BSDS500_URL},\n"
            f"put it at {archive}, then run:\n"
            f"  python -m generators.datasets fetch bsds500 --archive {archive}")


def fetch_bsds(home: Path, *, archive: Path | None = None, url: str = BSDS500_URL) -> Layout:
    """Lay out BSDS500's 400 train+test photographs under ``home/bsds400``, downloading the archive unless
    ``archive`` (a file downloaded by hand) is given."""
    home = Path(home)
    if archive is None:
        archive = home / "BSR_bsds500.tgz"
        if not archive.is_file():
            try:
                download(url, archive)
            except (OSError, FetchError) as error:
                raise FetchError(offline_bsds(home, str(error))) from None
    return layout_bsds(archive, home, expected_sha256=BSDS400_SHA256)


def offline_mnist(home: Path, reason: str) -> str:
    folder = Path(home) / "mnist"
    names = "\n".join(f"  {MNIST_URLS[0]}{name}  (md5 {md5})" for name, md5 in MNIST_MD5.items())
    return (f"Could not download MNIST ({reason}).\n"
            f"On a machine with internet, fetch these four files (or the same names from {MNIST_URLS[1]}):\n"
            f"{names}\n"
            f"put them in {folder}/, then run:\n"
            f"  python -m generators.datasets fetch mnist --archive {folder}")


def fetch_mnist(home: Path, *, archive: Path | None = None, urls: tuple[str, ...] = MNIST_URLS) -> Layout:
    """Put the four MNIST files (70,000 digits) in ``home/mnist``, each checked against its published md5;
    ``archive`` is a folder where they were downloaded by hand."""
    folder = Path(home) / "mnist"
    source = Path(archive) if archive is not None else folder
    for name, md5 in MNIST_MD5.items():
        path = source / name
        if not path.is_file():
            if archive is not None:
                raise FetchError(f"{path} is missing: {offline_mnist(home, 'files missing')}")
            _download_first(urls, name, path, home)
        if _digest(path, "md5") != md5:
            raise FetchError(f"{path} has the wrong md5 (expected {md5}): delete it and fetch it again")
        if source != folder:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, folder / name)
    return Layout(folder, len(MNIST_MD5))


def _download_first(urls: tuple[str, ...], name: str, target: Path, home: Path) -> None:
    reasons = []
    for base in urls:
        try:
            download(base + name, target)
            return
        except (OSError, FetchError) as error:
            reasons.append(f"{base}: {error}")
    raise FetchError(offline_mnist(home, "; ".join(reasons)))


def read_idx(path: Path):
    """An IDX file (MNIST's format, gzip-compressed) as a numpy array."""
    import numpy as np

    with gzip.open(path, "rb") as stream:
        data = stream.read()
    dims = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
