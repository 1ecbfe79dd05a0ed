"""The Stylize tab's choices: its methods, the paintings offered (the shipped fast styles, the style
examples) and the settings a content example is shown with."""

from __future__ import annotations

from generators import api, vgg19
from generators.style import paintings
from ui.common import examples

# The style image a first click uses, so every method works with the default inputs.
DEFAULT_STYLE = paintings.path("starry-night")  # a first click on colour transfer has a style to use
# Label shown in the UI -> method name of generators.style.stylize
METHODS = {
    "Fast network (Johnson et al.)": "fast",
    "Optimisation (Gatys et al.)": "gatys",
    "Colour transfer (Reinhard et al.)": "reinhard",
    "Histogram matching": "histogram",
}


def example_settings() -> dict:
    """The method, painting, strength and colour choice ui.stylize.example_result runs with. A click on a content
    example sets the controls to them, so that the controls, a link and a bundle say what made the result shown."""
    return {"method_label": next(iter(METHODS)), "fast_style": default_fast(), "strength": 1.0,
            "preserve_colors": False}


def style_file(name: str) -> str | None:
    """The painting a shipped fast style was trained on (assets/stylize/styles/<name>.jpg)."""
    path = paintings.path(name) if name in paintings.PAINTINGS else None
    return str(path) if path is not None and path.exists() else None


def style_examples() -> list[str]:
    """The six paintings first, then the other style images in assets/stylize/styles/."""
    return [str(paintings.path(name)) for name in paintings.PAINTINGS] + examples("stylize/styles")


def default_fast() -> str:
    """The Starry Night where it ships (the style most people know), else the first shipped style."""
    names = api.fast_styles()
    return "starry-night" if "starry-night" in names else names[0]


def fast_choices() -> list[tuple[str, str]]:
    """(label, style name) for the dropdown: 'The Starry Night (Vincent van Gogh, 1889)' -> 'starry-night'."""
    return [(paintings.label(name) if name in paintings.PAINTINGS else name, name) for name in api.fast_styles()]


def network_note() -> str:
    weights = vgg19.weights_path()
    if weights is not None:
        return f"VGG-19's ImageNet weights are on this machine (`{weights.parent}`)."
    return ("Unticked, the feature network is **random multi-scale filters** (works offline). Ticking VGG-19 "
            f"downloads `{vgg19.FILE}` (~{vgg19.MB} MB) once from download.pytorch.org.")
