"""Sample tab, Draw room: a digit drawn on a pad, read by the VAE and LeNet, and morphed into a held-out digit."""

from __future__ import annotations

import time
from pathlib import Path

import gradio as gr
import numpy as np

from generators import api, checks, imaging
from generators.datasets import mnist
from ui import share
from ui.common import HEAVY, HEAVY_LIMIT, digit_picture, examples, friendly_errors, output_image
from ui.gpu import on_gpu
from ui.sample.shared import DIGITS, elapsed
from ui.sample.walk import strip_and_animation
from ui.stop import newest_run_wins, supersede_on

BIG = 8


@newest_run_wins("draw")
@on_gpu()
@friendly_errors
def read_drawing(drawing, request: gr.Request = None) -> tuple[np.ndarray, np.ndarray, str]:
    """Sketch -> MNIST-style digit -> VAE code -> reconstruction, with the digit's ELBO and LeNet's reading."""
    start = time.perf_counter()
    reading = api.read_drawing(_composite(drawing))
    typical = "?" if reading.typical is None else f"{reading.typical:.1f}"
    return (digit_picture(reading.digit, BIG), digit_picture(reading.reconstruction, BIG),
            f"ELBO of your digit: **{reading.elbo:.1f} nats** (held-out digits average "
            f"{typical}; higher means the VAE finds it more digit-like). LeNet reads it "
            f"as a **{int(reading.chances.argmax())}** ({reading.chances.max():.0%} sure).  \n{elapsed(start)}")


@on_gpu()
@friendly_errors
def morph_drawing(drawing, target: str, frames) -> tuple[np.ndarray, str, str]:
    """Interpolate from the drawing's code to the code of the first held-out example of digit ``target``."""
    start = time.perf_counter()
    digit = api.drawn_digit(_composite(drawing))       # the ELBO and LeNet's reading are not needed here
    target = checks.whole(target, name="digit", low=0, high=9)
    held_out = mnist("test")
    example = held_out.images[np.flatnonzero(held_out.labels == target)[0]]
    strip = api.morph(digit, example, frames=frames)
    return (*strip_and_animation(strip, "morph"), f"From your drawing to a held-out **{target}**, through the "
            f"VAE's latent space.  \n{elapsed(start)}")


def _composite(drawing) -> np.ndarray:
    """The sketchpad's composite image (a bundle's replay gives a PNG file instead), or a ValueError for an
    empty pad."""
    composite = drawing.get("composite") if isinstance(drawing, dict) else drawing
    if composite is None:
        raise ValueError("the drawing is blank: draw a digit with the brush (big, filling most of the pad)")
    if isinstance(composite, (str, Path)):
        composite, _ = imaging.load_image(composite)
    return composite


def build() -> gr.Sketchpad:
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            pad = gr.Sketchpad(label="Draw one digit, large", type="numpy", image_mode="RGBA", format="png",
                               elem_id="digit-pad",
                               canvas_size=(280, 280), fixed_canvas=True, height=360, layers=False,
                               brush=gr.Brush(default_size=20, colors=["#000000"], color_mode="fixed"))
            read = gr.Button("Read my digit", variant="primary")
            sharing = share.buttons("sample-draw")
            # Made here, placed on the right below, so the examples can name them: a reading is deterministic,
            # so an example drawing is read on its first click only (Gradio's lazy example cache).
            seen = output_image("MNIST view, 28×28", height=240, render=False, elem_id="draw-seen")
            rebuilt = output_image("VAE reconstruction", height=240, render=False)
            reading = gr.Markdown(label="Reading", render=False)
            shipped = gr.Examples(examples("sample"), inputs=pad, outputs=[seen, rebuilt, reading], fn=read_drawing,
                                  cache_examples=True, cache_mode="lazy", label="Example drawings: a click reads them")
        with gr.Column(scale=1):
            with gr.Row():
                seen.render()
                rebuilt.render()
            reading.render()
            with gr.Row():
                target = gr.Dropdown(DIGITS, value="8", label="Morph into a held-out", min_width=100)
                frames = gr.Slider(2, 30, value=12, step=1, precision=0, label="Frames")
                morph = gr.Button("Morph")
            strip = output_image("Your digit → held-out digit")
            with gr.Row():
                animation = gr.Image(label="Animation", type="filepath", interactive=False, height=240)
                note = gr.Markdown(label="Note")
    heavy = dict(concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)
    read.click(read_drawing, inputs=pad, outputs=[seen, rebuilt, reading], api_name="read_drawing", **heavy)
    supersede_on(shipped.dataset.click, "draw")   # a reading still on its way must not land on the example's
    # The reading is the room's shared result: a link names an example drawing (a drawing of one's own cannot
    # travel in a link), a bundle holds the drawing itself. The morph below is not shared.
    share.view(sharing, share.View(
        key="sample/draw", title="Sample · Draw", tabs=("sample", "sample/draw"), run=read, fn=read_drawing,
        inputs=[pad], outputs=[seen, rebuilt, reading], api_name="read_drawing", params=[],
        uploads=[share.Upload("drawing", pad, "sample", default=examples("sample")[-1], what="a drawing",
                              redo="draw it again")],
        pictures=[seen, rebuilt], models=lambda values: [api.DIGIT_VAE, api.DIGIT_READER]))
    morph.click(morph_drawing, inputs=[pad, target, frames], outputs=[strip, animation, note],
                api_name="morph_drawing", **heavy)
    return pad
