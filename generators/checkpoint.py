"""The one checkpoint format: ``<name>.safetensors`` (arrays) + ``<name>.json`` (config and provenance),
with ``manifest.json`` holding the sha256 of every file, checked before anything is parsed.

Nothing is ever unpickled. Fitted scikit-learn models are saved as their arrays and rebuilt on load.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load_file, save_file

MANIFEST = "manifest.json"
_LFS_MAGIC = b"version https://git-lfs"
_manifest_lock = threading.Lock()


class CheckpointError(RuntimeError):
    """A checkpoint file is missing or unusable. The message names the file and the command that rebuilds it;
    ``reason`` is one word for tables: missing, lfs-pointer, unlisted, truncated, mismatch or unreadable."""

    def __init__(self, message: str, reason: str = "unreadable"):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Checkpoint:
    arrays: dict[str, np.ndarray]
    meta: dict


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def paths(directory: Path, name: str) -> tuple[Path, Path]:
    return directory / f"{name}.safetensors", directory / f"{name}.json"


def save(directory: Path | str, name: str, arrays: dict[str, np.ndarray], meta: dict) -> tuple[Path, Path]:
    """Write the arrays and their metadata, then record both files' sha256 in the manifest.

    ``meta`` should hold at least ``config`` (what rebuilds the model), ``train_command``, ``data`` and
    ``metrics``; the creation date and the parameter count are added here.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    weights, sidecar = paths(directory, name)
    arrays = {key: np.ascontiguousarray(value) for key, value in arrays.items()}
    save_file(arrays, str(weights))
    meta = dict(meta)
    meta.setdefault("created", _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"))
    meta["parameters"] = int(sum(value.size for value in arrays.values()))
    sidecar.write_text(json.dumps(meta, indent=2, sort_keys=False) + "\n")
    update_manifest(directory, [weights, sidecar])
    return weights, sidecar


def update_manifest(directory: Path, files: list[Path]) -> None:
    """Record (or refresh) the sha256 and size of ``files`` in ``directory/manifest.json``."""
    with _manifest_lock:
        manifest = read_manifest(directory)
        for path in files:
            manifest[path.name] = {"sha256": sha256(path), "bytes": path.stat().st_size}
        body = {"files": dict(sorted(manifest.items()))}
        (directory / MANIFEST).write_text(json.dumps(body, indent=2) + "\n")


def read_manifest(directory: Path) -> dict[str, dict]:
    path = Path(directory) / MANIFEST
    if not path.exists():
        return {}
    try:
        return dict(json.loads(path.read_text())["files"])
    except (ValueError, KeyError, TypeError) as error:
        raise CheckpointError(f"{path} is not a valid manifest ({error}); restore it with `git checkout {path}`") from None


def check_file(path: Path, expected: dict | None, rebuild: str) -> None:
    """Raise CheckpointError unless ``path`` exists, is real content (not a git-LFS pointer) and matches
    the manifest's size and sha256."""
    fix = f"run `{rebuild}` to rebuild it, or restore it with `git checkout {path}`"
    if not path.exists():
        raise CheckpointError(f"{path} is missing: {fix}", "missing")
    with open(path, "rb") as stream:
        head = stream.read(len(_LFS_MAGIC))
    if head == _LFS_MAGIC:
        raise CheckpointError(f"{path} is a git-LFS pointer, not the file: run `git lfs pull`, or {fix}", "lfs-pointer")
    if expected is None:
        raise CheckpointError(f"{path} is not listed in {path.parent / MANIFEST}: {fix}", "unlisted")
    size = path.stat().st_size
    if size != expected.get("bytes", size):
        raise CheckpointError(f"{path} is {size} bytes, the manifest says {expected['bytes']} (truncated?): {fix}", "truncated")
    if sha256(path) != expected.get("sha256"):
        raise CheckpointError(f"{path} does not match its sha256 in the manifest (changed or corrupted): {fix}", "mismatch")


def load(directory: Path | str, name: str, *, rebuild: str) -> Checkpoint:
    """Verify both files of checkpoint ``name`` against the manifest, then read them.

    ``rebuild`` is the command that recreates the checkpoint; every error message quotes it.
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    weights, sidecar = paths(directory, name)
    for path in (weights, sidecar):
        check_file(path, manifest.get(path.name), rebuild)
    try:
        meta = json.loads(sidecar.read_text())
        arrays = load_file(str(weights))
    except (ValueError, SafetensorError, OSError) as error:
        raise CheckpointError(f"{weights} could not be read ({error}): run `{rebuild}` to rebuild it") from None
    return Checkpoint(arrays=arrays, meta=meta)


def file_state(directory: Path | str, name: str) -> str:
    """'ok', or the CheckpointError reason, for the pair of files of checkpoint ``name``."""
    directory = Path(directory)
    try:
        manifest = read_manifest(directory)
        for path in paths(directory, name):
            check_file(path, manifest.get(path.name), rebuild="")
    except CheckpointError as error:
        return error.reason
    return "ok"
