"""Denoise tab: corrupt an image (noise, salt and pepper, missing pixels) and restore it with every rung of
the ladder from fixed filters to learned statistical priors, side by side, with PSNR, SSIM and seconds."""

from __future__ import annotations

import time

import gradio as gr
import numpy as np
import pandas as pd

from generators import denoise as restore_lib
from generators import imaging
from ui import autoencoder
from ui.common import (HEAVY, HEAVY_LIMIT, MAX_SEED, LATEX, brush_ready, display, diverging, examples, friendly_errors,
                       nothing_uploaded, output_image, stop_button, stoppable, stopped_note, upload_image, whole_number)
from ui.gpu import on_gpu

WORK_SIDE = 256
SWEEP_SIDE = 96
SWEEP_SIGMAS = (5, 15, 25, 35, 50, 75)
EPLL_TIME_LIMIT = 90.0
NOISE_LABEL = "Noise σ (0-255 scale)"
# Methods that take more than a few seconds on a 256 px image: unticked by default, and run last.
SLOW = ("epll",)
CORRUPTIONS = ("Gaussian noise", "Salt and pepper", "Missing pixels")
# UI label -> method name of generators.denoise.denoise
METHODS = {label: name for name, label in restore_lib.LABELS.items()}
DEFAULT_METHODS = ["Gaussian filter", "Total variation (Chambolle)", "Non-local means", "Least-squares filter",
                   "CNN denoiser (learned)"]
TABLE_COLUMNS = ["method", "PSNR (dB)", "SSIM", "seconds"]
SWEEP_COLUMNS = ["noise σ (0-255 scale)", "PSNR (dB)", "method"]

