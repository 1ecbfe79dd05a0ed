"""Models tab helpers: the curves plot appears only for models whose card records curves."""

from ui import models


def test_curves_show_only_where_the_card_has_them():
    plot, download = models.show_curves("mnist-vae")
    assert plot.visible is True and download.visible is True and download.value["path"].endswith(".png")
    plot, download = models.show_curves("bsds-epll-gmm")
    assert plot.visible is False and download.visible is False


def test_every_card_renders_with_its_command():
    for name in models.registry.default.table:
        card = models.model_card(name)
        assert name in card and "python -m generators.train" in card
