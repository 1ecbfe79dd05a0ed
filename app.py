"""GenLab: see and teach how images are generated and restored.

    python app.py [--host 127.0.0.1] [--port 7860] [--share [--auth user:password]] [--device cpu|cuda]

The host and port defaults come from $GRADIO_SERVER_NAME and $GRADIO_SERVER_PORT when set (a Hugging Face
Space sets both); the flags win over them. See docs/deploy.md.

``demo`` is built at import time (no checkpoint is loaded until a model is first used), so ``gradio app.py``
and Hugging Face Spaces work too.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import logging
import os
import sys
import threading

import gradio as gr

from generators import api, registry
from ui import caches, denoise, lessons, models, page_links, sample, share, stylize, texture, train
from ui.gpu import zero_gpu

TITLE = "GenLab"
INTRO = ("# GenLab\nRun real image generation and restoration algorithms on your own images or on examples. "
         "Each tab is one family of techniques; every model says where it came from and how well it does.")
THEME = gr.themes.Soft(primary_hue="indigo", secondary_hue="amber")
# Image labels sit above the picture instead of floating over its top-left corner (they hid the first digit
# of every sample sheet and the start of the strips); gallery captions wrap instead of cutting off the
# PSNR and seconds at their end. An image's buttons (full screen, download, share) sit in a row above it
# instead of over its top-right corner; in an image given a fixed height the picture then takes the height left
# under the label and buttons (it kept the whole height, so its bottom 60 px were cut off: a quarter of every
# 28x28 digit view). The notice of an opened link (ui/share.py) and the lesson bar
# (ui/lessons.py) stand out as notes. The container fills the window up to 1280 px (sized by its content, a
# results table or gallery made the page wider than a phone's screen), and narrow screens show galleries two to
# a row (Gradio's cells are at least 100 px wide). Every gallery caption sits under its picture rather than over
# it: two lines of "method · dB · s" covered the bottom third of a desktop thumbnail, half of a phone's, just
# where a class compares the restorers. A gallery without a fixed height grows with its pictures: Gradio kept it
# to 55 % of the window (at least 450 px) and scrolled inside it, so a third row of Denoise results, or the one
# result of a single method (a whole column wide), was cut off with its caption, and two rows of GMM means sat
# above 150 px of blank.
# Gradio 6 gives a Group's elem_id to its inner div too (so #lesson-bar #lesson-bar undoes the border drawn
# twice), and paints a Group's inner .styler in the border colour, which showed as a grey band behind the
# lesson's text (a Markdown has no background of its own). A dropdown's arrow sat over the end of a long choice
# ("...Gibbs o▾e"): its text now stops short of the arrow, with an ellipsis.
CSS = """.gradio-container {max-width: 1280px !important; width: 100% !important; min-width: 0 !important;
  margin: auto;}
@media (max-width: 640px) {.grid-container {--grid-cols: 2 !important;}
  #registry-table .table-wrap {overflow-x: auto;} #registry-table .upload-container {min-width: 800px;}}
.thumbnail-item:has(.caption-label) {aspect-ratio: auto !important; height: auto !important;
  display: flex !important; flex-direction: column;}
.thumbnail-item:has(.caption-label) > img {aspect-ratio: 1 / 1; height: auto !important;}
.thumbnail-item > .caption-label {position: static !important; font-size: var(--text-sm); margin: 2px 0 0;}
.grid-wrap.fixed-height {max-height: none !important; min-height: 0 !important; overflow-y: visible !important;}
label[data-testid=block-label].float {position: static !important; margin-bottom: 4px;}
.block[style^="height:"]:has(> .image-container) {display: flex !important; flex-direction: column;}
.block[style^="height:"] > .image-container {flex: 1 1 0; min-height: 0; height: auto !important;}
.block[style^="height:"] > .image-container:has(> button) {display: flex; flex-direction: column;}
.block[style^="height:"] > .image-container > button {flex: 1 1 0; min-height: 0; height: auto !important;}
.caption-label {white-space: normal !important; max-width: 100% !important;}
.image-container > .icon-button-wrapper.top-panel {position: static !important; margin: 0 0 4px auto;
  width: fit-content; box-shadow: none;}
#share-notice, #lesson-bar {border-left: 4px solid var(--color-accent); padding: 4px 12px;
  background: var(--block-background-fill);}
