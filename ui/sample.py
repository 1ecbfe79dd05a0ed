"""Sample tab: draw handwritten digits from three generative models (GMM, VAE, GAN), ask for a given digit,
walk their latent spaces, map the VAE's, draw a digit for the VAE to read, and repair hidden pixels."""

from __future__ import annotations

import random
import tempfile
import time

import gradio as gr
import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from generators import imaging, registry
from generators.datasets import mnist
from generators.sample import masks, sketch
from ui.common import (HEAVY, HEAVY_LIMIT, MAX_SEED, LATEX, brush_ready, digit_picture, display, examples, figure_file,
                       friendly_errors, output_image, stop_button, stoppable, stopped_note, whole_number)
from ui.gpu import on_gpu

# Label shown in the UI -> registry name. Every entry offers sample(n, *, seed).
SAMPLERS = {
    "GMM: PCA + Gaussian mixture": "mnist-gmm",
    "VAE: variational autoencoder": "mnist-vae",
    "GAN: generative adversarial network": "mnist-gan",
}
# The models with a latent code z ~ N(0, I) and a decoder (interpolation, repair, class choice).
LATENT_MODELS = {label: name for label, name in SAMPLERS.items() if name != "mnist-gmm"}
DIGITS = [str(digit) for digit in range(10)]
MAX_SAMPLES = 256
ZOOM = 3
BIG = 8
FRAME_MS = 90
# A drawing whose ELBO falls this far below the worst 1 % of held-out digits is not read as a digit.
UNREADABLE_MARGIN_NATS = 100.0
REPAIR_STEPS = 150
REPAIR_TIME_CAP = 30.0


@on_gpu()
@friendly_errors
def draw_samples(model: str, count, seed) -> tuple[np.ndarray, str]:
    """A grid of ``count`` digits from ``model`` drawn with ``seed``, and the model's measured figures."""
    return _samples(_registry_name(model, SAMPLERS), count, seed)


@on_gpu()
@friendly_errors
def compare_samples(count, seed) -> tuple:
    """The same number of digits from each of the three models, side by side, each with its figures."""
    return tuple(output for name in SAMPLERS.values() for output in _samples(name, count, seed))


@on_gpu()
@friendly_errors
def draw_digit(model: str, digit: str, count, seed) -> tuple[np.ndarray, str]:
    """Classifier-guided choice: ``count`` samples the LeNet reads as ``digit`` (from a pool of 4,096)."""
    name = _registry_name(model, SAMPLERS)
    digit = _digit(digit)
    count = whole_number(count, name="Number of samples", low=1, high=MAX_SAMPLES)
    seed = whole_number(seed, name="Seed", low=0, high=MAX_SEED)
    start = time.perf_counter()
    digits, share = _latent().sample_digit(registry.load(name), registry.load("mnist-lenet"), digit, count, seed=seed)
    return _sheet(digits), (f"`{name}`: {count} of the 4,096 samples drawn with seed {seed} that LeNet reads as a "
                            f"**{digit}** (at least 90 % sure; {share:.1%} of the pool qualified). "
                            f"The model itself is unchanged.  \n{_elapsed(start)}")


@on_gpu()
@friendly_errors
def interpolate_seeds(model: str, seed_a, seed_b, frames) -> tuple[np.ndarray, str, str]:
    """Decode ``frames`` codes along the great circle from the code of seed A to the code of seed B."""
    name = _registry_name(model, LATENT_MODELS)
    seed_a = whole_number(seed_a, name="Seed A", low=0, high=MAX_SEED)
    seed_b = whole_number(seed_b, name="Seed B", low=0, high=MAX_SEED)
    frames = whole_number(frames, name="Frames", low=2, high=30)
    start = time.perf_counter()
    sampler = registry.load(name)
    strip = _latent().interpolate(sampler, sampler.latents(1, seed=seed_a)[0], sampler.latents(1, seed=seed_b)[0],
                               frames=frames)
    return (*_strip_and_animation(strip), f"`{name}`: {frames} frames from seed {seed_a} to seed {seed_b}.  \n"
            f"{_elapsed(start)}")


