"""Sample tab: draw handwritten digits from generative models and see what they learned."""

from __future__ import annotations

import random

import gradio as gr
import numpy as np

from generators import imaging, registry
from ui.common import HEAVY, HEAVY_LIMIT, display, friendly_errors, output_image, whole_number

# Label shown in the UI -> registry name. Every entry offers sample(n, *, seed).
SAMPLERS = {
    "GMM: PCA + Gaussian mixture": "mnist-gmm",
}
MAX_SAMPLES = 256
MAX_SEED = 2**31 - 1
ZOOM = 3


@friendly_errors
def draw_samples(model: str, count, seed) -> tuple[np.ndarray, str]:
    """A grid of ``count`` digits from ``model`` drawn with ``seed``, and the model's measured figures."""
    name = _registry_name(model)
    count = whole_number(count, name="Number of samples", low=1, high=MAX_SAMPLES)
    seed = whole_number(seed, name="Seed", low=0, high=MAX_SEED)
    digits = registry.load(name).sample(count, seed=seed)
    sheet = imaging.grid(1.0 - digits, columns=min(16, int(np.ceil(np.sqrt(count)))), background=0.85)
    return display(imaging.upscale_nearest(sheet, ZOOM)), _figures(name)


@friendly_errors
def gmm_components(model: str) -> tuple[list, str]:
    """The mixture's component means as digits, each captioned with its weight pi_k."""
    name = _registry_name(model)
    sampler = registry.load(name)
    if not hasattr(sampler, "component_means"):
        return [], ""
    means, weights = sampler.component_means()
    gallery = [(display(imaging.upscale_nearest(1.0 - mean, 4)), f"π = {weight:.3f}")
               for mean, weight in zip(means, weights)]
    config = registry.card(name).get("config", {})
    text = (f"**What the GMM learned**: {sampler.components} Gaussians in a {sampler.dims}-dimensional PCA "
            f"space (chosen by validation likelihood; regularisation {config.get('reg_covar', '?')}). Each image "
            "is one Gaussian's mean mapped back to pixels, heaviest first; sampling picks one with "
            "probability π and adds correlated noise around its mean.")
    return gallery, text


def random_seed() -> int:
    return random.randint(0, 99_999)


def _registry_name(model: str) -> str:
    if model not in SAMPLERS:
        raise ValueError(f"unknown model {model!r}; choose one of: {', '.join(SAMPLERS)}")
    return SAMPLERS[model]


def _figures(name: str) -> str:
    metrics = registry.card(name).get("metrics", {})
    if "frechet_lenet" not in metrics:
        return f"`{name}`: no measured figures in its card yet."
    shares = metrics.get("class_fractions", [])
    balance = f"{min(shares):.0%}–{max(shares):.0%}" if shares else "?"
    return (f"`{name}`: Fréchet distance to held-out digits **{metrics['frechet_lenet']}** "
            f"(real vs real: {metrics.get('frechet_real_vs_real', '?')}; lower is better) · "
            f"each class {balance} of samples · held-out log-likelihood "
            f"{metrics.get('test_log_likelihood_nats', '?')} nats")


def build() -> None:
    gr.Markdown("Draw handwritten digits from a generative model trained on MNIST. "
                "The same seed always gives the same digits.")
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            model = gr.Dropdown(list(SAMPLERS), value=next(iter(SAMPLERS)), label="Model")
            count = gr.Slider(1, MAX_SAMPLES, value=64, step=1, label="Number of samples")
            with gr.Row():
                seed = gr.Number(value=0, precision=0, minimum=0, maximum=MAX_SEED, label="Seed")
                dice = gr.Button("Random seed", size="sm")
            go = gr.Button("Sample", variant="primary")
        with gr.Column(scale=2):
            samples = output_image("Samples")
            figures = gr.Markdown()
    with gr.Accordion("What the model learned", open=True):
        learned = gr.Markdown()
        means = gr.Gallery(label="Component means (weight π)", columns=10, height="auto", format="png")

    sample_event = dict(fn=draw_samples, inputs=[model, count, seed], outputs=[samples, figures],
                        concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)
    show_learned = dict(fn=gmm_components, inputs=model, outputs=[means, learned])
    go.click(**sample_event, api_name="sample").then(**show_learned, api_visibility="private")
    dice.click(random_seed, outputs=seed, api_visibility="private").then(
        **sample_event, api_visibility="private").then(**show_learned, api_visibility="private")
    model.change(**show_learned, api_name="components")
