"""Gradio's file cache and the examples' answers: every output file written once and never rewritten in use
(``install`` routes Gradio's image saves through ``cache_bytes``), and ``ExampleCache``, the kept outputs of
deterministic runs on a tab's shipped examples."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from pathlib import Path

from gradio import processing_utils, utils

from ui.common import examples


def cache_bytes(data: bytes, file_name: str, cache_dir: str | None = None) -> str:
    """Write ``data`` into Gradio's cache (``cache_dir``, by default the upload folder Gradio serves and cleans)
    as <hash of the bytes>/<file_name>, and return its path; no temporary file is left anywhere else.

    Gradio's own save_bytes_to_cache rewrites that file in place on every request. Our outputs are
    deterministic (same example, same seed, same image), so in a classroom many requests produce the same
    file at once: one request truncates it while another's browser or client is downloading it, which
    arrives empty ("peer closed connection", a broken image). Here a file that already exists is reused, and
    a new one is written under a temporary name beside it and renamed into place.
    """
    folder = Path(cache_dir or utils.get_upload_folder()) / processing_utils.hash_bytes(data)
    folder.mkdir(exist_ok=True, parents=True)
    target = (folder / file_name).resolve()
    if target.exists():
        with contextlib.suppress(OSError):
            os.utime(target)  # Gradio's delete_cache ages files by time: this copy is in use again
        return str(target)
    descriptor, staging = tempfile.mkstemp(dir=folder, prefix=f".{file_name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(staging, target)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
    return str(target)


def _save_pil_to_cache_atomically(img, cache_dir: str, name: str = "image", format: str = "webp") -> str:
    """gradio.processing_utils.save_pil_to_cache, through ``cache_bytes`` (never rewriting a file in use)."""
    return cache_bytes(processing_utils.encode_pil_to_bytes(img, format), f"{name}.{format}", cache_dir)


def install() -> None:
    """Send every image output (gr.Image, gr.Gallery, ...) through ``_save_pil_to_cache_atomically``: Gradio's
    components all call the module attribute ``processing_utils.save_pil_to_cache``, which this replaces.
    app.py calls it before building the UI; calling it again changes nothing. tests/ui/test_common.py
    fails when a new Gradio changes the function replaced here."""
    processing_utils.save_pil_to_cache = _save_pil_to_cache_atomically


class ExampleCache:
    """The outputs of deterministic runs on a tab's shipped examples, computed on the first click and then kept
    (lazily: nothing is computed at start-up). Gradio's own ``cache_examples`` keys an output by the example
    alone; this keys it by the example and every setting, so the same example with the same settings (and
    seed) is answered at once, and a changed setting is computed afresh. Uploads are never kept: a file counts
    as an example when its bytes are those of a file in assets/<tab>/ (Gradio hands over a copy). The least
    recently used entry goes when ``size`` are kept."""

    def __init__(self, tab: str, size: int = 32):
        self.tab, self.size = tab, size
        self._kept: dict[tuple, object] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def key(self, path, *settings) -> tuple | None:
        """The key of a run on ``path`` with ``settings`` (plain values), or None when ``path`` is no example."""
        if not path or not Path(path).is_file():
            return None
        name = example_name(path, examples(self.tab))
        return None if name is None else (name, *settings)

    def get(self, key: tuple | None):
        """The kept output for ``key``, or None; one found counts as just used (the last to go)."""
        if key is None:
            return None
        with self._lock:
            output = self._kept.pop(key, None)
            if output is not None:
                self._kept[key] = output
            return output

    def put(self, key: tuple | None, output) -> None:
        """Keep ``output`` under ``key`` (nothing when ``key`` is None)."""
        if key is None:
            return
        with self._lock:
            self._kept.pop(key, None)
            self._kept[key] = output
            while len(self._kept) > self.size:
                del self._kept[next(iter(self._kept))]


def file_digest(path) -> str:
    """sha256 of a file's bytes (an example reaches a handler under a cache path, not its asset path)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


_EXAMPLE_NAMES: dict[tuple[str, ...], dict[str, str]] = {}   # example paths -> {sha256 of one's bytes: its name}


def example_name(path, candidates) -> str | None:
    """The file name of the example among ``candidates`` (paths) whose bytes the file at ``path`` has, or None
    (Gradio hands handlers a copy of an example, under another path)."""
    key = tuple(map(str, candidates))
    if key not in _EXAMPLE_NAMES:
        _EXAMPLE_NAMES[key] = {file_digest(example): Path(example).name for example in key}
    return _EXAMPLE_NAMES[key].get(file_digest(path))


def pixel_digest(image) -> str:
    """sha256 of an array's shape and pixels (an image editor hands over arrays, not files)."""
    return hashlib.sha256(repr(image.shape).encode() + image.tobytes()).hexdigest()