@on_gpu()
@friendly_errors
def latent_map_plot(size) -> tuple[Figure, str, str]:
    """The VAE's decoded latent plane (top-2 principal directions of the held-out codes), codes on top; a
    note; the figure as a PNG file."""
    size = whole_number(size, name="Grid size", low=4, high=25)
    start = time.perf_counter()
    held_out = mnist("test")
    found = _latent().latent_map(registry.load("mnist-vae"), held_out.images, held_out.labels, size=size)
    figure = _map_figure(found)
    return figure, (
        f"The plane of the two directions along which the 1,000 held-out digits' codes vary most "
        f"({found.explained[0]:.0%} and {found.explained[1]:.0%} of their variance); every tile is the decoder's "
        f"digit at that point, every dot a held-out digit's code, coloured by its true class.  \n{_elapsed(start)}"
    ), figure_file(figure, "vae-latent-map")


@on_gpu()
@friendly_errors
def read_drawing(drawing) -> tuple[np.ndarray, np.ndarray, str]:
    """Sketch -> MNIST-style digit -> VAE code -> reconstruction, with the digit's ELBO and LeNet's reading."""
    start = time.perf_counter()
    digit, elbo = _drawn_digit(drawing)
    vae = registry.load("mnist-vae")
    chance = registry.load("mnist-lenet").class_probabilities(digit[None])[0]
    typical = registry.card("mnist-vae").get("metrics", {})
    return (digit_picture(digit, BIG), digit_picture(vae.reconstruct(digit)[0], BIG),
            f"ELBO of your digit: **{elbo:.1f} nats** (held-out digits average {typical.get('test_elbo_nats', '?')}; "
            f"higher means the VAE finds it more digit-like). LeNet reads it as a **{int(chance.argmax())}** "
            f"({chance.max():.0%} sure).  \n{_elapsed(start)}")


@on_gpu()
@friendly_errors
def morph_drawing(drawing, target: str, frames) -> tuple[np.ndarray, str, str]:
    """Interpolate from the drawing's code to the code of the first held-out example of digit ``target``."""
    start = time.perf_counter()
    digit, _ = _drawn_digit(drawing)
    target = _digit(target)
    frames = whole_number(frames, name="Frames", low=2, high=30)
    held_out = mnist("test")
    example = held_out.images[np.flatnonzero(held_out.labels == target)[0]]
    vae = registry.load("mnist-vae")
    codes = vae.encode(np.stack([digit, example]))
    strip = _latent().interpolate(vae, codes[0], codes[1], frames=frames)
    return (*_strip_and_animation(strip), f"From your drawing to a held-out **{target}**, through the VAE's "
            f"latent space.  \n{_elapsed(start)}")


@on_gpu()
@friendly_errors
def repair_digit(model: str, index, mask: str, seed, request: gr.Request = None):
    """Hide part of held-out digit ``index`` and search the model's latent space for a code that explains the
    visible pixels; stream the search (masked input, current repair, progress) until done or Stop."""
    name = _registry_name(model, LATENT_MODELS)
    index = whole_number(index, name="Held-out digit", low=0, high=999)
    seed = whole_number(seed, name="Seed", low=0, high=MAX_SEED)
    image = mnist("test").images[index]
    missing = masks.make_mask(mask, seed=seed)
    shown = digit_picture(np.where(missing, 0.5, image), BIG)
    masked_error = float(np.mean(image[missing] ** 2))
    with stoppable(request, "repair") as stop:
        for found in _latent().repair(registry.load(name), image, missing, seed=seed, restarts=8,
                                      steps=REPAIR_STEPS, every=1, time_cap=REPAIR_TIME_CAP):
            finished = found.step == REPAIR_STEPS or stop.is_set() or found.elapsed > REPAIR_TIME_CAP
            if found.step % 10 and not finished:
                continue
            error = float(np.mean((found.filled[missing] - image[missing]) ** 2))
            state = f"step {found.step} of {REPAIR_STEPS}"
            if found.step == REPAIR_STEPS:
                state = "done"
            elif finished and not stop.is_set():   # the search's time cap
                state = f"time cap at {state}"
            stopped = f"  \n{stopped_note(state)}" if stop.is_set() and found.step < REPAIR_STEPS else ""
            yield shown, digit_picture(found.filled, BIG), (
                f"{state}: visible-pixel loss {found.visible_loss:.1f} nats · squared error on the hidden "
                f"pixels {error:.4f} (hidden pixels left black: {masked_error:.4f}) · {found.elapsed:.1f} s{stopped}")
            if stop.is_set():
                return


