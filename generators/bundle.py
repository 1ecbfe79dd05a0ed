"""A result as one zip, and that zip read back safely: the pure-compute half of "Download bundle" and of the
Reproduce panel (ui/bundles.py is the Gradio half).

A bundle holds

    params.json          format, tab, view, api_name, params, seed, inputs, outputs, models {name: sha256},
                         genlab {version, commit}, files {member: sha256 of its bytes}
    inputs/<name>.png    the images the run started from (decoded pixels, lossless)
    outputs/<name>.png   the images it showed
    reproduce.py         a gradio_client script that calls the same endpoint by its api_name

Reading one trusts nothing in it: the zip's size, its number of members, each member's and the total
uncompressed size and the compression ratio are capped (a zip bomb is refused before it expands), names must be
plain relative paths under inputs/ or outputs/ (no ``..``, no absolute path), params.json must parse and name
its files with their sha256, and every image must decode within the image contract (generators.imaging).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import io
import json
import math
import re
import subprocess
import tomllib
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np
from PIL import Image

from generators import imaging

ROOT = Path(__file__).resolve().parent.parent
FORMAT = "genlab-bundle/1"
PARAMS = "params.json"
SCRIPT = "reproduce.py"
# What a bundle may be: a few images of at most a few megapixels each, a JSON file and a script.
MAX_BUNDLE_BYTES = 25_000_000
MAX_MEMBERS = 64
MAX_MEMBER_BYTES = 32_000_000
MAX_TOTAL_BYTES = 64_000_000
# PNGs hardly compress again; JSON and Python text compress ~5-10x. A member that expands 100 times is a bomb.
MAX_RATIO = 100
_SMALL = 64_000          # members up to this size may have any ratio (a tiny JSON of repeated keys)
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


class BundleError(ValueError):
    """A zip that is not a GenLab bundle, or one this app refuses to read; the message says which and why."""


@dataclass(frozen=True)
class Bundle:
    meta: dict                          # params.json
    inputs: dict[str, np.ndarray]       # name -> uint8 (H, W) or (H, W, 3)
    outputs: dict[str, np.ndarray]      # name -> uint8 (H, W) or (H, W, 3), in params.json's order


@dataclass(frozen=True)
class Match:
    identical: bool
    psnr: float | None                  # dB over every image together; inf when identical, None if shapes differ
    differing: list[str]                # the outputs that differ


# --- provenance ---------------------------------------------------------------------------------------------


@functools.cache
def version() -> dict[str, str]:
    """{"version": GenLab's version (installed metadata, else pyproject.toml), "commit": git HEAD ("-dirty"
    added when tracked files differ from it), or "unknown" without git}."""
    try:
        number = importlib.metadata.version("genlab")
    except importlib.metadata.PackageNotFoundError:
        try:
            number = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            number = "unknown"
    try:
        commit = _git("rev-parse", "HEAD") or "unknown"
        if commit != "unknown" and _git("status", "--porcelain", "--untracked-files=no"):
            commit += "-dirty"
    except (OSError, subprocess.SubprocessError):
        commit = "unknown"
    return {"version": number, "commit": commit}


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=5,
                          check=True).stdout.strip()


def safe_name(text: str) -> str:
    """``text`` as a file name stem: lower case, letters, digits and single dashes ("CNN denoiser (learned)"
    -> "cnn-denoiser-learned")."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")[:60] or "image"


# --- writing ------------------------------------------------------------------------------------------------


def png_bytes(image: np.ndarray) -> bytes:
    """A uint8 (H, W) or (H, W, 3) array as PNG bytes (lossless)."""
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def write(meta: dict, inputs: dict[str, np.ndarray], outputs: dict[str, np.ndarray], script: str) -> bytes:
    """The zip of a result: ``meta`` (tab, view, api_name, params, seed, models, ...) becomes params.json, with
    the version, the member list and each member's sha256 added; images are uint8 arrays, written as PNG."""
    if not outputs:
        raise ValueError("there is no result to bundle yet: run it first, then download the bundle")
    members = {f"inputs/{_checked(name)}.png": png_bytes(image) for name, image in inputs.items()}
    members |= {f"outputs/{_checked(name)}.png": png_bytes(image) for name, image in outputs.items()}
    members[SCRIPT] = script.encode()
    meta = {"format": FORMAT, **meta, "inputs": sorted(inputs), "outputs": list(outputs), "genlab": version(),
            "files": {member: hashlib.sha256(data).hexdigest() for member, data in members.items()}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PARAMS, json.dumps(meta, indent=2, ensure_ascii=False))
        for member, data in members.items():
            archive.writestr(member, data)
    return buffer.getvalue()


