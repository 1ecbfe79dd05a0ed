"""Stylize tab: repaint a photograph in the look of a style, by optimisation, by a trained network, or by
matching colour statistics. Its methods, paintings and example settings: ui/stylize_choices.py."""

from __future__ import annotations

import time
from pathlib import Path

import gradio as gr
import numpy as np
import pandas as pd

from generators import api, imaging, style, vgg19
from ui import share
from ui.common import (ASSETS, HEAVY, HEAVY_LIMIT, MAX_SEED, display, examples, friendly_errors,
                       nothing_uploaded, output_image, prose, upload_image)
from ui.stop import newest_run_wins, run_buttons, stop_on, stoppable, stopped_note, supersede_on
from ui.gpu import on_gpu
from ui.stylize_choices import (DEFAULT_STYLE, METHODS, default_fast, example_settings, fast_choices, network_note,
                                style_examples, style_file)

MAX_SIDE = 1024
TIME_CAP_S = 180
SEND_EVERY = 0.5
PLOT_COLUMNS = ["step", "loss", "term"]


def _loss_table(rows: list[tuple[int, float, str]]) -> pd.DataFrame:
    """Numeric step and loss columns, so the plot's axes are quantitative."""
    table = pd.DataFrame(rows, columns=PLOT_COLUMNS)
    return table.astype({"step": "int64", "loss": "float64", "term": "str"})


# Idea, equation and reference of each method, for the "How the methods work" accordion.
EXPLANATIONS = Path(__file__).with_suffix(".md")


def _content(path) -> tuple[np.ndarray, list[str]]:
    if not path:
        raise nothing_uploaded("content image")
    image, notice = imaging.load_image(path, mode="rgb", max_side=MAX_SIDE, min_side=imaging.MIN_UPLOAD_SIDE,
                                       name="The content image")
    return image, [notice] if notice else []


def _style_image(path) -> tuple[np.ndarray, list[str]]:
    if not path:
        raise nothing_uploaded("style image")
    image, notice = imaging.load_image(path, mode="rgb", max_side=MAX_SIDE, min_side=imaging.MIN_UPLOAD_SIDE,
                                       name="The style image")
    return image, [f"Style: {notice}"] if notice else []


def _method(label: str) -> str:
    if label not in METHODS:
        raise ValueError(f"unknown method {label!r}; choose one of: {', '.join(METHODS)}")
    return METHODS[label]


def _status(method: str, seconds: float, notices: list[str], extra: str = "") -> str:
    lines = [f"**{method}** · {seconds:.2f} s" + (f" · {extra}" if extra else "")]
    return "  \n".join(lines + notices)


@newest_run_wins("stylize")
@on_gpu(120)
@friendly_errors
def run(content_path, method_label, fast_style, style_path=None, strength=1.0, preserve_colors=False,
        content_weight=1.0, style_weight=10.0, steps=200, size=256, init="content", seed=0, use_vgg19=False,
        request: gr.Request = None):
    """Stylise the content image; yields (image, status, loss table). The Gatys method streams previews."""
    method = _method(method_label)
    content, notices = _content(content_path)
    started = time.perf_counter()
    if method != "gatys":
        reference = fast_style
        if method != "fast":
            reference, more = _style_image(style_path)
            notices += more
        result = api.stylize(content, reference, method=method, strength=strength, preserve_colors=preserve_colors)
        yield display(result), _status(method_label, time.perf_counter() - started, notices), None
        return
    with stoppable(request, "stylize") as stop:
        yield from _run_gatys(content, style_path, strength, preserve_colors, content_weight, style_weight,
                              steps, size, init, seed, notices, stop, bool(use_vgg19))


def _feature_network(use_vgg19: bool) -> tuple[str, list[str]]:
    """The network Gatys runs with, and what to tell the user: VGG-19 only when ticked (downloaded once if
    needed; if that fails, the random filters, saying so), else the offline random filters."""
    if not use_vgg19:
        return "random", []
    weights, note = vgg19.fetch()
    if weights is None:
        return "random", [f"{note}; using the random-filter network instead."]
    return "vgg19", [note]