def _latent():
    """generators.sample.latent, imported on first use: it brings torch, which the app does not load at start."""
    from generators.sample import latent

    return latent


def random_seed() -> int:
    return random.randint(0, 99_999)


def _samples(name: str, count, seed) -> tuple[np.ndarray, str]:
    count = whole_number(count, name="Number of samples", low=1, high=MAX_SAMPLES)
    seed = whole_number(seed, name="Seed", low=0, high=MAX_SEED)
    start = time.perf_counter()
    digits = registry.load(name).sample(count, seed=seed)
    return _sheet(digits), f"{_figures(name)}  \n{_elapsed(start)}"


def _registry_name(model: str, choices: dict) -> str:
    if model not in choices:
        raise ValueError(f"unknown model {model!r}; choose one of: {', '.join(choices)}")
    return choices[model]


def _digit(value) -> int:
    if str(value) not in DIGITS:
        raise ValueError(f"digit must be one of 0-9, got {value!r}")
    return int(value)


def _drawn_digit(drawing) -> tuple[np.ndarray, float]:
    """The sketchpad's composite as an MNIST-style digit, and its ELBO; blank or unreadable drawings raise
    ValueError."""
    composite = drawing.get("composite") if isinstance(drawing, dict) else drawing
    if composite is None:
        raise ValueError("the drawing is blank: draw a digit with the brush (big, filling most of the pad)")
    digit = sketch.mnist_style(sketch.ink_from_rgba(composite))
    floor = registry.card("mnist-vae").get("metrics", {}).get("test_elbo_p01_nats")
    elbo = float(registry.load("mnist-vae").elbo(digit)[0])
    if floor is not None and elbo < floor - UNREADABLE_MARGIN_NATS:
        raise ValueError(f"this does not look like a handwritten digit to the VAE (ELBO {elbo:.0f} nats; the "
                         f"worst 1 % of real digits score above {floor:.0f}): draw one digit, 0-9, in one or two "
                         "strokes")
    return digit, elbo


def _sheet(digits: np.ndarray) -> np.ndarray:
    columns = min(16, int(np.ceil(np.sqrt(len(digits)))))
    return display(imaging.upscale_nearest(imaging.grid(1.0 - digits, columns=columns, background=0.85), ZOOM))



def _strip_and_animation(frames: np.ndarray) -> tuple[np.ndarray, str]:
    """A strip of the frames (PNG) and a looping GIF that plays them forth and back."""
    strip = display(imaging.upscale_nearest(imaging.grid(1.0 - frames, columns=len(frames), background=0.85), 4))
    pictures = [Image.fromarray(digit_picture(frame, BIG)) for frame in frames]
    loop = pictures + pictures[-2:0:-1]
    with tempfile.NamedTemporaryFile(suffix=".gif", delete=False) as stream:
        loop[0].save(stream, format="GIF", save_all=True, append_images=loop[1:], duration=FRAME_MS, loop=0)
    return strip, stream.name


