"""The Sample tab: files it writes stay in Gradio's cache, its examples are computed once, it loads models only
through generators.api."""

import ast
import tempfile
import time
from pathlib import Path

import gradio as gr
import numpy as np
import pytest
from gradio.helpers import Examples
from PIL import Image

from generators import api
from ui import figures
from ui.sample import draw, repair, walk

UI_SAMPLE = Path(__file__).resolve().parents[2] / "ui" / "sample"


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """(the system's temporary folder, Gradio's cache), both empty and private to the test."""
    system, cache = tmp_path / "tmp", tmp_path / "gradio"
    system.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system))
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(cache))
    monkeypatch.setenv("GRADIO_EXAMPLES_CACHE", str(tmp_path / "examples"))
    return system, cache


def test_the_sample_tab_loads_models_only_through_generators_api():
    for path in UI_SAMPLE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            assert not any(name.startswith("generators.registry") for name in names), path.name


def test_gifs_and_figures_are_written_into_gradios_cache_and_nowhere_else(folders):
    system, cache = folders
    frames = np.random.default_rng(0).random((5, 28, 28)).astype(np.float32)
    animation = Path(figures.gif_file(frames, "walk"))
    assert animation.is_relative_to(cache) and animation.suffix == ".gif"
    with Image.open(animation) as gif:
        assert gif.n_frames == 2 * 5 - 2   # forth and back, the ends once
    assert figures.gif_file(frames, "walk") == str(animation)   # the same frames reuse the same file
    from matplotlib.figure import Figure

    plot = Figure()
    plot.add_subplot().plot([0, 1], [1, 0])
    picture = Path(figures.figure_file(plot, "curve"))
    assert picture.is_relative_to(cache) and Image.open(picture).format == "PNG"
    assert list(system.iterdir()) == []


def _examples(demo: gr.Blocks) -> list[Examples]:
    """The gr.Examples of ``demo`` (each registers its caching among the app's start-up events)."""
    return [event.__self__ for event in demo.extra_startup_events if isinstance(event.__self__, Examples)]


@pytest.mark.parametrize("build, handler, example", [
    (walk.build_interpolate, "interpolate_seeds", 1),
    (repair.build, "repair", 0),
    (draw.build, "read_drawing", 0),
])
def test_an_example_is_computed_on_its_first_click_only(folders, monkeypatch, build, handler, example):
    calls = []
    compute = getattr(api, handler)

    def counted(*args, **kwargs):
        calls.append(args)
        return compute(*args, **kwargs)

    monkeypatch.setattr(api, handler, counted)
    monkeypatch.setattr(repair, "REPAIR_STEPS", 10)      # a short search: what is tested is the caching
    with gr.Blocks() as demo:
        build()
    (examples,) = _examples(demo)
    assert examples.cache_examples == "lazy" and calls == []   # nothing is computed at start-up
    first = examples.load_from_cache(example)
    started = time.perf_counter()
    second = examples.load_from_cache(example)
    assert time.perf_counter() - started < 1.0
    assert len(calls) == 1 and first == second


def test_stop_pressed_while_an_example_is_first_computed_does_not_cut_what_is_kept(folders, monkeypatch):
    """Gradio's lazy cache keeps an example's first result for every later click, by anyone: a Stop (or a newer
    run) during that first computation must not cut it short. It holds because Gradio's cache calls the handler
    without the request, so the run has no session to stop."""
    from ui import stop

    search = api.repair

    def pressed(*args, **kwargs):
        for found in search(*args, **kwargs):
            stop.stop_runs("pupil", ["repair"])          # Stop, pressed at every step of the search
            yield found

    monkeypatch.setattr(api, "repair", pressed)
    monkeypatch.setattr(repair, "REPAIR_STEPS", 10)      # a short search: "done" at step 10
    with gr.Blocks() as demo:
        repair.build()
    (examples,) = _examples(demo)
    *_, progress = examples.load_from_cache(0, request=gr.Request(session_hash="pupil"))
    assert progress.startswith("done") and "Stopped" not in progress


