"""GenLab: see and teach how images are generated and restored.

    python app.py [--host 127.0.0.1] [--port 7860] [--share [--auth user:password]] [--device cpu|cuda]

``demo`` is built at import time (no checkpoint is loaded until a model is first used), so ``gradio app.py``
and Hugging Face Spaces work too.
"""

from __future__ import annotations

import argparse

import gradio as gr

from generators import registry
from ui import denoise, models, sample, stylize, texture

TITLE = "GenLab"
INTRO = ("# GenLab\nRun real image generation and restoration algorithms on your own images or on examples. "
         "Each tab is one family of techniques; every model says where it came from and how well it does.")
THEME = gr.themes.Soft(primary_hue="indigo", secondary_hue="amber")
CSS = ".gradio-container {max-width: 1280px !important; margin: auto;}"
MAX_FILE_SIZE = "10mb"
QUEUE_SIZE = 64

TABS = (
    ("Denoise", denoise.build),
    ("Texture", texture.build),
    ("Stylize", stylize.build),
    ("Sample", sample.build),
    ("Models", models.build),
)


def build() -> gr.Blocks:
    with gr.Blocks(title=TITLE) as blocks:
        gr.Markdown(INTRO)
        with gr.Tabs():
            for label, build_tab in TABS:
                with gr.Tab(label):
                    build_tab()
    blocks.queue(max_size=QUEUE_SIZE, default_concurrency_limit=4)
    return blocks


demo = build()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Launch the GenLab app.")
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (0.0.0.0 for a LAN)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--share", action="store_true", help="also open a public gradio.live link")
    parser.add_argument("--auth", metavar="USER:PASSWORD", help="require this login (use it with --share)")
    parser.add_argument("--device", choices=["cpu", "cuda"], default=None,
                        help="where models run (default: cuda when available, else cpu)")
    args = parser.parse_args(argv)
    if args.auth is not None and ":" not in args.auth:
        parser.error("--auth must look like user:password")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    registry.set_device(args.device)
    auth = tuple(args.auth.split(":", 1)) if args.auth else None
    demo.launch(server_name=args.host, server_port=args.port, share=args.share, auth=auth,
                max_file_size=MAX_FILE_SIZE, theme=THEME, css=CSS)


if __name__ == "__main__":
    main()
