"""The Denoise tab's teaching view: denoising autoencoders on handwritten digits. A held-out digit is noised,
and every shipped autoencoder (one per training noise level) squeezes it into its 32-number code and
rebuilds it, so a student sees the bottleneck and what a mismatched training noise level costs."""

from __future__ import annotations

import gradio as gr
import numpy as np
import pandas as pd

from generators import api, checks, metrics
from generators.datasets import mnist
from ui.common import (LATEX, MAX_SEED, digit_picture, display, diverging, fixed_decimals, friendly_errors,
                       output_image)
from ui.gpu import on_gpu


def _on_255(level) -> str:
    """A noise level on [0, 1] written on the tab's 0-255 scale (0.1 -> "25.5")."""
    return f"{float(level) * 255:g}"


def _psnr(estimate: np.ndarray, clean: np.ndarray) -> float:
    return round(metrics.psnr(clean, estimate), 2)


@on_gpu()
@friendly_errors
def autoencode(index, sigma255, seed):
    """(gallery of clean, noisy and every reconstruction, the codes as a heat map, a summary). ``sigma255`` is
    on the 0-255 scale of the tab's main noise slider; the networks take it on [0, 1]."""
    index = checks.whole(index, name="Digit", low=0, high=999)
    seed = checks.seed(seed, name="Seed")
    sigma = checks.real(sigma255, name="Input noise σ", low=0.0, high=255.0) / 255.0
    from generators.denoise.autoencoder import noisy_digits  # torch: imported on first use, not at app start

    model = api.digit_autoencoders()
    clean = mnist("test").images[index]
    noisy = noisy_digits(clean[None], sigma=sigma, seed=seed)
    gallery = [(digit_picture(clean), "clean"), (digit_picture(noisy[0]), f"noisy · {_psnr(noisy[0], clean)} dB")]
    codes, scores = [], []
    for level in model.levels:
        restored = model.denoise(noisy, level)[0]
        codes.append(model.encode(noisy, level)[0])
        scores.append(_psnr(restored, clean))
        gallery.append((digit_picture(restored), f"σ train {_on_255(level)} · {scores[-1]} dB"))
    best = int(np.argmax(scores))
    summary = (f"Input noise σ = {_on_255(sigma)} ({_psnr(noisy[0], clean)} dB). Best here: the autoencoder "
               f"trained at **σ = {_on_255(model.levels[best])}** ({scores[best]} dB). Each one saw only its own "
               "noise level in training: one trained on little noise trusts stray pixels, one trained on a lot "
               "smooths the digit into a typical shape. The code rows below are the 32 numbers each network kept.")
    return gallery, display(diverging(np.stack(codes), 20)), summary   # one 20-px row of 32 cells per network


def held_out_table():
    """The card's measured PSNR, trained level x input level, on the 1,000 held-out digits (no weights loaded)."""
    measured = api.digit_autoencoder_card().get("metrics", {})
    table, noisy = measured.get("held_out_psnr_db", {}), measured.get("noisy_input_psnr_db", {})
    rows = [["noisy input", *noisy.values()]] if noisy else []
    for trained, by_input in table.items():
        rows.append([f"trained at σ = {_on_255(trained.removeprefix('trained_'))}", *by_input.values()])
    levels = [f"input σ = {_on_255(key.removeprefix('input_'))}" for key in next(iter(table.values()), {})]
    return fixed_decimals(pd.DataFrame(rows, columns=["network", *levels]), dict.fromkeys(levels, 2))


def build() -> None:
    with gr.Accordion("Teaching view: denoising autoencoders on handwritten digits", open=False):
        gr.Markdown(
            "A denoising autoencoder (Vincent et al. 2008) learns to undo noise by squeezing a noisy digit "
            "through a bottleneck of **32 numbers** and rebuilding the clean digit from those alone: "
            "$c = E(x + \\sigma n)$, $\\hat x = \\mathrm{sigmoid}(D(c))$, trained to minimise the cross-entropy to "
            "the clean digit $x$. Four networks were trained, each at one noise level σ. Pick a held-out digit and "
            "a noise level, and compare them.", latex_delimiters=LATEX)
        with gr.Row():
            index = gr.Slider(0, 999, value=7, step=1, precision=0,
                              label="Digit (one of the 1,000 held-out MNIST digits)")
            sigma = gr.Slider(0, 255, value=127.5, step=0.5,
                              label="Input noise σ (0-255, as above; the networks were trained at "
                                    "25.5, 76.5, 127.5 and 178.5)")
            seed = gr.Number(value=0, precision=0, minimum=0, maximum=MAX_SEED, label="Noise seed")
        go = gr.Button("Denoise with every autoencoder", variant="primary")
        summary = gr.Markdown(label="Summary")
        gallery = gr.Gallery(label="Clean, noisy, and each network's reconstruction", columns=6, height=260,
                             object_fit="contain", format="png")
        codes = output_image("Bottleneck codes: one row per network (top: trained at the lowest σ); "
                             "gray 0, white positive, black negative")
        gr.Dataframe(held_out_table(), label="Measured PSNR (dB) on the 1,000 held-out digits: rows trained "
                     "at, columns input noise", interactive=False)
    go.click(autoencode, [index, sigma, seed], [gallery, codes, summary], api_name="autoencode")
