"""Lessons tab: guided lessons, one per seed topic, read from ``lessons.toml`` beside this file.

A lesson is 4-8 steps. A step is a link (ui.share): it opens a view, sets its controls and runs it; the lesson
bar above the tabs keeps the step's text (what to look at and why, with the formula) in sight on whichever
tab the step opened, with Back and Next. A step's own link adds ``lesson=<key>&step=<k>`` to the view's link,
so opening it restores the view *and* the lesson bar at that step.

    bar = lessons.bar()          # in app.py, above the Tabs
    lessons.build(bar)           # inside the Lessons tab
"""

from __future__ import annotations

import tomllib
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
from gradio.context import get_blocks_context

from ui import page_links, share, sweeps
from ui.common import LATEX
from ui.stop import stop_session

LESSONS_FILE = Path(__file__).with_name("lessons.toml")
MIN_STEPS, MAX_STEPS = 4, 8


@dataclass(frozen=True)
class Step:
    title: str
    view: str
    params: dict
    text: str


@dataclass(frozen=True)
class Lesson:
    key: str
    title: str
    summary: str
    steps: tuple[Step, ...]


def read(path: Path = LESSONS_FILE) -> dict[str, Lesson]:
    """The lessons of ``path`` by key, checked: every field present, 4-8 steps, no key twice."""
    with open(path, "rb") as handle:
        raw = tomllib.load(handle)
    lessons: dict[str, Lesson] = {}
    for number, entry in enumerate(raw.get("lesson", []), 1):
        where = f"{path.name}: lesson {number}"
        missing = [name for name in ("key", "title", "summary", "step") if name not in entry]
        if missing:
            raise ValueError(f"{where} has no {', '.join(missing)}")
        if entry["key"] in lessons:
            raise ValueError(f"{where}: the key {entry['key']!r} is used twice")
        if not MIN_STEPS <= len(entry["step"]) <= MAX_STEPS:
            raise ValueError(f"{where} ({entry['key']}) has {len(entry['step'])} steps; a lesson has "
                             f"{MIN_STEPS}-{MAX_STEPS}")
        steps = []
        for index, step in enumerate(entry["step"], 1):
            absent = [name for name in ("title", "view", "text") if name not in step]
            if absent:
                raise ValueError(f"{where} ({entry['key']}), step {index} has no {', '.join(absent)}")
            steps.append(Step(step["title"], step["view"], dict(step.get("params", {})), step["text"].strip()))
        lessons[entry["key"]] = Lesson(entry["key"], entry["title"], entry["summary"], tuple(steps))
    return lessons


LESSONS = read()


def _link_value(value) -> str | list[str]:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value)


def step_query(key: str, index: int) -> str:
    """The link of step ``index`` (0-based) of lesson ``key``: its view's settings, then lesson and step."""
    step = LESSONS[key].steps[index]
    fields = {"view": step.view, **{name: _link_value(value) for name, value in step.params.items()},
              "lesson": key, "step": str(index + 1)}
    return "?" + urllib.parse.urlencode(fields, doseq=True, safe="/")


def step_text(key: str, index: int) -> str:
    """The bar's text for step ``index`` of lesson ``key``."""
    lesson = LESSONS[key]
    step = lesson.steps[index]
    return (f"**Lesson: {lesson.title}** · step {index + 1} of {len(lesson.steps)}: **{step.title}**\n\n"
            f"{step.text}")


def locate(query) -> tuple[str, int] | None:
    """The lesson and 0-based step a link names (``lesson=...&step=...``), or None; a bad step number opens
    the lesson's first step, an unknown lesson nothing."""
    fields = urllib.parse.parse_qs(str(query or "").lstrip("?"))
    key = (fields.get("lesson") or [None])[0]
    if key not in LESSONS:
        return None
    try:
        index = int((fields.get("step") or ["1"])[0]) - 1
    except ValueError:
        index = 0
    return key, index if 0 <= index < len(LESSONS[key].steps) else 0


@dataclass
class Bar:
    """The lesson bar above the tabs: the step's text, Back / Next, the step's link, and where it is."""
    group: gr.Group
    text: gr.Markdown
    back: gr.Button
    next: gr.Button
    link: gr.Button
    close: gr.Button
    box: gr.Textbox
    place: gr.State
    query: gr.Textbox


def bar() -> Bar:
    """Build the (hidden) lesson bar; app.py puts it above the Tabs."""
    with gr.Group(visible=False, elem_id="lesson-bar") as group:
        text = gr.Markdown(latex_delimiters=LATEX, elem_id="lesson-text")
        with gr.Row():
            back = gr.Button("◀ Back", size="sm", elem_id="lesson-back")
            forward = gr.Button("Next ▶", size="sm", variant="primary", elem_id="lesson-next")
            link = gr.Button("Link to this step", size="sm", elem_id="lesson-link")
            close = gr.Button("End the lesson", size="sm", elem_id="lesson-close")
        box = gr.Textbox(label="Link to this step", visible=False, interactive=False, buttons=["copy"],
                         elem_id="lesson-link-box")
    return Bar(group, text, back, forward, link, close, box, gr.State(None), gr.Textbox(visible=False))


