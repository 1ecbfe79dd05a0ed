"""Bundles: what a view shows now (its inputs, settings and outputs) as a zip that generators.bundle writes and
reads, and the replay that runs a bundle's view again in-process and says whether the result is identical.
ui.share wires them to each view's Download bundle button, ui.page_links to the Reproduce panel."""

from __future__ import annotations

import inspect
import tempfile
from collections.abc import Mapping
from pathlib import Path

import gradio as gr
import numpy as np
from PIL import Image

from generators import api, bundle
from ui.caches import cache_bytes
from ui.common import pixels
from ui.links import View, decode, encode, fixed


def pack(item: View, settings: dict) -> str:
    """The bundle of what ``item`` shows now (controls and outputs by component id), as a zip in Gradio's
    cache; its path."""
    named = {u.name: settings.get(id(u.component)) for u in item.uploads}
    for upload in item.uploads:
        if not upload.carried and upload.present is not None and upload.present(named[upload.name]):
            raise ValueError(f"this result used {upload.what}, which a bundle cannot hold: clear it to share "
                             "the result")
    inputs = {u.name: pixels(named[u.name]) for u in item.uploads if u.carried and named[u.name]}
    outputs = pictures(item, [settings.get(id(c)) for c in item.pictures], item.pictures)
    fields = encode(item, settings)
    values = {**named, **{p.name: settings.get(id(p.component)) for p in item.params}}
    meta = {"tab": item.tabs[0], "view": item.key, "title": item.title, "api_name": f"/{item.api_name}",
            "params": {k: v for k, v in fields.items() if k != "view"}, "seed": values.get("seed"),
            "models": api.model_hashes(item.models(values))}
    arguments, files = _arguments(item, {**{id(p.component): settings.get(id(p.component)) for p in item.params},
                                         **fixed(item)}, {u.name: f"inputs/{u.name}.png" for u in item.uploads
                                                           if u.name in inputs})
    editors = [name for name, component in _inputs(item) if isinstance(component, gr.ImageEditor)]
    data = bundle.write(meta, inputs, outputs, bundle.script(f"/{item.api_name}", arguments, files, editors=editors))
    return cache_bytes(data, f"genlab-{item.key.replace('/', '-')}.zip")



def _inputs(item: View) -> list[tuple[str, object]]:
    """(handler parameter name, input component) of ``item``, in order."""
    return list(zip(inspect.signature(item.fn).parameters, item.inputs))


def _arguments(item: View, values: dict, files: dict) -> tuple[dict, dict]:
    """The endpoint's arguments by parameter name: the view's values, each upload as a file (``files``: upload
    name -> what to send), and the component's initial value for any other input."""
    uploads = {id(u.component): u for u in item.uploads}
    arguments, sent = {}, {}
    for name, component in _inputs(item):
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


def replay(path, views: Mapping) -> tuple[str, list, list]:
    """Read the bundle at ``path``, run its view (one of ``views``, key -> View) again in-process, and say whether the result is identical;
    (verdict, the stored outputs, the replayed ones) for the Reproduce panel."""
    if not path:
        raise ValueError("no bundle: upload the .zip that Download bundle made")
    found = bundle.read(path)
    meta = found.meta
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