EXPLAIN = {
    "gaussian": ("Average each pixel with its neighbours, nearer ones counting more. Noise falls, edges blur.",
                 r"\hat x = G_w * y,\ G_w \text{ a Gaussian of width } w = 0.5 + 6\sigma \text{ px}",
                 "Gonzalez & Woods, *Digital Image Processing*, ch. 3"),
    "median": ("Replace each pixel by the median of its 3×3 (or 5×5) window: outliers never win a median, "
               "so it is the cure for salt and pepper.",
               r"\hat x_i = \operatorname{median}\{\, y_j : j \text{ in the window around } i \,\}",
               "Tukey 1977; Huang, Yang & Tang 1979"),
    "tv": ("Find the image closest to the noisy one whose total edge length (total variation) is small: flat "
           "regions become flat, sharp edges stay.",
           r"\hat x = \arg\min_x \tfrac12 \lVert x - y \rVert^2 + \lambda \sum_i \lVert \nabla x_i \rVert,"
           r"\ \lambda = 0.9\sigma",
           "Rudin, Osher & Fatemi 1992; Chambolle 2004"),
    "nlm": ("Average each pixel with pixels anywhere nearby whose surrounding patch looks the same: "
            "repetition in the image does the denoising.",
            r"\hat x_i = \frac{\sum_j w_{ij} y_j}{\sum_j w_{ij}},\ "
            r"w_{ij} = \exp\!\Big(-\frac{\max(\lVert P_i y - P_j y \rVert^2 - 2\sigma^2,\, 0)}{h^2}\Big),"
            r"\ h = 0.8\sigma",
            "Buades, Coll & Morel, CVPR 2005"),
    "least_squares": ("Learn the best 7×7 linear filter from clean/noisy pairs (other photographs, same σ) by "
                      "ridge least squares: a Wiener filter estimated from data.",
                      r"[w; b] = \arg\min \sum_i (x_i - w \cdot N_i(y) - b)^2 + \alpha \lVert w \rVert^2"
                      r" = (A^\top A + \alpha I)^{-1} A^\top x",
                      "Wiener 1949; Gauss/Legendre least squares; Hoerl & Kennard 1970 (ridge)"),
    "polynomial": ("Fit a quadratic surface to each pixel's neighbourhood by weighted least squares (nearer "
                   "pixels count more) and keep its centre value: keeps slopes and curvature that plain "
                   "averaging flattens.",
                   r"\hat x_i = c_0,\ c = \arg\min_c \sum_{(u,v)} g(u,v) "
                   r"\Big(y_{i+(u,v)} - \sum_{a+b \le 2} c_{ab} u^a v^b\Big)^2,\ "
                   r"g \text{ a Gaussian of width } 0.5 + 6\sigma",
                   "Savitzky & Golay 1964; Takeda, Farsiu & Milanfar 2007 (kernel regression)"),
    "logistic": ("For black-and-white images: a logistic regression reads the noisy 5×5 neighbourhood and says "
                 "how likely the pixel is white; threshold at ½.", r"p(x_i = 1 \mid y) = \sigma(w \cdot N_i(y) + b)",
                 "Cox 1958; Bishop, *PRML* 2006, §4.3.2"),
    "ising": ("For black-and-white images: a Markov random field in which neighbours like to agree, balanced "
              "against the evidence; ICM flips each pixel to its best state until nothing changes, Gibbs "
              "sampling draws from the posterior.", r"E(s) = -\sum_i h_i s_i - \beta \sum_{i \sim j} s_i s_j,\ "
              r"h_i = \frac{y_i - 1/2}{2\sigma^2},\ s_i \in \{-1, +1\}",
              "Besag 1986 (ICM); Geman & Geman 1984 (Gibbs); Bishop, *PRML* 2006, §8.3.3"),
    "epll": ("A Gaussian mixture learned from 8×8 patches of photographs says which patches are likely; "
             "EPLL makes every overlapping patch likely while staying close to the data, by half-quadratic "
             "splitting with a rising β (one Wiener filter per patch per step).",
             r"\min_x \frac{\lambda}{2} \lVert x - y \rVert^2 - \sum_i \log p(P_i x),\quad "
             r"p(z) = \sum_k \pi_k \mathcal{N}(z; \mu_k, \Sigma_k)",
             "Zoran & Weiss, ICCV 2011"),
    "cnn": ("A 15-layer convolutional network learned from noisy/clean patches of 352 photographs to "
            "predict the noise, given σ as an extra input; it works on four half-resolution sub-images "
            "(cheaper, wider view) and subtracts its estimate. Colour: in an opponent colour space the "
            "luminance (R+G+B)/3 has a third of the noise variance; a copy of the network tuned on colour "
            "cleans it, then a second network cleans each chroma channel while looking at the cleaned "
            "luminance, since colour edges sit where brightness edges are (CBM3D's idea, learned).",
            r"\hat x = y - \mathrm{shuffle}(f_\theta(\mathrm{unshuffle}(y), \sigma)),\quad "
            r"\theta = \arg\min_\theta \mathbb{E} \lVert \hat x - x \rVert^2",
            "Zhang, Zuo & Zhang 2018 (FFDNet); Zhang et al. 2017 (DnCNN)"),
    "biharmonic": ("Inpainting baseline: fill the holes with the smoothest surface that meets the known pixels.",
                   r"\Delta^2 x = 0 \text{ inside the holes},\ x = y \text{ outside}",
                   "Damelin & Hoang 2018 (scikit-image)"),
}


def load_clean(path: str | None, grayscale: bool) -> np.ndarray:
    if not path:
        raise nothing_uploaded("image")
    image, _ = imaging.load_image(path, mode="gray" if grayscale else "auto", max_side=WORK_SIDE,
                                  min_side=imaging.MIN_UPLOAD_SIDE)
    return image


def drawn_mask(editor, shape: tuple[int, int]) -> np.ndarray | None:
    """The strokes drawn on the mask editor as an (H, W) bool mask at the working size, or None."""
    layers = (editor or {}).get("layers") or []
    strokes = [np.asarray(layer) for layer in layers if layer is not None]
    strokes = [layer[..., 3] > 0 for layer in strokes if layer.ndim == 3 and layer.shape[2] == 4]
    if not strokes or not np.any(np.logical_or.reduce(strokes)):
        return None
    painted = np.logical_or.reduce(strokes).astype(np.float32)
    return imaging.resize(painted, shape) > 0.5