def _show(key: str, index: int) -> tuple:
    """Updates for (group, text, back, next, place, query, box) at step ``index`` of lesson ``key``."""
    last = len(LESSONS[key].steps) - 1
    return (gr.update(visible=True), step_text(key, index), gr.update(interactive=index > 0),
            gr.update(interactive=index < last), (key, index), step_query(key, index), gr.update(visible=False))


def _move(place, delta: int) -> tuple:
    if not place:
        return (gr.update(),) * 7
    key, index = place
    return _show(key, min(max(index + delta, 0), len(LESSONS[key].steps) - 1))


def _back(place, request: gr.Request = None) -> tuple:
    """Back: the step being left stops its run (see ``_next``), then the previous step opens."""
    stop_session(getattr(request, "session_hash", None))
    return _move(place, -1)


def _next(place, request: gr.Request = None) -> tuple:
    """Next: this session's runs stop, keeping what they finished, then the next step opens and runs. A step's
    run (an EPLL restore, a Gatys optimisation) otherwise went on to its time cap on a tab the class had left,
    holding one of the two workers the class shares. Stopped here, before the next step's run starts."""
    stop_session(getattr(request, "session_hash", None))
    return _move(place, +1)


def _start(key: str) -> tuple:
    if key not in LESSONS:
        raise gr.Error(f"Unknown lesson {key!r}: choose one from the list.")
    return _show(key, 0)


def _opened(query) -> tuple:
    """On page load: a step's link opens the bar at that step (the view itself is set by ui.page_links)."""
    where = locate(query)
    return _show(*where) if where else (gr.update(),) * 7


def _outline(key: str) -> str:
    lesson = LESSONS.get(key)
    if lesson is None:
        return ""
    steps = "\n".join(f"{number}. {step.title}" for number, step in enumerate(lesson.steps, 1))
    return f"{lesson.summary}\n\n{steps}"


def build(lesson_bar: Bar) -> None:
    """The Lessons tab: the guided lessons (choose one, read its outline, start it; the bar above the tabs
    takes over) and the sweeps (ui.sweeps), each in its own sub-tab."""
    with gr.Tabs() as rooms:
        with gr.Tab("Guided lessons", id="lessons/guided"):
            _guided(lesson_bar)
        with gr.Tab("Sweeps", id="lessons/sweeps"):
            sweeps.build()
    share.tabs(rooms, "lessons/guided", "lessons/sweeps")


def _guided(lesson_bar: Bar) -> None:
    gr.Markdown("Guided lessons through the ideas GenLab shows. **Start** a lesson: each step opens the right "
                "tab with its settings, runs it, and the bar at the top of the page says what to look at and "
                "why. **Next** and **Back** move through the steps; **Link to this step** gives a link that "
                "opens the same step for someone else.")
    first = next(iter(LESSONS))
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            # Shown by title, handed over by key.
            choice = gr.Radio([(lesson.title, key) for key, lesson in LESSONS.items()], value=first, label="Lesson",
                              elem_id="lesson-choice")
            start = gr.Button("Start the lesson", variant="primary", elem_id="lesson-start")
        with gr.Column(scale=2):
            outline = gr.Markdown(_outline(first), latex_delimiters=LATEX)
    choice.change(_outline, choice, outline, api_visibility="private", queue=False)

    shown = [lesson_bar.group, lesson_bar.text, lesson_bar.back, lesson_bar.next, lesson_bar.place,
             lesson_bar.query, lesson_bar.box]
    for event in (start.click(_start, choice, shown, api_visibility="private", queue=False),
                  lesson_bar.back.click(_back, lesson_bar.place, shown, api_visibility="private", queue=False),
                  lesson_bar.next.click(_next, lesson_bar.place, shown, api_visibility="private", queue=False)):
        page_links.apply_on(event.then, lesson_bar.query)
    lesson_bar.link.click(lambda query: gr.update(value=query, visible=True), lesson_bar.query, lesson_bar.box,
                          api_visibility="private", queue=False).then(
        None, lesson_bar.box, lesson_bar.box, js=share.COPY_JS, api_visibility="private")
    lesson_bar.close.click(lambda: (gr.update(visible=False), None), None, [lesson_bar.group, lesson_bar.place],
                           api_visibility="private", queue=False)
    # On page load only. (gr.on with no trigger also ran on every change of the query box: after a step's link
    # had opened the page, each Next or Back put the bar back at the address's step while the view moved on.)
    get_blocks_context().root_block.load(_opened, lesson_bar.query, shown, js="() => window.location.search",
                                         api_visibility="private")
