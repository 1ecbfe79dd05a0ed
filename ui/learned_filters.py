"""The Denoise tab's view of what the learned methods learned at the current noise level: the least-squares
filter and the logistic weights (both fitted for that sigma), and the Ising energy per sweep of ICM and Gibbs
sampling on the current image with Gaussian noise."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from generators import checks
from generators import denoise as restore_lib
from ui.common import LATEX, display, diverging, friendly_errors, output_image
from ui.denoise_inputs import load_clean, noise_level
from ui.gpu import on_gpu


@on_gpu()
@friendly_errors
def learned(path, grayscale, corruption, sigma255, seed, methods):
    """What the learned methods learned at this noise level: the least-squares filter, the logistic weights,
    and the Ising energy per sweep (ICM and Gibbs) on the corrupted image."""
    from generators.denoise.learned import least_squares_filter, logistic_classifier

    sigma = noise_level(sigma255)
    filt, _ = least_squares_filter(round(sigma, 4), 7)
    weights, _ = logistic_classifier(round(max(sigma, 1e-3), 4), 5)
    clean = load_clean(path, bool(grayscale)) if path else None
    energies = pd.DataFrame(columns=["sweep", "energy change", "algorithm"])
    if clean is not None and corruption == "Gaussian noise":
        noisy = restore_lib.gaussian_noise(clean, sigma=sigma, seed=checks.seed(seed, name="Seed"))
        frames = []
        for algorithm in ("icm", "gibbs"):
            result = restore_lib.ising(noisy, sigma, algorithm=algorithm, sweeps=15, seed=0)
            # E(s) itself is dominated by the data term (about -3.7e6 on a 256 px binary image), so the
            # curves would sit on top of each other: plot the change from the noisy start instead.
            change = [energy - result.energies[0] for energy in result.energies]
            frames.append(pd.DataFrame({"sweep": range(len(change)), "energy change": change,
                                        "algorithm": algorithm.upper()}))
        energies = pd.concat(frames, ignore_index=True)
    return display(diverging(filt, 24)), display(diverging(weights, 24)), energies


def build(source, grayscale, corruption, sigma255, seed, methods) -> None:
    """The accordion, fed by the tab's image, grayscale box, corruption, noise slider, seed and methods."""
    with gr.Accordion("What the learned methods learned", open=False):
        gr.Markdown("Weights are drawn mid-gray for 0, brighter for positive, darker for negative; both are "
                    "fitted for the current noise sigma. The energy curves run ICM and Gibbs sampling on the "
                    "current image with Gaussian noise (meaningful for the binary examples) and plot how far "
                    "each sweep lowered the energy $E(s)$ from the noisy start: ICM only ever goes down and "
                    "stops at a local minimum, Gibbs sampling keeps wandering. At low noise the data term "
                    "dominates and few pixels change; raise sigma (say to 80) to see the prior at work.",
                    latex_delimiters=LATEX)
        show = gr.Button("Show the learned filters and the Ising energy")
        with gr.Row():
            ls_filter = output_image("Least-squares 7×7 filter")
            logistic_weights = output_image("Logistic 5×5 weights")
            energy = gr.LinePlot(x="sweep", y="energy change", color="algorithm",
                                 x_title="sweep (one visit of every pixel)",
                                 y_title="E(s) − E(noisy start) (no unit)",
                                 color_title="algorithm", label="Ising energy per sweep on the noisy image",
                                 buttons=["export", "fullscreen"])
    show.click(learned, [source, grayscale, corruption, sigma255, seed, methods],
               [ls_filter, logistic_weights, energy], api_name="learned")
