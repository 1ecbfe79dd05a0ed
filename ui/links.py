"""Links: a view's settings as ``?view=<key>&<param>=<value>&...``, and back (ui.share and ui.page_links wire
them to the page).

A view declares its controls as ``Param`` and its image inputs as ``Upload``; ``encode`` writes the link's fields
from the controls' values, ``decode`` reads a link back into the values to set, never raising: what is wrong is
named in its notes and the default used. See ui.share for the rules a link follows."""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr

from ui.caches import example_name, pixel_digest
from ui.common import examples, pixels

# Link keys that belong to the page, not to a view: a lesson step's link adds them (ui.lessons reads them).
PAGE_KEYS = ("lesson", "step")
UPLOAD = "upload"
NONE = "none"
TRUE, FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


@dataclass(frozen=True)
class Param:
    """A control a link sets: ``name`` in the link, its component (default, range and choices are read from it),
    ``short`` names for choices in links, ``choices`` when this view allows fewer than the component offers."""
    name: str
    component: gr.components.Component
    short: Mapping = field(default_factory=dict)
    choices: tuple = ()


@dataclass(frozen=True)
class Upload:
    """An image input: its examples (assets/<folder>/*.png, or ``files``) are named in links, anything else is
    "upload". ``carried=False`` for a drawing (the Denoise mask): never in a link or bundle, only noted."""
    name: str
    component: gr.components.Component
    folder: str | None = None
    files: tuple = ()
    default: str | None = None
    what: str = "an uploaded image"
    redo: str = "upload it"
    carried: bool = True
    present: Callable | None = None

    def examples(self) -> dict[str, str]:
        """File name -> path of this input's examples."""
        paths = [*self.files, *(examples(self.folder) if self.folder else [])]
        return {Path(path).name: str(path) for path in paths}

    def name_of(self, value) -> str:
        """The example's file name when ``value`` holds an example, else "upload" (or "none" if empty). A file
        path is matched by its bytes (Gradio hands handlers a copy), an image editor's value by its pixels (a
        blank pad is "none")."""
        if isinstance(value, dict):
            found = pixels(value)
            if found is None or found.min() == found.max():
                return NONE
            digests = _DIGESTS.setdefault((self.folder, self.files), {
                pixel_digest(pixels(p)): name for name, p in self.examples().items()})
            return digests.get(pixel_digest(found), UPLOAD)
        if not value:
            return NONE
        return example_name(value, self.examples().values()) or UPLOAD


_DIGESTS: dict[tuple, dict[str, str]] = {}   # (folder, files) -> {sha256 of an example's pixels: its file name}


@dataclass
class View:
    """One result a link or bundle reproduces: where it lives, its controls, its run button and its endpoint."""
    key: str
    title: str
    tabs: tuple
    run: gr.Button
    fn: Callable
    inputs: list
    outputs: list
    api_name: str
    params: list
    uploads: list = field(default_factory=list)
    pictures: list = field(default_factory=list)
    when: tuple | None = None             # (component, values): the view is the one shown when it holds these
    models: Callable = lambda values: []  # registry names the run used, from {param or upload name: value}
    # (settings, gr.Request) of a Copy link click -> control values (component id -> value) the link takes
    # instead of those: the Train tab's link holds the settings its run started with, and the step it is at.
    link_values: Callable | None = None

    def components(self) -> list:
        found = [p.component for p in self.params] + [u.component for u in self.uploads]
        return found + ([self.when[0]] if self.when else [])

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def encode(item: View, settings: dict) -> dict[str, object]:
    """The link's fields for ``item`` with control values ``settings`` (component id -> value)."""
    fields: dict[str, object] = {"view": item.key}
    for upload in item.uploads:
        value = settings.get(id(upload.component))
        if upload.carried:
            fields[upload.name] = upload.name_of(value)
        elif upload.present is not None and upload.present(value):
            fields[upload.name] = UPLOAD
    for param in item.params:
        fields[param.name] = _text(param, settings.get(id(param.component)))
    return fields


