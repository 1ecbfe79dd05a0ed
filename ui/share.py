"""Share a result: a link that holds its settings, a bundle (zip) that holds its pictures too, and the Reproduce
panel that takes a bundle back.

A tab declares each view with a result once, beside its controls, and puts the share buttons under its run
button::

    sharing = share.buttons("denoise")                 # Copy link · Download bundle (+ the link box, the zip)
    ...
    share.view(sharing, share.View(key="denoise", title="Denoise", tabs=("denoise",), run=go, fn=restore,
               inputs=settings, outputs=shown, api_name="restore", pictures=[corrupted, gallery],
               params=[share.Param("sigma", sigma255), ...], uploads=[share.Upload("image", source, "denoise")]))

``app.py`` registers its Tabs (``share.tabs(tabs, "denoise", ...)``; a tab with sub-Tabs does the same), puts
``share.notice()`` at the top of the page and calls ``share.install()`` last, inside its ``gr.Blocks``.

**The link** is ``?view=<key>&<param>=<value>&...``: every parameter and the seed, never pixels. A choice is
written by its short name where the view gives one (``method=quilting``), a list as repeated keys
(``methods=gaussian&methods=tv``), a checkbox as ``true``/``false``. An example image is named by its file name
(``image=camera.png``, found by content hash: Gradio hands handlers a copy); anything else is ``image=upload``,
which a link cannot carry: the page sets everything else and asks for the upload instead of running. A
missing parameter takes its default; an unknown one, or a value out of range or not among the choices, is
named in the notice and its default used. ``run=0`` sets the controls without running.

**Applying a link in-page** (the page load does it; a Lessons tab can do it for its steps): ::

    share.apply_on(button.click, step_link_box)   # before share.install(); the box holds "?view=...&..."
    share.apply_on(button.click, "?view=texture&method=quilting&seed=3")     # or a fixed link

``install`` wires each such trigger to ``Page.apply`` (inputs: the query and the image inputs; outputs:
``targets()``), then ``RUN_JS`` on the hidden run box, which clicks the view's run button (``elem_id``
``run-<key>``) when the link asked to run and nothing is missing. ``apply(query, *images) -> list`` returns
the updates for ``targets()`` in order: the Tabs (selected), the image inputs, the other controls, the notice
and the run box; ``decode(query)`` is its pure part.

**The bundle** is made by generators.bundle from the controls and the shown outputs (nothing is re-run);
``replay(path)`` (the Reproduce panel) reads one safely, runs its view's handler in-process with the bundled
inputs, and compares: "identical", or the PSNR and why it may differ (a model's hash, GenLab's version).
"""

from __future__ import annotations

import inspect
import math
import tempfile
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr
import numpy as np
from PIL import Image

from generators import api, bundle, imaging
from ui.common import HEAVY, HEAVY_LIMIT, cache_bytes, examples, file_digest, friendly_errors

# Clicks the run button whose elem_id the run box holds, once it is on screen (its tab may still be opening);
# counts the presses in <body data-share-runs> (the browser tests wait on it).
RUN_JS = """(id) => {
    if (!id) return;
    let tries = 0;
    const press = () => {
        const button = document.getElementById(id);
        if (button && button.checkVisibility() && !button.disabled) {
            button.click();
            document.body.dataset.shareRuns = String(Number(document.body.dataset.shareRuns || 0) + 1);
        } else if (tries++ < 100) setTimeout(press, 100);
    };
    setTimeout(press, 200);
}"""
# The link box gets the query; this makes it the page's full address and puts it on the clipboard when the
# browser allows (navigator.clipboard needs https or localhost; the box has its own copy button anyway).
COPY_JS = """(query) => {
    if (!query || !query.startsWith("?")) return query;
    const url = location.origin + location.pathname + query;
    try { navigator.clipboard.writeText(url).catch(() => {}); } catch (error) {}
    return url;
}"""
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

    def name_of(self, path) -> str:
        """The example's file name when ``path`` has an example's bytes, else "upload" (or "none" if empty)."""
        if not path:
            return NONE
        digests = _DIGESTS.setdefault((self.folder, self.files), {file_digest(p): name for name, p in self.examples().items()})
        return digests.get(file_digest(path), UPLOAD)


_DIGESTS: dict[tuple, dict[str, str]] = {}   # (folder, files) -> {sha256 of an example: its file name}


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

    def components(self) -> list:
        found = [p.component for p in self.params] + [u.component for u in self.uploads]
        return found + ([self.when[0]] if self.when else [])

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass
class Sharing:
    link: gr.Button
    bundle: gr.Button
    box: gr.Textbox
    file: gr.File


