"""The Sweeps section: its handler on the quickest sweep, Stop, the explanations and the plot's axes."""

from types import SimpleNamespace

import gradio as gr
import pytest

from ui import stop, sweeps


def test_the_default_sweep_returns_a_labelled_grid_its_figures_and_a_score_table():
    image, summary, scores = sweeps.run_sweep(sweeps.DEFAULT, 0)
    assert image.dtype.name == "uint8" and image.ndim == 3
    assert "Best: **degree" in summary and "fits in" in summary
    assert list(scores.columns) == sweeps.PLOT_COLUMNS and len(scores) == 14   # 15 cells, one cannot be fitted
    assert set(scores["series"]) == {"degree 0", "degree 2", "degree 4"}


def test_stop_ends_the_sweep_and_says_where():
    def press_stop(fraction, desc=""):   # the Stop button, pressed as the first cell finishes
        stop.stop_runs("pupil", [sweeps.STOP_KEY])

    _, summary, scores = sweeps.run_sweep(sweeps.DEFAULT, 0, request=SimpleNamespace(session_hash="pupil"),
                                          progress=press_stop)
    assert "**Stopped** at 1 of 14 fits" in summary and len(scores) == 1


def test_every_sweep_is_explained_with_an_equation_and_plots_only_when_it_has_scores():
    assert list(sweeps.EXPLANATIONS) == list(sweeps.SWEEPS)
    for label, (_, axes) in sweeps.SWEEPS.items():
        text, plot = sweeps.choose(label)
        assert "$$" in text and "*" in text, label   # a displayed formula and the reference in italics
        assert plot.visible == (axes is not None), label
        if axes is not None:
            assert "(" in plot.x_title and "(" in plot.y_title, "axis titles carry their units"


@pytest.mark.parametrize("sweep, seed, named", [("Everything", 0, "unknown sweep 'Everything'"),
                                                (sweeps.DEFAULT, -1, "Seed must be a whole number")])
def test_bad_choices_are_a_message_not_a_traceback(sweep, seed, named):
    with pytest.raises(gr.Error, match=named):
        sweeps.run_sweep(sweep, seed)