def _run_gatys(content, style_path, strength, preserve_colors, content_weight, style_weight, steps, size, init,
               seed, notices, stop, use_vgg19=False):
    reference, more = _style_image(style_path)
    network, said = _feature_network(use_vgg19)
    notices = notices + more + said
    rows: list[tuple[int, float, str]] = []
    # A preview after every step, so Stop is seen within one step; the browser gets one every SEND_EVERY s.
    previews = api.gatys(content, reference, content_weight=content_weight, style_weight=style_weight,
                         steps=steps, size=size, init=init, preserve_colors=preserve_colors, seed=seed,
                         preview_every=1, network=network, strength=strength)
    started, sent = time.perf_counter(), -SEND_EVERY
    for preview in previews:
        side = max(preview.image.shape[:2])
        if not rows and side < max(content.shape[:2]):
            notices = notices + [f"Optimised at {side} px on the longer side (the Size slider)."]
        rows += [(preview.step, preview.total, "total"), (preview.step, preview.style, "style"),
                 (preview.step, preview.content, "content")]
        elapsed = time.perf_counter() - started
        done, total = preview.step, preview.steps
        ended = done == total or stop.is_set() or elapsed > TIME_CAP_S
        if elapsed - sent < SEND_EVERY and not ended:
            continue
        sent = elapsed
        state = f"done · {preview.network}" if done == total else f"step {done} of {total}"
        stopped = []
        if stop.is_set() and done < total:
            stopped = [stopped_note(f"step {done} of {total}")]
        elif elapsed > TIME_CAP_S and done < total:
            stopped = [f"Stopped at the {TIME_CAP_S} s time cap, at step {done} of {total}."]
        yield (display(preview.image), _status("Optimisation (Gatys et al.)", elapsed, notices + stopped, state),
               _loss_table(rows))
        if ended:
            return


def example_result(content_path):
    """(image, status) of a content example through the default painting network, with every default."""
    image, status, _ = next(run(content_path, **example_settings()))
    return image, status


def method_controls(method_label: str):
    """Show the controls that the chosen method uses."""
    method = METHODS.get(method_label, "fast")
    return (gr.update(visible=method == "fast"), gr.update(visible=method != "fast"),
            gr.update(visible=method == "gatys"), gr.update(visible=method == "gatys"))


INTRO = ("Repaint a photograph in the look of a style: by optimising the pixels (Gatys), with a network trained "
         f"for one style (fast), or by matching colour statistics. Large photographs are downscaled to {MAX_SIDE} px.")


