"""Gradio's file cache (every output written once, never torn) and the examples' kept answers."""

import os
import threading
import time
from pathlib import Path

import numpy as np
from gradio import processing_utils
from PIL import Image

from ui import caches, common


def test_install_is_idempotent_and_routes_gradio_through_the_atomic_save():
    caches.install()
    caches.install()
    assert processing_utils.save_pil_to_cache is caches._save_pil_to_cache_atomically


def test_identical_outputs_saved_at_once_are_never_read_torn(tmp_path):
    caches.install()
    image = Image.fromarray(np.random.default_rng(0).integers(0, 255, (128, 128, 3), dtype=np.uint8))
    path = processing_utils.save_img_array_to_cache(np.asarray(image), str(tmp_path), format="png")
    size = os.path.getsize(path)
    torn, deadline = [], time.monotonic() + 0.5

    def writer():
        while time.monotonic() < deadline:
            assert processing_utils.save_pil_to_cache(image, str(tmp_path), format="png") == path

    def reader():
        while time.monotonic() < deadline:
            with open(path, "rb") as handle:
                if len(handle.read()) != size:
                    torn.append(1)

    threads = [threading.Thread(target=writer) for _ in range(2)] + [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert torn == []  # gradio's own version tears the file thousands of times in this half second
    assert [name for name in os.listdir(os.path.dirname(path)) if name.startswith(".")] == []


def test_the_example_cache_keeps_examples_only_and_drops_the_least_recently_used():
    cache = caches.ExampleCache("denoise", size=2)
    first, second, third = common.examples("denoise")[:3]
    keys = [cache.key(path, "same settings") for path in (first, second, third)]
    assert keys[0][0] == Path(first).name and cache.key(__file__, "same settings") is None   # not an example
    cache.put(keys[0], "A")
    cache.put(keys[1], "B")
    assert cache.get(keys[0]) == "A"          # A is now the one used last
    cache.put(keys[2], "C")                   # full: B, used least recently, goes
    assert (cache.get(keys[0]), cache.get(keys[1]), cache.get(keys[2])) == ("A", None, "C")