_VIEWS: dict[str, View] = {}
_TABS: dict[str, gr.Tabs] = {}          # tab id -> the Tabs holding it
_APPLIERS: list[tuple[Callable, object]] = []
_NOTICE: list[gr.Markdown] = []


def tabs(component: gr.Tabs, *ids: str) -> None:
    """Say that ``component`` holds the tabs ``ids`` (their ``gr.Tab(id=...)``), so a link can select them."""
    _TABS.update(dict.fromkeys(ids, component))


def notice() -> gr.Markdown:
    """The banner that says what a link did (hidden until a link is opened); app.py puts it at the top."""
    box = gr.Markdown(visible=False, elem_id="share-notice")
    _NOTICE[:] = [box]
    return box


def buttons(key: str) -> Sharing:
    """Copy link and Download bundle, small, in a row under a view's run button; the link box and the zip
    appear below them once used."""
    with gr.Row():
        link = gr.Button("Copy link", size="sm", elem_id=f"link-{key}")
        pack = gr.Button("Download bundle", size="sm", elem_id=f"bundle-{key}")
    box = gr.Textbox(label="Link (settings only, no images)", visible=False,
                     interactive=False, buttons=["copy"], elem_id=f"link-box-{key}")
    file = gr.File(label="Bundle (inputs, outputs, params.json, reproduce.py)", visible=False,
                   elem_id=f"bundle-file-{key}")
    return Sharing(link, pack, box, file)


def view(sharing: Sharing, *views: View) -> None:
    """Register ``views`` (several when one run button serves them, chosen by ``View.when``) and wire the
    Copy link and Download bundle buttons of ``sharing`` to them."""
    for item in views:
        item.run.elem_id = item.run.elem_id or f"run-{item.key.replace('/', '-')}"
        _VIEWS[item.key] = item
    controls = _unique(c for item in views for c in item.components())
    shown = _unique(c for item in views for c in item.pictures)

    def make_link(*values):
        chosen, settings = _chosen(views, dict(zip(map(id, controls), values)))
        return gr.update(value="?" + urllib.parse.urlencode(encode(chosen, settings), doseq=True, safe="/"), visible=True)

    def make_bundle(*values):
        settings = dict(zip(map(id, controls + shown), values))
        chosen, settings = _chosen(views, settings)
        return gr.update(value=pack(chosen, settings), visible=True)

    sharing.link.click(make_link, controls, sharing.box, api_visibility="private", queue=False).then(
        None, sharing.box, sharing.box, js=COPY_JS, api_visibility="private")
    sharing.bundle.click(friendly_errors(make_bundle), controls + shown, sharing.file, api_visibility="private")


def _unique(components) -> list:
    return list({id(c): c for c in components}.values())


def _chosen(views, settings: dict) -> tuple[View, dict]:
    """The view the controls show (by ``when``), and its values by component id."""
    for item in views:
        if item.when is None or settings.get(id(item.when[0])) in item.when[1]:
            return item, settings
    return views[0], settings


# --- links --------------------------------------------------------------------------------------------------


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


def decode(query, views: Mapping | None = None) -> Decoded:
    """A link's query ("?view=...", or a dict of lists as parse_qs makes) -> the view, the values to set and
    the notes; never raises: what is wrong is named in the notes and its default used."""
    fields = urllib.parse.parse_qs(query.lstrip("?"), keep_blank_values=True) if isinstance(query, str) else {
        key: value if isinstance(value, list) else [value] for key, value in dict(query).items()}
    key = (fields.pop("view", [""]) or [""])[-1]
    run = (fields.pop("run", ["1"]) or ["1"])[-1] not in FALSE
    in_lesson = bool(fields.get("lesson"))
    if not key:
        return Decoded(None, run=False)
    views = _VIEWS if views is None else views
    item = views.get(key)
    if item is None:
        return Decoded(None, notes=[f"This link names an unknown view {key!r}; the views are: "
                                    f"{', '.join(views)}. The page opened as usual."], run=False)
    found = Decoded(item, run=run, in_lesson=in_lesson)
    for upload in item.uploads:
        _decode_upload(found, upload, (fields.pop(upload.name, None) or [None])[-1])
    found.values.update(_fixed(item))
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


