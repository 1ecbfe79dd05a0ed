"""Shared UI plumbing: the Gradio internals we patch or tune, friendly errors, Stop, explanations, drawing pads."""

import ast
import hashlib
import inspect
import re
from pathlib import Path

import gradio
import pytest
from gradio import processing_utils, queueing
from gradio.components import image as gradio_image

from ui import stop

# The Gradio functions ui/caches, ui/common and app.calm_queue stand in for, wrap or tune, as they were when the patch
# was written (gradio 6.31.0): their signature and the sha256 of their source, decorators included, and what to
# re-check when a new Gradio changes them.
PINNED = {
    (processing_utils, "save_pil_to_cache"): (
        "(img: Image.Image, cache_dir: str, name: str='image', format: str='webp') -> str",
        "4e2354b065bbf464",
        "caches._save_pil_to_cache_atomically replaces it: give it the same signature and behaviour "
        "(encode, hash-named folder, resolved path returned), keeping the write atomic"),
    (gradio_image, "Image.preprocess"): (
        "(self, payload: ImageData | None) -> np.ndarray | PIL.Image.Image | str | None",
        "28e8b6454a508829",
        "common.upload_image swaps it on the instance and calls it for pasted images: check that the payload "
        "still has .path and .url and that Gradio still calls block.preprocess on the instance"),
    (queueing, "Queue.start_processing"): (
        "(self) -> None", "66c3a7fd6a65af98",
        "app.calm_queue sets sleep_when_free: check that the loop still sleeps that long while it has no work"),
    (queueing, "Queue.start_progress_updates"): (
        "(self) -> None", "62128d4c007ed900",
        "app.calm_queue sets progress_update_sleep_when_free: check that the loop still sleeps that long"),
}


def _fingerprint(module, qualname: str) -> tuple[str, str]:
    """The signature and a short sha256 of the source (decorators included) of ``qualname`` in ``module``,
    read from the module's file: the live attribute may already be our replacement."""
    source = inspect.getsource(module)
    node = ast.parse(source)
    for part in qualname.split("."):
        node = next(child for child in ast.iter_child_nodes(node) if getattr(child, "name", None) == part)
    first = min([node.lineno] + [decorator.lineno for decorator in node.decorator_list])
    text = "\n".join(source.splitlines()[first - 1:node.end_lineno])
    returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
    return f"({ast.unparse(node.args)}){returns}", hashlib.sha256(text.encode()).hexdigest()[:16]


@pytest.mark.parametrize("module, qualname", list(PINNED), ids=[name for _, name in PINNED])
def test_the_gradio_functions_we_patch_are_the_ones_the_patch_was_written_for(module, qualname):
    signature, digest, recheck = PINNED[module, qualname]
    found = _fingerprint(module, qualname)
    assert found == (signature, digest), (
        f"gradio {gradio.__version__} changed {module.__name__}.{qualname}: {found} instead of "
        f"{(signature, digest)}. Re-check: {recheck}; then record the new signature and hash in PINNED.")


def test_every_gradio_caller_reaches_the_patch_through_the_module_attribute():
    """A ``from gradio.processing_utils import save_pil_to_cache`` anywhere in Gradio would bypass install()."""
    imported = re.compile(r"import[^\n]*\bsave_pil_to_cache\b")
    bypassing = [str(path) for path in Path(gradio.__file__).parent.rglob("*.py")
                 if imported.search(path.read_text(encoding="utf-8"))]
    assert bypassing == []


def test_upload_images_reach_the_browser_with_their_props():
    """An upload whose props do not reach the browser silently disappears from the page."""
    import app

    uploads = [block for block in app.demo.blocks.values() if getattr(block, "hands_over_path", False)]
    assert len(uploads) >= 5  # Denoise source, Texture exemplar and target, Stylize content and style
    config = {component["id"]: component for component in app.demo.get_config_file()["components"]}
    for block in uploads:
        props = config[block._id]["props"]
        assert config[block._id]["type"] == "image"
        assert props["label"] and props["sources"] == ["upload", "clipboard"] and props["type"] == "filepath"


