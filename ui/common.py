"""Widgets and habits shared by every tab."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import logging
import os
import tempfile
import threading
from pathlib import Path

import gradio as gr
import numpy as np
from gradio import processing_utils, utils

from generators import imaging
from generators.checkpoint import CheckpointError

LOG = logging.getLogger("genlab")
ASSETS = Path(__file__).resolve().parent.parent / "assets"
# Heavy model events share one queue slot pool so a full classroom cannot run the machine out of memory.
HEAVY = "heavy"
HEAVY_LIMIT = 2
# The largest seed a seed box takes (a signed 32-bit int: what every UI seed passes through).
MAX_SEED = 2**31 - 1


def cache_bytes(data: bytes, file_name: str, cache_dir: str | None = None) -> str:
    """Write ``data`` into Gradio's cache (``cache_dir``, by default the upload folder Gradio serves and cleans)
    as <hash of the bytes>/<file_name>, and return its path; no temporary file is left anywhere else.

    Gradio's own save_bytes_to_cache rewrites that file in place on every request. Our outputs are
    deterministic (same example, same seed, same image), so in a classroom many requests produce the same
    file at once: one request truncates it while another's browser or client is downloading it, which
    arrives empty ("peer closed connection", a broken image). Here a file that already exists is reused, and
    a new one is written under a temporary name beside it and renamed into place.
    """
    folder = Path(cache_dir or utils.get_upload_folder()) / processing_utils.hash_bytes(data)
    folder.mkdir(exist_ok=True, parents=True)
    target = (folder / file_name).resolve()
    if target.exists():
        with contextlib.suppress(OSError):
            os.utime(target)  # Gradio's delete_cache ages files by time: this copy is in use again
        return str(target)
    descriptor, staging = tempfile.mkstemp(dir=folder, prefix=f".{file_name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(staging, target)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
    return str(target)


def _save_pil_to_cache_atomically(img, cache_dir: str, name: str = "image", format: str = "webp") -> str:
    """gradio.processing_utils.save_pil_to_cache, through ``cache_bytes`` (never rewriting a file in use)."""
    return cache_bytes(processing_utils.encode_pil_to_bytes(img, format), f"{name}.{format}", cache_dir)


def install() -> None:
    """Send every image output (gr.Image, gr.Gallery, ...) through ``_save_pil_to_cache_atomically``: Gradio's
    components all call the module attribute ``processing_utils.save_pil_to_cache``, which this replaces.
    app.py calls it before building the UI; calling it again changes nothing. tests/ui/test_common.py
    fails when a new Gradio changes the function replaced here."""
    processing_utils.save_pil_to_cache = _save_pil_to_cache_atomically


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


class ExampleCache:
    """The outputs of deterministic runs on a tab's shipped examples, computed on the first click and then kept
    (lazily: nothing is computed at start-up). Gradio's own ``cache_examples`` keys an output by the example
    alone; this keys it by the example and every setting, so the same example with the same settings (and
    seed) is answered at once, and a changed setting is computed afresh. Uploads are never kept: a file counts
    as an example when its bytes are those of a file in assets/<tab>/ (Gradio hands over a copy). The least
    recently used entry goes when ``size`` are kept."""

    def __init__(self, tab: str, size: int = 32):
        self.tab, self.size = tab, size
        self._names: dict[str, str] | None = None      # sha256 of an example's bytes -> its file name
        self._kept: dict[tuple, object] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def key(self, path, *settings) -> tuple | None:
        """The key of a run on ``path`` with ``settings`` (plain values), or None when ``path`` is no example."""
        if not path or not Path(path).is_file():
            return None
        if self._names is None:
            self._names = {file_digest(example): Path(example).name for example in examples(self.tab)}
        name = self._names.get(file_digest(path))
        return None if name is None else (name, *settings)

    def get(self, key: tuple | None):
        """The kept output for ``key``, or None; one found counts as just used (the last to go)."""
        if key is None:
            return None
        with self._lock:
            output = self._kept.pop(key, None)
            if output is not None:
                self._kept[key] = output
            return output

    def put(self, key: tuple | None, output) -> None:
        """Keep ``output`` under ``key`` (nothing when ``key`` is None)."""
        if key is None:
            return
        with self._lock:
            self._kept.pop(key, None)
            self._kept[key] = output
            while len(self._kept) > self.size:
                del self._kept[next(iter(self._kept))]


def file_digest(path) -> str:
    """sha256 of a file's bytes (an example reaches a handler under a cache path, not its asset path)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