def test_stop_pressed_while_the_repair_shows_a_frame_still_ends_on_a_stopped_frame():
    """The Stop button lands while the generator waits at a yield (the browser is drawing that frame): the next
    frame must be the last, and must say it stopped. Returning straight after the yield lost that frame, and
    the page stayed on "step 50 of 150" with no note."""
    from types import SimpleNamespace

    from ui import stop

    frames = repair.repair_digit(repair.EXAMPLES[0][0], 3, "bottom half", 0,
                                 request=SimpleNamespace(session_hash="pupil"))
    first = next(frames)
    assert "Stopped" not in first[2]
    stop.stop_runs("pupil", ["repair"])          # pressed while the first frame is on its way
    rest = list(frames)
    assert len(rest) == 1 and "**Stopped** at step" in rest[0][2]


def test_of_sample_and_sample_this_digit_the_later_click_wins(monkeypatch):
    """Both write the sheet and its figures; on two workers the older click could finish last and overwrite the
    newer result. Here "Sample this digit" is clicked while Sample computes: Sample's result is dropped."""
    from types import SimpleNamespace

    from ui.sample import generate

    mine, theirs = SimpleNamespace(session_hash="mine"), SimpleNamespace(session_hash="theirs")
    model, real_sample, newer = next(iter(generate.SAMPLERS)), api.sample, []
    meanwhile = [lambda: generate.draw_digit(model, "3", 4, 0, request=mine),
                 lambda: generate.draw_samples(model, 4, 1, request=theirs)]   # another browser: no effect here

    def clicked_meanwhile(*args, **kwargs):
        while meanwhile:
            newer.append(meanwhile.pop(0)())
        return real_sample(*args, **kwargs)

    monkeypatch.setattr(generate.api, "sample", clicked_meanwhile)
    assert generate.draw_samples(model, 4, 0, request=mine) == (gr.skip(), gr.skip())
    assert "LeNet reads as a **3**" in newer[0][1] and isinstance(newer[0][0], np.ndarray)
    assert isinstance(newer[1][0], np.ndarray)
    assert isinstance(generate.draw_samples(model, 4, 0, request=mine)[0], np.ndarray)   # alone, it shows


@pytest.mark.parametrize("name", ["mnist-gmm", "mnist-vae", "mnist-gan"])
def test_each_models_figures_give_both_judges_so_side_by_side_compares_like_with_like(name):
    """Only the GAN's card had the report judge's Fréchet distance: the side-by-side showed it under one model."""
    from generators import api
    from ui.sample.generate import _figures

    metrics = api.sample_card(name)["metrics"]
    line = _figures(name)
    assert f"**{metrics['frechet_lenet']}**" in line
    assert f"report judge (all-conv): {metrics['frechet_allconv']} (real vs real: 0.09)" in line


def test_the_latent_map_has_a_link_and_its_bundle_replays_identical(folders):
    """The Latent map room, like every other room with a result: Copy link holds its grid size, the bundle holds
    the map's picture and the VAE's hash, and replaying the bundle draws the same pixels."""
    from generators import bundle
    from ui import bundles, links, share

    with gr.Blocks():
        walk.build_map()
    view = share._VIEWS["sample/map"]
    size = view.param("size").component
    assert view.api_name == "latent_map" and view.tabs == ("sample", "sample/map")
    assert links.encode(view, {id(size): 6}) == {"view": "sample/map", "size": "6"}
    assert links.decode("?view=sample/map&size=6", {"sample/map": view}).values == {id(size): 6}

    plane, note = walk.latent_map_plot(6)
    path = bundles.pack(view, {id(size): 6, id(view.pictures[0]): plane})
    found = bundle.read(path)
    assert found.meta["params"] == {"size": "6"} and len(found.meta["models"]["mnist-vae"]) == 64
    assert list(found.outputs) == ["vae-latent-plane"] and found.outputs["vae-latent-plane"].std() > 0
    verdict, stored, replayed = bundles.replay(path, {"sample/map": view})
    assert verdict.startswith("**identical**"), verdict


