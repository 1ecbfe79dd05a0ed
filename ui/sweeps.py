"""Sweeps: the seed articles' arguments in one click each. One setting (or two) is varied over a grid and every
result is labelled with its score: polynomial degree and window, the Ising coupling β, ICM against Gibbs
over seeds, a digit GMM's number of Gaussians, the VAE's two priors, Gatys' content and style weights.

A section, not a tab: ``build()`` places it inside whatever Blocks, Tab or Accordion is open."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import gradio as gr
import pandas as pd

from generators import checks, sweeps
from ui import share
from ui.common import HEAVY, HEAVY_LIMIT, LATEX, MAX_SEED, friendly_errors, output_image
from ui.stop import run_buttons, stop_runs, stoppable
from ui.gpu import on_gpu

# Label in the dropdown (and heading in sweeps.md) -> the sweep in generators.sweeps and its plot's axes (None:
# no plot). Restoration first (the quickest, and the default), then digits, then style.
SWEEPS = {
    "Polynomial fit: degree × window": (sweeps.polynomial_fit, sweeps.POLYNOMIAL_AXES),
    "Ising MRF: coupling β": (sweeps.ising_beta, sweeps.ISING_AXES),
    "Deterministic vs random: ICM against Gibbs over 8 seeds": (sweeps.icm_vs_gibbs, None),
    "GMM of digits: 1, 5, 20 and 50 Gaussians": (sweeps.gmm_components, sweeps.GMM_AXES),
    "VAE: N(0, I) codes against the fitted prior": (sweeps.vae_priors, None),
    "Gatys: content weight × style weight": (sweeps.gatys_weights, None),
}
DEFAULT = next(iter(SWEEPS))
# The name each sweep goes by in a link (ui.share) and a lesson step (ui/lessons.toml).
SHORT = dict(zip(SWEEPS, ("polynomial", "ising-beta", "icm-gibbs", "gmm", "vae-prior", "gatys-weights")))
# Each sweep ends here, keeping what it finished; the defaults take at most about 10 s on two CPU cores.
TIME_CAP = 60.0
STOP_KEY = "sweeps"   # the stop flags this section's Stop button sets are STOP_KEY/<sweep> (stop_key)
# session -> the sweep its dropdown shows now (``choose``). A run of another sweep is stopped when the choice
# moves on, and what it returns is dropped: it landed under the new sweep's explanation and axis titles.
_SHOWN: OrderedDict[str, str] = OrderedDict()
_SHOWN_LOCK = threading.Lock()
SHOWN_KEPT = 4096   # sessions remembered, the least recent forgotten first
PLOT_COLUMNS = ["setting", "score", "series"]
_API_DESCRIPTION = ("Run one of the six teaching sweeps at its default settings (polynomial degree x window, "
                    "Ising beta, ICM vs Gibbs over seeds, GMM components, VAE priors, Gatys weights); returns "
                    "the labelled grid, a summary with the figures, and the scores as a table (setting, score, "
                    "series).")


def _explanations(path: Path) -> dict[str, str]:
    """sweeps.md's sections: its "## <label>" headings -> the markdown under each."""
    sections: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n## "):
        heading, _, body = block.removeprefix("## ").partition("\n")
        sections[heading.strip()] = body.strip()
    return sections


EXPLANATIONS = _explanations(Path(__file__).with_suffix(".md"))


@on_gpu(90)
@friendly_errors
def run_sweep(sweep: str = DEFAULT, seed: int = 0, request: gr.Request = None, progress=gr.Progress()):
    """Run ``sweep`` with ``seed`` (the noise, the samples); returns (grid image, summary, scores). The scores
    table has columns setting, score, series (its axes are named by ``choose``; empty for a sweep without a
    plot). Stop, or the TIME_CAP, ends the sweep after the current cell with what is finished."""
    checks.choice(sweep, SWEEPS, name="sweep")
    seed = checks.seed(seed, name="Seed")
    with stoppable(request, stop_key(sweep)) as stop:
        result = SWEEPS[sweep][0](seed=seed, should_stop=stop.is_set, time_limit=TIME_CAP,
                                  progress=lambda fraction, text: progress(fraction, desc=text))
    if request is not None and _SHOWN.get(request.session_hash, sweep) != sweep:
        return gr.skip(), gr.skip(), gr.skip()          # the dropdown moved on to another sweep meanwhile
    return result.image, result.summary, pd.DataFrame(result.plot.rows if result.plot else [], columns=PLOT_COLUMNS)