def _map_figure(found) -> Figure:
    size = found.tiles.shape[0]
    mosaic = 1.0 - found.tiles.transpose(0, 2, 1, 3).reshape(size * 28, size * 28)   # (size*28, size*28)
    figure = Figure(figsize=(7.5, 7.5), dpi=100)
    axes = figure.add_subplot()
    axes.imshow(mosaic, cmap="gray", vmin=0, vmax=1, extent=found.extent, interpolation="nearest", alpha=0.9,
                aspect="auto")
    for digit in range(10):
        chosen = found.labels == digit
        axes.scatter(*found.points[chosen].T, s=9, color=f"C{digit}", label=str(digit), alpha=0.8, linewidths=0)
    axes.set_xlim(found.extent[:2])
    axes.set_ylim(found.extent[2:])
    axes.set_xlabel("first principal direction of the codes")
    axes.set_ylabel("second principal direction")
    axes.legend(title="class", loc="upper left", bbox_to_anchor=(1.01, 1.0), markerscale=2, frameon=False)
    figure.tight_layout()
    return figure


def _elapsed(start: float) -> str:
    return f"*{(time.perf_counter() - start) * 1000:.0f} ms*"


def _figures(name: str) -> str:
    metrics = registry.card(name).get("metrics", {})
    if "frechet_lenet" not in metrics:
        return f"`{name}`: no measured figures in its card yet."
    shares = metrics.get("class_fractions", [])
    balance = f"{min(shares):.0%}–{max(shares):.0%}" if shares else "?"
    likelihood = ""
    if "test_log_likelihood_nats" in metrics:
        likelihood = f" · held-out log-likelihood {metrics['test_log_likelihood_nats']} nats (density on pixels)"
    elif "test_elbo_nats" in metrics:
        likelihood = f" · held-out ELBO {metrics['test_elbo_nats']} nats (Bernoulli)"
    return (f"`{name}`: Fréchet distance to held-out digits **{metrics['frechet_lenet']}** "
            f"(real vs real: {metrics.get('frechet_real_vs_real', '?')}; lower is better) · "
            f"each class {balance} of samples{likelihood}")


@friendly_errors
def gmm_components(model: str) -> tuple[list, str]:
    """The mixture's component means as digits, each captioned with its weight pi_k (empty for other models)."""
    name = _registry_name(model, SAMPLERS)
    if name != "mnist-gmm":
        return [], ""
    sampler = registry.load(name)
    means, weights = sampler.component_means()
    gallery = [(display(imaging.upscale_nearest(1.0 - mean, 4)), f"π = {weight:.3f}")
               for mean, weight in zip(means, weights)]
    config = registry.card(name).get("config", {})
    text = (f"**What the GMM learned**: {sampler.components} Gaussians in a {sampler.dims}-dimensional PCA "
            f"space (chosen by validation likelihood; regularisation {config.get('reg_covar', '?')}). Each image "
            "is one Gaussian's mean mapped back to pixels, heaviest first; sampling picks one with "
            "probability π and adds correlated noise around its mean.")
    return gallery, text


EXPLAIN = r"""
**GMM** (Bishop 2006): project digits onto their top principal directions, fit a mixture of Gaussians
$p(z) = \sum_k \pi_k\, \mathcal{N}(z; \mu_k, \Sigma_k)$ there, sample $z$ and map back, $x = m + W^\top z$.

**VAE** (Kingma & Welling 2014): a decoder turns a code $z \sim \mathcal{N}(0, I)$ into pixel probabilities
$p(x \mid z)$; an encoder guesses $q(z \mid x)$. Both are trained together by maximising the evidence lower bound
$\log p(x) \ge \mathbb{E}_q[\log p(x \mid z)] - \mathrm{KL}(q(z \mid x) \,\Vert\, \mathcal{N}(0, I))$; the ELBO scores any
digit. The codes of real digits do not
fill N(0, I) evenly, so decoded N(0, I) draws are often blots; samples here decode codes drawn from a Gaussian
mixture fitted to the training digits' codes after training (ex-post density estimation, Ghosh et al. 2020).

**GAN** (Goodfellow et al. 2014; DCGAN, Radford et al. 2016): a generator $G(z)$ learns to fool a discriminator $D$
that tells real digits from generated ones. Here D uses spectral normalisation (Miyato et al. 2018) and the hinge
loss, both see randomly shifted digits (DiffAugment, Zhao et al. 2020), and the shipped G is a running average of
the trained weights. No encoder and no likelihood: it is judged only by its samples.

**Asking for a digit**: the models are unconditional, so we draw 4,096 codes and keep those the LeNet classifier
reads as the asked digit with at least 90 % confidence (classifier-guided rejection): the models stay unchanged.

**Interpolation** follows the great circle between two codes (White 2016), where N(0, I) codes live, not the
straight line through the unlikely centre.

**Latent map**: the VAE's codes are 32-dimensional; we show the plane of the two directions along which held-out
digits' codes vary most (PCA), decode a grid over it and scatter the codes on top.

**Drawing**: your strokes are cropped, scaled so the longer side is 20 px, and centred by mass in 28 × 28, as MNIST
was made (LeCun et al. 1998).

**Repair**: find z* = argmin −log p(x_visible | z) + ½‖z‖² by gradient descent from several starting codes
(Yeh et al. 2017, "Semantic image inpainting with deep generative models"), then fill the hidden pixels from
the decoded z*. The hidden pixels are never looked at.
"""


