"""Models tab: every shipped model, whether it is loaded, and its card."""

from __future__ import annotations

import json

import gradio as gr
import pandas as pd
from matplotlib.figure import Figure

from generators import registry
from ui import page_links
from ui.common import HEAVY, HEAVY_LIMIT, fixed_decimals, friendly_errors
from ui.figures import figure_file

COLUMNS = ["name", "kind", "loaded", "device", "parameters", "size_mb", "checksum", "note"]


def status_table():
    return fixed_decimals(pd.DataFrame(registry.status(), columns=COLUMNS), {"parameters": 0, "size_mb": 2})


def model_card(name: str) -> str:
    """Markdown card for ``name``: what it is, its data, the command that trains it, its measured figures."""
    spec = registry.spec(name)
    card = registry.card(name)
    metrics = card.get("metrics") or {}
    lines = [
        f"### {spec.name}",
        spec.summary,
        "",
        f"- **Kind**: {spec.kind}",
        f"- **Data**: {card.get('data', spec.data)}",
        f"- **Train it**: `{card.get('train_command', spec.train_command)}`",
        f"- **Reference**: {spec.paper or '—'}",
        f"- **Licence**: {spec.licence}",
        f"- **Created**: {card.get('created', 'no checkpoint yet')}",
        f"- **Config**: `{json.dumps(card.get('config', {}))}`",
    ]
    selection = card.get("selection")
    if selection and "criterion" in selection:      # a grid search (mnist-gmm)
        lines.append(f"- **Model selection**: {selection['criterion']}, over {len(selection['grid'])} "
                     "configurations (all listed in the JSON card)")
    elif selection:                                 # a choice between training runs (the style networks)
        lines.append(f"- **Checkpoint choice**: {selection['chosen']}, chosen {selection['rule']}; candidates: "
                     f"{_format(selection['candidates'])}")
    if metrics:
        lines += ["", "| metric | value |", "|---|---|"]
        lines += [f"| {key} | {_format(value)} |" for key, value in metrics.items()]
    return "\n".join(lines)


X_AXES = ("epoch", "step", "eval_step")


def curves_figure(name: str) -> Figure | None:
    """The training curves saved in ``name``'s card ("curves": {x axis: [...], series: [...]}), one panel per
    series, each against the x axis of the same length; None when the card has none."""
    curves = registry.card(name).get("curves") or {}
    axes_by_length = {len(curves[key]): key for key in X_AXES if key in curves}
    series = [key for key in curves if key not in X_AXES and len(curves[key]) in axes_by_length]
    if not series:
        return None
    figure = Figure(figsize=(3.2 * len(series), 2.6), dpi=100)
    for index, key in enumerate(series, start=1):
        axes = figure.add_subplot(1, len(series), index)
        x_key = axes_by_length[len(curves[key])]
        axes.plot(curves[x_key], curves[key], color=f"C{index - 1}")
        axes.set_title(key.replace("_", " "), fontsize=10)
        axes.set_xlabel(x_key.replace("_", " "))
        axes.grid(alpha=0.3)
    figure.tight_layout()
    return figure


def show_curves(name: str):
    """The curves plot and its PNG download, hidden for a model whose card records none (an empty plot would
    look broken)."""
    figure = curves_figure(name)
    return (gr.Plot(value=figure, visible=figure is not None),
            gr.DownloadButton(value=figure_file(figure, f"{name}-curves"), visible=figure is not None))


@friendly_errors
def load_model(name: str) -> tuple[pd.DataFrame, str]:
    registry.load(name)
    return status_table(), f"Loaded `{name}` on {registry.device()}."


def _format(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):  # nested figures (a benchmark's table): "key: value" pairs, nested in brackets
        return "; ".join(f"{key}: " + (f"({_format(item)})" if isinstance(item, dict) else _format(item))
                         for key, item in value.items())
    return str(value)


def build(tab: gr.Tab) -> None:
    """The Models tab, inside ``tab``: the status table, the card and the curves are read when ``tab`` is opened
    (models load while the other tabs are used, so a table read when the page opened would be out of date), and
    the card and curves again when another model is chosen."""
    names = list(registry.default.table)
    gr.Markdown("Every model GenLab ships. Models load on first use; **Load** warms one up now. "
                "The checksum column compares each file with `checkpoints/manifest.json`.")
    # The buttons above the (tall) table, so Load is on the first screen at 1024x768 too.
    with gr.Row():
        choice = gr.Dropdown(names, value=names[0], label="Model")
        load = gr.Button("Load", variant="primary")
        refresh = gr.Button("Refresh")
    message = gr.Markdown(label="Message")
    # wrap=True: every column fits the page (the note and checksum columns wrap instead of scrolling away); on a
    # phone the table keeps a readable width and scrolls sideways in its box (app.py's CSS, #registry-table).
    table = gr.Dataframe(headers=COLUMNS, interactive=False, label="Registry status", wrap=True,
                         elem_id="registry-table",
                         column_widths=["16%", "13%", "7%", "7%", "10%", "8%", "12%", "27%"])
    card = gr.Markdown(label="Model card")
    curves = gr.Plot(visible=curves_figure(names[0]) is not None,
                     label="Training curves (saved in the checkpoint's JSON)")
    download = gr.DownloadButton("Download the curves (PNG)", visible=False)
    with gr.Accordion("Reproduce a result from its bundle", open=False, elem_id="reproduce"):
        reproduce_panel()

    load.click(load_model, inputs=choice, outputs=[table, message], api_name="load_model",
               api_description="Load a model now (it would load on first use anyway); returns the registry "
                               "status table and a message.",
               concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)
    refresh.click(status_table, outputs=table, api_name="model_status",
                  api_description="The registry status table: every model, whether it is loaded, its size, "
                                  "and whether its checksum matches checkpoints/manifest.json.")
    tab.select(status_table, outputs=table, api_visibility="private")
    gr.on([tab.select, choice.change], friendly_errors(model_card), inputs=choice, outputs=card,
          api_name="model_card",
          api_description="The Markdown card of a model: what it is, its data, the command that trained it and "
                          "its measured figures, read from its checkpoint JSON.")
    gr.on([tab.select, choice.change], friendly_errors(show_curves), inputs=choice, outputs=[curves, download],
          api_visibility="private")


def reproduce_panel() -> None:
    """Upload a bundle, replay it, see "identical" or the PSNR and why; stored and replayed side by side."""
    gr.Markdown("Upload a bundle made by **Download bundle** on any tab: it is checked (sizes, names, sha256 of "
                "every file), its view is run again here with the bundled inputs and settings, and the result is "
                "compared with the stored output.")
    with gr.Row():
        upload = gr.File(label="Bundle (.zip)", file_types=[".zip"], type="filepath", elem_id="reproduce-file",
                         height=120)
        go = gr.Button("Replay the bundle", variant="primary", elem_id="reproduce-run")
    verdict = gr.Markdown(elem_id="reproduce-verdict", label="Match")
    with gr.Row():
        stored = gr.Gallery(label="Stored in the bundle", columns=3, height=300, format="png")
        replayed = gr.Gallery(label="Replayed here", columns=3, height=300, format="png")
    # Progress, and the error badge of a refused bundle, on the verdict only: the toast says what was wrong, and
    # a red "Error" on each empty gallery beside it added nothing.
    go.click(friendly_errors(page_links.replay), upload, [verdict, stored, replayed], api_visibility="private",
             concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT, show_progress_on=[verdict])
