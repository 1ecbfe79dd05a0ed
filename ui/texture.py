"""Texture tab: grow a texture from an exemplar pixel by pixel, block by block or by matching Gram matrices,
and see where every output pixel came from."""

from __future__ import annotations

import random
import time
from pathlib import Path

import gradio as gr
import numpy as np

from generators import api, checks, imaging, texture
from generators.texture import sourcemap
from ui import share
from ui.caches import ExampleCache, file_digest
from ui.common import (HEAVY, HEAVY_LIMIT, MAX_SEED, display, examples, friendly_errors, nothing_uploaded,
                       output_image, prose, upload_image)
from ui.stop import newest_run_wins, run_buttons, stop_on, stoppable, stopped_note
from ui.gpu import on_gpu

# Label shown in the UI -> (method, largest exemplar side, largest output side). Efros-Leung compares every
# output pixel with every exemplar window, so it gets the smallest exemplar.
METHODS = {
    "Efros–Leung: pixel by pixel (1999)": ("efros_leung", 64, 192),
    "Image quilting: block by block (2001)": ("quilting", 256, 512),
    "Neural: Gram matrices (2015)": ("neural", 128, 256),
}
# Quilting answers in a second or two; pixel-by-pixel and neural synthesis take tens of seconds on a laptop.
DEFAULT_METHOD = "Image quilting: block by block (2001)"
_API_DESCRIPTION = ("Grow a square texture from an exemplar image by Efros-Leung, image quilting or neural "
                    "synthesis; streams the output, the source map and a status line.")
TIME_CAP = 90.0
# Seconds between two previews sent to the browser.
PREVIEW_EVERY = 0.25
# Small images are blown up (nearest neighbour, pixels stay crisp) to at least this side for display.
SHOW_SIDE = 256
# Finished example results kept, the least recently shown dropped first (each at most ~1.6 MB: a 512 px output and
# its source map). The same example, settings and seed give the same texture.
EXAMPLE_CACHE_SIZE = 32
CACHED_NOTE = "Shown from the example cache: the first click with these settings computed it."

# Idea, equation and reference of each method, for the "How the methods work" accordion.
EXPLANATIONS = Path(__file__).with_suffix(".md")


@newest_run_wins("texture")
@on_gpu(120)
@friendly_errors
def grow(exemplar_file, method: str, side, seed, window, block, overlap, target_file=None, alpha=0.3, steps=200,
         request: gr.Request = None):
    """Stream (output, source map, status) while the texture grows, until done, stopped or TIME_CAP."""
    yield from _frames(exemplar_file, method, side, seed, window, block, overlap, target_file, alpha, steps, request)


EXAMPLES = ExampleCache("texture", size=EXAMPLE_CACHE_SIZE)


@newest_run_wins("texture")
@on_gpu(120)
@friendly_errors
def example_result(exemplar_file, method: str, side, seed, window, block, overlap, target_file=None, alpha=0.3,
                   steps=200, request: gr.Request = None):
    """grow() for a click on an example. Synthesis is seeded, so an example with the same settings gives the
    same texture: a finished run is kept (the last EXAMPLE_CACHE_SIZE), and the next such click shows it at once."""
    target = None if target_file is None else file_digest(target_file)
    key = EXAMPLES.key(exemplar_file, method, side, seed, window, block, overlap, target, alpha, steps)
    cached = EXAMPLES.get(key)
    if cached is not None:
        output, source, status = cached
        yield output, source, f"{status}  \n{CACHED_NOTE}"
        return
    final = yield from _frames(exemplar_file, method, side, seed, window, block, overlap, target_file, alpha,
                               steps, request)
    if final is not None:
        EXAMPLES.put(key, final)


