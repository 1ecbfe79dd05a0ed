"""ui.share and ui.page_links: links (encode, decode, what a bad link is told), applying one in-page, and a bundle
replayed."""

import json
import urllib.parse
import zipfile
from pathlib import Path

import gradio as gr
import numpy as np
import pytest

from generators import bundle
from ui import bundles, links, models, page_links, share
from ui.common import examples

CAMERA = next(path for path in examples("denoise") if path.endswith("camera.png"))


@pytest.fixture
def toy():
    """A small view with one control of each kind, and the page that opens links into it."""
    with gr.Blocks():
        with gr.Tabs() as tabs:
            with gr.Tab("Toy", id="toy"):
                image = gr.Image(type="filepath")
                sigma = gr.Slider(0, 100, value=25, step=1, precision=0, label="sigma")
                rate = gr.Slider(0, 0.5, value=0.1, step=0.01, label="rate")
                kind = gr.Radio([("1: plain", 1), ("4: rotations", 4)], value=1, label="ensemble")
                methods = gr.CheckboxGroup(["Gaussian filter", "Median filter"], value=["Gaussian filter"])
                gray = gr.Checkbox(False)
                seed = gr.Number(0, precision=0, minimum=0, maximum=2**31 - 1)
                go = gr.Button("Go")
                sharing = share.buttons("toy")
        view = share.View(
            key="toy", title="Toy", tabs=("toy",), run=go, fn=lambda path, sigma, rate, kind, methods, gray, seed: None,
            inputs=[image, sigma, rate, kind, methods, gray, seed], outputs=[], api_name="toy",
            uploads=[share.Upload("image", image, "denoise", default=CAMERA)],
            params=[share.Param("sigma", sigma), share.Param("rate", rate), share.Param("ensemble", kind),
                    share.Param("methods", methods, short={"Gaussian filter": "gaussian", "Median filter": "median"}),
                    share.Param("gray", gray), share.Param("seed", seed)])
        share.view(sharing, view)
        page = page_links.Page({"toy": view}, {"toy": tabs}, gr.Markdown(), gr.Textbox(visible=False),
                          gr.Textbox(visible=False))
    return view, page


def _query(view, values: dict) -> str:
    settings = {id(component): values.get(name, getattr(component, "value", None)) for name, component in
                [(p.name, p.component) for p in view.params] + [(u.name, u.component) for u in view.uploads]}
    return "?" + urllib.parse.urlencode(links.encode(view, settings), doseq=True, safe="/")


def test_a_link_names_the_example_and_every_parameter_and_decodes_to_the_same_values(toy, tmp_path):
    view, _ = toy
    copy = tmp_path / "renamed.png"            # Gradio hands handlers a copy: the example is found by its bytes
    copy.write_bytes(Path(CAMERA).read_bytes())
    query = _query(view, {"image": str(copy), "sigma": 40, "rate": 0.25, "ensemble": 4,
                          "methods": ["Gaussian filter", "Median filter"], "gray": True, "seed": 7})
    assert query == ("?view=toy&image=camera.png&sigma=40&rate=0.25&ensemble=4&methods=gaussian&methods=median"
                     "&gray=true&seed=7")
    found = links.decode(query, {"toy": view})
    assert found.notes == [] and found.run and not found.missing
    assert found.named == {"image": CAMERA, "sigma": 40, "rate": 0.25, "ensemble": 4,
                           "methods": ["Gaussian filter", "Median filter"], "gray": True, "seed": 7}


def test_an_upload_is_named_upload_and_a_cleared_input_none(toy, tmp_path):
    view, _ = toy
    other = tmp_path / "mine.png"
    other.write_bytes(b"not an example")
    assert "image=upload" in _query(view, {"image": str(other)})
    assert "image=none" in _query(view, {"image": None})


