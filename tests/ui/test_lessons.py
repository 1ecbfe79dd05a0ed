"""The lessons: the file is well formed, every step is a valid link into a view the app has, and a bad lesson
file is refused with a message that names what is wrong."""

import urllib.parse
from types import SimpleNamespace
from pathlib import Path

import pytest

from ui import bundles, lessons, links, page_links

TOPICS = {"logistic", "generative", "random", "cnn", "style"}


def test_one_lesson_per_seed_topic_with_four_to_eight_steps():
    assert set(lessons.LESSONS) == TOPICS
    for lesson in lessons.LESSONS.values():
        assert lessons.MIN_STEPS <= len(lesson.steps) <= lessons.MAX_STEPS, lesson.key
        for step in lesson.steps:
            assert "$" in step.text, f"{lesson.key}: step {step.title!r} has no formula"


def test_every_step_is_a_link_the_built_app_opens_without_a_complaint():
    import app   # builds the page: every view registered

    page = page_links._PAGE[-1]
    for lesson in lessons.LESSONS.values():
        for index, step in enumerate(lesson.steps):
            found = links.decode(lessons.step_query(lesson.key, index), page.views)
            assert found.view is not None and found.view.key == step.view, (lesson.key, index)
            assert not found.notes, (lesson.key, step.title, found.notes)
            assert not found.missing and found.run, (lesson.key, step.title)
    assert app.demo is not None


@pytest.mark.parametrize("key", sorted(TOPICS))
def test_every_step_runs_its_view_in_process_and_shows_a_picture(key, monkeypatch):
    """What each step's button runs, with the step's settings, called as the button would call it (the browser
    walk in tests/e2e/test_lessons.py covers the lesson bar itself). The sweeps steps are left to
    tests/ui/test_sweeps.py and tests/generators/test_sweeps.py: a full sweep takes 5-16 s. A repair step searches
    for 10 steps, not 150 (3-5 s each): the step's settings are what is tested here, the full search in
    tests/generators/sample/test_latent.py and tests/test_app.py. A Train step, a live run in a browser session,
    trains to step 20 in a session of the test's own; stopping at the asked step: tests/ui/test_train.py."""
    import app   # builds the page: every view registered
    from ui import train_loop
    from ui.sample import repair

    monkeypatch.setattr(repair, "REPAIR_STEPS", 10)

    assert app.demo is not None
    page = page_links._PAGE[-1]
    for index, step in enumerate(lessons.LESSONS[key].steps):
        if step.view == "sweeps":
            continue
        found = links.decode(lessons.step_query(key, index), page.views)
        if step.view == "train":
            until = found.view.param("until").component
            assert found.values[id(until)] > 0, "a lesson's run stops by itself"
            settings = {**found.values, id(until): 20}
            session = SimpleNamespace(session_hash=f"lesson-{key}-{index}")
            frames = list(found.view.fn(*(settings.get(id(c), c.value) for c in found.view.inputs), session))
            train_loop.free_session(session)
            assert "Stopped at step 20" in frames[-1][0] and frames[-1][1] is not None, (key, index, frames[-1][0])
            continue
        files = {u.name: found.named[u.name] for u in found.view.uploads if found.named.get(u.name) is not None}
        output = bundles.call(found.view, found.values, files)
        shown = output if isinstance(output, tuple) else (output,)
        pictures = bundles.pictures(found.view, [shown[found.view.outputs.index(c)] for c in found.view.pictures],
                                    found.view.pictures)
        assert pictures and all(p.size and p.std() > 0 for p in pictures.values()), (key, index, step.title)


def test_a_step_link_names_its_lesson_and_step_and_locate_reads_it_back():
    query = lessons.step_query("random", 2)
    fields = urllib.parse.parse_qs(query.lstrip("?"))
    assert fields["lesson"] == ["random"] and fields["step"] == ["3"] and fields["view"] == ["denoise"]
    assert fields["seed"] == ["1"] and fields["ising"] == ["gibbs"]
    assert lessons.locate(query) == ("random", 2)
    assert lessons.locate("?lesson=random&step=99") == ("random", 0)     # out of range: the first step
    assert lessons.locate("?lesson=random&step=two") == ("random", 0)
    assert lessons.locate("?lesson=nonsense&step=1") is None
    assert lessons.locate("") is None


