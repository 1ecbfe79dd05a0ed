"""The one checkpoint format: ``<name>.safetensors`` (arrays) + ``<name>.json`` (config and provenance),
with ``manifest.json`` holding the sha256 of every file, checked before anything is parsed.

Weights larger than ``SHARD_BYTES`` are sharded the way diffusers/transformers do it, so every file stays
under the Hugging Face Hub's 10 MB limit for files without LFS: ``<name>-00001-of-00002.safetensors`` ... plus
``<name>.safetensors.index.json`` whose ``weight_map`` says which shard holds each array. Every shard and the
index are in the manifest and verified on load.

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

CHECKPOINT_DIR = Path(__file__).resolve().parent.parent / "checkpoints"  # the shipped checkpoints
MANIFEST = "manifest.json"
SHARD_BYTES = 9_000_000  # below the Hub's 10 MB (10**7 bytes) per-file limit, with room for headers
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


def index_path(directory: Path, name: str) -> Path:
    return directory / f"{name}.safetensors.index.json"


def _shard_name(name: str, number: int, count: int) -> str:
    return f"{name}-{number:05d}-of-{count:05d}.safetensors"


def _old_weight_files(directory: Path, name: str) -> list[Path]:
    """Every weights file a previous save of ``name`` may have left: single file, index and shards."""
    single, _ = paths(directory, name)
    return [single, index_path(directory, name), *sorted(directory.glob(f"{name}-?????-of-?????.safetensors"))]


def _split(arrays: dict[str, np.ndarray], limit: int) -> list[dict[str, np.ndarray]]:
    """Greedy groups of arrays in key order, each under ``limit`` bytes (an array larger than ``limit`` alone
    gets a shard of its own)."""
    groups: list[dict[str, np.ndarray]] = [{}]
    size = 0
    for key, value in arrays.items():
        if groups[-1] and size + value.nbytes > limit:
            groups.append({})
            size = 0
        groups[-1][key] = value
        size += value.nbytes
    return groups


def _write_weights(directory: Path, name: str, arrays: dict[str, np.ndarray], limit: int) -> list[Path]:
    """One safetensors file, or shards plus an index when the arrays exceed ``limit`` bytes."""
    if sum(value.nbytes for value in arrays.values()) <= limit:
        weights, _ = paths(directory, name)
        save_file(arrays, str(weights))
        return [weights]
    groups = _split(arrays, limit)
    written, weight_map = [], {}
    for number, group in enumerate(groups, start=1):
        shard = directory / _shard_name(name, number, len(groups))
        save_file(group, str(shard))
        written.append(shard)
        weight_map.update({key: shard.name for key in group})
    index = index_path(directory, name)
    total = int(sum(value.nbytes for value in arrays.values()))
    index.write_text(json.dumps({"metadata": {"total_size": total}, "weight_map": weight_map}, indent=2) + "\n")
    return [index, *written]


def save(directory: Path | str, name: str, arrays: dict[str, np.ndarray], meta: dict, *,
         shard_bytes: int = SHARD_BYTES) -> list[Path]:
    """Write the arrays and their metadata, then record every file's sha256 in the manifest.

    ``meta`` should hold at least ``config`` (what rebuilds the model), ``train_command``, ``data`` and
    ``metrics``; the creation date and the parameter count are added here. Arrays above ``shard_bytes`` in
    total are written as shards plus an index. Returns the files written, the sidecar last.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    _, sidecar = paths(directory, name)
    arrays = {key: np.ascontiguousarray(value) for key, value in arrays.items()}
    stale = _old_weight_files(directory, name)
    for path in stale:
        path.unlink(missing_ok=True)
    written = _write_weights(directory, name, arrays, shard_bytes)
    meta = dict(meta)
    meta.setdefault("created", _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"))
    meta["parameters"] = int(sum(value.size for value in arrays.values()))
    sidecar.write_text(json.dumps(meta, indent=2, sort_keys=False) + "\n")
    update_manifest(directory, [*written, sidecar], forget=stale)
    return [*written, sidecar]


def update_manifest(directory: Path, files: list[Path], forget: list[Path] = ()) -> None:
    """Record (or refresh) the sha256 and size of ``files`` in ``directory/manifest.json``; drop the entries
    of ``forget`` that are not among them."""
    with _manifest_lock:
        manifest = read_manifest(directory)
        for path in forget:
            manifest.pop(path.name, None)
        for path in files:
            manifest[path.name] = {"sha256": sha256(path), "bytes": path.stat().st_size}
        body = {"files": dict(sorted(manifest.items()))}
        (directory / MANIFEST).write_text(json.dumps(body, indent=2) + "\n")


def update_metrics(directory: Path | str, name: str, figures: dict) -> Path:
    """Merge ``figures`` into the metrics of checkpoint ``name``'s card (a benchmark's ``--write-metrics``), write
    the card back (UTF-8, as written) and refresh its hash in the manifest; returns the card's path."""
    _, sidecar = paths(Path(directory), name)
    card = json.loads(sidecar.read_text(encoding="utf-8"))
    card.setdefault("metrics", {}).update(figures)
    sidecar.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    update_manifest(Path(directory), [sidecar])
    return sidecar


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


def weight_files(directory: Path | str, name: str) -> list[Path]:
    """The weights files of ``name`` as they are on disk: ``[<name>.safetensors]``, or the index followed by
    the shards its weight_map names. Checks nothing but that the index parses."""
    directory = Path(directory)
    index = index_path(directory, name)
    if not index.exists():
        return [paths(directory, name)[0]]
    try:
        shards = sorted(set(json.loads(index.read_text())["weight_map"].values()))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise CheckpointError(f"{index} is not a valid shard index ({error})", "unreadable") from None
    return [index, *(directory / shard for shard in shards)]


def _verified_files(directory: Path, name: str, rebuild: str) -> list[Path]:
    """Every file of checkpoint ``name`` (weights, or index and shards; then the sidecar), each checked."""
    manifest = read_manifest(directory)
    index = index_path(directory, name)
    if index.exists():
        check_file(index, manifest.get(index.name), rebuild)
    try:
        files = [*weight_files(directory, name), paths(directory, name)[1]]
    except CheckpointError as error:
        raise CheckpointError(f"{error}: run `{rebuild}` to rebuild it, or restore it with `git checkout {index}`",
                              error.reason) from None
    for path in files:
        check_file(path, manifest.get(path.name), rebuild)
    return files


def load(directory: Path | str, name: str, *, rebuild: str) -> Checkpoint:
    """Verify every file of checkpoint ``name`` (weights or all its shards, and the sidecar) against the
    manifest, then read them.

    ``rebuild`` is the command that recreates the checkpoint; every error message quotes it.
    """
    directory = Path(directory)
    *weights, sidecar = _verified_files(directory, name, rebuild)
    arrays: dict[str, np.ndarray] = {}
    for path in weights:
        if path.name.endswith(".index.json"):
            continue
        try:
            arrays.update(load_file(str(path)))
        except (SafetensorError, OSError) as error:
            raise CheckpointError(f"{path} could not be read ({error}): run `{rebuild}` to rebuild it") from None
    try:
        meta = json.loads(sidecar.read_text())
    except (ValueError, OSError) as error:
        raise CheckpointError(f"{sidecar} could not be read ({error}): run `{rebuild}` to rebuild it") from None
    return Checkpoint(arrays=arrays, meta=meta)


def file_state(directory: Path | str, name: str) -> str:
    """'ok', or the CheckpointError reason, for the files of checkpoint ``name``."""
    try:
        _verified_files(Path(directory), name, rebuild="")
    except CheckpointError as error:
        return error.reason
    return "ok"