@pytest.mark.parametrize("query, words", [
    ("sigma=500", "sigma='500' is outside 0 to 100: the default 25 was used"),
    ("sigma=2.5", "sigma='2.5' is not a whole number"),
    ("rate=lots", "rate='lots' is not a number"),
    ("ensemble=3", "ensemble='3' is not one of the choices (1, 4)"),
    ("methods=gaussian&methods=sharpen", "is not one of the choices (gaussian, median)"),
    ("gray=maybe", "gray='maybe' is not true or false"),
    ("image=nope.png", "image='nope.png' is not one of the examples"),
    ("colour=red", "parameter 'colour' is not one of Toy's (image, sigma, rate, ensemble, methods, gray, seed)"),
])
def test_a_bad_parameter_is_named_and_its_default_used(toy, query, words):
    view, _ = toy
    found = links.decode(f"?view=toy&{query}", {"toy": view})
    assert len(found.notes) == 1 and words in found.notes[0], found.notes
    assert found.run
    defaults = {"sigma": 25, "rate": 0.1, "ensemble": 1, "methods": ["Gaussian filter"], "gray": False,
                "image": CAMERA}
    name = query.split("=")[0]
    if name in defaults:
        assert found.named[name] == defaults[name]


def test_opening_a_link_selects_the_tab_sets_the_controls_and_runs(toy):
    view, page = toy
    updates = dict(zip(map(id, page.targets()), page.apply("?view=toy&sigma=40&seed=3")))
    assert updates[id(page.tab_ids["toy"])].selected == "toy"
    assert updates[id(view.param("sigma").component)]["value"] == 40
    assert "running **Go**" in updates[id(page.banner)]["value"]
    # The link sets the image (to its default, the camera): its own event does that, then runs.
    assert updates[id(page.run_box)] == ""
    assert page.set_images(updates[id(page.images_box)], "mine.png") == [CAMERA, "run-toy"]
    again = dict(zip(map(id, page.targets()), page.apply("?view=toy&sigma=40&seed=3")))
    assert again[id(page.images_box)] != updates[id(page.images_box)], "the same link twice must change the box"


def test_a_link_made_with_an_upload_sets_the_rest_asks_for_it_and_does_not_run(toy):
    view, page = toy
    updates = dict(zip(map(id, page.targets()), page.apply("?view=toy&image=upload&sigma=40")))
    assert updates[id(view.param("sigma").component)]["value"] == 40
    assert all(view.uploads[0].component is not target for target in page.targets())
    assert page.set_images(updates[id(page.images_box)], CAMERA) == [None, ""]   # plain values, never gr.update
    assert updates[id(page.run_box)] == ""
    assert ("made with an uploaded image, which a link cannot carry: upload it and press **Go**"
            in updates[id(page.banner)]["value"])


def test_no_link_changes_nothing_not_even_an_upload_and_an_unknown_view_says_so(toy):
    _, page = toy
    updates = page.apply("")
    assert all(update == gr.update() for update in updates[:-2]) and updates[-1] == ""
    assert updates[-2]["visible"] is False
    assert updates[-3] == gr.update(), "the images box is left alone: no event touches the image inputs"
    notice = page.apply("?view=lessons/9")[-2]
    assert "unknown view 'lessons/9'" in notice["value"] and notice["visible"]
    assert page.apply("?view=lessons/9")[-3] == gr.update()


def test_the_stylize_views_follow_the_method_and_a_colour_link_keeps_its_method():
    from ui import stylize

    with gr.Blocks():
        stylize.build()
    views = {key: share._VIEWS[key] for key in ("stylize/fast", "stylize/gatys", "stylize/colour")}
    found = links.decode("?view=stylize/colour&method=histogram&content=rocket.png", views)
    method = views["stylize/colour"].when[0]
    assert found.notes == [] and found.values[id(method)] == "Histogram matching"
    arguments, files = bundles._arguments(views["stylize/colour"], found.values, {"content": "inputs/content.png"})
    assert links.fixed(views["stylize/colour"]) == {}, "a method parameter is not overridden"
    assert arguments["method_label"] == "Histogram matching" and files == {"content_path": "inputs/content.png"}
    fast = links.decode("?view=stylize/fast&style=the-scream", views)
    assert fast.values[id(method)] == "Fast network (Johnson et al.)" and fast.named["style"] == "the-scream"


