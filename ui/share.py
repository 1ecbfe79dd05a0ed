"""Share a result: a link that holds its settings, a bundle (zip) that holds its pictures too, and the replay that
takes a bundle back (the Models tab's Reproduce panel, ui/models.py).

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

``install`` wires each such trigger to ``Page.apply`` (input: the query; outputs: ``targets()``), then
``RUN_JS`` on the hidden run box, which clicks the view's run button (``elem_id`` ``run-<key>``) when the link
asked to run and nothing is missing. ``apply(query) -> list`` returns the updates for ``targets()`` in order:
the Tabs (selected), the controls, the images box, the notice and the run box; ``ui.links.decode(query,
views)`` is its pure part (ui.links: the link codec). Image inputs are left alone unless the link sets one:
then ``apply`` puts the query in the hidden images box, whose change event runs ``Page.set_images`` (and
then the run), so an upload made while a page opens is never written over by the page's own load.

**The bundle** (ui.bundles) is made by generators.bundle from the controls and the shown outputs (nothing is
re-run); ``replay(path)`` (the Reproduce panel, ui/models.py) reads one safely, runs its view's handler
in-process with the bundled inputs, and compares: "identical", or the PSNR and why it may differ (a model's
hash, GenLab's version).
"""

from __future__ import annotations

import itertools
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

import gradio as gr

from ui import bundles, links
from ui.common import friendly_errors
from ui.links import Decoded, View, decode, encode

# Tabs declare their views with share.View, share.Param and share.Upload (defined in ui.links).
Param, Upload = links.Param, links.Upload

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


@dataclass
class Sharing:
    link: gr.Button
    bundle: gr.Button | None
    box: gr.Textbox
    file: gr.File | None


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


def buttons(key: str, *, bundle: bool = True) -> Sharing:
    """Copy link and Download bundle, small, in a row under a view's run button; the link box and the zip
    appear below them once used. ``bundle=False``: Copy link only (a live run that replay cannot repeat)."""
    with gr.Row():
        link = gr.Button("Copy link", size="sm", elem_id=f"link-{key}")
        pack = gr.Button("Download bundle", size="sm", elem_id=f"bundle-{key}") if bundle else None
    box = gr.Textbox(label="Link (settings only, no images)", visible=False,
                     interactive=False, buttons=["copy"], elem_id=f"link-box-{key}")
    file = gr.File(label="Bundle (inputs, outputs, params.json, reproduce.py)", visible=False,
                   elem_id=f"bundle-file-{key}") if bundle else None
    return Sharing(link, pack, box, file)


def view(sharing: Sharing, *views: View) -> None:
    """Register ``views`` (several when one run button serves them, chosen by ``View.when``) and wire the
    Copy link and Download bundle buttons of ``sharing`` to them."""
    for item in views:
        item.run.elem_id = item.run.elem_id or f"run-{item.key.replace('/', '-')}"
        _VIEWS[item.key] = item
    controls = _unique(c for item in views for c in item.components())
    shown = _unique(c for item in views for c in item.pictures)

    def make_link(request: gr.Request, *values):
        chosen, settings = _chosen(views, dict(zip(map(id, controls), values)))
        if chosen.link_values is not None:
            settings = {**settings, **chosen.link_values(settings, request)}
        return gr.update(value="?" + urllib.parse.urlencode(encode(chosen, settings), doseq=True, safe="/"), visible=True)

    def make_bundle(*values):
        settings = dict(zip(map(id, controls + shown), values))
        chosen, settings = _chosen(views, settings)
        return gr.update(value=bundles.pack(chosen, settings), visible=True)

    sharing.link.click(make_link, controls, sharing.box, api_visibility="private", queue=False).then(
        None, sharing.box, sharing.box, js=COPY_JS, api_visibility="private")
    if sharing.bundle is not None:
        sharing.bundle.click(friendly_errors(make_bundle), controls + shown, sharing.file, api_visibility="private")


def _unique(components) -> list:
    return list({id(c): c for c in components}.values())


def _chosen(views, settings: dict) -> tuple[View, dict]:
    """The view the controls show (by ``when``), and its values by component id."""
    for item in views:
        if item.when is None or settings.get(id(item.when[0])) in item.when[1]:
            return item, settings
    return views[0], settings


