"""Models tab: each card says how its checkpoint was trained and what it measured; Load flips the status."""

import pytest

from generators import registry
from ui import models


def test_curves_show_only_where_the_card_has_them():
    plot, download = models.show_curves("mnist-vae")
    assert plot.visible is True and download.visible is True and download.value["path"].endswith(".png")
    plot, download = models.show_curves("bsds-epll-gmm")
    assert plot.visible is False and download.visible is False


def _leaves(value):
    """The numbers and words inside a (nested) metric value."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


@pytest.mark.parametrize("name", list(registry.default.table))
def test_a_card_names_its_checkpoints_train_command_and_every_measured_figure(name):
    saved = registry.card(name)
    card = models.model_card(name)
    assert card.startswith(f"### {name}\n")
    assert f"**Train it**: `{saved['train_command']}`" in card, "the command that made this checkpoint"
    assert f"**Created**: {saved['created']}" in card
    rows = {line.split(" | ")[0].removeprefix("| "): line for line in card.splitlines() if line.startswith("| ")}
    assert saved["metrics"], f"{name}'s card records no measured figures"
    for metric, value in saved["metrics"].items():
        assert metric in rows, f"{metric} is missing from {name}'s card"
        assert all(str(leaf) in rows[metric] for leaf in _leaves(value)), rows[metric]


def test_a_model_without_a_checkpoint_says_so_and_how_to_train_it(monkeypatch, tmp_path):
    monkeypatch.setattr(registry, "card", registry.Registry(directory=tmp_path).card)
    card = models.model_card("mnist-lenet")
    assert "no checkpoint yet" in card and "`python -m generators.train mnist-lenet`" in card
    assert "| metric | value |" not in card


def test_load_flips_only_that_models_loaded_status(monkeypatch):
    fresh = registry.Registry(device="cpu")  # not the shared registry: other tests see no model loaded here
    monkeypatch.setattr(registry, "load", fresh.load)
    monkeypatch.setattr(registry, "status", fresh.status)
    before = models.status_table().data.set_index("name")
    assert not before["loaded"].any()
    table, message = models.load_model("mnist-lenet")
    after = table.data.set_index("name")
    assert after.loc["mnist-lenet", "loaded"] and after.loc["mnist-lenet", "device"] == "cpu"
    assert after["loaded"].sum() == 1 and "Loaded `mnist-lenet`" in message
    assert after.loc["mnist-lenet", "parameters"] == registry.card("mnist-lenet")["parameters"]


def test_the_status_table_shows_sizes_to_two_decimals_and_parameters_grouped():
    """Gradio shows a bare float in its shortest form: a 4.10 MB model read "4.1" under "13.73"."""
    import gradio as gr

    sent = gr.Dataframe(headers=models.COLUMNS, interactive=False).postprocess(models.status_table())
    size, parameters = models.COLUMNS.index("size_mb"), models.COLUMNS.index("parameters")
    shown = {row[0]: row for row in sent.metadata["display_value"]}
    assert all(len(row[size].rsplit(".", 1)[-1]) == 2 for row in shown.values()), shown
    vae = registry.card("mnist-vae")["parameters"]
    assert shown["mnist-vae"][parameters] == f"{vae:,}" and vae in [row[parameters] for row in sent.data]


def test_the_status_card_and_curves_are_read_when_the_tab_opens_not_when_the_page_does():
    """Models load while the other tabs are used (and in the background after start-up), so a status table read
    when the page opened said "not loaded" for models that were; the page load also drew the curves figure."""
    import app

    def named(block) -> str:
        return f"{type(block).__name__} {block.label}"

    reads = {}
    for dependency in app.demo.fns.values():
        fn = getattr(dependency.fn, "__wrapped__", dependency.fn)   # friendly_errors keeps the handler there
        if fn in (models.status_table, models.model_card, models.show_curves):
            reads[fn.__name__] = {(named(app.demo.blocks[block]) if block is not None else "page", event)
                                  for block, event in dependency.targets}
    opened = ("Tab Models", "select")
    assert reads["status_table"] == {opened}
    assert reads["model_card"] == reads["show_curves"] == {opened, ("Dropdown Model", "change")}
