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
        stop.stop_runs("pupil", [sweeps.stop_key(sweeps.DEFAULT)])

    _, summary, scores = sweeps.run_sweep(sweeps.DEFAULT, 0, request=SimpleNamespace(session_hash="pupil"),
                                          progress=press_stop)
    assert "**Stopped** at 1 of 14 fits" in summary and len(scores) == 1


def test_choosing_another_sweep_stops_the_running_one_and_drops_what_it_returns(monkeypatch):
    """A sweep run, then another chosen while it ran: its grid, summary and scores landed under the new sweep's
    explanation and axis titles. A link sets the dropdown and runs at once: choosing the running sweep keeps it."""
    pupil, other = SimpleNamespace(session_hash="pupil"), list(sweeps.SWEEPS)[1]
    quickest, stopped = sweeps.SWEEPS[sweeps.DEFAULT], []

    def chosen_meanwhile(sweep):
        def run(should_stop, **options):
            sweeps.choose(sweep, request=pupil)
            stopped.append(should_stop())
            return quickest[0](should_stop=should_stop, **options)
        return run

    monkeypatch.setitem(sweeps.SWEEPS, sweeps.DEFAULT, (chosen_meanwhile(sweeps.DEFAULT), quickest[1]))
    image, summary, _ = sweeps.run_sweep(sweeps.DEFAULT, 0, request=pupil)
    assert stopped == [False] and image.ndim == 3 and "Stopped" not in summary
    monkeypatch.setitem(sweeps.SWEEPS, sweeps.DEFAULT, (chosen_meanwhile(other), quickest[1]))
    assert sweeps.run_sweep(sweeps.DEFAULT, 0, request=pupil) == (gr.skip(),) * 3 and stopped[1]
    assert sweeps.run_sweep(sweeps.DEFAULT, 0)[0].ndim == 3        # no browser session (the API): shown
    assert sweeps.choose(other, request=pupil)[2:] == (None, "")   # the old grid and summary go too


def test_every_sweep_is_explained_with_an_equation_and_plots_only_when_it_has_scores():
    assert list(sweeps.EXPLANATIONS) == list(sweeps.SWEEPS)
    for label, (_, axes) in sweeps.SWEEPS.items():
        text, plot, _, _ = sweeps.choose(label)
        assert "$$" in text and "*" in text, label   # a displayed formula and the reference in italics
        assert plot.visible == (axes is not None), label
        if axes is not None:
            assert "(" in plot.x_title and "(" in plot.y_title, "axis titles carry their units"


@pytest.mark.parametrize("sweep, seed, named", [("Everything", 0, "unknown sweep 'Everything'"),
                                                (sweeps.DEFAULT, -1, "Seed must be a whole number")])
def test_bad_choices_are_a_message_not_a_traceback(sweep, seed, named):
    with pytest.raises(gr.Error, match=named):
        sweeps.run_sweep(sweep, seed)