def test_next_and_back_stop_the_sessions_runs_before_the_step_opens():
    """A step's run went on to its time cap on a tab the class had left, holding one of the two shared workers."""
    from types import SimpleNamespace

    from ui import stop

    pupil, other = SimpleNamespace(session_hash="pupil"), SimpleNamespace(session_hash="other")
    for move, place, step in ((lessons._next, ("style", 0), "step 2 of"), (lessons._back, ("style", 2), "step 2 of")):
        with stop.stoppable(pupil, "stylize") as left, stop.stoppable(pupil, "sweeps/gmm") as sweep, \
                stop.stoppable(other, "stylize") as theirs:
            assert step in move(place, pupil)[1]
            assert left.is_set() and sweep.is_set() and not theirs.is_set()
    assert step in lessons._next(("style", 0))[1]     # no browser session: nothing to stop


def test_next_and_back_stop_at_the_ends():
    first = lessons._show("style", 0)
    assert first[4] == ("style", 0) and first[2]["interactive"] is False and first[3]["interactive"] is True
    assert lessons._move(("style", 0), -1)[4] == ("style", 0)
    last = len(lessons.LESSONS["style"].steps) - 1
    at_end = lessons._move(("style", last), +1)
    assert at_end[4] == ("style", last) and at_end[3]["interactive"] is False
    assert "step 2 of" in lessons._move(("style", 0), +1)[1]


@pytest.mark.parametrize("body, message", [
    ('[[lesson]]\nkey = "a"\ntitle = "A"\nsummary = "s"\n' + '[[lesson.step]]\ntitle = "t"\nview = "denoise"\ntext = "x"\n' * 3,
     "has 3 steps"),
    ('[[lesson]]\nkey = "a"\ntitle = "A"\n' + '[[lesson.step]]\ntitle = "t"\nview = "denoise"\ntext = "x"\n' * 4,
     "has no summary"),
    ('[[lesson]]\nkey = "a"\ntitle = "A"\nsummary = "s"\n' + '[[lesson.step]]\ntitle = "t"\ntext = "x"\n' * 4,
     "step 1 has no view"),
])
def test_a_bad_lesson_file_is_refused_by_name(tmp_path, body, message):
    path = tmp_path / "lessons.toml"
    path.write_text(body)
    with pytest.raises(ValueError, match=message) as error:
        lessons.read(path)
    assert "lessons.toml" in str(error.value)


def test_opening_the_page_never_writes_to_an_image_input():
    """The page load's link event answers after the page is up; had it any image input among its outputs, its
    answer would write the opening image over an upload made meanwhile (seen in the browser tests)."""
    import app

    page = page_links._PAGE[-1]
    uploads = {component._id for component in page.uploads}
    assert uploads, "the built app has image inputs a link can set"
    appliers = [f for f in app.demo.fns.values() if page.banner in f.outputs and page.run_box in f.outputs]
    assert len(appliers) >= 2   # the page load's, and the lesson bar's
    for applier in appliers:
        assert not uploads & {output._id for output in applier.outputs}, applier.name
    writers = [f for f in app.demo.fns.values() if uploads & {output._id for output in f.outputs}
               and page.run_box in f.outputs]
    assert [w.targets for w in writers] == [[(page.images_box._id, "change")]]


def test_a_link_with_an_image_sets_the_draw_pad_but_never_waits_to_read_it():
    """The browser hands an image editor's value to an event only once the editor is on screen: with the Draw
    room's pad among set_images' inputs, a lesson step that set the Denoise image waited until Draw was opened."""
    import gradio as gr

    import app

    page = page_links._PAGE[-1]
    pads = [component for component in page.uploads if isinstance(component, gr.ImageEditor)]
    assert [pad.elem_id for pad in pads] == ["digit-pad"]
    [setter] = [f for f in app.demo.fns.values() if f.targets == [(page.images_box._id, "change")]]
    assert not any(isinstance(component, gr.ImageEditor) for component in setter.inputs)
    assert [c._id for c in setter.outputs] == [c._id for c in page.uploads + [page.run_box]]

    current = [f"current-{index}" for index in range(len(page.read))]
    updates = dict(zip(map(id, page.uploads), page.set_images("1 ?view=sample/draw&drawing=drawn-2.png", *current)))
    assert Path(updates[id(pads[0])]).name == "drawn-2.png"
    updates = dict(zip(map(id, page.uploads), page.set_images("2 ?view=denoise&image=camera.png", *current)))
    assert updates[id(pads[0])] == gr.skip()
    changed = [component for component, value in zip(page.read, current) if updates[id(component)] != value]
    assert len(changed) == 1 and Path(updates[id(changed[0])]).name == "camera.png"


def test_a_steps_address_opens_the_bar_on_page_load_only():
    """gr.on with no trigger runs on load and on every change of its input: each Next or Back changes the query
    box, and the bar went back to the step in the page's address while the view moved on."""
    import app

    opened = [f for f in app.demo.fns.values() if getattr(f.fn, "__name__", "") == "_opened"]
    assert len(opened) == 1 and [trigger for _, trigger in opened[0].targets] == ["load"]
