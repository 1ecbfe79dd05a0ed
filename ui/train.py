"""Train tab: watch models learn, live. Its handlers (Start, Resume, Pause, Reset, Compare, the drawing pad) and
its layout. Every browser session owns its run, trained by a streaming loop about a second at a time
(ui/train_loop.py); the server's training places are generators.live.POOL: a few runs train at once, the next
ones wait and are told their place in the queue, one more is refused. The figures: ui/train_plots.py; the
models and their settings: ui/train_settings.py."""

from __future__ import annotations

import gradio as gr
import numpy as np
from gradio.context import get_blocks_context

from generators import api, live
from ui import share
from ui import train_loop as loop
from ui import train_plots as plots
from ui.common import HEAVY, HEAVY_LIMIT, MAX_SEED, digit_picture, friendly_errors, whole_number
from ui.train_settings import (DATA, DEFAULTS, LABELS, MAX_STEP, MODELS, PICTURE_LABELS, TRAINING_SETS,
                               hyperparameters, kind_of)


@friendly_errors
def start_training(model, data, lr, batch, code, components, hidden, digits, noise, seed, until, drawn,
                   request: gr.Request):
    """Start: a new run from the controls, then train it live (up to step ``until``, when it is not 0)."""
    kind = kind_of(model)
    seed = whole_number(seed, name="Seed", low=0, high=MAX_SEED)
    until = whole_number(until, name="Stop at step", low=0, high=MAX_STEP)
    session = loop.session_of(request)
    yield "Setting up the run (the first one loads PyTorch: a few seconds)...", gr.skip(), gr.skip(), gr.skip()
    try:
        run = live.start(kind, seed=seed, **hyperparameters(kind, data, lr, batch, code, components, hidden, digits,
                                                             noise, drawn))
    except ValueError as error:
        yield f"Not started: {error}", gr.skip(), gr.skip(), gr.skip()
        raise
    with session.lock:
        generation = loop.stop(session, "Start")
        session.run, session.until = run, until
        session.started = (model, data, lr, batch, code, components, hidden, digits, noise, seed, until, drawn)
    yield from loop.train_live(session, generation)


@friendly_errors
def resume_training(model, request: gr.Request):
    """Resume: go on training the session's run from where it stopped (the model picked must be the run's)."""
    session = loop.session_of(request)
    with session.lock:
        if session.run is None:
            raise ValueError("There is no run to resume: press Start first.")
        if session.run.kind != kind_of(model):
            raise ValueError(f"The paused run is a {LABELS[session.run.kind]} run: pick {LABELS[session.run.kind]} "
                             f"to resume it, or press Start for a new {model} run.")
        if session.run.out_of_time:
            raise ValueError(f"This run has trained for its {live.TIME_LIMIT_S / 60:.0f} minutes: press Start for a "
                             f"new one.")
        if loop.reached(session):   # past the step it stopped at, until Pause
            session.until = 0
        generation = loop.stop(session, "Resume")
    yield from loop.train_live(session, generation)


def pause_training(request: gr.Request) -> str:
    """Pause: the training loop sees a newer generation and returns; its place goes to the next run waiting."""
    return loop.pause(loop.session_of(request))


def reset_training(request: gr.Request):
    """Reset: stop and forget the run; clear the plots."""
    session = loop.session_of(request)
    with session.lock:
        loop.stop(session, "Reset")
        session.run = None
    live.POOL.leave(session)
    return "No run yet: pick a model and press Start.", None, None, None


@friendly_errors
def compare_with_shipped(request: gr.Request) -> tuple[str, dict]:
    """The live digit model beside the shipped one of its kind, on the same figures (a few seconds)."""
    session = loop.session_of(request)
    run = session.run
    if run is None or run.kind not in live.DIGIT_KINDS:
        raise ValueError("Train a digit model first (GAN, VAE or denoising autoencoder), then compare.")
    from generators.live.digits import compare

    shipped = api.load(run.kind)
    with session.training:  # the live run holds still while it is measured
        found = compare(run, shipped, api.load("mnist-lenet"))
        mine = run.picture()
    theirs = mine if run.kind == "mnist-dae" else _tile_samples(shipped)
    rows = [f"| | live (step {run.step}, {run.seconds:.0f} s) | shipped `{run.kind}` |", "|---|---|---|"]
    rows += [f"| {name.replace('_', ' ')} | {found['live'].get(name, '—')} | {found['shipped'].get(name, '—')} |"
             for name in dict.fromkeys([*found["live"], *found["shipped"]]) if name != "class_fractions"]
    note = ("LeNet confidence: the judge's mean top-class probability on 1,000 samples (higher is better); Fréchet: "
            "distance of their LeNet features to the 1,000 held-out digits (lower is better)."
            if run.kind != "mnist-dae" else "PSNR of the restored held-out digits (higher is better).")
    picture = digit_picture(mine, 2) if run.kind == "mnist-dae" else digit_picture(
        np.hstack([mine, np.zeros((mine.shape[0], 8), np.float32), theirs]), 2)
    label = ("The live autoencoder's repairs (the table compares it with the shipped one)" if run.kind == "mnist-dae"
             else "Live (left) and shipped (right)")
    return "\n".join(rows) + f"\n\n{note}", gr.update(value=picture, visible=True, label=label)


