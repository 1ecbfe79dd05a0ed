"""Sample tab, walking a latent space: the Interpolate room (seed A to seed B) and the Latent map room (the
VAE's codes on a plane)."""

from __future__ import annotations

import time

import gradio as gr
import numpy as np

from generators import api
from generators.datasets import mnist
from ui import share
from ui.common import HEAVY, HEAVY_LIMIT, MAX_SEED, friendly_errors, output_image
from ui.figures import digit_sheet, figure_file, gif_file, latent_map_figure
from ui.gpu import on_gpu
from ui.sample.shared import GAN, LATENT_MODELS, VAE, elapsed, model_name

STRIP_ZOOM = 4
# Interpolations are deterministic (model, seeds, frames): each example is computed on its first click only.
EXAMPLES = [[VAE, 1, 2, 12], [GAN, 7, 42, 16]]


@on_gpu()
@friendly_errors
def interpolate_seeds(model: str, seed_a, seed_b, frames) -> tuple[np.ndarray, str, str]:
    """Decode ``frames`` codes along the great circle from the code of seed A to the code of seed B."""
    name = model_name(model, LATENT_MODELS)
    start = time.perf_counter()
    strip = api.interpolate_seeds(name, seed_a, seed_b, frames=frames)
    return (*strip_and_animation(strip, "interpolation"),
            f"`{name}`: {len(strip)} frames from seed {seed_a} to seed {seed_b}.  \n{elapsed(start)}")


@on_gpu()
@friendly_errors
def latent_map_plot(size) -> tuple[str, str]:
    """The VAE's decoded latent plane (top-2 principal directions of the held-out codes), codes on top, as a
    PNG file; a note."""
    start = time.perf_counter()
    held_out = mnist("test")
    found = api.latent_map(held_out.images, held_out.labels, size=size)
    return figure_file(latent_map_figure(found), "vae-latent-map"), (
        f"The plane of the two directions along which the 1,000 held-out digits' codes vary most "
        f"({found.explained[0]:.0%} and {found.explained[1]:.0%} of their variance); every tile is the decoder's "
        f"digit at that point, every dot a held-out digit's code, coloured by its true class.  \n{elapsed(start)}")


def strip_and_animation(frames: np.ndarray, name: str) -> tuple[np.ndarray, str]:
    """A strip of the digits ``frames`` (PNG) and a looping GIF of them, forth and back."""
    return digit_sheet(frames, zoom=STRIP_ZOOM, columns=len(frames)), gif_file(frames, name)


def build_interpolate() -> None:
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            model = gr.Dropdown(list(LATENT_MODELS), value=next(iter(LATENT_MODELS)), label="Model")
            with gr.Row():
                seed_a = gr.Number(value=1, precision=0, minimum=0, maximum=MAX_SEED, label="Seed A")
                seed_b = gr.Number(value=2, precision=0, minimum=0, maximum=MAX_SEED, label="Seed B")
            frames = gr.Slider(2, 30, value=12, step=1, precision=0, label="Frames")
            go = gr.Button("Interpolate", variant="primary")
            sharing = share.buttons("sample-walk")
            # The outputs are made here and placed in the right-hand column below, so the examples can name them.
            strip = output_image("Frames, A → B", elem_id="interpolate-strip", render=False)
            animation = gr.Image(label="Animation", type="filepath", interactive=False, height=240, render=False)
            note = gr.Markdown(label="Note", render=False)
            gr.Examples(EXAMPLES, inputs=[model, seed_a, seed_b, frames], outputs=[strip, animation, note],
                        fn=interpolate_seeds, cache_examples=True, cache_mode="lazy")
        with gr.Column(scale=2):
            strip.render()
            with gr.Row():
                animation.render()
                note.render()
    go.click(interpolate_seeds, inputs=[model, seed_a, seed_b, frames], outputs=[strip, animation, note],
             api_name="interpolate", concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)
    share.view(sharing, share.View(
        key="sample/walk", title="Sample · Interpolate", tabs=("sample", "sample/walk"), run=go,
        fn=interpolate_seeds, inputs=[model, seed_a, seed_b, frames], outputs=[strip, animation, note],
        api_name="interpolate", params=[share.Param("model", model, short=LATENT_MODELS),
                                        share.Param("seed_a", seed_a), share.Param("seed_b", seed_b),
                                        share.Param("frames", frames)],
        pictures=[strip], models=lambda values: [model_name(values["model"], LATENT_MODELS)]))


def build_map() -> None:
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            size = gr.Slider(4, 25, value=15, step=1, precision=0, label="Grid size (tiles per side)")
            go = gr.Button("Map the VAE's latent space", variant="primary")
            sharing = share.buttons("sample-map")
            note = gr.Markdown(label="Note")
        with gr.Column(scale=2):
            # A picture, not a gr.Plot: it has its own download and full-screen buttons, and a bundle holds it.
            plane = gr.Image(label="VAE latent plane", type="filepath", format="png", interactive=False,
                             elem_id="latent-map")
    go.click(latent_map_plot, inputs=size, outputs=[plane, note], api_name="latent_map",
             concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)
    share.view(sharing, share.View(
        key="sample/map", title="Sample · Latent map", tabs=("sample", "sample/map"), run=go, fn=latent_map_plot,
        inputs=[size], outputs=[plane, note], api_name="latent_map", params=[share.Param("size", size)],
        pictures=[plane], models=lambda values: [api.DIGIT_VAE]))