def build() -> None:
    gr.Markdown("Handwritten digits from three generative models trained on the same 4,000 MNIST digits. "
                "The same seed always gives the same digits.")
    with gr.Tabs():
        with gr.Tab("Generate"):
            _build_samples()
        with gr.Tab("Interpolate"):
            _build_interpolate()
        with gr.Tab("Latent map"):
            _build_map()
        with gr.Tab("Draw") as draw:
            pad = _build_draw()
        brush_ready(draw.select, pad)
        with gr.Tab("Repair"):
            _build_repair()
    with gr.Accordion("How each method works", open=False):
        gr.Markdown(EXPLAIN, latex_delimiters=LATEX)


def _build_samples() -> None:
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            model = gr.Dropdown(list(SAMPLERS), value=next(iter(SAMPLERS)), label="Model")
            count = gr.Slider(1, MAX_SAMPLES, value=64, step=1, precision=0, label="Number of samples")
            with gr.Row():
                seed = gr.Number(value=0, precision=0, minimum=0, maximum=MAX_SEED, label="Seed")
                dice = gr.Button("Random seed", size="sm")
            go = gr.Button("Sample", variant="primary")
            with gr.Row():
                digit = gr.Dropdown(DIGITS, value="3", label="Digit", min_width=80)
                go_digit = gr.Button("Sample this digit")
            compare = gr.Button("Compare all three models")
        with gr.Column(scale=2):
            samples = output_image("Samples")
            figures = gr.Markdown(label="Figures")
    gr.Markdown("**Side by side**: the same number of samples and seed from each model, with its measured figures.")
    with gr.Row(equal_height=True):
        sides = []
        for label in SAMPLERS:
            with gr.Column(min_width=200):
                sides += [output_image(label.split(":")[0]), gr.Markdown(label=f"{label.split(':')[0]} figures")]
    with gr.Accordion("What the GMM learned", open=False):
        learned = gr.Markdown(label="What it learned")
        means = gr.Gallery(label="Component means (weight π)", columns=10, height="auto", format="png")

    heavy = dict(concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)
    sample_event = dict(fn=draw_samples, inputs=[model, count, seed], outputs=[samples, figures], **heavy)
    show_learned = dict(fn=gmm_components, inputs=model, outputs=[means, learned])
    go.click(**sample_event, api_name="sample").then(**show_learned, api_visibility="private")
    dice.click(random_seed, outputs=seed, api_visibility="private").then(
        **sample_event, api_visibility="private").then(**show_learned, api_visibility="private")
    go_digit.click(draw_digit, inputs=[model, digit, count, seed], outputs=[samples, figures], api_name="sample_digit",
                   **heavy)
    compare.click(compare_samples, inputs=[count, seed], outputs=sides, api_name="compare", **heavy)
    model.change(**show_learned, api_name="components")