def test_the_draw_rooms_link_names_an_example_drawing_and_its_bundle_holds_the_drawing(folders):
    """A link can name an example drawing but not one's own (it asks for it, as for an upload); a bundle holds the
    drawing itself, and replaying it reads the same digit; its reproduce.py sends the drawing as the pad does."""
    import zipfile

    from ui import bundles, links, share

    with gr.Blocks():
        draw.build()
    view = share._VIEWS["sample/draw"]
    pad = view.uploads[0].component
    seven = str(UI_SAMPLE.parents[1] / "assets" / "sample" / "drawn-7.png")
    example = np.asarray(Image.open(seven))                      # RGBA, as the pad hands it to the handler
    assert example.shape[2] == 4
    drawn = example.copy()
    drawn[100:110, 20:200] = (0, 0, 0, 255)                       # a stroke across the example
    blank = np.zeros_like(example)
    named = {name: links.encode(view, {id(pad): {"background": None, "layers": [], "composite": image}})["drawing"]
             for name, image in (("example", example), ("drawn", drawn), ("blank", blank))}
    assert named == {"example": "drawn-7.png", "drawn": "upload", "blank": "none"}
    found = links.decode("?view=sample/draw&drawing=drawn-0.png", {"sample/draw": view})
    assert Path(found.values[id(pad)]).name == "drawn-0.png" and found.run and not found.notes
    asked = links.decode("?view=sample/draw&drawing=upload", {"sample/draw": view})
    assert asked.missing == [view.uploads[0]]

    value = {"background": None, "layers": [], "composite": drawn}
    seen, rebuilt, _ = draw.read_drawing(value)
    path = bundles.pack(view, {id(pad): value, id(view.pictures[0]): seen, id(view.pictures[1]): rebuilt})
    with zipfile.ZipFile(path) as archive:
        script = archive.read("reproduce.py").decode()
    assert '"composite": handle_file(str(HERE / \'inputs/drawing.png\'))' in script
    verdict, stored, replayed = bundles.replay(path, {"sample/draw": view})
    assert verdict.startswith("**identical**"), verdict
    assert [name for _, name in stored] == ["mnist-view-28-28", "vae-reconstruction"]


def test_after_sample_this_digit_the_link_and_the_bundle_are_of_that_digit(folders):
    """The sheet comes from Sample or from Sample this digit; Copy link and Download bundle described Sample's,
    so a link made after asking for 3s opened a sheet of every digit (and its bundle replayed "not identical")."""
    from generators import bundle
    from ui import bundles, links, share
    from ui.sample import generate

    with gr.Blocks() as blocks:
        generate.build()
    [make_link] = [f for f in blocks.fns.values() if any(
        getattr(blocks.blocks.get(block), "elem_id", None) == "link-sample-generate" for block, _ in f.targets)]
    view = share._VIEWS["sample/digit"]
    by_name = {p.name: p.component for p in view.params}
    drawn_by = view.when[0]
    values = {id(by_name["model"]): "GMM: PCA + Gaussian mixture", id(by_name["digit"]): "3",
              id(by_name["count"]): 9, id(by_name["seed"]): 5}
    for shown, expected in (("all", "?view=sample/generate&model=mnist-gmm&count=9&seed=5"),
                            ("digit", "?view=sample/digit&model=mnist-gmm&digit=3&count=9&seed=5")):
        settings = {**values, id(drawn_by): shown}
        link = make_link.fn(None, *(settings[id(c)] for c in make_link.inputs))
        assert link["value"] == expected
    assert links.decode(expected, share._VIEWS).values[id(drawn_by)] == "digit"
    # Each button marks the sheet in the browser, and before its run: the page takes a click's events in turn,
    # and a mark wired after a slow run landed over a later click's mark (seen in Chromium).
    for label, mark in (("Sample", "'all'"), ("Random seed", "'all'"), ("Sample this digit", "'digit'")):
        button = next(b for b in blocks.blocks.values() if isinstance(b, gr.Button) and b.value == label)
        listeners = [f for f in blocks.fns.values() if (button._id, "click") in f.targets]
        assert listeners[0].fn is None and listeners[0].js == f"() => {mark}", label
        assert [c._id for c in listeners[0].outputs] == [drawn_by._id]

    sheet, _ = generate.draw_digit("GMM: PCA + Gaussian mixture", "3", 9, 5)
    path = bundles.pack(view, {**values, id(drawn_by): "digit", id(view.pictures[0]): sheet})
    assert bundle.read(path).meta["api_name"] == "/sample_digit"
    verdict, _, _ = bundles.replay(path, {"sample/digit": view})
    assert verdict.startswith("**identical**"), verdict
