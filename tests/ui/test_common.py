"""Shared UI plumbing: image outputs cached without a torn-file race."""

import os
import threading
import time

import numpy as np
from gradio import processing_utils
from PIL import Image

import ui.common  # noqa: F401  (installs the atomic image cache)


def test_identical_outputs_saved_at_once_are_never_read_torn(tmp_path):
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


def test_upload_images_reach_the_browser_with_their_props():
    """An upload whose props do not reach the browser silently disappears from the page."""
    import app

    uploads = [block for block in app.demo.blocks.values() if getattr(block, "hands_over_path", False)]
    assert len(uploads) >= 5  # Denoise source, Texture exemplar and target, Stylize content and style
    config = {component["id"]: component for component in app.demo.get_config_file()["components"]}
    for block in uploads:
        props = config[block._id]["props"]
        assert config[block._id]["type"] == "image"
        assert props["label"] and props["sources"] == ["upload", "clipboard"] and props["type"] == "filepath"