class Page:
    """What one built app opens links into: its views, its Tabs, the notice and the hidden run box (a
    snapshot taken by ``install``, so a tab built later elsewhere, as tests do, changes nothing here).

    Image inputs are inputs of the apply event as well as outputs, and always get a plain value back (the
    link's, or their own unchanged): Gradio answers a ``gr.update`` by building a fresh component for the
    session, which would drop ui.common.upload_image's own preprocessing (its clear messages on bad files)."""

    def __init__(self, views: dict, tab_ids: dict, banner: gr.Markdown, run_box: gr.Textbox):
        self.views, self.tab_ids, self.banner, self.run_box = dict(views), dict(tab_ids), banner, run_box
        self.uploads = _unique(u.component for item in self.views.values() for u in item.uploads if u.carried)

    def targets(self) -> list:
        """The components a link sets, in the order of ``apply``'s updates: the Tabs, the image inputs, the
        other controls, the notice and the run box."""
        controls = _unique(c for item in self.views.values() for c in item.components())
        return [*_unique(self.tab_ids.values()), *self.uploads,
                *[c for c in controls if all(c is not u for u in self.uploads)], self.banner, self.run_box]

    def apply(self, query, *images) -> list:
        """The updates that open the link ``query`` in the page, in the order of ``targets()``; ``images`` are
        the image inputs' current values (``self.uploads``), returned as they are unless the link sets them."""
        found = decode(query, self.views)
        updates = {id(component): gr.update() for component in self.targets()}
        updates.update({id(component): value for component, value in zip(self.uploads, images)})
        if found.view is not None:
            for tab in found.view.tabs:
                if tab in self.tab_ids:
                    updates[id(self.tab_ids[tab])] = gr.Tabs(selected=tab)
            plain = {id(component) for component in self.uploads}
            updates.update({key: value if key in plain else gr.update(value=value)
                            for key, value in found.values.items()})
        run = found.view is not None and found.run and not found.missing
        # A lesson step says what it opened in the lesson bar: the banner only for what was wrong.
        shown = bool(found.notes) if found.in_lesson else bool(found.view or found.notes)
        updates[id(self.banner)] = gr.update(value=_notice(found), visible=shown)
        updates[id(self.run_box)] = found.view.run.elem_id if run else ""
        return list(updates.values())


_PAGE: list[Page] = []


def targets() -> list:
    """The installed page's ``targets()`` (see Page)."""
    return _PAGE[-1].targets()


def apply(query, *images) -> list:
    """The installed page's updates for the link ``query`` (see Page.apply), in the order of ``targets()``."""
    return _PAGE[-1].apply(query, *images)


def _notice(found: Decoded) -> str:
    if found.view is None:
        return " ".join(found.notes)
    label = found.view.run.value
    lines = [f"**Opened a link**: {found.view.title}, " + (
        f"set as it was made; running **{label}**." if found.run and not found.missing else "set as it was made.")]
    for upload in found.missing:
        lines.append(f"This link was made with {upload.what}, which a link cannot carry: {upload.redo} and press "
                     f"**{label}**.")
    return "  \n".join(lines + found.notes)


def apply_on(trigger: Callable, query) -> None:
    """Wire the event listener ``trigger`` (e.g. ``button.click``) to open the link in ``query`` (a component
    holding "?view=...", or a fixed string) in-page and run it; done by ``install``, after every tab is built."""
    _APPLIERS.append((trigger, query))


def install(blocks: gr.Blocks) -> Page:
    """Inside ``blocks``, after every tab: open the page's own link on load, and wire every ``apply_on``.

    The load only copies the address's query into a hidden box (in the browser); a page opened without a
    link stops there, and one with a link runs ``apply`` through the box's change event."""
    page = Page(_VIEWS, _TABS, _NOTICE[0] if _NOTICE else notice(), gr.Textbox(visible=False, elem_id="share-run"))
    _PAGE.append(page)
    outputs = page.targets()
    query = gr.Textbox(visible=False)
    blocks.load(None, None, query, js="() => window.location.search", api_visibility="private")
    _APPLIERS.insert(0, (query.change, query))
    for trigger, source in _APPLIERS:
        if isinstance(source, gr.components.Component):
            fn, inputs = page.apply, [source, *page.uploads]
        else:
            fn, inputs = (lambda *images, fixed=source: page.apply(fixed, *images)), page.uploads
        trigger(fn, inputs, outputs, api_visibility="private").then(None, page.run_box, None, js=RUN_JS,
                                                                     api_visibility="private")
    _APPLIERS.clear()
    return page


