"""Denoise tab: corrupt an image (noise, salt and pepper, missing pixels) and restore it with every rung of
the ladder from fixed filters to learned statistical priors, side by side, with PSNR, SSIM and seconds."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import gradio as gr
import pandas as pd

from generators import api, imaging
from generators import denoise as restore_lib
from ui import autoencoder, denoise_sweep, learned_filters, share
from ui.caches import ExampleCache
from ui.common import (HEAVY, HEAVY_LIMIT, MAX_SEED, brush_ready, display, examples, fixed_decimals,
                       friendly_errors, output_image, prose, upload_image)
from ui.stop import newest_run_wins, run_buttons, stoppable, stopped_note
from ui.denoise_inputs import (CORRUPTIONS, ENSEMBLE_CHOICES, METHODS, NOISE_LABEL, WORK_SIDE, chosen, cnn_ensemble,
                               corrupt, drawn_mask, labelled, load_clean)
from ui.gpu import on_gpu

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

EPLL_TIME_LIMIT = 90.0
# Methods that take more than a few seconds on a 256 px image: unticked by default, and run last.
SLOW = ("epll",)
DEFAULT_METHODS = ["Gaussian filter", "Total variation (Chambolle)", "Non-local means", "Least-squares filter",
                   "CNN denoiser (learned)"]
TABLE_COLUMNS = ["method", "PSNR (dB)", "SSIM", "seconds"]
# Idea, equation and reference of each method, for the "How each method works" accordion.
EXPLANATIONS = Path(__file__).with_suffix(".md")
# A run on an example is deterministic (the corruption is seeded): the same settings again come from here.
EXAMPLES = ExampleCache("denoise")


@newest_run_wins("denoise")
@friendly_errors
def restore(path, grayscale, corruption, sigma255, rate, fraction, seed, methods, editor=None, ising_algorithm="icm",
            ensemble=1, request: gr.Request = None, progress=gr.Progress()):
    """Corrupt the image, then restore it with each chosen method (the slow EPLL last); yields after every
    method so the gallery, the table and the before/after slider fill in as results arrive. Stop ends the run
    within about a second, EPLL included, keeping what is finished. An example run again with the same
    settings is answered from EXAMPLES at once."""
    clean = load_clean(path, bool(grayscale))
    key = None if drawn_mask(editor, clean.shape[:2]) is not None else EXAMPLES.key(
        path, bool(grayscale), corruption, sigma255, rate, fraction, seed, tuple(methods or ()), ising_algorithm,
        ensemble)
    kept = EXAMPLES.get(key)
    if kept is not None:
        yield kept
        return
    for *shown, finished in corrupt_and_restore(clean, corruption, sigma255, rate, fraction, seed, methods, editor,
                                                ising_algorithm, ensemble, request, progress):
        yield tuple(shown)
    if finished:
        EXAMPLES.put(key, tuple(shown))


@on_gpu(120)
def corrupt_and_restore(clean, corruption, sigma255, rate, fraction, seed, methods, editor, ising_algorithm, ensemble,
                        request, progress):
    """restore's work: yields (corrupted, gallery, table, before/after, summary, finished), ``finished`` true
    once every method ran to its end (no Stop, no EPLL time cap: the outputs are deterministic)."""
    corrupted, known, sigma = corrupt(clean, corruption, sigma255, rate, fraction, seed, editor)
    names, notes = chosen(methods, corruption)
    if corruption != "Missing pixels" and drawn_mask(editor, clean.shape[:2]) is not None:
        notes.append("The drawn mask was not used: it removes pixels only when the corruption is "
                     "**Missing pixels**.")
    names.sort(key=lambda name: name in SLOW)  # slow methods last: the quick results show at once
    options = {"ising": {"algorithm": ising_algorithm}, "cnn": {"ensemble": cnn_ensemble(ensemble)}}
    rows = [_cells(restore_lib.score(clean, corrupted, label="(corrupted input)"))]
    gallery, best, finished = [], None, True
    with stoppable(request, "denoise") as stop:
        for row in api.compare_denoisers(clean, corrupted, methods=labelled(names, options), sigma=sigma, known=known,
                                         should_stop=stop.is_set, time_limit=EPLL_TIME_LIMIT,
                                         progress=lambda fraction, text: progress(fraction, desc=text)):
            rows.append(_cells(row))
            if row.stopped_at:
                finished = False
                rows[-1][0] += f" (stopped at {row.stopped_at})"
                notes.append(stopped_note(row.stopped_at) if stop.is_set() else
                             f"EPLL reached the {EPLL_TIME_LIMIT:.0f} s time cap at {row.stopped_at}: its result "
                             "is the last step it finished.")
            gallery.append((display(row.restored), f"{rows[-1][0]} · {_db(rows[-1][1])} dB · {rows[-1][3]:.2f} s"))
            best = row if best is None or row.psnr > best.psnr else best
            yield (display(corrupted), gallery, _table(rows),
                   (display(corrupted), display(best.restored)), _summary(sigma, notes, rows), finished)
        if len(rows) - 1 < len(names):  # stopped between methods: say so under what is done
            notes.append(stopped_note(f"method {len(rows) - 1} of {len(names)}"))
            yield (display(corrupted), gallery, _table(rows),
                   None if best is None else (display(corrupted), display(best.restored)),
                   " ".join(notes) if best is None else _summary(sigma, notes, rows), False)


def _cells(row: restore_lib.Row) -> list:
    return [row.label, round(row.psnr, 2), round(row.ssim, 3), round(row.seconds, 2)]


def _db(psnr: float) -> str:
    """A PSNR for the page, to two decimals ("30.40", not "30.4"); "∞" for a result equal to the clean image (a
    binary image restored pixel for pixel), which Gradio's table showed as an empty cell and the captions as "inf"."""
    return f"{psnr:.2f}" if math.isfinite(psnr) else "∞"