#lesson-bar #lesson-bar {border-left: 0; padding: 0;}
#lesson-bar .styler {background: var(--block-background-fill);}
.secondary-wrap:has(> .icon-wrap) > input {padding-right: 24px !important; text-overflow: ellipsis;}"""
MAX_FILE_SIZE = "10mb"
QUEUE_SIZE = 64
# How often Gradio's queue (gradio.queueing.Queue) looks for new work while it has none, and for progress to send:
# 1 ms and 10 ms as shipped (50 and 100 ms on Windows), which kept an idle server at 6.5 % of a core. At 20 and
# 50 ms a click waits at most 20 ms more for its run to start, and an idle server uses about 1 %.
QUEUE_POLL_S = 0.02
PROGRESS_POLL_S = 0.05

TABS = (
    ("Denoise", denoise.build),
    ("Texture", texture.build),
    ("Stylize", stylize.build),
    ("Sample", sample.build),
    ("Train", train.build),
    ("Lessons", lessons.build),   # given the lesson bar (above the tabs) that its steps write to
    ("Models", models.build),     # given its Tab: the status is read when the tab is opened
)


# glibc mallopt() parameters (malloc.h): M_MMAP_THRESHOLD = -3, M_ARENA_MAX = -8.
_M_MMAP_THRESHOLD, _M_ARENA_MAX = -3, -8


def bound_malloc() -> bool:
    """Keep the server's resident memory from creeping up under a classroom's load (glibc only).

    Gradio runs handlers on a pool of worker threads; glibc gives each thread its own malloc arena, and after
    the first large free it raises its mmap threshold to 32 MB, so the image-sized arrays every request makes
    then come from those arenas and stay there: the load benchmark saw the RSS climb by ~900 MB over three
    minutes. A fixed 1 MB threshold (big arrays are mmapped and returned to the OS when freed) and at most
    two arenas keep it flat. The same as MALLOC_MMAP_THRESHOLD_=1048576 MALLOC_ARENA_MAX=2, but in-process.
    ``main`` calls it, not the import: every big array then costs fresh page faults, which a server pays for a
    flat memory line, but a process that imports the app (the tests, a benchmark) should not (the test suite
    spent ~8 CPU-s more in the kernel)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, 1 << 20)) and bool(libc.mallopt(_M_ARENA_MAX, 2))
    except (OSError, AttributeError):  # not glibc (musl, ...): nothing to tune
        return False


def build() -> gr.Blocks:
    with gr.Blocks(title=TITLE) as blocks:
        gr.Markdown(INTRO)
        share.notice()
        lesson_bar = lessons.bar()
        with gr.Tabs() as tabs:
            for label, build_tab in TABS:
                with gr.Tab(label, id=label.lower()) as tab:
                    if build_tab is lessons.build:
                        build_tab(lesson_bar)
                    elif build_tab is models.build:
                        build_tab(tab)
                    else:
                        build_tab()
        share.tabs(tabs, *(label.lower() for label, _ in TABS))
        page_links.install(blocks)   # opens the page's link (?view=...) on load; see ui/page_links.py
    blocks.queue(max_size=QUEUE_SIZE, default_concurrency_limit=4)
    calm_queue(blocks)
    return blocks


def calm_queue(blocks: gr.Blocks) -> None:
    """Slow the idle polling of ``blocks``' queue to QUEUE_POLL_S and PROGRESS_POLL_S. Private attributes of the
    pinned Gradio, read by Queue.start_processing and Queue.start_progress_updates: tests/ui/test_common.py
    fails when a new Gradio changes those loops. A Gradio without them is left as it is."""
    queue = blocks._queue
    for name, seconds in (("sleep_when_free", QUEUE_POLL_S), ("progress_update_sleep_when_free", PROGRESS_POLL_S)):
        if hasattr(queue, name):
            setattr(queue, name, seconds)


caches.install()
demo = build()


def _env_port(parser: argparse.ArgumentParser) -> int:
    raw = os.environ.get("GRADIO_SERVER_PORT", "7860")
    try:
        return int(raw)
    except ValueError:
        parser.error(f"GRADIO_SERVER_PORT must be a port number, got {raw!r}: unset it or pass --port")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Launch the GenLab app.")
    parser.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
                        help="address to serve on (0.0.0.0 for a LAN; default $GRADIO_SERVER_NAME or 127.0.0.1)")
    parser.add_argument("--port", type=int, default=_env_port(parser),
                        help="port to serve on (default $GRADIO_SERVER_PORT or 7860)")
    parser.add_argument("--share", action="store_true", help="also open a public gradio.live link")
    parser.add_argument("--auth", metavar="USER:PASSWORD", help="require this login (use it with --share)")
    parser.add_argument("--device", choices=["cpu", "cuda"], default=None,
                        help="where models run (default: cuda when available, else cpu)")
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false",
                        help="load models only when first asked for (default: the default runs' models are "
                             "loaded in the background after start-up, so first clicks do not wait)")
    args = parser.parse_args(argv)
    if args.auth is not None and ":" not in args.auth:
        parser.error("--auth must look like user:password")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    bound_malloc()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    registry.set_device(args.device)
    if args.warm_up and not zero_gpu():   # on ZeroGPU the GPU exists only inside a request
        threading.Thread(target=api.warm_up, name="warm-up", daemon=True).start()
    auth = tuple(args.auth.split(":", 1)) if args.auth else None
    demo.launch(server_name=args.host, server_port=args.port, share=args.share, auth=auth,
                max_file_size=MAX_FILE_SIZE, theme=THEME, css=CSS)


if __name__ == "__main__":
    main()