def test_a_users_mistake_is_one_log_line_and_a_fault_keeps_its_traceback(caplog):
    import gradio as gr

    from ui.common import friendly_errors

    @friendly_errors
    def mistaken():
        raise ValueError("no image: upload one or click an example")

    @friendly_errors
    def broken():
        raise KeyError("a bug")

    with caplog.at_level("WARNING", logger="genlab"), pytest.raises(gr.Error) as raised:
        mistaken()
    assert raised.value.print_exception is False
    assert [record.getMessage() for record in caplog.records] == [
        "refused: no image: upload one or click an example"]
    with pytest.raises(KeyError):
        broken()


def test_stop_sets_only_the_flag_of_that_sessions_run_on_that_tab():
    from types import SimpleNamespace

    mine, theirs = SimpleNamespace(session_hash="mine"), SimpleNamespace(session_hash="theirs")
    with stop.stoppable(mine, "texture") as flag, stop.stoppable(theirs, "texture") as other, \
            stop.stoppable(mine, "stylize") as elsewhere:
        stop.stop_runs("mine", ["texture", "denoise"])   # the Texture tab's Stop, in session "mine"
        assert flag.is_set() and not other.is_set() and not elsewhere.is_set()
    assert ("mine", "texture") not in stop._RUNS   # a finished run leaves nothing behind


def test_stop_reaches_a_run_that_overlapped_one_which_ended_first():
    """An example's click runs while the main button's run is queued behind it, and the tab allows two at once: the
    run registered second ending first used to take the session's only flag with it, so Stop then did nothing."""
    from types import SimpleNamespace

    mine = SimpleNamespace(session_hash="mine")
    with stop.stoppable(mine, "denoise") as button_run:
        with stop.stoppable(mine, "denoise") as example_run:
            pass                                    # the quick run ends first
        assert not example_run.is_set()
        stop.stop_runs("mine", ["denoise"])
        assert button_run.is_set()
    assert ("mine", "denoise") not in stop._RUNS


def test_the_newest_run_of_a_tab_stops_the_older_one_and_only_its_frames_go_out():
    """Two runs of one tab streamed into the same outputs, the older one's last frame landing on the newer result."""
    from types import SimpleNamespace

    mine, theirs = SimpleNamespace(session_hash="mine"), SimpleNamespace(session_hash="theirs")
    stopped = []

    @stop.newest_run_wins("denoise")
    def run(name, request=None):
        with stop.stoppable(request, "denoise") as flag:
            for step in range(3):
                yield name, step
                if flag.is_set():
                    stopped.append(name)
                    yield name, "stopped"           # what Stop shows; a superseded run's is dropped
                    return

    older, other = run("older", request=mine), run("other", request=theirs)
    assert next(older) == ("older", 0) and next(other) == ("other", 0)
    newer = run("newer", mine)
    assert next(newer) == ("newer", 0)
    assert list(older) == [(gradio.skip(), gradio.skip())] and stopped == ["older"]   # its last frame changes nothing
    assert list(newer) == [("newer", 1), ("newer", 2)] and list(other) == [("other", 1), ("other", 2)]
    assert not stop._NEWEST and not stop._RUNS
    assert len(list(run("replayed bundle"))) == 3   # no browser session: nothing to supersede


def test_a_second_example_or_dice_click_runs_and_a_cached_example_stops_the_running_search():
    """In Gradio's default trigger mode ("once") an example's run was dropped while the previous one ran: the new
    image then sat beside the old one's results. A Stylize, Repair or Draw example is answered by Gradio's cache,
    so its click itself must stop a Gatys run or a repair search streaming into the same picture, or drop a
    reading of the pad still on its way."""
    import app

    fns = list(app.demo.fns.values())
    chained = [f for f in fns if f.name in ("restore", "grow", "example_result") and f.trigger_after is not None]
    assert len(chained) == 3 and {f.trigger_mode for f in chained} == {"multiple"}
    for picture in ("stylize-result", "repair-filled", "draw-seen"):
        cached = next(f for f in fns if f.name == "load_example_output"
                      and any(output.elem_id == picture for output in f.outputs))
        example_click = app.demo.fns[cached.trigger_after].targets
        assert any(f.name == "newer" and f.targets == example_click and f.queue is False for f in fns), picture
        if picture == "stylize-result":     # and no stale Gatys curve beside the example's fast-network result
            losses = next(f for f in fns if f.name == "run" and cached.outputs[0] in f.outputs).outputs[2]
            assert any(f.targets == example_click and f.outputs == [losses] for f in fns)