def _tile_samples(sampler) -> np.ndarray:
    from generators.live.digits import GRID, tile

    return tile(sampler.sample(GRID[0] * GRID[1], seed=0))


def pick_model(model: str, request: gr.Request = None):
    """Show the controls ``model`` uses (starting_settings fills them in when the user picks it). A run of another
    model pauses (Resume goes on with it once it is picked again) and its plots go: it went on training, for up to
    its five minutes and holding one of the server's training places, with its curves drawn in the new model's
    layout."""
    kind = kind_of(model)
    lr, batch, code = DEFAULTS[kind]
    toy, digits = kind in live.TOY_KINDS, kind in live.DIGIT_KINDS
    session = loop.session_of(request) if getattr(request, "session_hash", None) else None
    status, cleared = gr.skip(), {}
    if session is not None and session.run is not None and session.run.kind != kind:
        left = session.run
        loop.pause(session, by="another model picked")   # the loop ends without a frame of its own
        status = (f"**Paused** the {LABELS[left.kind]} run at step {left.step} after {left.seconds:.0f} s of "
                  f"training: pick it again and press Resume to go on with it, or press Start for a new "
                  f"{model} run.")
        cleared = {"value": None}
    return (gr.update(visible=toy), gr.update(visible=lr is not None),
            gr.update(visible=batch is not None), gr.update(visible=code is not None),
            gr.update(visible=kind == "toy-gmm"), gr.update(visible=kind == "toy-gan"), gr.update(visible=digits),
            gr.update(visible=kind in ("logistic-restore", "mnist-dae")), gr.update(visible=digits),
            gr.update(visible=not toy, label=PICTURE_LABELS.get(kind), **cleared),
            gr.update(visible=not digits, **cleared), gr.update(visible=toy), "",
            gr.update(value=None, visible=False), status, gr.update(**cleared))


def starting_settings(model: str) -> tuple:
    """The learning rate, batch size and code size ``model`` starts well from, when the user picks it (a link
    that picks it sets its own)."""
    return tuple(gr.skip() if value is None else value for value in DEFAULTS[kind_of(model)])