def corrupt(clean: np.ndarray, corruption: str, sigma255, rate, fraction, seed, editor):
    """(corrupted image, known mask or None, the sigma the restorers are told) for the chosen corruption."""
    seed = whole_number(seed, name="Seed", low=0, high=MAX_SEED)
    if corruption == "Gaussian noise":
        sigma = restore_lib.check_level(sigma255, name=NOISE_LABEL, high=255.0) / 255.0
        return restore_lib.gaussian_noise(clean, sigma=sigma, seed=seed), None, sigma
    if corruption == "Salt and pepper":
        from skimage.restoration import estimate_sigma

        noisy = restore_lib.salt_and_pepper(clean, rate=rate, seed=seed)
        sigma = float(np.mean(estimate_sigma(noisy, channel_axis=-1 if noisy.ndim == 3 else None)))
        return noisy, None, min(sigma, 1.0)
    if corruption == "Missing pixels":
        mask = drawn_mask(editor, clean.shape[:2])
        holed, known = restore_lib.missing_pixels(clean, fraction=fraction if mask is None or fraction > 0 else None,
                                                  seed=seed, mask=mask)
        return holed, known, 0.0
    raise ValueError(f"unknown corruption {corruption!r}; choose one of: {', '.join(CORRUPTIONS)}")


def chosen(methods, corruption: str) -> tuple[list[str], list[str]]:
    """(method names to run, notes about the ones that do not apply to this corruption)."""
    if not methods:
        raise ValueError("no method chosen: tick at least one in Methods")
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method {unknown[0]!r}; choose from: {', '.join(METHODS)}")
    names = [METHODS[m] for m in methods]
    inpainting = corruption == "Missing pixels"
    keep = [n for n in names if (n in restore_lib.INPAINTERS) == inpainting or n == "epll"]
    skipped = [restore_lib.LABELS[n] for n in names if n not in keep]
    notes = []
    if skipped:
        why = "only inpainting methods fill missing pixels" if inpainting else "it only fills missing pixels"
        notes.append(f"Skipped {', '.join(skipped)}: {why}.")
    if not keep:
        raise ValueError("none of the chosen methods fits this corruption: for missing pixels choose "
                         "Biharmonic inpainting or EPLL; for noise any other method")
    return keep, notes


def score(clean: np.ndarray, estimate: np.ndarray) -> tuple[float, float]:
    from skimage.metrics import peak_signal_noise_ratio, structural_similarity

    channel = -1 if clean.ndim == 3 else None
    psnr = peak_signal_noise_ratio(clean, np.clip(estimate, 0, 1), data_range=1.0)
    ssim = structural_similarity(clean, np.clip(estimate, 0, 1), data_range=1.0, channel_axis=channel)
    return round(float(psnr), 2), round(float(ssim), 3)