def test_each_tab_explains_every_method_it_offers_from_its_markdown_file():
    """The "How the methods work" accordions read ui/<tab>.md: every method the tab offers has its paragraph,
    led by the method's name (or its paper's authors), and the file holds no leftover Python quoting."""
    from generators import denoise as denoise_methods
    from ui import denoise, stylize, texture

    leads = {
        denoise.EXPLANATIONS: list(denoise_methods.LABELS.values()),
        stylize.EXPLANATIONS: ["Optimisation (Gatys", "Fast network (Johnson", "Colour transfer (Reinhard",
                               "Histogram matching"],
        texture.EXPLANATIONS: ["Efros & Leung (1999)", "Efros & Freeman (2001)", "Gatys, Ecker & Bethge (2015)"],
    }
    assert len(leads[stylize.EXPLANATIONS]) == len(stylize.METHODS)
    assert len(leads[texture.EXPLANATIONS]) == len(texture.METHODS)
    for path, names in leads.items():
        text = path.read_text(encoding="utf-8")
        paragraphs = [line for line in text.splitlines() if line.startswith("**")]
        for name in names:
            assert any(line.startswith("**" + name) for line in paragraphs), f"{path.name} does not explain {name}"
        assert '"""' not in text and "$" in text, path.name


def test_clearing_a_drawing_pad_picks_the_brush_again_and_the_mask_editor_gets_its_picture_back():
    """Gradio's Clear canvas drops the tool ("select the draw tool to start": a stroke then selected page text
    and Read my digit said the pad was blank) and, in the mask editor, the picture the mask is painted on."""
    import app

    cleared = {}
    for fn in app.demo.fns.values():
        for block, event in fn.targets:
            if event == "clear":
                cleared.setdefault(app.demo.blocks[block].elem_id, []).append(fn)
    assert set(cleared) == {"digit-pad", "mask-editor"}
    for pad, fns in cleared.items():
        assert any(f.fn is None and "aria-label='Brush'" in (f.js or "") and pad in f.js for f in fns), pad
    assert [f.name for f in cleared["mask-editor"] if f.fn is not None] == ["to_editor"]


def test_choosing_another_method_by_hand_stops_that_tabs_run_and_a_link_setting_it_does_not():
    """Texture and Stylize: the method radio moved while a run streamed, and the old method's frames went on
    landing under the new method's controls. Wired to the radio's ``input`` (the user's own choice), not ``change``
    (which a link or a lesson setting the radio before its run also fires)."""
    from types import SimpleNamespace

    import app

    pupil, other = SimpleNamespace(session_hash="pupil"), SimpleNamespace(session_hash="other")
    blocks, wired = app.demo.blocks, {}
    for dependency in app.demo.fns.values():
        for block, event in dependency.targets:
            if isinstance(blocks.get(block), gradio.Radio) and blocks[block].label == "Method":
                wired.setdefault(event, []).append(dependency.fn)
    stops = [fn for fn in wired.get("input", []) if fn.__qualname__.startswith("stop_on.")]
    assert len(stops) == 2 and not [fn for fn in wired.get("change", []) if fn.__qualname__.startswith("stop_on.")]
    with stop.stoppable(pupil, "texture") as texture, stop.stoppable(pupil, "stylize") as stylize, \
            stop.stoppable(other, "texture") as theirs:
        stops[0](pupil)
        assert texture.is_set() != stylize.is_set()      # one tab's radio stops that tab's run only
        stops[1](pupil)
        assert texture.is_set() and stylize.is_set() and not theirs.is_set()
