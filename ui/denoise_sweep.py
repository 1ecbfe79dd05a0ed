"""The Denoise tab's PSNR-against-noise-level sweep: each chosen noise method on the image shrunk to 96 px, at six
noise levels, as one line per method."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from generators import api, checks, imaging
from generators import denoise as restore_lib
from ui.common import HEAVY, HEAVY_LIMIT, friendly_errors
from ui.denoise_inputs import chosen, labelled, load_clean
from ui.gpu import on_gpu
from ui.stop import stoppable

SWEEP_SIDE = 96
SWEEP_SIGMAS = (5, 15, 25, 35, 50, 75)
SWEEP_COLUMNS = ["noise σ (0-255 scale)", "PSNR (dB)", "method"]


@on_gpu(120)
@friendly_errors
def psnr_sweep(path, grayscale, seed, methods, request: gr.Request = None, progress=gr.Progress()):
    """PSNR against noise sigma for the chosen noise methods, on the image shrunk to 96 px (a quick sweep).
    Stop ends it after the current method; the plot keeps the noise levels finished."""
    clean = load_clean(path, bool(grayscale))
    clean, _ = imaging.cap_size(clean, SWEEP_SIDE)
    seed = checks.seed(seed, name="Seed")
    names, _ = chosen(methods, "Gaussian noise")
    rows = []
    with stoppable(request, "denoise-sweep") as stop:
        for index, sigma255 in enumerate(SWEEP_SIGMAS):
            progress(index / len(SWEEP_SIGMAS), desc=f"σ = {sigma255}/255")
            noisy = restore_lib.gaussian_noise(clean, sigma=sigma255 / 255, seed=seed)
            found = [restore_lib.score(clean, noisy, label="(noisy input)"),
                     *api.compare_denoisers(clean, noisy, methods=labelled(names), sigma=sigma255 / 255,
                                            should_stop=stop.is_set)]
            if stop.is_set():
                break
            rows += [(sigma255, round(row.psnr, 2), row.label) for row in found]
    return pd.DataFrame(rows, columns=SWEEP_COLUMNS)


def build(source, grayscale, seed, methods) -> None:
    """The accordion, fed by the tab's image, grayscale box, seed and methods; Stop on the tab ends it too."""
    with gr.Accordion("PSNR against noise level", open=False):
        sweep = gr.Button("Plot PSNR against sigma for the chosen methods")
        plot = gr.LinePlot(x=SWEEP_COLUMNS[0], y=SWEEP_COLUMNS[1], color=SWEEP_COLUMNS[2],
                           x_title="noise σ (0-255 scale)", y_title="PSNR (dB)", color_title="method",
                           label=f"PSNR on the image shrunk to {SWEEP_SIDE} px, Gaussian noise",
                           buttons=["export", "fullscreen"])
    sweep.click(psnr_sweep, [source, grayscale, seed, methods], plot, api_name="psnr_sweep",
                concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)