def _frames(exemplar_file, method, side, seed, window, block, overlap, target_file, alpha, steps, request):
    """grow()'s frames; returns the last one if the synthesis finished (not stopped, not cut at TIME_CAP)."""
    start = time.perf_counter()
    name, max_exemplar, max_side = _method(method)
    if exemplar_file is None:
        raise nothing_uploaded("exemplar")
    exemplar, notice = imaging.load_image(exemplar_file, max_side=max_exemplar,
                                          min_side=imaging.MIN_UPLOAD_SIDE, name="the exemplar")
    # The tab's own cap per method (the generator allows up to texture.MAX_SIDE): pixel by pixel is slow.
    side = checks.whole(side, name="Output size", low=8, high=max_side)
    size, params, notes = (side, side), {}, [notice] if notice else []
    if name == "efros_leung":
        params = {"window": window}
    elif name == "quilting":
        params = {"block": block, "overlap": overlap, "alpha": alpha}
        if target_file is not None:
            params["target"], _ = imaging.load_image(target_file, max_side=max_side,
                                                     min_side=imaging.MIN_UPLOAD_SIDE, name="the target")
            size = params["target"].shape[:2]
            notes.append(f"Texture transfer onto the {size[1]}x{size[0]} target (α = {alpha}).")
    else:
        params = {"steps": steps}
    last_sent, step, frame = 0.0, None, None
    with stoppable(request, "texture") as stop:
        try:
            steps = api.synthesize_steps(exemplar, method=name, size=size, seed=seed, should_stop=stop.is_set,
                                         **params)
        except ValueError as error:   # sizes in it are the downscaled exemplar's: say so
            raise ValueError(f"{error}. {notice}" if notice else str(error)) from None
        for step in steps:
            elapsed = time.perf_counter() - start
            if elapsed > TIME_CAP and step.progress < 1.0:
                notes.append(f"Stopped at the {TIME_CAP:.0f} s time cap: try a smaller output.")
                break
            if step.progress < 1.0 and elapsed - last_sent < PREVIEW_EVERY and not stop.is_set():
                continue
            last_sent = elapsed
            frame = _frame(step, exemplar, method, elapsed, notes)
            yield frame
        if step is not None and step.progress < 1.0:
            if stop.is_set():
                notes.append(stopped_note(_reached(step, params)))
            yield _frame(step, exemplar, method, time.perf_counter() - start, notes, _reached(step, params))
            return None
    return frame


@friendly_errors
def source_key(exemplar_file, method: str):
    """The colour of each position of the exemplar as the method will see it (the source map's legend)."""
    if exemplar_file is None:
        return None
    _, max_exemplar, _ = _method(method)
    exemplar, _ = imaging.load_image(exemplar_file, max_side=max_exemplar,
                                     min_side=imaging.MIN_UPLOAD_SIDE, name="the exemplar")
    return _shown(sourcemap.key(exemplar.shape))


def show_parameters(method: str):
    """Show the chosen method's parameters; for neural synthesis, say which feature network it will use."""
    name = _method(method)[0]
    network = f"Feature network on this machine: **{texture.feature_network()}**." if name == "neural" else ""
    return [gr.update(visible=name == group) for group in ("efros_leung", "quilting", "neural")] + [network]


def random_seed() -> int:
    return random.randint(0, 99_999)


def _reached(step: texture.Step, params: dict) -> str:
    """How far a synthesis got, in its own units: optimiser steps, or the share of the output filled."""
    if "steps" in params:
        return f"step {round(step.progress * params['steps'])} of {params['steps']}"
    return f"{step.progress:.0%} of the output"


def _frame(step: texture.Step, exemplar: np.ndarray, method: str, elapsed: float, notes: list[str],
           state: str | None = None):
    height, width = step.image.shape[:2]
    state = "done" if step.progress >= 1.0 else state or f"{step.progress:.0%}"
    lines = [f"**{method}** · {width}x{height} from a {exemplar.shape[1]}x{exemplar.shape[0]} exemplar · "
             f"{state} · **{elapsed:.2f} s**"]
    if step.note:
        lines.append(f"Feature network: **{step.note}**.")
    if not step.copied:
        lines.append("Neural synthesis copies nothing: at the end, the source map shows each pixel's nearest "
                     "exemplar 5x5 patch instead.")
    source = None if step.source is None else _shown(sourcemap.colour(step.source, exemplar.shape))
    return _shown(step.image), source, "  \n".join(lines + notes)