def _text(param: Param, value):
    if isinstance(value, (list, tuple)):
        return [param.short.get(v, str(v)) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return param.short.get(value, "" if value is None else str(value))


@dataclass
class Decoded:
    view: View | None
    values: dict = field(default_factory=dict)       # component id -> value to set
    named: dict = field(default_factory=dict)        # param or upload name -> value
    notes: list = field(default_factory=list)        # what was wrong, each naming the parameter
    missing: list = field(default_factory=list)      # inputs a link could not carry
    run: bool = True
    in_lesson: bool = False                          # a lesson step's link: its bar says where the page is


def decode(query, views: Mapping) -> Decoded:
    """A link's query ("?view=...", or a dict of lists as parse_qs makes) -> the view, the values to set and
    the notes, among ``views`` (key -> View); never raises: what is wrong is named in the notes and its default used."""
    fields = urllib.parse.parse_qs(query.lstrip("?"), keep_blank_values=True) if isinstance(query, str) else {
        key: value if isinstance(value, list) else [value] for key, value in dict(query).items()}
    key = (fields.pop("view", [""]) or [""])[-1]
    run = (fields.pop("run", ["1"]) or ["1"])[-1] not in FALSE
    in_lesson = bool(fields.get("lesson"))
    if not key:
        return Decoded(None, run=False)
    item = views.get(key)
    if item is None:
        return Decoded(None, notes=[f"This link names an unknown view {key!r}; the views are: "
                                    f"{', '.join(views)}. The page opened as usual."], run=False)
    found = Decoded(item, run=run, in_lesson=in_lesson)
    for upload in item.uploads:
        _decode_upload(found, upload, (fields.pop(upload.name, None) or [None])[-1])
    found.values.update(fixed(item))
    for param in item.params:
        raw = fields.pop(param.name, None)
        value = _default(param) if raw is None else _value(param, raw, found.notes)
        found.values[id(param.component)] = found.named[param.name] = value
    for name in (name for name in fields if name not in PAGE_KEYS):
        found.notes.append(f"The link's parameter {name!r} is not one of {item.title}'s "
                           f"({', '.join(p.name for p in item.uploads + item.params)}): it was ignored.")
    return found


def _decode_upload(found: Decoded, upload: Upload, raw) -> None:
    if raw is None or (not upload.carried and raw != UPLOAD):
        value = upload.default if upload.carried else None
    elif raw == NONE:
        value = None
    elif raw == UPLOAD:
        found.missing.append(upload)
        value = None
    elif raw in upload.examples():
        value = upload.examples()[raw]
    else:
        found.notes.append(f"The link's {upload.name}={raw!r} is not one of the examples "
                           f"({', '.join(upload.examples())}): the default was used.")
        value = upload.default
    if upload.carried:
        found.values[id(upload.component)] = value
    found.named[upload.name] = value


def _default(param: Param):
    return param.component.value


def _value(param: Param, raw: list, notes: list):
    """The value of ``param`` from its link text(s), or its default with a note naming what was wrong."""
    component, default = param.component, _default(param)
    shown = raw[-1] if len(raw) == 1 else raw
    try:
        if isinstance(component, gr.CheckboxGroup):
            items = [part for text in raw for part in (text if isinstance(text, list) else str(text).split(","))]
            return [_choice(param, item) for item in items if item != ""]
        if isinstance(component, (gr.Radio, gr.Dropdown)):
            return _choice(param, raw[-1])
        if isinstance(component, gr.Checkbox):
            return _flag(raw[-1])
        return _number(component, raw[-1])
    except ValueError as error:
        notes.append(f"The link's {param.name}={shown!r} {error}: the default {_text(param, default)} was used.")
        return default


def _choice(param: Param, text):
    options = param.choices or tuple(value for _, value in param.component.choices)
    for value in options:
        if str(text) in (str(value), str(param.short.get(value, value))):
            return value
    names = ", ".join(str(param.short.get(value, value)) for value in options)
    raise ValueError(f"is not one of the choices ({names})")


def _flag(text) -> bool:
    if isinstance(text, bool) or str(text).lower() in TRUE + FALSE:
        return text if isinstance(text, bool) else str(text).lower() in TRUE
    raise ValueError("is not true or false")


def _number(component, text):
    try:
        number = float(text)
    except (TypeError, ValueError):
        raise ValueError("is not a number") from None
    low, high = getattr(component, "minimum", None), getattr(component, "maximum", None)
    low = -math.inf if low is None else low
    high = math.inf if high is None else high
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"is outside {low:g} to {high:g}")
    if getattr(component, "precision", None) == 0:
        if number != int(number):
            raise ValueError("is not a whole number")
        return int(number)
    return number


def fixed(item: View) -> dict:
    """The value a view always sets on its ``when`` control (none when a parameter of it sets that control)."""
    if item.when is None or any(p.component is item.when[0] for p in item.params):
        return {}
    return {id(item.when[0]): item.when[1][0]}
