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
``share.notice()`` at the top of the page and calls ``page_links.install()`` last, inside its ``gr.Blocks``
(ui/page_links.py: opening a link in the page, on load or from a lesson's step).

**The link** is ``?view=<key>&<param>=<value>&...``: every parameter and the seed, never pixels. A choice is
written by its short name where the view gives one (``method=quilting``), a list as repeated keys
(``methods=gaussian&methods=tv``), a checkbox as ``true``/``false``. An example image is named by its file name
(``image=camera.png``, found by content hash: Gradio hands handlers a copy); anything else is ``image=upload``,
which a link cannot carry: the page sets everything else and asks for the upload instead of running. A
missing parameter takes its default; an unknown one, or a value out of range or not among the choices, is
named in the notice and its default used. ``run=0`` sets the controls without running.

**The bundle** (ui.bundles) is made by generators.bundle from the controls and the shown outputs (nothing is
re-run); ``page_links.replay(path)`` (the Reproduce panel, ui/models.py) reads one safely, runs its view's handler
in-process with the bundled inputs, and compares: "identical", or the PSNR and why it may differ (a model's
hash, GenLab's version).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

import gradio as gr

from ui import bundles, links
from ui.common import friendly_errors
from ui.links import View, encode

# Tabs declare their views with share.View, share.Param and share.Upload (defined in ui.links).
Param, Upload = links.Param, links.Upload

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
