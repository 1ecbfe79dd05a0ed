"""Sample tab, Repair room: hide part of a held-out digit and let a model fill it in, streamed until Stop."""

from __future__ import annotations

import time

import gradio as gr
import numpy as np

from generators import api, checks
from generators.datasets import mnist
from generators.sample import masks
from ui import share
from ui.common import HEAVY, HEAVY_LIMIT, MAX_SEED, digit_picture, friendly_errors, output_image
from ui.stop import newest_run_wins, run_buttons, stoppable, stopped_note, supersede_on
from ui.gpu import on_gpu
from ui.sample.shared import GAN, LATENT_MODELS, VAE, model_name

BIG = 8
REPAIR_STEPS = 150
REPAIR_TIME_CAP = 30.0
FRAME_SECONDS = 0.4
# A repair is deterministic (model, digit, mask, seed) unless the time cap cuts it short: each example is
# computed on its first click only.
EXAMPLES = [[VAE, 3, "bottom half", 0], [GAN, 10, "left half", 0], [VAE, 25, "random 60% of pixels", 0]]


@newest_run_wins("repair")
@on_gpu()
@friendly_errors
def repair_digit(model: str, index, mask: str, seed, request: gr.Request = None):
    """Hide part of held-out digit ``index`` and search the model's latent space for a code that explains the
    visible pixels; stream the search (masked input, current repair, progress) until done or Stop."""
    name = model_name(model, LATENT_MODELS)
    image = mnist("test").images[checks.whole(index, name="Held-out digit", low=0, high=999)]
    missing = masks.make_mask(mask, seed=seed)
    shown = digit_picture(np.where(missing, 0.5, image), BIG)
    masked_error = float(np.mean(image[missing] ** 2))
    last = time.perf_counter()
    with stoppable(request, "repair") as stop:
        for found in api.repair(name, image, missing, seed=seed, restarts=8, steps=REPAIR_STEPS, every=1,
                                time_cap=REPAIR_TIME_CAP):
            # Read the flag once per step: Stop may land while this generator waits at a yield, and the frame
            # after it must still be the one that says "stopped" (returning straight after a yield lost it).
            stopping = stop.is_set() and found.step < REPAIR_STEPS
            finished = found.step == REPAIR_STEPS or stopping or found.elapsed > REPAIR_TIME_CAP
            # A frame costs the server two PNG encodings and a trip to the browser: at most one every
            # FRAME_SECONDS (the first at once), and the unchanged masked input only in the first.
            if not finished and found.step > 1 and time.perf_counter() - last < FRAME_SECONDS:
                continue
            last = time.perf_counter()
            error = float(np.mean((found.filled[missing] - image[missing]) ** 2))
            state = f"step {found.step} of {REPAIR_STEPS}"
            if found.step == REPAIR_STEPS:
                state = "done"
            elif finished and not stopping:   # the search's time cap
                state = f"time cap at {state}"
            stopped = f"  \n{stopped_note(state)}" if stopping else ""
            yield shown if found.step == 1 or finished else gr.skip(), digit_picture(found.filled, BIG), (
                f"{state}: visible-pixel loss {found.visible_loss:.1f} nats · squared error on the hidden "
                f"pixels {error:.4f} (hidden pixels left black: {masked_error:.4f}) · {found.elapsed:.1f} s{stopped}")
            if finished:
                return


def build() -> None:
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            model = gr.Dropdown(list(LATENT_MODELS), value=next(iter(LATENT_MODELS)), label="Model")
            index = gr.Slider(0, 999, value=3, step=1, precision=0, label="Held-out digit (never trained on)")
            mask = gr.Dropdown(list(masks.MASKS), value="bottom half", label="Hide")
            seed = gr.Number(value=0, precision=0, minimum=0, maximum=MAX_SEED, label="Seed (starting codes)")
            go = run_buttons("Repair", "repair")
            sharing = share.buttons("sample-repair")
        with gr.Column(scale=2):
            with gr.Row():
                shown = output_image("What the model sees (grey = hidden)", height=260)
                filled = output_image("Repaired", height=260, elem_id="repair-filled")
            progress = gr.Markdown(label="Progress")
    # Below the row, full width: in the narrow left column its Hide and Seed columns were cut off.
    shipped = gr.Examples(EXAMPLES, inputs=[model, index, mask, seed], outputs=[shown, filled, progress],
                          fn=repair_digit, cache_examples=True, cache_mode="lazy")
    supersede_on(shipped.dataset.click, "repair")   # the example's frame, not a running search's next one
    go.click(repair_digit, inputs=[model, index, mask, seed], outputs=[shown, filled, progress],
             api_name="repair", concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)
    share.view(sharing, share.View(
        key="sample/repair", title="Sample · Repair", tabs=("sample", "sample/repair"), run=go, fn=repair_digit,
        inputs=[model, index, mask, seed], outputs=[shown, filled, progress], api_name="repair",
        params=[share.Param("model", model, short=LATENT_MODELS), share.Param("digit", index),
                share.Param("hide", mask), share.Param("seed", seed)],
        pictures=[shown, filled], models=lambda values: [model_name(values["model"], LATENT_MODELS)]))