def _checked(name: str) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"image name {name!r} must be lower-case letters, digits, '.', '_' or '-'")
    return name


def script(api_name: str, arguments: dict, files: dict[str, str], *, editors: Collection[str] = ()) -> str:
    """reproduce.py: a gradio_client call of ``api_name`` with ``arguments`` (the endpoint's parameter names ->
    plain values) and ``files`` (parameter name -> a member of the bundle, sent with handle_file; those named in
    ``editors`` as an image editor's value, the file its composite)."""
    imports = "Client, handle_file" if files else "Client"
    lines = [f"    {name}={value!r}," for name, value in arguments.items()]
    for name, member in files.items():
        sent = f"handle_file(str(HERE / {member!r}))"
        if name in editors:
            sent = f'{{"background": None, "layers": [], "composite": {sent}}}'
        lines.append(f"    {name}={sent},   # the bundle's copy of the input")
    return f'''"""Run this bundle's result again on a GenLab server, through its API (made by GenLab's "Download bundle").

    pip install gradio_client
    python reproduce.py [URL]        # default http://127.0.0.1:7860/ (start GenLab with `python app.py`)

Compare the printed result with outputs/: the Reproduce panel of the Models tab does that for you.
"""

import sys
from pathlib import Path

from gradio_client import {imports}

HERE = Path(__file__).resolve().parent
client = Client(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:7860/")
result = client.predict(
{chr(10).join(lines)}
    api_name={api_name!r},
)
print(result)
'''


# --- reading ------------------------------------------------------------------------------------------------


def read(source) -> Bundle:
    """Open a bundle (a path or bytes) and check everything in it; BundleError (a ValueError) saying what is
    wrong otherwise. Nothing is extracted to disk."""
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else bytes(source)
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleError(f"the bundle is {len(data) / 1e6:.1f} MB; a GenLab bundle is at most "
                          f"{MAX_BUNDLE_BYTES / 1e6:.0f} MB: upload the zip that Download bundle made")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BundleError("this file is not a zip: upload the .zip that Download bundle made") from None
    with archive:
        members = _members(archive)
        meta = _meta(_read_member(archive, members[PARAMS]) if PARAMS in members else None)
        listed = meta["files"]
        extra = sorted(set(members) - set(listed) - {PARAMS})
        if extra:
            raise BundleError(f"the bundle holds {extra[0]!r}, which its params.json does not list: it was changed "
                              "after it was made; download a fresh bundle")
        contents = {}
        for member, digest in listed.items():
            if member not in members:
                raise BundleError(f"the bundle lacks {member!r}, which its params.json lists: download a fresh bundle")
            body = _read_member(archive, members[member])
            if hashlib.sha256(body).hexdigest() != digest:
                raise BundleError(f"{member} does not match its sha256 in params.json: the bundle was changed or "
                                  "damaged after it was made; download a fresh bundle")
            contents[member] = body
    images = {folder: {name: _image(contents, f"{folder}/{name}.png") for name in meta[folder]}
              for folder in ("inputs", "outputs")}
    return Bundle(meta, images["inputs"], images["outputs"])


def _members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Name -> info of every member, after the zip-bomb and path checks on what the zip declares."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BundleError(f"the zip holds {len(infos)} files; a GenLab bundle holds at most {MAX_MEMBERS}")
    total, members = 0, {}
    for info in infos:
        name = info.filename
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or "\\" in name or ":" in name or not name.strip("/"):
            raise BundleError(f"the zip holds a file named {name!r}, a path outside the bundle: refused")
        if info.is_dir():
            continue
        if name != PARAMS and name != SCRIPT and not (len(path.parts) == 2 and path.parts[0] in ("inputs", "outputs")
                                                      and path.suffix == ".png"):
            raise BundleError(f"the zip holds {name!r}, which is not part of a GenLab bundle (params.json, "
                              "reproduce.py, inputs/*.png, outputs/*.png): upload the zip that Download bundle made")
        _check_size(name, info.file_size, info.compress_size)
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise BundleError(f"the zip expands to more than {MAX_TOTAL_BYTES / 1e6:.0f} MB: refused (a zip bomb?)")
        members[name] = info
    return members