# --- bundles ------------------------------------------------------------------------------------------------


def pack(item: View, settings: dict) -> str:
    """The bundle of what ``item`` shows now (controls and outputs by component id), as a zip in Gradio's
    cache; its path."""
    named = {u.name: settings.get(id(u.component)) for u in item.uploads}
    for upload in item.uploads:
        if not upload.carried and upload.present is not None and upload.present(named[upload.name]):
            raise ValueError(f"this result used {upload.what}, which a bundle cannot hold: clear it to share "
                             "the result")
    inputs = {u.name: _pixels(named[u.name]) for u in item.uploads if u.carried and named[u.name]}
    outputs = pictures(item, [settings.get(id(c)) for c in item.pictures], item.pictures)
    fields = encode(item, settings)
    values = {**named, **{p.name: settings.get(id(p.component)) for p in item.params}}
    meta = {"tab": item.tabs[0], "view": item.key, "title": item.title, "api_name": f"/{item.api_name}",
            "params": {k: v for k, v in fields.items() if k != "view"}, "seed": values.get("seed"),
            "models": api.model_hashes(item.models(values))}
    arguments, files = _arguments(item, {**{id(p.component): settings.get(id(p.component)) for p in item.params},
                                         **_fixed(item)}, {u.name: f"inputs/{u.name}.png" for u in item.uploads
                                                           if u.name in inputs})
    data = bundle.write(meta, inputs, outputs, bundle.script(f"/{item.api_name}", arguments, files))
    return cache_bytes(data, f"genlab-{item.key.replace('/', '-')}.zip")


def _fixed(item: View) -> dict:
    """The value a view always sets on its ``when`` control (none when a parameter of it sets that control)."""
    if item.when is None or any(p.component is item.when[0] for p in item.params):
        return {}
    return {id(item.when[0]): item.when[1][0]}


def _arguments(item: View, values: dict, files: dict) -> tuple[dict, dict]:
    """The endpoint's arguments by parameter name: the view's values, each upload as a file (``files``: upload
    name -> what to send), and the component's initial value for any other input."""
    names = list(inspect.signature(item.fn).parameters)
    uploads = {id(u.component): u for u in item.uploads}
    arguments, sent = {}, {}
    for name, component in zip(names, item.inputs):
        if id(component) in uploads:
            upload = uploads[id(component)]
            if upload.name in files:
                sent[name] = files[upload.name]
            elif upload.carried:
                arguments[name] = None
        elif id(component) in values:
            arguments[name] = values[id(component)]
        elif isinstance(component.value, (str, int, float, bool, list)) and not isinstance(component, gr.Image):
            arguments[name] = component.value
    return arguments, sent


def _pixels(value) -> np.ndarray:
    """An input image file as uint8 pixels at full size (what the handler would read from it)."""
    image, _ = imaging.load_image(value, max_side=1 << 16)
    return imaging.to_uint8(image)


def pictures(item: View, values: list, components: list) -> dict[str, np.ndarray]:
    """The images among output ``values`` (of ``components``), named after their label (and caption)."""
    found = {}
    for component, value in zip(components, values):
        label = bundle.safe_name(component.label or "output")
        if isinstance(component, gr.Gallery):
            for index, entry in enumerate(value or []):
                media, caption = entry if isinstance(entry, (tuple, list)) else (entry, None)
                title = bundle.safe_name(str(caption or "").split("·")[0]) if caption else ""
                found[f"{label}-{index + 1:02d}" + (f"-{title}" if title else "")] = _array(media)
        elif isinstance(value, np.ndarray) or isinstance(value, str) and Path(value).is_file():
            found[label] = _array(value)
    return found


def _array(media) -> np.ndarray:
    if isinstance(media, np.ndarray):
        return media.astype(np.uint8)
    with Image.open(media) as picture:
        return np.asarray(picture.convert("RGB") if picture.mode not in ("L", "RGB") else picture)


# --- reproduce ----------------------------------------------------------------------------------------------


