"""Widgets and habits shared by every tab."""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
from pathlib import Path

import gradio as gr
import numpy as np
from PIL import Image

from generators import imaging
from generators.checkpoint import CheckpointError

LOG = logging.getLogger("genlab")
ASSETS = Path(__file__).resolve().parent.parent / "assets"
# Heavy model events share one queue slot pool so a full classroom cannot run the machine out of memory.
HEAVY = "heavy"
HEAVY_LIMIT = 2
# The largest seed a seed box takes (a signed 32-bit int: what every UI seed passes through).
MAX_SEED = 2**31 - 1


# The equations of every tab's "how it works" text: $$display$$ and $inline$ LaTeX, typeset by KaTeX.
LATEX = [{"left": "$$", "right": "$$", "display": True}, {"left": "$", "right": "$", "display": False}]


def prose(path) -> gr.Markdown:
    """A tab's explanations: the markdown file beside its module (ui/<tab>.md), with $...$ and $$...$$ as LaTeX."""
    return gr.Markdown(Path(path).read_text(encoding="utf-8"), latex_delimiters=LATEX)


OUT_OF_MEMORY = ("The GPU ran out of memory for this request: try a smaller image or fewer samples, "
                 "or restart the app with --device cpu.")


def friendly_errors(handler):
    """Turn the errors our generators raise on bad input (ValueError) or broken checkpoints into a gr.Error
    toast carrying their message, which already says what was wrong and what to do. A GPU out-of-memory
    error becomes a message too, and the server carries on."""
    if inspect.isgeneratorfunction(handler):
        @functools.wraps(handler)
        def streaming(*args, **kwargs):
            with _as_messages():
                yield from handler(*args, **kwargs)
        return streaming

    @functools.wraps(handler)
    def plain(*args, **kwargs):
        with _as_messages():
            return handler(*args, **kwargs)
    return plain


@contextlib.contextmanager
def _as_messages():
    """A user's mistake (bad input, a missing checkpoint, no GPU memory left) is one log line and a toast;
    anything else is a real fault and keeps Gradio's traceback."""
    try:
        yield
    except (ValueError, CheckpointError) as error:
        LOG.warning("refused: %s", error)
        raise gr.Error(str(error), print_exception=False) from None
    except RuntimeError as error:
        if "out of memory" not in str(error).lower():
            raise
        LOG.warning("out of memory: %s", error)
        raise gr.Error(OUT_OF_MEMORY, print_exception=False) from None


def nothing_uploaded(what: str) -> ValueError:
    """The one wording, on every tab, of a run started with an empty image input."""
    return ValueError(f"no {what}: upload one or click an example")


def upload_image(label: str, **kwargs) -> gr.Image:
    """An image upload (or paste) whose handler receives the uploaded file's path untouched.

    gr.Image decodes every upload with PIL before the handler runs, so a text file, a truncated PNG or a
    decompression bomb fails inside Gradio with a bare "Error", and a 16-bit or CMYK image is converted
    before we see it. Here the file goes to ``generators.imaging.load_image``, which decodes every mode,
    turns EXIF-rotated photos upright, caps the size, and names the file and the fix when it cannot.
    (The preprocess step is replaced on the instance: a gr.Image subclass would make Gradio write a .pyi
    stub into ui/ at import.)
    """
    component = gr.Image(label=label, type="filepath", image_mode=None, sources=["upload", "clipboard"], **kwargs)
    decode = component.preprocess

    def hand_over_path(payload):
        if payload is None or payload.path is None or (payload.url or "").startswith("data:"):
            try:
                return decode(payload)
            except Exception as error:  # a malformed pasted image: say so instead of a bare "Error"
                LOG.warning("refused a pasted image: %s", error)
                raise gr.Error(f"The pasted image could not be read ({error}); upload it as a file instead.",
                               print_exception=False) from None
        return str(payload.path)

    component.preprocess = hand_over_path
    component.hands_over_path = True
    return component


def output_image(label: str, **kwargs) -> gr.Image:
    """An output image sent to the browser as lossless PNG."""
    return gr.Image(label=label, type="numpy", format="png", interactive=False, **kwargs)


def brush_ready(listener, editor: gr.ImageEditor) -> None:
    """When ``listener`` fires (a tab's ``select``, an accordion's ``expand``), pick ``editor``'s brush, so
    the pad is ready to draw on as soon as it is shown; Gradio's editor otherwise starts with no tool and
    asks the user to "select the draw tool to start". Browser-side only; a brush already picked stays."""
    if not editor.elem_id:
        raise ValueError("brush_ready needs the editor's elem_id")
    # Polled: on a busy machine the pad's toolbar can take seconds to appear after the tab opens.
    listener(None, js=f"""() => {{
        let tries = 0;
        const pick = () => {{
            const brush = document.querySelector("#{editor.elem_id} button[aria-label='Brush']");
            if (brush && brush.checkVisibility()) {{
                if (!brush.classList.contains("highlight")) brush.click();
            }} else if (tries++ < 50) {{
                setTimeout(pick, 100);
            }}
        }};
        setTimeout(pick, 100);
    }}""")


def display(image: np.ndarray) -> np.ndarray:
    """Contract image -> uint8 for Gradio."""
    return imaging.to_uint8(image)


def pixels(value) -> np.ndarray | None:
    """An image input's value as uint8 pixels at full size, in the image contract (transparent pixels over
    white): a file path, an array, or an image editor's value (its composite); None when there is none."""
    if isinstance(value, dict):          # gr.ImageEditor, gr.Sketchpad: {"background", "layers", "composite"}
        value = value.get("composite")
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        image = imaging.pil_to_float(Image.fromarray(value))
    else:
        image, _ = imaging.load_image(value, max_side=1 << 16)
    return display(image)


def fixed_decimals(frame, places: dict[str, int]):
    """``frame`` (a pandas DataFrame) as a Styler that shows each column named in ``places`` to that many decimals,
    with thousands separated ("30.40" and "6,797,993"; Gradio shows a bare float in its shortest form, "30.4"); text
    cells ("∞") as they are, missing ones as "—". The values sent (``.data``, the API's) stay numbers."""
    styled = frame.style
    for column, decimals in places.items():
        styled = styled.format(precision=decimals, thousands=",", na_rep="—", subset=[column])
    return styled


def diverging(weights: np.ndarray, zoom: int) -> np.ndarray:
    """A small array of signed numbers (filter weights, codes) as a big image: mid-gray is 0, white positive,
    black negative."""
    scale = max(float(np.abs(weights).max()), 1e-12)
    return imaging.upscale_nearest((0.5 + 0.5 * weights / scale).astype(np.float32), zoom)


def digit_picture(digit: np.ndarray, zoom: int = 8) -> np.ndarray:
    """A digit (ink bright on black, as in MNIST) drawn dark on white and enlarged, as uint8."""
    return display(imaging.upscale_nearest(imaging.ink_on_paper(digit), zoom))


def whole_number(value, *, name: str, low: int, high: int) -> int:
    """A slider or number box value sent through the API -> int within [low, high], or a ValueError."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number between {low} and {high}, got {value!r}") from None
    if not np.isfinite(number) or number != int(number) or not low <= number <= high:
        raise ValueError(f"{name} must be a whole number between {low} and {high}, got {value!r}")
    return int(number)


def examples(tab: str) -> list[str]:
    """Example files for a tab: everything in assets/<tab>/, sorted by name."""
    folder = ASSETS / tab
    return sorted(str(path) for path in folder.glob("*.png")) if folder.is_dir() else []