@on_gpu(120)
@friendly_errors
def restore(path, grayscale, corruption, sigma255, rate, fraction, seed, methods, editor=None, ising_algorithm="icm",
            ensemble=1, request: gr.Request = None, progress=gr.Progress()):
    """Corrupt the image, then restore it with each chosen method (the slow EPLL last); yields after every
    method so the gallery, the table and the before/after slider fill in as results arrive. Stop ends the run
    within about a second, EPLL included, keeping what is finished."""
    clean = load_clean(path, bool(grayscale))
    corrupted, known, sigma = corrupt(clean, corruption, sigma255, rate, fraction, seed, editor)
    names, notes = chosen(methods, corruption)
    if corruption != "Missing pixels" and drawn_mask(editor, clean.shape[:2]) is not None:
        notes.append("The drawn mask was not used: it removes pixels only when the corruption is "
                     "**Missing pixels**.")
    names.sort(key=lambda name: name in SLOW)  # slow methods last: the quick results show at once
    psnr, ssim = score(clean, corrupted)
    rows = [["(corrupted input)", psnr, ssim, 0.0]]
    gallery, best = [], (corrupted, -np.inf)
    with stoppable(request, "denoise") as stop:
        for index, name in enumerate(names):
            if stop.is_set():
                notes.append(stopped_note(f"method {index} of {len(names)}"))
                break
            options = {"known": known} if known is not None else {}
            reached = [(0.0, "EPLL step 0")]
            if name == "epll":
                def report(fraction, text):
                    reached[0] = (fraction, text)
                    progress(fraction, desc=text)
                options.update(progress=report, time_limit=EPLL_TIME_LIMIT, should_stop=stop.is_set)
            if name == "ising":
                options["algorithm"] = ising_algorithm
            if name == "cnn":
                options["ensemble"] = cnn_ensemble(ensemble)
            restore_lib.prepare(name)  # a model's first load is not part of its seconds
            started = time.perf_counter()
            estimate = restore_lib.denoise(corrupted, method=name, sigma=sigma, **options)
            seconds = round(time.perf_counter() - started, 2)
            label = restore_lib.LABELS[name]
            if name == "epll" and reached[0][0] < 1.0:
                label += f" (stopped at {reached[0][1]})"
                notes.append(stopped_note(reached[0][1]) if stop.is_set() else
                             f"EPLL reached the {EPLL_TIME_LIMIT:.0f} s time cap at {reached[0][1]}: its result "
                             "is the last step it finished.")
            psnr, ssim = score(clean, estimate)
            rows.append([label, psnr, ssim, seconds])
            gallery.append((display(estimate), f"{label} · {psnr} dB · {seconds} s"))
            if psnr > best[1]:
                best = (estimate, psnr)
            yield (display(corrupted), gallery, pd.DataFrame(rows, columns=TABLE_COLUMNS),
                   (display(corrupted), display(best[0])), _summary(sigma, notes, rows))
        if stop.is_set() and len(rows) - 1 < len(names):  # stopped between methods: say so under what is done
            finished = len(rows) > 1
            yield (display(corrupted), gallery, pd.DataFrame(rows, columns=TABLE_COLUMNS),
                   (display(corrupted), display(best[0])) if finished else None,
                   _summary(sigma, notes, rows) if finished else " ".join(notes))


# Geometric self-ensemble of the CNN (Timofte et al. 2016): its 4- and 8-fold means beat CBM3D in colour.
ENSEMBLE_CHOICES = [("1: plain", 1), ("4: the rotations", 4), ("8: rotations and flips", 8)]


def cnn_ensemble(value) -> int:
    """The self-ensemble size from the radio (or an API caller): 1, 4 or 8, else a clear error."""
    sizes = [size for _, size in ENSEMBLE_CHOICES]
    try:
        size = int(value)
    except (TypeError, ValueError):
        size = None
    if size not in sizes:
        raise ValueError(f"CNN self-ensemble must be one of {', '.join(map(str, sizes))}, got {value!r}")
    return size


def _summary(sigma: float, notes: list[str], rows: list) -> str:
    best = max(rows[1:], key=lambda row: row[1])
    text = [f"Best PSNR: **{best[0]}** ({best[1]} dB; the corrupted input has {rows[0][1]} dB). "
            f"The restorers were told σ = {sigma * 255:.1f}/255. The slider compares the input with the best result."]
    return " ".join(text + notes)