def build() -> None:
    gr.Markdown(INTRO)
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            content = upload_image("Content photograph", height=260, value=str(ASSETS / "stylize" / "astronaut.png"))
            go = run_buttons("Stylize", "stylize")
            sharing = share.buttons("stylize")
            # The outputs are made here and placed in the right-hand column below, so the examples can name them.
            result = output_image("Result", height=520, elem_id="stylize-result", render=False)
            status = gr.Markdown(elem_id="stylize-status", label="Status", render=False)
            # A click shows the photograph through the first trained style; the output is deterministic, so it
            # is computed on the first click only and cached (lazily: nothing is computed at start-up).
            shipped = gr.Examples(examples("stylize"), inputs=content, outputs=[result, status],
                                  fn=example_result, cache_examples=True, cache_mode="lazy",
                                  label="Content examples (scikit-image): a click shows the default trained style")
            method = gr.Radio(list(METHODS), value=next(iter(METHODS)), label="Method")
            with gr.Column(visible=True) as fast_group:   # full width: the paintings' labels are long
                fast_style = gr.Dropdown(fast_choices(), value=default_fast(), label="Trained on the painting")
                trained_on = gr.Image(style_file(default_fast()), label="Trained on", height=120,
                                      interactive=False, buttons=[])
            with gr.Group(visible=False) as style_group:
                style_image = upload_image("Style image", height=200, value=str(DEFAULT_STYLE))
                gr.Examples(style_examples(), inputs=style_image, label="Style examples (six paintings first)")
            strength = gr.Slider(0, 1, value=1, step=0.05, label="Style strength (0 = the photograph)")
            preserve = gr.Checkbox(False, label="Preserve the photograph's colours (luminance-only transfer)")
            with gr.Accordion("Optimisation settings", open=True, visible=False) as gatys_settings:
                with gr.Row():
                    content_weight = gr.Number(1.0, minimum=0, label="Content weight α")
                    style_weight = gr.Number(10.0, minimum=0, label="Style weight β")
                with gr.Row():
                    steps = gr.Slider(10, 1000, value=200, step=10, precision=0, label="Steps")
                    size = gr.Slider(64, 512, value=256, step=32, precision=0, label="Size (px, longer side)")
                with gr.Row():
                    init = gr.Radio(list(style.INITS), value="content", label="Start from")
                    seed = gr.Number(0, precision=0, minimum=0, maximum=MAX_SEED, label="Seed")
                use_vgg19 = gr.Checkbox(vgg19.opted_in() or vgg19.weights_path() is not None,
                                        label=f"Use VGG-19 (ImageNet weights; downloads ~{vgg19.MB} MB once)")
                gr.Markdown(network_note())
        with gr.Column(scale=2):
            result.render()
            status.render()
            losses = gr.LinePlot(x="step", y="loss", color="term", title="Gatys loss (relative)", label="Loss per step",
                                 x_title="optimiser step", y_title="loss (relative to its target, no unit)",
                                 color_title="term", visible=False, buttons=["export", "fullscreen"])
    with gr.Accordion("How the methods work", open=False):
        prose(EXPLANATIONS)

    method.change(method_controls, inputs=method, outputs=[fast_group, style_group, gatys_settings, losses],
                  api_visibility="private")
    stop_on(method.input, "stylize")   # another method chosen mid-run: Gatys stops, with its note
    fast_style.change(style_file, inputs=fast_style, outputs=trained_on, api_visibility="private")
    # A new run clears the last status first, so an error never sits next to the previous run's status.
    go.click(lambda: "", outputs=status, queue=False, api_visibility="private")
    inputs = [content, method, fast_style, style_image, strength, preserve, content_weight, style_weight, steps,
              size, init, seed, use_vgg19]
    go.click(run, inputs=inputs, outputs=[result, status, losses], api_name="stylize", api_description=(
        "Repaint a content photograph in a style: a trained fast network, Gatys optimisation "
        "(streams previews and the loss), Reinhard colour transfer or histogram matching."),
        concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)
    # An example clicked while Gatys streams shows its own result, not the next preview (Gradio's cache answers
    # it, so the click itself stops the run, as a newer run would), and no loss curve: a fast network has none.
    supersede_on(shipped.dataset.click, "stylize")
    shipped.dataset.click(lambda: None, outputs=losses, queue=False, api_visibility="private")
    shipped.dataset.click(lambda: list(example_settings().values()), outputs=[method, fast_style, strength, preserve],
                          queue=False, api_visibility="private")
    # One run button, three views: which one a link or bundle names follows the Method radio.
    photo = share.Upload("content", content, "stylize", default=str(ASSETS / "stylize" / "astronaut.png"))
    painting = share.Upload("style", style_image, files=tuple(style_examples()), default=str(DEFAULT_STYLE))
    look = [share.Param("strength", strength), share.Param("preserve", preserve)]
    common = dict(tabs=("stylize",), run=go, fn=run, inputs=inputs, outputs=[result, status, losses],
                  api_name="stylize", pictures=[result])
    by_name = {name: label for label, name in METHODS.items()}
    share.view(sharing, share.View(
        key="stylize/fast", title="Stylize · fast network", when=(method, (by_name["fast"],)), uploads=[photo],
        params=[share.Param("style", fast_style), *look], models=lambda values: [f"style-{values['style']}"],
        **common), share.View(
        key="stylize/gatys", title="Stylize · Gatys optimisation", when=(method, (by_name["gatys"],)),
        uploads=[photo, painting], params=[*look, *(share.Param(name, component) for name, component in (
            ("content_weight", content_weight), ("style_weight", style_weight), ("steps", steps), ("size", size),
            ("init", init), ("seed", seed), ("vgg19", use_vgg19)))], **common), share.View(
        key="stylize/colour", title="Stylize · colour", when=(method, (by_name["reinhard"], by_name["histogram"])),
        uploads=[photo, painting], params=[share.Param("method", method, short=METHODS, choices=(
            by_name["reinhard"], by_name["histogram"])), *look], **common))