def _shown(image: np.ndarray) -> np.ndarray:
    factor = min(4, -(-SHOW_SIDE // max(image.shape[:2])))
    return display(imaging.upscale_nearest(image, factor) if factor > 1 else image)


def _method(label: str) -> tuple[str, int, int]:
    if label not in METHODS:
        raise ValueError(f"unknown method {label!r}; choose one of: {', '.join(METHODS)}")
    return METHODS[label]


def build() -> None:
    gr.Markdown("Grow a larger texture from a small example (the *exemplar*) and watch it happen. The **source "
                "map** shows where in the exemplar each output pixel was copied from.")
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            exemplar = upload_image("Exemplar", height=220, value=examples("texture")[0])
            go = run_buttons("Synthesize", "texture")
            sharing = share.buttons("texture")
            # A click sets the exemplar and synthesises it with the settings as they are (example_result, below).
            example_set = gr.Examples([[path] for path in examples("texture")], inputs=[exemplar],
                                      label="Examples: scikit-image photos, generated patterns (a click runs them)")
            method = gr.Radio(list(METHODS), value=DEFAULT_METHOD, label="Method")
            side = gr.Slider(16, 512, value=128, step=8, precision=0, label="Output size (px, square)")
            with gr.Row():
                seed = gr.Number(value=0, precision=0, minimum=0, maximum=MAX_SEED, label="Seed")
                dice = gr.Button("Random seed", size="sm")
            with gr.Group(visible=False) as efros_leung:
                window = gr.Slider(3, 31, value=11, step=2, precision=0, label="Window (odd, px)")
            with gr.Group(visible=True) as quilting:
                block = gr.Slider(4, 64, value=24, step=1, precision=0, label="Block (px)")
                overlap = gr.Slider(1, 32, value=6, step=1, precision=0, label="Overlap (px, at most half the block)")
                target = upload_image("Texture transfer target (optional)", height=160)
                alpha = gr.Slider(0, 1, value=0.3, step=0.05, label="α: weight of the overlap vs the target")
            with gr.Group(visible=False) as neural_group:
                steps = gr.Slider(5, 1000, value=200, step=5, precision=0, label="Optimiser steps (L-BFGS)")
                network = gr.Markdown()
        with gr.Column(scale=2):
            with gr.Row():
                output = output_image("Output", height=340, elem_id="texture-output")
                source = output_image("Source map", height=340)
            status = gr.Markdown(label="Status", elem_id="texture-status")
            with gr.Row():
                key = output_image("Source-map key", height=280)
                gr.Markdown("**Key**: the colour of each exemplar position (red: column, green: row). A pixel of "
                            "the source map has the colour of the exemplar position it was copied from; black "
                            "where nothing is placed yet.  \nOutputs smaller than 256 px are shown enlarged with "
                            "square pixels.")
            with gr.Accordion("How the methods work", open=False):
                prose(EXPLANATIONS)

    inputs = [exemplar, method, side, seed, window, block, overlap, target, alpha, steps]
    growing = dict(fn=grow, inputs=inputs, outputs=[output, source, status],
                   concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)
    go.click(**growing, api_name="texture", api_description=_API_DESCRIPTION)
    share.view(sharing, share.View(
        key="texture", title="Texture", tabs=("texture",), run=go, fn=grow, inputs=inputs,
        outputs=[output, source, status], api_name="texture", pictures=[output, source],
        uploads=[share.Upload("exemplar", exemplar, "texture", default=examples("texture")[0]),
                 share.Upload("target", target, what="an uploaded transfer target", redo="upload it again")],
        params=[share.Param("method", method, short={label: spec[0] for label, spec in METHODS.items()}),
                *(share.Param(name, component) for name, component in (
                    ("side", side), ("seed", seed), ("window", window), ("block", block), ("overlap", overlap),
                    ("alpha", alpha), ("steps", steps)))]))
    # An example or the dice clicked while a run streams replaces it (grow and example_result are
    # newest_run_wins; "multiple": in Gradio's default mode the second click's run was dropped).
    example_set.load_input_event.then(**{**growing, "fn": example_result}, api_visibility="private",
                                      trigger_mode="multiple")
    dice.click(random_seed, outputs=seed, api_visibility="private").then(**growing, api_visibility="private",
                                                                         trigger_mode="multiple")
    method.change(show_parameters, inputs=method, outputs=[efros_leung, quilting, neural_group, network],
                  api_visibility="private")
    stop_on(method.input, "texture")   # another method chosen mid-run: the run ends, with its note
    # triggers=None: on page load (the opening example) and whenever the exemplar or the method changes.
    gr.on(None, source_key, inputs=[exemplar, method], outputs=key, api_visibility="private")
