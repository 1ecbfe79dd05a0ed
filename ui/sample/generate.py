"""Sample tab, Generate room: a sheet of digits from one model (or a chosen digit), the three side by side,
and what the GMM learned."""

from __future__ import annotations

import random
import time

import gradio as gr
import numpy as np

from generators import api
from ui import share
from ui.common import HEAVY, HEAVY_LIMIT, MAX_SEED, digit_picture, friendly_errors, output_image
from ui.figures import digit_sheet
from ui.gpu import on_gpu
from ui.sample.shared import DIGITS, SAMPLERS, elapsed, model_name
from ui.stop import newest_run_wins

MAX_SAMPLES = 256
ZOOM = 3


@newest_run_wins("sample/generate")
@on_gpu()
@friendly_errors
def draw_samples(model: str, count, seed, request: gr.Request = None) -> tuple[np.ndarray, str]:
    """A grid of ``count`` digits from ``model`` drawn with ``seed``, and the model's measured figures."""
    return _samples(model_name(model, SAMPLERS), count, seed)


@on_gpu()
@friendly_errors
def compare_samples(count, seed) -> tuple:
    """The same number of digits from each of the three models, side by side, each with its figures."""
    return tuple(output for name in SAMPLERS.values() for output in _samples(name, count, seed))


@newest_run_wins("sample/generate")
@on_gpu()
@friendly_errors
def draw_digit(model: str, digit: str, count, seed, request: gr.Request = None) -> tuple[np.ndarray, str]:
    """``count`` samples of ``digit``: the class-conditional GAN draws them itself; for the GMM and the VAE, the
    LeNet picks those it reads as ``digit`` from a pool of 4,096 (classifier-guided choice)."""
    name = model_name(model, SAMPLERS)
    start = time.perf_counter()
    asked = api.sample_digit(name, digit, count, seed=seed)
    if asked.by_model:
        text = (f"`{name}`: {len(asked.digits)} samples drawn with seed {seed} by asking the generator itself for "
                f"a **{digit}** (class-conditional: it reads [z, one-hot(y)]; nothing is rejected). LeNet reads "
                f"{asked.share:.0%} of them as a {digit}.")
    else:
        short = (f" Only {len(asked.digits)} qualified, fewer than the {int(count)} asked for: try another seed for "
                 "more." if len(asked.digits) < int(count) else "")
        text = (f"`{name}`: {len(asked.digits)} of the {asked.pool:,} samples drawn with seed {seed} that LeNet "
                f"reads as a **{digit}** (at least 90 % sure; {asked.share:.1%} of the pool qualified). The model "
                f"itself is unchanged.{short}")
    return digit_sheet(asked.digits, zoom=ZOOM), f"{text}  \n{elapsed(start)}"


@newest_run_wins("sample/components")
@friendly_errors
def gmm_components(model: str, request: gr.Request = None) -> tuple[list, str]:
    """The mixture's component means as digits, each captioned with its weight pi_k (empty for other models)."""
    name = model_name(model, SAMPLERS)
    if name != "mnist-gmm":
        return [], ""
    means, weights, components, dims = api.gmm_components(name)
    gallery = [(digit_picture(mean, 4), f"π = {weight:.3f}") for mean, weight in zip(means, weights)]
    config = api.sample_card(name).get("config", {})
    text = (f"**What the GMM learned**: {components} Gaussians in a {dims}-dimensional PCA "
            f"space (chosen by validation likelihood; regularisation {config.get('reg_covar', '?')}). Each image "
            "is one Gaussian's mean mapped back to pixels, heaviest first; sampling picks one with "
            "probability π and adds correlated noise around its mean.")
    return gallery, text


def random_seed() -> int:
    return random.randint(0, 99_999)


def _samples(name: str, count, seed) -> tuple[np.ndarray, str]:
    start = time.perf_counter()
    digits = api.sample(name, count, seed=seed)
    return digit_sheet(digits, zoom=ZOOM), f"{_figures(name)}  \n{elapsed(start)}"