def test_apply_on_wires_a_button_to_open_a_link_in_page(monkeypatch):
    """What a Lessons tab does with a step's link: a button that applies it, then runs the view."""
    for module, registry in ((page_links, "_PAGE"), (share, "_VIEWS"), (share, "_TABS")):
        monkeypatch.setattr(module, registry, type(getattr(module, registry))())
    with gr.Blocks() as blocks:
        sigma = gr.Slider(0, 100, value=25, step=1, precision=0)
        go = gr.Button("Go")
        share.view(share.buttons("lesson-toy"), share.View(
            key="lesson-toy", title="Lesson toy", tabs=(), run=go, fn=lambda sigma: None, inputs=[sigma],
            outputs=[], api_name="lesson_toy", params=[share.Param("sigma", sigma)]))
        step = gr.Button("Step 1")
        page_links.apply_on(step.click, "?view=lesson-toy&sigma=40")
        page = page_links.install(blocks)
    wired = [f.fn for f in blocks.fns.values() if getattr(f.fn, "__name__", "") == "<lambda>" and not f.inputs]
    assert page.uploads == []
    updates = dict(zip(map(id, page.targets()), wired[-1]()))
    assert updates[id(sigma)]["value"] == 40 and updates[id(page.run_box)] == "run-lesson-toy"


@pytest.fixture
def generate_view(tmp_path, monkeypatch):
    """The Sample tab's Generate room, built, and a bundle of its result (the GMM, quick)."""
    from ui.sample import generate

    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    with gr.Blocks():
        generate.build()
    view = share._VIEWS["sample/generate"]
    values = {"model": "GMM: PCA + Gaussian mixture", "count": 9, "seed": 5}
    settings = {id(view.param(name).component): value for name, value in values.items()}
    settings[id(view.pictures[0])] = generate.draw_samples(*values.values())[0]
    return view, bundles.pack(view, settings)


def _edited(path: str, target: Path, change) -> Path:
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    meta = json.loads(members["params.json"])
    change(meta)
    members["params.json"] = json.dumps(meta).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return target


def test_a_bundle_replays_identical(generate_view):
    _, path = generate_view
    verdict, stored, replayed = page_links.replay(path)
    assert verdict.startswith("**identical**") and "differ" not in verdict
    assert len(stored) == len(replayed) == 1


def test_a_bundle_from_another_version_or_model_is_replayed_with_the_differences_stated(generate_view, tmp_path):
    _, path = generate_view

    def older(meta):
        meta["genlab"] = {"version": "0.0.1", "commit": "0123456789ab"}
        meta["models"]["mnist-gmm"] = "f" * 64
        meta["params"]["count"] = "999"

    verdict, _, _ = page_links.replay(_edited(path, tmp_path / "older.zip", older))
    assert "GenLab version differs (bundle 0.0.1" in verdict
    assert "model `mnist-gmm` differs" in verdict
    assert "count='999' is outside 1 to 256: the default 64 was used" in verdict
    assert "PSNR" in verdict or "another size" in verdict


def test_a_bundle_of_an_unknown_view_is_refused(generate_view, tmp_path):
    _, path = generate_view
    with pytest.raises(ValueError, match="view 'lessons/1' is not one this GenLab has"):
        page_links.replay(_edited(path, tmp_path / "foreign.zip", lambda meta: meta.update(view="lessons/1")))
    with pytest.raises(bundle.BundleError, match="no params.json"):
        with zipfile.ZipFile(tmp_path / "empty.zip", "w") as archive:
            archive.writestr("inputs/a.png", b"")
        page_links.replay(tmp_path / "empty.zip")


def test_the_bundle_holds_the_outputs_the_params_the_model_hash_and_a_script(generate_view):
    _, path = generate_view
    found = bundle.read(path)
    assert found.meta["params"] == {"model": "mnist-gmm", "count": "9", "seed": "5"} and found.meta["seed"] == 5
    assert found.meta["api_name"] == "/sample" and len(found.meta["models"]["mnist-gmm"]) == 64
    with zipfile.ZipFile(path) as archive:
        script = archive.read("reproduce.py").decode()
    assert "model='GMM: PCA + Gaussian mixture'" in script and "count=9" in script and "seed=5" in script
    assert list(found.outputs) == ["samples"] and np.asarray(found.outputs["samples"]).ndim in (2, 3)


def test_a_refused_bundle_marks_only_the_verdict_not_the_empty_galleries():
    """Its progress and its error show on the verdict: a red "Error" on each empty gallery beside the toast added
    nothing (seen in the browser)."""
    with gr.Blocks() as blocks:
        models.reproduce_panel()
    replays = [block for block in blocks.fns.values() if len(block.outputs) == 3]
    assert len(replays) == 1
    verdict, stored, replayed = replays[0].outputs
    assert isinstance(stored, gr.Gallery) and isinstance(replayed, gr.Gallery)
    assert [component._id for component in replays[0].show_progress_on] == [verdict._id]
