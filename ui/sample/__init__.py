"""Sample tab: draw handwritten digits from three generative models (GMM, VAE, GAN), ask for a given digit,
walk their latent spaces, map the VAE's, draw a digit for the VAE to read, and repair hidden pixels.

One room (sub-tab) per module: generate, walk (interpolate and the latent map), draw, repair. The "how each
method works" text is how_it_works.md beside them."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ui import share
from ui.common import brush_ready, prose
from ui.sample import draw, generate, repair, walk

HOW_IT_WORKS = Path(__file__).with_name("how_it_works.md")


def build() -> None:
    gr.Markdown("Handwritten digits from three generative models trained on the same 4,000 MNIST digits. "
                "The same seed always gives the same digits.")
    with gr.Tabs() as rooms:
        with gr.Tab("Generate", id="sample/generate"):
            generate.build()
        with gr.Tab("Interpolate", id="sample/walk"):
            walk.build_interpolate()
        with gr.Tab("Latent map", id="sample/map"):
            walk.build_map()
        with gr.Tab("Draw", id="sample/draw") as drawing:
            pad = draw.build()
        brush_ready(drawing.select, pad)
        brush_ready(pad.clear, pad)     # "Clear canvas" drops the tool too
        with gr.Tab("Repair", id="sample/repair"):
            repair.build()
    share.tabs(rooms, "sample/generate", "sample/walk", "sample/map", "sample/draw", "sample/repair")
    with gr.Accordion("How each method works", open=False):
        prose(HOW_IT_WORKS)