def _build_interpolate() -> None:
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            model = gr.Dropdown(list(LATENT_MODELS), value=next(iter(LATENT_MODELS)), label="Model")
            with gr.Row():
                seed_a = gr.Number(value=1, precision=0, minimum=0, maximum=MAX_SEED, label="Seed A")
                seed_b = gr.Number(value=2, precision=0, minimum=0, maximum=MAX_SEED, label="Seed B")
            frames = gr.Slider(2, 30, value=12, step=1, precision=0, label="Frames")
            go = gr.Button("Interpolate", variant="primary")
            gr.Examples([["VAE: variational autoencoder", 1, 2, 12], ["GAN: generative adversarial network", 7, 42, 16]],
                        inputs=[model, seed_a, seed_b, frames])
        with gr.Column(scale=2):
            strip = output_image("Frames, A → B")
            with gr.Row():
                animation = gr.Image(label="Animation", type="filepath", interactive=False, height=240)
                note = gr.Markdown(label="Note")
    go.click(interpolate_seeds, inputs=[model, seed_a, seed_b, frames], outputs=[strip, animation, note],
             api_name="interpolate", concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)


def _build_map() -> None:
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            size = gr.Slider(4, 25, value=15, step=1, precision=0, label="Grid size (tiles per side)")
            go = gr.Button("Map the VAE's latent space", variant="primary")
            note = gr.Markdown(label="Note")
            download = gr.DownloadButton("Download the map (PNG)", label="Latent map PNG")
        with gr.Column(scale=2):
            plot = gr.Plot(label="VAE latent plane")
    go.click(latent_map_plot, inputs=size, outputs=[plot, note, download], api_name="latent_map",
             concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)


def _build_draw() -> gr.Sketchpad:
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            pad = gr.Sketchpad(label="Draw one digit, large", type="numpy", image_mode="RGBA", format="png",
                               elem_id="digit-pad",
                               canvas_size=(280, 280), fixed_canvas=True, height=360, layers=False,
                               brush=gr.Brush(default_size=20, colors=["#000000"], color_mode="fixed"))
            read = gr.Button("Read my digit", variant="primary")
            gr.Examples(examples("sample"), inputs=pad, label="Example drawings")
        with gr.Column(scale=1):
            with gr.Row():
                seen = output_image("MNIST view, 28×28", height=240)
                rebuilt = output_image("VAE reconstruction", height=240)
            reading = gr.Markdown(label="Reading")
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
    morph.click(morph_drawing, inputs=[pad, target, frames], outputs=[strip, animation, note],
                api_name="morph_drawing", **heavy)
    return pad


def _build_repair() -> None:
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            model = gr.Dropdown(list(LATENT_MODELS), value=next(iter(LATENT_MODELS)), label="Model")
            index = gr.Slider(0, 999, value=3, step=1, precision=0, label="Held-out digit (never trained on)")
            mask = gr.Dropdown(list(masks.MASKS), value="bottom half", label="Hide")
            seed = gr.Number(value=0, precision=0, minimum=0, maximum=MAX_SEED, label="Seed (starting codes)")
            with gr.Row():
                go = gr.Button("Repair", variant="primary")
                stop = gr.Button("Stop", variant="stop")
        with gr.Column(scale=2):
            with gr.Row():
                shown = output_image("What the model sees (grey = hidden)", height=260)
                filled = output_image("Repaired", height=260)
            progress = gr.Markdown(label="Progress")
    # Below the row, full width: in the narrow left column its Hide and Seed columns were cut off.
    gr.Examples([["VAE: variational autoencoder", 3, "bottom half", 0],
                 ["GAN: generative adversarial network", 10, "left half", 0],
                 ["VAE: variational autoencoder", 25, "random 60% of pixels", 0]],
                inputs=[model, index, mask, seed])
    go.click(repair_digit, inputs=[model, index, mask, seed], outputs=[shown, filled, progress],
             api_name="repair", concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)
    stop_button(stop, "repair")