def stop_key(sweep: str) -> str:
    """The stop flag of a run of ``sweep``: one per sweep, so that choosing a sweep stops only the others (a
    link sets the dropdown and runs at once, and its run must survive the choice)."""
    return f"{STOP_KEY}/{SHORT[sweep]}"


def choose(sweep: str, request: gr.Request = None) -> tuple[str, gr.LinePlot, None, str]:
    """The chosen sweep's explanation, the plot emptied, titled with its axes and shown when it has one, and the
    grid and summary emptied; this session's runs of other sweeps stop. (The titles are set here, not with the
    scores: the browser's plot keeps drawing the old scores when both change at once.)"""
    session = getattr(request, "session_hash", None)
    if session and sweep in SWEEPS:
        with _SHOWN_LOCK:
            _SHOWN[session] = sweep
            _SHOWN.move_to_end(session)
            while len(_SHOWN) > SHOWN_KEPT:
                _SHOWN.popitem(last=False)
        stop_runs(session, [stop_key(other) for other in SWEEPS if other != sweep])
    axes = SWEEPS[sweep][1] if sweep in SWEEPS else None
    if axes is None:
        return EXPLANATIONS.get(sweep, ""), gr.LinePlot(value=None, visible=False), None, ""
    return EXPLANATIONS[sweep], gr.LinePlot(value=None, x_title=axes.x_title, y_title=axes.y_title,
                                            color_title=axes.line_title, visible=True), None, ""


def build() -> None:
    """The Sweeps section: the choice of sweep and its explanation, Run and Stop, the grid, the plot, the summary."""
    gr.Markdown("**Sweeps.** Each makes one argument of the articles in one click: a setting varied over a grid, "
                "every result labelled with its score.")
    with gr.Row():
        with gr.Column(scale=1, min_width=280):
            sweep = gr.Dropdown(list(SWEEPS), value=DEFAULT, label="Sweep")
            seed = gr.Number(0, precision=0, minimum=0, maximum=MAX_SEED, label="Seed (noise, samples)")
            go = run_buttons("Run the sweep", *map(stop_key, SWEEPS))
            sharing = share.buttons("sweeps")
        with gr.Column(scale=2):
            explanation = gr.Markdown(EXPLANATIONS[DEFAULT], latex_delimiters=LATEX)
    grid = output_image("Sweep: each cell labelled with its score")
    summary = gr.Markdown(label="Summary")
    axes = SWEEPS[DEFAULT][1]
    plot = gr.LinePlot(x=PLOT_COLUMNS[0], y=PLOT_COLUMNS[1], color=PLOT_COLUMNS[2], x_title=axes.x_title,
                       y_title=axes.y_title, color_title=axes.line_title, label="Scores",
                       buttons=["export", "fullscreen"])

    sweep.change(choose, inputs=sweep, outputs=[explanation, plot, grid, summary], api_visibility="private")
    go.click(run_sweep, inputs=[sweep, seed], outputs=[grid, summary, plot], api_name="sweep",
             api_description=_API_DESCRIPTION, concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)
    share.view(sharing, share.View(
        key="sweeps", title="Lessons · Sweeps", tabs=("lessons", "lessons/sweeps"), run=go, fn=run_sweep,
        inputs=[sweep, seed], outputs=[grid, summary, plot], api_name="sweep", pictures=[grid],
        params=[share.Param("sweep", sweep, short=SHORT), share.Param("seed", seed)],
        models=lambda values: ["mnist-vae", "mnist-lenet"] if SHORT.get(values["sweep"]) == "vae-prior" else []))