def _check_size(name: str, size: int, packed: int) -> None:
    if size > MAX_MEMBER_BYTES:
        raise BundleError(f"{name} expands to {size / 1e6:.0f} MB, more than the {MAX_MEMBER_BYTES / 1e6:.0f} MB a "
                          "bundle's file may: refused (a zip bomb?)")
    if size > _SMALL and size > MAX_RATIO * max(packed, 1):
        raise BundleError(f"{name} expands {size / max(packed, 1):.0f} times (more than {MAX_RATIO}): refused "
                          "(a zip bomb?)")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, read in chunks and stopped at its cap whatever its header claims."""
    chunks, size = [], 0
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            _check_size(info.filename, size, info.compress_size)
            chunks.append(chunk)
    return b"".join(chunks)


def _meta(raw: bytes | None) -> dict:
    if raw is None:
        raise BundleError("the zip has no params.json, so it is not a GenLab bundle: upload the zip that "
                          "Download bundle made")
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BundleError(f"params.json is not valid JSON ({error}): the bundle was damaged; download a "
                          "fresh one") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        found = meta.get("format") if isinstance(meta, dict) else None
        said = f"its format is {found!r}" if found is not None else "it names no format"
        raise BundleError(f"params.json is not a {FORMAT} file ({said}): upload a bundle made by this app's "
                          "Download bundle")
    expected = {"view": str, "api_name": str, "params": dict, "inputs": list, "outputs": list, "files": dict,
                "models": dict, "genlab": dict}
    for key, kind in expected.items():
        if not isinstance(meta.get(key), kind):
            raise BundleError(f"params.json's {key!r} is missing or not a {kind.__name__}: the bundle was damaged; "
                              "download a fresh one")
    for folder in ("inputs", "outputs"):
        for name in meta[folder]:
            if not isinstance(name, str) or not _NAME.fullmatch(name):
                raise BundleError(f"params.json names an image {name!r} in {folder}: refused")
            if f"{folder}/{name}.png" not in meta["files"]:
                raise BundleError(f"params.json names {folder}/{name}.png but does not list its sha256: refused")
    return meta


def _image(contents: dict[str, bytes], member: str) -> np.ndarray:
    """A member PNG as uint8, decoded within the image contract (size caps, decompression bombs)."""
    try:
        image, _ = imaging.load_image(contents[member], max_side=1 << 16)
    except ValueError as error:
        raise BundleError(f"{member} is not a readable image ({error}): refused") from None
    return imaging.to_uint8(image)


# --- comparing ----------------------------------------------------------------------------------------------


def compare(stored: dict[str, np.ndarray], replayed: dict[str, np.ndarray]) -> Match:
    """Compare a replay with a bundle's outputs, image by image (gray and RGB of the same picture compare
    equal): identical, or the PSNR over all of them together."""
    differing, squared, count = [], 0.0, 0
    for name, image in stored.items():
        other = replayed.get(name)
        a, b = _rgb(image), None if other is None else _rgb(other)
        if b is None or a.shape != b.shape:
            return Match(False, None, [name])
        error = np.square(a.astype(np.float64) - b.astype(np.float64))
        if error.any():
            differing.append(name)
        squared, count = squared + float(error.sum()), count + error.size
    if not differing and set(replayed) <= set(stored):
        return Match(True, math.inf, [])
    mse = squared / max(count, 1)
    return Match(False, math.inf if mse == 0 else 10 * math.log10(255.0 ** 2 / mse), differing
                 or sorted(set(replayed) - set(stored)))


def _rgb(image: np.ndarray) -> np.ndarray:
    array = np.asarray(image)
    return np.repeat(array[..., None], 3, axis=2) if array.ndim == 2 else array[..., :3]