def _figures(name: str) -> str:
    """The measured figures of model ``name``'s card, in one line."""
    metrics = api.sample_card(name).get("metrics", {})
    if "frechet_lenet" not in metrics:
        return f"`{name}`: no measured figures in its card yet."
    shares = metrics.get("class_fractions", [])
    balance = f"{min(shares):.1%}–{max(shares):.1%}" if shares else "?"
    likelihood = ""
    if "test_log_likelihood_nats" in metrics:
        likelihood = f" · held-out log-likelihood {metrics['test_log_likelihood_nats']} nats (density on pixels)"
    elif "test_elbo_nats" in metrics:
        likelihood = f" · held-out ELBO {metrics['test_elbo_nats']} nats (Bernoulli)"
    report = ""
    if "frechet_allconv" in metrics:   # the second judge, which chose no checkpoint
        report = (f" · report judge (all-conv): {metrics['frechet_allconv']} "
                  f"(real vs real: {metrics.get('frechet_real_vs_real_allconv', '?')})")
    return (f"`{name}`: Fréchet distance to held-out digits **{metrics['frechet_lenet']}** "
            f"(real vs real: {metrics.get('frechet_real_vs_real', '?')}; lower is better){report} · "
            f"each class {balance} of samples{likelihood}")


def build() -> None:
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            model = gr.Dropdown(list(SAMPLERS), value=next(iter(SAMPLERS)), label="Model")
            count = gr.Slider(1, MAX_SAMPLES, value=64, step=1, precision=0, label="Number of samples")
            with gr.Row():
                seed = gr.Number(value=0, precision=0, minimum=0, maximum=MAX_SEED, label="Seed")
                dice = gr.Button("Random seed", size="sm")
            go = gr.Button("Sample", variant="primary")
            sharing = share.buttons("sample-generate")
            with gr.Row():
                digit = gr.Dropdown(DIGITS, value="3", label="Digit", min_width=80)
                go_digit = gr.Button("Sample this digit")
            compare = gr.Button("Compare all three models")
            # Which button drew the sheet: its Copy link and bundle follow it ("Sample" or "Sample this digit").
            drawn_by = gr.Textbox("all", visible=False)
        with gr.Column(scale=2):
            samples = output_image("Samples", elem_id="sample-samples")
            figures = gr.Markdown(label="Figures")
    gr.Markdown("**Side by side**: the same number of samples and seed from each model, with its measured figures.")
    with gr.Row():
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
    # Marked in the browser at the click, so in click order: the later click's sheet is the one kept
    # (newest_run_wins), whichever run finishes first. Wired before the runs: the page takes a click's events in
    # turn, and a mark after the run landed only when the run ended, over a later click's mark.
    for button, mark in ((go, "all"), (dice, "all"), (go_digit, "digit")):
        button.click(None, None, drawn_by, js=f"() => {mark!r}", api_visibility="private")
    go.click(**sample_event, api_name="sample").then(**show_learned, api_visibility="private")
    dice.click(random_seed, outputs=seed, api_visibility="private").then(
        **sample_event, api_visibility="private").then(**show_learned, api_visibility="private")
    go_digit.click(draw_digit, inputs=[model, digit, count, seed], outputs=[samples, figures], api_name="sample_digit",
                   **heavy)
    compare.click(compare_samples, inputs=[count, seed], outputs=sides, api_name="compare", **heavy)
    model.change(**show_learned, api_name="components")
    share.view(sharing, share.View(
        key="sample/generate", title="Sample · Generate", tabs=("sample", "sample/generate"), run=go,
        fn=draw_samples, inputs=[model, count, seed], outputs=[samples, figures], api_name="sample",
        params=[share.Param("model", model, short=SAMPLERS), share.Param("count", count), share.Param("seed", seed)],
        pictures=[samples], when=(drawn_by, ("all",)), models=lambda values: [model_name(values["model"], SAMPLERS)]),
        share.View(
        key="sample/digit", title="Sample · one digit", tabs=("sample", "sample/generate"), run=go_digit,
        fn=draw_digit, inputs=[model, digit, count, seed], outputs=[samples, figures], api_name="sample_digit",
        params=[share.Param("model", model, short=SAMPLERS), share.Param("digit", digit), share.Param("count", count),
                share.Param("seed", seed)],
        pictures=[samples], when=(drawn_by, ("digit",)),
        models=lambda values: [model_name(values["model"], SAMPLERS), api.DIGIT_READER]))
