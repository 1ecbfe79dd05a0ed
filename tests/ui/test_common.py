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


def test_a_users_mistake_is_one_log_line_and_a_fault_keeps_its_traceback(caplog):
    import gradio as gr
    import pytest

    from ui.common import friendly_errors

    @friendly_errors
    def mistaken():
        raise ValueError("no image: upload one or click an example")

    @friendly_errors
    def broken():
        raise KeyError("a bug")

    with caplog.at_level("WARNING", logger="genlab"), pytest.raises(gr.Error) as raised:
        mistaken()
    assert raised.value.print_exception is False
    assert [record.getMessage() for record in caplog.records] == [
        "refused: no image: upload one or click an example"]
    with pytest.raises(KeyError):
        broken()


def test_stop_sets_only_the_flag_of_that_sessions_run_on_that_tab():
    from types import SimpleNamespace

    from ui import common

    mine, theirs = SimpleNamespace(session_hash="mine"), SimpleNamespace(session_hash="theirs")
    with common.stoppable(mine, "texture") as flag, common.stoppable(theirs, "texture") as other, \
            common.stoppable(mine, "stylize") as elsewhere:
        common.stop_runs("mine", ["texture", "denoise"])   # the Texture tab's Stop, in session "mine"
        assert flag.is_set() and not other.is_set() and not elsewhere.is_set()
    assert ("mine", "texture") not in common._RUNS   # a finished run leaves nothing behind