def build() -> None:
    gr.Markdown("Train a model **live** and watch it learn: press Start, and the plots update about once a "
                "second. Pause stops the computer's work; Resume goes on; Reset forgets the run. Each run trains "
                f"for at most {live.TIME_LIMIT_S / 60:.0f} minutes, and a few runs share the server at once.")
    drawn = gr.State({"points": [], "labels": []})
    with gr.Row():
        with gr.Column(scale=1):
            model = gr.Radio(list(MODELS), value="GAN on 2-D points", label="Model", elem_id="train-model")
            # The run's buttons right under the model choice, so they are on the first screen at 1280x800.
            with gr.Row():
                start = gr.Button("Start", variant="primary", elem_id="train-start")
                pause = gr.Button("Pause", elem_id="train-pause")
                resume = gr.Button("Resume", elem_id="train-resume")
                reset = gr.Button("Reset", elem_id="train-reset")
            data = gr.Radio(list(DATA), value="Ring of 8 Gaussians", label="Data (2-D)")
            lr = gr.Number(value=1e-3, label="Learning rate", minimum=1e-5, maximum=10, elem_id="train-lr")
            batch = gr.Slider(8, 512, value=256, step=8, label="Batch size")
            code = gr.Slider(1, 64, value=8, step=1, label="Code size (dimensions of z)")
            components = gr.Slider(1, 20, value=8, step=1, label="Mixture components", visible=False)
            hidden = gr.Slider(4, 256, value=128, step=4, label="Hidden units per layer (G and D)")
            digits = gr.Radio(list(TRAINING_SETS), value="4,000 training digits",
                              label="Training set (try 100 to watch it overfit)", visible=False)
            noise = gr.Slider(0.1, 1.0, value=0.5, step=0.05, label="Noise std of the training image", visible=False)
            seed = gr.Number(value=0, precision=0, minimum=0, maximum=MAX_SEED, label="Seed")
            until = gr.Number(value=0, precision=0, minimum=0, maximum=MAX_STEP, label="Stop at step",
                              info="0: train until Pause or the time limit", elem_id="train-until")
            # A link holds the settings its run started with and the step it is at: opened, it trains the same
            # run to that step (every step is deterministic for a seed), so the plots come out the same.
            sharing = share.buttons("train", bundle=False)
            compare = gr.Button("Compare with the shipped model", visible=False)
        with gr.Column(scale=3):
            status = gr.Markdown("No run yet: pick a model and press Start.", elem_id="train-status")
            with gr.Row():
                picture = gr.Plot(label="What the model has learned", show_label=False, elem_id="train-picture")
                curves = gr.Plot(label="Curves", show_label=False, elem_id="train-curves")
            digits_image = gr.Image(label=PICTURE_LABELS["mnist-gan"],
                                    type="numpy", format="png", interactive=False, elem_id="train-digits",
                                    visible=False)
            compare_note = gr.Markdown()
            compare_image = gr.Image(label="Live (left) and shipped (right)", type="numpy", format="png",
                                     interactive=False, visible=False)
            with gr.Accordion("Draw your own points (click to place them)", open=False) as drawing:
                point_class = gr.Radio(["class A", "class B"], value="class A", label="Class of the next points")
                pad = gr.Image(plots.pad_picture([], []), label="Drawing pad: [-1.6, 1.6] square", type="numpy",
                               interactive=False, format="png", elem_id="train-pad")
                drawn_note = gr.Markdown(plots.drawn_note({"points": []}))
                clear = gr.Button("Clear the points")

    controls = [model, data, lr, batch, code, components, hidden, digits, noise, seed, until, drawn]
    outputs = [status, picture, digits_image, curves]
    model.input(starting_settings, model, [lr, batch, code], concurrency_limit=None, concurrency_id="train-control",
                api_visibility="private")
    model.change(pick_model, model, [data, lr, batch, code, components, hidden, digits, noise, compare, digits_image,
                                     picture, drawing, compare_note, compare_image, status, curves],
                 concurrency_limit=None, concurrency_id="train-control", api_visibility="private")
    # The Train tab's events belong to one browser session's live run (kept in that session's state), so they
    # are not part of the public API.
    # trigger_mode="multiple": Start (or Resume) pressed while a run trains replaces it at once.
    start.click(start_training, controls, outputs, concurrency_limit=None, concurrency_id="train-loop",
                api_name="train_start", api_visibility="private", trigger_mode="multiple")
    resume.click(resume_training, model, outputs, concurrency_limit=None, concurrency_id="train-loop",
                 api_name="train_resume", api_visibility="private", trigger_mode="multiple")
    pause.click(pause_training, None, status, concurrency_limit=None, concurrency_id="train-control",
                api_name="train_pause", api_visibility="private")
    reset.click(reset_training, None, outputs, concurrency_limit=None, concurrency_id="train-control",
                api_name="train_reset", api_visibility="private")
    compare.click(compare_with_shipped, None, [compare_note, compare_image], concurrency_limit=HEAVY_LIMIT,
                  concurrency_id=HEAVY, api_name="train_compare", api_visibility="private")
    pad.select(plots.add_point, [drawn, point_class], [drawn, pad, drawn_note], concurrency_limit=None,
               concurrency_id="train-control", api_visibility="private")
    clear.click(plots.clear_points, None, [drawn, pad, drawn_note], concurrency_limit=None, concurrency_id="train-control",
                api_visibility="private")
    get_blocks_context().root_block.unload(loop.free_session)

    def link_values(settings: dict, request: gr.Request) -> dict:
        """The shown run's settings and step; none when no run is shown (the plots go when another model is
        picked, and the run of the old one pauses)."""
        session = loop.existing_session(request)
        if session is None or session.run is None or session.run.kind != MODELS.get(settings.get(id(model))):
            return {}
        return {**dict(zip(map(id, controls), session.started)), id(until): session.run.step}

    share.view(sharing, share.View(
        key="train", title="Train", tabs=("train",), run=start, fn=start_training, inputs=controls, outputs=outputs,
        api_name="train_start", link_values=link_values,
        params=[share.Param("model", model, short=MODELS),
                share.Param("data", data, short=DATA, choices=tuple(label for label in DATA if DATA[label] != "drawn")),
                share.Param("lr", lr), share.Param("batch", batch), share.Param("code", code),
                share.Param("components", components), share.Param("hidden", hidden),
                share.Param("digits", digits, short=TRAINING_SETS), share.Param("noise", noise),
                share.Param("seed", seed), share.Param("until", until)]))