def _table(rows: list) -> Styler:
    """The rows, every figure shown to fixed decimals (PSNR 2, SSIM 3, seconds 2: "28.3" stood under "24.89")."""
    frame = pd.DataFrame([[label, psnr if math.isfinite(psnr) else "∞", *rest] for label, psnr, *rest in rows],
                         columns=TABLE_COLUMNS)
    return fixed_decimals(frame, {"PSNR (dB)": 2, "SSIM": 3, "seconds": 2})


def _summary(sigma: float, notes: list[str], rows: list) -> str:
    best = max(rows[1:], key=lambda row: row[1])
    exact = "" if math.isfinite(best[1]) else ": every pixel restored exactly"
    text = [f"Best PSNR: **{best[0]}** ({_db(best[1])} dB{exact}; the corrupted input has {_db(rows[0][1])} dB). "
            f"The restorers were told σ = {sigma * 255:.1f}/255. The slider compares the input with the best result."]
    return " ".join(text + notes)


def _models(values: dict) -> list[str]:
    """The shipped models a Denoise run with these settings uses (for its bundle)."""
    colour = bool(values["image"]) and not values["grayscale"] and load_clean(values["image"], False).ndim == 3
    names = [METHODS.get(label) for label in values["methods"] or []]
    return [api.DENOISE_MODELS[name][colour] for name in names if name in api.DENOISE_MODELS]


def to_editor(path, grayscale):
    """Put the working image into the mask editor as its background."""
    if not path:
        return None
    try:
        image = load_clean(path, bool(grayscale))
    except ValueError:
        return None
    return {"background": display(imaging.to_rgb(image)), "layers": [], "composite": None}


def show_sliders(kind: str):
    """The sliders of the chosen corruption (on every change: a click, a link, a lesson step)."""
    return (gr.update(visible=kind == "Gaussian noise"), gr.update(visible=kind == "Salt and pepper"),
            gr.update(visible=kind == "Missing pixels"))


def tick_a_filler(kind: str, methods: list[str]):
    """The user picked a corruption: for missing pixels, tick Biharmonic inpainting if no method that fills holes
    is ticked, so the first click works (a link's methods are its own, so not on a link's change). The methods
    are written back only then: a box ticked while this event ran would otherwise be unticked again."""
    ticked = list(methods or [])
    fills = any(METHODS.get(label) in restore_lib.INPAINTERS for label in ticked)
    return ticked + [restore_lib.LABELS["biharmonic"]] if kind == "Missing pixels" and not fills else gr.update()


