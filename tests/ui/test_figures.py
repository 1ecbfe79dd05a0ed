"""The matplotlib figures (the Train tab's curves, the VAE's latent map) draw their legends into the picture,
where a browser cannot read them: here, each names its lines and labels its axes."""

import numpy as np
import pytest

from generators import live
from ui import train_plots
from ui.figures import latent_map_figure


@pytest.mark.parametrize("kind", ["toy-gan", "toy-gmm", "toy-logistic", "logistic-restore"])
def test_the_train_tabs_curves_name_every_line_and_their_axes(kind):
    run = live.start(kind, seed=0)
    run.advance(3)
    figure = train_plots.run_curves(run)
    axes = figure.axes[0]
    names = [line.get_label() for line in axes.get_lines()]
    assert axes.get_legend() is not None
    assert [text.get_text() for text in axes.get_legend().get_texts()] == names and names
    assert axes.get_xlabel() == "training step" and axes.get_ylabel() == train_plots.CURVES[kind][1]
    assert axes.get_title() == train_plots.CURVES[kind][0]


def test_the_latent_map_names_each_class_in_its_legend():
    from types import SimpleNamespace

    found = SimpleNamespace(tiles=np.zeros((3, 3, 28, 28), np.float32), extent=(-2.0, 2.0, -2.0, 2.0),
                            points=np.random.default_rng(0).normal(size=(50, 2)), labels=np.arange(50) % 10)
    axes = latent_map_figure(found).axes[0]
    assert [text.get_text() for text in axes.get_legend().get_texts()] == [str(digit) for digit in range(10)]
    assert "principal direction" in axes.get_xlabel() and "principal direction" in axes.get_ylabel()
