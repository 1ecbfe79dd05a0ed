"""Open a link in the page, the one it was opened with or a lesson step's: select the view's Tabs, set its
controls and run it (ui.share registers the views, the Tabs and the notice). ::

    page_links.apply_on(button.click, step_link_box)   # before install(); the box holds "?view=...&..."
    page_links.apply_on(button.click, "?view=texture&method=quilting&seed=3")     # or a fixed link

``install`` wires each such trigger to ``Page.apply`` (input: the query; outputs: ``targets()``), then
``RUN_JS`` on the hidden run box, which clicks the view's run button (``elem_id`` ``run-<key>``) when the link
asked to run and nothing is missing. ``apply(query) -> list`` returns the updates for ``targets()`` in order:
the Tabs (selected), the controls, the images box, the notice and the run box; ``ui.links.decode(query,
views)`` is its pure part (ui.links: the link codec). Image inputs are left alone unless the link sets one:
then ``apply`` puts the query in the hidden images box, whose change event runs ``Page.set_images`` (and
then the run), so an upload made while a page opens is never written over by the page's own load.

``replay(path)`` is the Reproduce panel's (ui/models.py): ui.bundles.replay among the installed page's views.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import gradio as gr

from ui import bundles, share
from ui.links import Decoded, decode

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

_APPLIERS: list[tuple[Callable, object]] = []


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
        self.uploads = share._unique(u.component for item in self.views.values() for u in item.uploads if u.carried)
        # What set_images reads: not an image editor (the Draw room's pad), whose value the browser hands to an
        # event only once the editor is on screen: reading it held every link with an image while Draw was hidden.
        self.read = [component for component in self.uploads if not isinstance(component, gr.ImageEditor)]

    def targets(self) -> list:
        """The components ``apply`` sets, in the order of its updates: the Tabs, the controls other than image
        inputs, the images box, the notice and the run box."""
        controls = share._unique(c for item in self.views.values() for c in item.components())
        return [*share._unique(self.tab_ids.values()), *[c for c in controls if all(c is not u for u in self.uploads)],
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
    page = Page(share._VIEWS, share._TABS, share._NOTICE[0] if share._NOTICE else share.notice(),
                gr.Textbox(visible=False, elem_id="share-run"),
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
    return bundles.replay(path, _PAGE[-1].views if _PAGE else share._VIEWS)