@on_gpu(120)
@friendly_errors
def psnr_sweep(path, grayscale, seed, methods, request: gr.Request = None, progress=gr.Progress()):
    """PSNR against noise sigma for the chosen noise methods, on the image shrunk to 96 px (a quick sweep).
    Stop ends it after the current method; the plot keeps the noise levels finished."""
    clean = load_clean(path, bool(grayscale))
    clean, _ = imaging.cap_size(clean, SWEEP_SIDE)
    seed = whole_number(seed, name="Seed", low=0, high=MAX_SEED)
    names, _ = chosen(methods, "Gaussian noise")
    rows = []
    with stoppable(request, "denoise-sweep") as stop:
        for index, sigma255 in enumerate(SWEEP_SIGMAS):
            progress(index / len(SWEEP_SIGMAS), desc=f"σ = {sigma255}/255")
            noisy = restore_lib.gaussian_noise(clean, sigma=sigma255 / 255, seed=seed)
            found = [("(noisy input)", noisy)]
            for name in names:
                options = {"should_stop": stop.is_set} if name == "epll" else {}
                found.append((restore_lib.LABELS[name],
                              restore_lib.denoise(noisy, method=name, sigma=sigma255 / 255, **options)))
                if stop.is_set():
                    return pd.DataFrame(rows, columns=SWEEP_COLUMNS)
            rows += [(sigma255, score(clean, estimate)[0], label) for label, estimate in found]
    return pd.DataFrame(rows, columns=SWEEP_COLUMNS)


@on_gpu()
@friendly_errors
def learned(path, grayscale, corruption, sigma255, seed, methods):
    """What the learned methods learned at this noise level: the least-squares filter, the logistic weights,
    and the Ising energy per sweep (ICM and Gibbs) on the corrupted image."""
    from generators.denoise.learned import least_squares_filter, logistic_classifier

    sigma = restore_lib.check_level(sigma255, name=NOISE_LABEL, high=255.0) / 255.0
    filt, _ = least_squares_filter(round(sigma, 4), 7)
    weights, _ = logistic_classifier(round(max(sigma, 1e-3), 4), 5)
    clean = load_clean(path, bool(grayscale)) if path else None
    energies = pd.DataFrame(columns=["sweep", "energy", "algorithm"])
    if clean is not None and corruption == "Gaussian noise":
        noisy = restore_lib.gaussian_noise(clean, sigma=sigma, seed=whole_number(seed, name="Seed", low=0, high=MAX_SEED))
        frames = []
        for algorithm in ("icm", "gibbs"):
            result = restore_lib.ising(noisy, sigma, algorithm=algorithm, sweeps=15, seed=0)
            frames.append(pd.DataFrame({"sweep": range(len(result.energies)), "energy": result.energies,
                                        "algorithm": algorithm.upper()}))
        energies = pd.concat(frames, ignore_index=True)
    return display(diverging(filt, 24)), display(diverging(weights, 24)), energies


def to_editor(path, grayscale):
    """Put the working image into the mask editor as its background."""
    if not path:
        return None
    try:
        image = load_clean(path, bool(grayscale))
    except ValueError:
        return None
    return {"background": display(imaging.to_rgb(image)), "layers": [], "composite": None}


def show_controls(kind: str, methods: list[str]):
    """The sliders of the chosen corruption; for missing pixels, tick Biharmonic inpainting if no method that
    fills holes is ticked, so the first click works."""
    ticked = list(methods or [])
    if kind == "Missing pixels" and not any(METHODS.get(label) in restore_lib.INPAINTERS for label in ticked):
        ticked.append(restore_lib.LABELS["biharmonic"])
    return (gr.update(visible=kind == "Gaussian noise"), gr.update(visible=kind == "Salt and pepper"),
            gr.update(visible=kind == "Missing pixels"), ticked)


def explanations() -> str:
    parts = []
    for name, (idea, equation, reference) in EXPLAIN.items():
        parts.append(f"**{restore_lib.LABELS[name]}**: {idea}\n$${equation}$$\n*{reference}*")
    return "\n\n".join(parts)