def replay(path) -> tuple[str, list, list]:
    """Read the bundle at ``path``, run its view again in-process, and say whether the result is identical;
    (verdict, the stored outputs, the replayed ones) for the Reproduce panel."""
    if not path:
        raise ValueError("no bundle: upload the .zip that Download bundle made")
    found = bundle.read(path)
    meta = found.meta
    views = _PAGE[-1].views if _PAGE else _VIEWS
    item = views.get(meta["view"])
    if item is None:
        raise ValueError(f"the bundle's view {meta['view']!r} is not one this GenLab has ({', '.join(views)}): "
                         "it was made by another version; open it there")
    uploads = {u.name for u in item.uploads}
    decoded = decode({"view": item.key, **{k: v for k, v in meta["params"].items() if k not in uploads}}, views)
    with tempfile.TemporaryDirectory(prefix="genlab-replay-") as folder:
        files = {}
        for name, image in found.inputs.items():
            files[name] = str(Path(folder) / f"{name}.png")
            Image.fromarray(image).save(files[name])
        output = call(item, decoded.values, files)
    shown = output if isinstance(output, (tuple, list)) else (output,)
    replayed = pictures(item, [shown[item.outputs.index(c)] for c in item.pictures], item.pictures)
    match = bundle.compare(found.outputs, replayed)
    verdict = _verdict(item, meta, match, decoded.notes)
    return verdict, _gallery(found.outputs), _gallery(replayed)


def call(item: View, values: dict, files: dict):
    """Run view ``item``'s handler in-process on decoded ``values`` and upload ``files`` (name -> path), as its
    button would, and return its last output (a streaming handler is run to its end)."""
    arguments, sent = _arguments(item, values, files)
    return _last(item.fn(**arguments, **sent, **_quiet(item.fn)))


def _quiet(fn) -> dict:
    """A no-op progress for handlers that report it (the replay runs inside the Reproduce panel's event)."""
    return {"progress": lambda *args, **kwargs: None} if "progress" in inspect.signature(fn).parameters else {}


def _last(result):
    return result if not inspect.isgenerator(result) else _drain(result)


def _drain(frames):
    last = None
    for last in frames:
        pass
    return last


def _verdict(item: View, meta: dict, match: bundle.Match, notes: list[str]) -> str:
    reasons = []
    here = api.model_hashes(meta["models"])
    for name, digest in meta["models"].items():
        if here.get(name) != digest:
            reasons.append(f"model `{name}` differs (bundle sha256 {str(digest)[:12]}…, here {here.get(name, '?')[:12]}…)")
    made, now = meta["genlab"], bundle.version()
    for key in ("version", "commit"):
        if made.get(key) != now[key]:
            reasons.append(f"GenLab {key} differs (bundle {str(made.get(key))[:12]}, here {now[key][:12]})")
    if meta["api_name"] != f"/{item.api_name}":
        reasons.append(f"the endpoint is now {'/' + item.api_name}, the bundle says {meta['api_name']}")
    reasons += notes
    title = f"{item.title} ({meta['api_name']})"
    if match.identical:
        head = f"**identical**: {title}, replayed here, gives every stored output pixel for pixel."
    elif match.psnr is None:
        head = f"**different**: {title}, replayed here, gives an image of another size ({', '.join(match.differing)})."
    else:
        head = (f"**not identical**: {title}, replayed here, is at PSNR **{match.psnr:.2f} dB** against the stored "
                f"output ({', '.join(match.differing[:4])} differ).")
    why = ("Differences from when it was made: " + "; ".join(reasons) + ".") if reasons else (
        "" if match.identical else "No model, version or setting differs: the method stopped early (Stop, a time cap) "
        "when the bundle was made, or it is not deterministic on this machine.")
    return "  \n".join(part for part in (head, why) if part)


def _gallery(images: dict[str, np.ndarray]) -> list:
    return [(image, name) for name, image in images.items()]


def reproduce_panel() -> None:
    """Upload a bundle, replay it, see "identical" or the PSNR and why; stored and replayed side by side."""
    gr.Markdown("Upload a bundle made by **Download bundle** on any tab: it is checked (sizes, names, sha256 of "
                "every file), its view is run again here with the bundled inputs and settings, and the result is "
                "compared with the stored output.")
    with gr.Row():
        upload = gr.File(label="Bundle (.zip)", file_types=[".zip"], type="filepath", elem_id="reproduce-file",
                         height=120)
        go = gr.Button("Replay the bundle", variant="primary", elem_id="reproduce-run")
    verdict = gr.Markdown(elem_id="reproduce-verdict", label="Match")
    with gr.Row():
        stored = gr.Gallery(label="Stored in the bundle", columns=3, height=300, format="png")
        replayed = gr.Gallery(label="Replayed here", columns=3, height=300, format="png")
    go.click(friendly_errors(replay), upload, [verdict, stored, replayed], api_visibility="private",
             concurrency_id=HEAVY, concurrency_limit=HEAVY_LIMIT)