class Page:
    """What one built app opens links into: its views, its Tabs, the notice, the hidden run box and the hidden
    images box (a snapshot taken by ``install``, so a tab built later elsewhere, as tests do, changes nothing).

    ``apply`` never returns an update for an image input, and ``set_images`` runs only for a link that sets
    one, since any answer for an image input is a hazard: a plain value written back lands on an upload made
    after the event fired, and a ``gr.update`` makes Gradio build a fresh component for the session, without
    ui.common.upload_image's own preprocessing (its clear messages on bad files)."""

    def __init__(self, views: dict, tab_ids: dict, banner: gr.Markdown, run_box: gr.Textbox,
                 images_box: gr.Textbox):
        self.views, self.tab_ids, self.banner = dict(views), dict(tab_ids), banner
        self.run_box, self.images_box = run_box, images_box
        self._stamps = itertools.count(1)
        self.uploads = _unique(u.component for item in self.views.values() for u in item.uploads if u.carried)
        # What set_images reads: not an image editor (the Draw room's pad), whose value the browser hands to an
        # event only once the editor is on screen: reading it held every link with an image while Draw was hidden.
        self.read = [component for component in self.uploads if not isinstance(component, gr.ImageEditor)]

    def targets(self) -> list:
        """The components ``apply`` sets, in the order of its updates: the Tabs, the controls other than image
        inputs, the images box, the notice and the run box."""
        controls = _unique(c for item in self.views.values() for c in item.components())
        return [*_unique(self.tab_ids.values()), *[c for c in controls if all(c is not u for u in self.uploads)],
                self.images_box, self.banner, self.run_box]

    def apply(self, query) -> list:
        """The updates that open the link ``query`` in the page, in the order of ``targets()``. A link that
        sets an image input hands its query to the images box (``set_images`` then sets them and runs)."""
        found = decode(query, self.views)
        updates = {id(component): gr.update() for component in self.targets()}
        plain = {id(component) for component in self.uploads}
        sets_images = any(key in plain for key in found.values)
        if found.view is not None:
            for tab in found.view.tabs:
                if tab in self.tab_ids:
                    updates[id(self.tab_ids[tab])] = gr.Tabs(selected=tab)
            updates.update({key: gr.update(value=value) for key, value in found.values.items() if key not in plain})
        if sets_images:   # numbered: a change event fires only when the box's value changes
            updates[id(self.images_box)] = f"{next(self._stamps)} {query}"
        # A lesson step says what it opened in the lesson bar: the banner only for what was wrong.
        shown = bool(found.notes) if found.in_lesson else bool(found.view or found.notes)
        updates[id(self.banner)] = gr.update(value=_notice(found), visible=shown)
        updates[id(self.run_box)] = self._run(found) if not sets_images else ""
        return list(updates.values())

    def set_images(self, stamped, *images) -> list:
        """The image inputs (``self.uploads``) of the link in the images box (``stamped``: "<n> <query>"), as
        plain values (those it does not set keep ``images``, the current values of ``self.read``; an editor it
        does not set is skipped), then the run box."""
        found = decode(stamped.partition(" ")[2], self.views)
        current = dict(zip(map(id, self.read), images))
        return [found.values[id(component)] if id(component) in found.values else current.get(id(component), gr.skip())
                for component in self.uploads] + [self._run(found)]

    @staticmethod
    def _run(found: Decoded) -> str:
        return found.view.run.elem_id if found.view is not None and found.run and not found.missing else ""


_PAGE: list[Page] = []


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

    The load only copies the address's query into a hidden box (in the browser), whose change event runs
    ``apply``; it fires on every load (the box changes from nothing to ""), so a page opened without a link gets
    updates that change nothing, and never an answer for its image inputs (see Page)."""
    page = Page(_VIEWS, _TABS, _NOTICE[0] if _NOTICE else notice(), gr.Textbox(visible=False, elem_id="share-run"),
                gr.Textbox(visible=False, elem_id="share-images"))
    _PAGE.append(page)
    outputs = page.targets()
    query = gr.Textbox(visible=False)
    blocks.load(None, None, query, js="() => window.location.search", api_visibility="private")
    _APPLIERS.insert(0, (query.change, query))
    for trigger, source in _APPLIERS:
        if isinstance(source, gr.components.Component):
            fn, inputs = page.apply, [source]
        else:
            fn, inputs = (lambda fixed=source: page.apply(fixed)), []
        trigger(fn, inputs, outputs, api_visibility="private").then(None, page.run_box, None, js=RUN_JS,
                                                                     api_visibility="private")
    page.images_box.change(page.set_images, [page.images_box, *page.read], [*page.uploads, page.run_box],
                           api_visibility="private").then(None, page.run_box, None, js=RUN_JS,
                                                          api_visibility="private")
    _APPLIERS.clear()
    return page


def replay(path) -> tuple[str, list, list]:
    """ui.bundles.replay among the installed page's views: (verdict, stored outputs, replayed outputs)."""
    return bundles.replay(path, _PAGE[-1].views if _PAGE else _VIEWS)