def build() -> None:
    gr.Markdown("Corrupt an image, then restore it with fixed filters, least-squares and polynomial fits, "
                "logistic regression and Ising models (for black-and-white images), total variation, non-local "
                f"means, a learned patch prior (EPLL) and a learned CNN. Images are worked on at up to {WORK_SIDE} px.")
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            source = upload_image("Clean image", height=260, value=examples("denoise")[0], elem_id="denoise-source")
            go = run_buttons("Corrupt and restore", "denoise", "denoise-sweep")
            sharing = share.buttons("denoise")
            shipped = gr.Examples(examples("denoise"), inputs=source,
                                  label="Examples (the binary ones suit Ising and logistic): a click runs them")
            grayscale = gr.Checkbox(label="Work in grayscale", value=False)
            corruption = gr.Radio(list(CORRUPTIONS), value=CORRUPTIONS[0], label="Corruption")
            sigma255 = gr.Slider(0, 100, value=25, step=1, precision=0, label=NOISE_LABEL)
            rate = gr.Slider(0, 0.5, value=0.1, step=0.01, label="Salt-and-pepper rate", visible=False)
            fraction = gr.Slider(0, 0.95, value=0.5, step=0.05, label="Missing fraction (random pixels)",
                                 visible=False)
            seed = gr.Number(value=0, precision=0, minimum=0, maximum=MAX_SEED, label="Seed")
            with gr.Accordion("Draw a mask (missing pixels)", open=False) as mask_panel:
                editor = gr.ImageEditor(label="Paint the pixels to remove", type="numpy", format="png",
                                        elem_id="mask-editor",
                                        sources=[], layers=False, height=300,
                                        brush=gr.Brush(colors=["#ff0000"], default_size=12))
            brush_ready(mask_panel.expand, editor)
            brush_ready(editor.clear, editor)
            methods = gr.CheckboxGroup(list(METHODS), value=DEFAULT_METHODS, label="Methods")
            ising_algorithm = gr.Radio(["icm", "gibbs"], value="icm", label="Ising algorithm")
            ensemble = gr.Radio(ENSEMBLE_CHOICES, value=1, label="CNN self-ensemble (average over flips and "
                                "rotations: sharper, that many times slower)")
        with gr.Column(scale=2):
            with gr.Row():
                corrupted = output_image("Corrupted", elem_id="denoise-corrupted")
                slider = gr.ImageSlider(label="Before / after (best PSNR)", type="numpy", format="png")
            summary = gr.Markdown("Press **Corrupt and restore**.", label="Summary")
            table = gr.Dataframe(headers=TABLE_COLUMNS, label="Quality against the clean image", interactive=False,
                                 wrap=True, column_widths=["34%", "22%", "20%", "24%"])
            # fit_columns=False: one method's result takes one of the four columns, not the whole width (a 256 px
            # result blown up to 800 px). interactive=False: the bundle button reads it, and Gradio makes every
            # input it is not told otherwise about an upload ("Drop Media Here" in an empty Results).
            gallery = gr.Gallery(label="Results", columns=4, height="auto", object_fit="contain", format="png",
                                 fit_columns=False, interactive=False, elem_id="denoise-gallery")
    denoise_sweep.build(source, grayscale, seed, methods)
    learned_filters.build(source, grayscale, corruption, sigma255, seed, methods)
    with gr.Accordion("How each method works (idea, equation, reference)", open=False):
        prose(EXPLANATIONS)
    autoencoder.build()

    corruption.change(show_sliders, corruption, [sigma255, rate, fraction], api_visibility="private")
    corruption.input(tick_a_filler, [corruption, methods], methods, api_visibility="private")
    # triggers=None: on page load (the opening example) and whenever the image or the grayscale box changes.
    gr.on(None, to_editor, [source, grayscale], editor, api_visibility="private")
    # The editor's Clear canvas removes the picture with the strokes: put the picture back to paint on.
    editor.clear(to_editor, [source, grayscale], editor, api_visibility="private")
    settings = [source, grayscale, corruption, sigma255, rate, fraction, seed, methods, editor, ising_algorithm,
                ensemble]
    shown = [corrupted, gallery, table, slider, summary]
    go.click(restore, settings, shown, api_name="restore", concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT,
             show_progress_on=[summary], api_description=(
                 "Corrupt an image (Gaussian noise, salt and pepper or missing pixels) and restore it with "
                 "each chosen method; streams the corrupted image, the results, a PSNR/SSIM table, a "
                 "before/after pair and a summary."))
    # A click on an example runs it with the current settings: the first click computes, the same click with
    # the same settings again is answered from EXAMPLES (see restore). An example clicked while a run streams
    # replaces it (restore is newest_run_wins; "multiple": in Gradio's default mode a second example's run was
    # dropped while the first ran, and the new image then sat beside the old one's results).
    shipped.load_input_event.then(restore, settings, shown, api_visibility="private", concurrency_id=HEAVY,
                                  concurrency_limit=HEAVY_LIMIT, show_progress_on=[summary], trigger_mode="multiple")
    share.view(sharing, share.View(
        key="denoise", title="Denoise", tabs=("denoise",), run=go, fn=restore, inputs=settings, outputs=shown,
        api_name="restore", pictures=[corrupted, gallery], models=_models,
        uploads=[share.Upload("image", source, "denoise", default=examples("denoise")[0]),
                 share.Upload("mask", editor, what="a drawn mask", redo="draw it again (Draw a mask)", carried=False,
                              present=lambda value: drawn_mask(value, (8, 8)) is not None)],
        params=[share.Param("grayscale", grayscale), share.Param("corruption", corruption),
                share.Param("sigma", sigma255), share.Param("rate", rate), share.Param("fraction", fraction),
                share.Param("seed", seed), share.Param("methods", methods, short=METHODS),
                share.Param("ising", ising_algorithm), share.Param("ensemble", ensemble)]))