def build() -> None:
    gr.Markdown("Corrupt an image, then restore it with fixed filters, least-squares and polynomial fits, "
                "logistic regression and Ising models (for black-and-white images), total variation, non-local "
                f"means, a learned patch prior (EPLL) and a learned CNN. Images are worked on at up to {WORK_SIDE} px.")
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            source = upload_image("Clean image", height=260, value=examples("denoise")[0])
            with gr.Row():
                go = gr.Button("Corrupt and restore", variant="primary")
                stop = gr.Button("Stop", variant="stop")
            gr.Examples(examples("denoise"), inputs=source, label="Examples (the binary ones suit Ising and logistic)")
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
            methods = gr.CheckboxGroup(list(METHODS), value=DEFAULT_METHODS, label="Methods")
            ising_algorithm = gr.Radio(["icm", "gibbs"], value="icm", label="Ising algorithm")
            ensemble = gr.Radio(ENSEMBLE_CHOICES, value=1, label="CNN self-ensemble (average over flips and "
                                "rotations: sharper, that many times slower)")
        with gr.Column(scale=2):
            with gr.Row():
                corrupted = output_image("Corrupted")
                slider = gr.ImageSlider(label="Before / after (best PSNR)", type="numpy", format="png")
            summary = gr.Markdown("Press **Corrupt and restore**.", label="Summary")
            table = gr.Dataframe(headers=TABLE_COLUMNS, label="Quality against the clean image", interactive=False)
            gallery = gr.Gallery(label="Results", columns=4, height=380, object_fit="contain", format="png")
    with gr.Accordion("PSNR against noise level", open=False):
        sweep = gr.Button("Plot PSNR against sigma for the chosen methods")
        plot = gr.LinePlot(x=SWEEP_COLUMNS[0], y=SWEEP_COLUMNS[1], color=SWEEP_COLUMNS[2],
                           x_title="noise σ (0-255 scale)", y_title="PSNR (dB)", color_title="method",
                           label=f"PSNR on the image shrunk to {SWEEP_SIDE} px, Gaussian noise",
                           buttons=["export", "fullscreen"])
    with gr.Accordion("What the learned methods learned", open=False):
        gr.Markdown("Weights are drawn mid-gray for 0, brighter for positive, darker for negative; both are "
                    "fitted for the current noise sigma. The energy curves run ICM and Gibbs sampling on the "
                    "current image with Gaussian noise (meaningful for the binary examples).")
        show = gr.Button("Show the learned filters and the Ising energy")
        with gr.Row():
            ls_filter = output_image("Least-squares 7×7 filter")
            logistic_weights = output_image("Logistic 5×5 weights")
            energy = gr.LinePlot(x="sweep", y="energy", color="algorithm",
                                 x_title="sweep (one visit of every pixel)", y_title="energy E(s) (no unit)",
                                 color_title="algorithm", label="Ising energy per sweep on the noisy image",
                                 buttons=["export", "fullscreen"])
    with gr.Accordion("How each method works (idea, equation, reference)", open=False):
        gr.Markdown(explanations(), latex_delimiters=LATEX)
    autoencoder.build()

    corruption.change(show_controls, [corruption, methods], [sigma255, rate, fraction, methods],
                      api_visibility="private")
    # triggers=None: on page load (the opening example) and whenever the image or the grayscale box changes.
    gr.on(None, to_editor, [source, grayscale], editor, api_visibility="private")
    go.click(restore, [source, grayscale, corruption, sigma255, rate, fraction, seed, methods, editor,
                       ising_algorithm, ensemble], [corrupted, gallery, table, slider, summary],
             api_name="restore", concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT,
             show_progress_on=[summary], api_description=(
                 "Corrupt an image (Gaussian noise, salt and pepper or missing pixels) and restore it with "
                 "each chosen method; streams the corrupted image, the results, a PSNR/SSIM table, a "
                 "before/after pair and a summary."))
    sweep.click(psnr_sweep, [source, grayscale, seed, methods], plot, api_name="psnr_sweep",
                concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)
    stop_button(stop, "denoise", "denoise-sweep")
    show.click(learned, [source, grayscale, corruption, sigma255, seed, methods],
               [ls_filter, logistic_weights, energy], api_name="learned")
