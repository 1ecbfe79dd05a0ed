"""torchvision's VGG-19 ImageNet weight file: where it lives in the local torch hub cache, whether the host lets
GenLab download it, and that one download. Imports no torch, so the app can ask before anything loads;
generators.features builds the network from the file."""

from __future__ import annotations

import os
from pathlib import Path

FILE = "vgg19-dcbb9e9d.pth"
URL = f"https://download.pytorch.org/models/{FILE}"  # torchvision's VGG19_Weights.IMAGENET1K_V1
MB = 548
ENV = "GENLAB_VGG19"
# The feature-network choices of style and texture: VGG-19, the offline random filters, or VGG-19 where cached.
NETWORKS = ("auto", "random", "vgg19")


def hub_checkpoints() -> Path:
    """torch.hub's weight cache, found as torch.hub.get_dir() does ($TORCH_HOME, else $XDG_CACHE_HOME/torch)
    without importing torch."""
    home = os.environ.get("TORCH_HOME") or os.path.join(os.environ.get("XDG_CACHE_HOME", "~/.cache"), "torch")
    return Path(home).expanduser() / "hub" / "checkpoints"


def weights_path() -> Path | None:
    """The weight file if it is already in the local torch hub cache; never downloads."""
    path = hub_checkpoints() / FILE
    return path if path.is_file() else None


def chosen(network: str) -> bool:
    """Whether the feature network ``network`` (one of NETWORKS) is VGG-19 on this machine: "auto" is VGG-19
    where its weights are in the local cache, else the random filters."""
    if network not in NETWORKS:
        raise ValueError(f"unknown network {network!r}; choose one of: {', '.join(NETWORKS)}")
    return network == "vgg19" or (network == "auto" and weights_path() is not None)


def opted_in() -> bool:
    """Whether the host allows downloading VGG-19 (``GENLAB_VGG19=1``); the Stylize tab offers the same choice."""
    return os.environ.get(ENV, "").strip() == "1"


def fetch() -> tuple[Path | None, str]:
    """Download the weights (~550 MB, once) into the torch hub cache, checking the sha256 prefix in their file
    name. Call it only when the user or host has opted in: never at import.

    Returns (the weight file, a sentence saying what happened), or (None, why it failed), for the caller to
    show with what it does instead: nothing falls back silently."""
    found = weights_path()
    if found is not None:
        return found, f"VGG-19 weights found in `{found.parent}`."
    from generators import fetch as downloads

    target = hub_checkpoints() / FILE
    try:
        # torchvision names the file <name>-<first 8 hex digits of its sha256>.pth; the download checks them.
        downloads.download(URL, target, sha256_prefix=FILE.split("-")[1][:8])
    except (OSError, downloads.FetchError) as error:
        return None, f"VGG-19 could not be downloaded from {URL} ({error})"
    return target, f"Downloaded VGG-19's ImageNet weights ({MB} MB) to `{target.parent}`."
