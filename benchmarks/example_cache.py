"""Lazily cached examples: seconds from a click on an example to its result, first and second time, on the
Stylize tab (its content examples), the Denoise tab (an example, restored with the default settings) and the
Texture tab (an exemplar, synthesised with the default settings, seed 0).

    python benchmarks/example_cache.py [--url http://127.0.0.1:7860/]

Starts `app.py` on a free loopback port (or uses --url: an app just started, whose .gradio/cached_examples is
empty, for a true first click), opens the page in headless Chromium (/usr/bin/chromium), and clicks each
example, then each again. The first click computes (Stylize: the fast network's first style; Denoise: the
default methods, with the table filled in as each finishes; Texture: image quilting); the second is read from
the cache (Stylize: Gradio's lazy example cache; Denoise and Texture: the tab's cache of deterministic
results, keyed by the example and every setting).
Then the same for the Sample tab's Interpolate and Repair examples (rows "Interpolate, example 1", ...).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load_test import running_app  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]
EXAMPLES = ("astronaut", "chelsea", "coffee", "rocket")
DENOISE_EXAMPLES = ("camera", "coffee")
# Done: the image shown changed from the previous example's, and (Denoise) the gallery holds a result per
# default method: the run's last update, or the cached answer.
STYLIZE_DONE = ("([previous]) => { const img = document.querySelector('#stylize-result img');"
                " return img && img.complete && img.naturalWidth > 0 && img.src !== previous; }")
DENOISE_DONE = ("([previous, methods]) => { const img = document.querySelector('#denoise-corrupted img');"
                " const results = document.querySelectorAll('#denoise-gallery .thumbnail-item img').length;"
                " return img && img.complete && img.src !== previous && results === methods; }")
TEXTURE_EXAMPLES = ("brick", "pattern-pebbles")
# Done: the output changed from the previous example's and the status says the synthesis is done.
TEXTURE_DONE = ("([previous]) => { const img = document.querySelector('#texture-output img');"
                " const status = document.querySelector('#texture-status');"
                " return img && img.complete && img.src !== previous && status.innerText.includes('done'); }")


def _click(page, name: str, previous: str | None, shown: str, done: str, *extra) -> tuple[float, str]:
    """Click example ``name``; seconds until ``done`` (JS, given the previous address of image ``shown`` and
    ``extra``) holds, and the new address."""
    started = time.perf_counter()
    page.locator(f"button.gallery-item img[src*='{name}.png'] >> visible=true").first.click()
    page.wait_for_function(done, arg=[previous or "", *extra], timeout=300_000)
    seconds = time.perf_counter() - started
    return seconds, page.locator(f"{shown} img").get_attribute("src")


def _twice(page, names, *where) -> dict[str, list[float]]:
    """{example: [first click s, second click s]}: every example clicked once, then every one again."""
    times, shown = {name: [] for name in names}, None
    for _ in range(2):
        for name in names:
            seconds, shown = _click(page, name, shown, *where)
            times[name].append(seconds)
    return times


# Sample tab: (room, the result image that changes when an example's output arrives).
SAMPLE_ROOMS = (("Interpolate", "#interpolate-strip"), ("Repair", "#repair-filled"))


def _changed(page, result: str, click) -> float:
    """Seconds from ``click()`` until the image in ``result`` is a new, loaded one."""
    image = page.locator(f"{result} img")
    previous = image.get_attribute("src") if image.count() else ""
    started = time.perf_counter()
    click()
    page.wait_for_function(
        "([result, previous]) => { const img = document.querySelector(result + ' img');"
        " return img && img.complete && img.naturalWidth > 0 && img.src !== previous; }",
        arg=[result, previous or ""], timeout=180_000)
    return time.perf_counter() - started


def sample_rows(page) -> dict[str, list[float]]:
    """Sample tab: each Interpolate and Repair example clicked twice (the other in between, so the result
    changes); seconds to its result each time, keyed "room, example k"."""
    page.get_by_role("tab", name="Sample").click()
    times = {}
    for room, result in SAMPLE_ROOMS:
        page.get_by_role("tab", name=room).click()
        rows = page.locator("table tbody tr >> visible=true")
        rows.first.wait_for(timeout=30_000)
        count = rows.count()
        for _ in range(2):
            for index in range(count):
                times.setdefault(f"{room}, example {index + 1}", []).append(
                    _changed(page, result, rows.nth(index).click))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running app (default: start app.py)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from ui.denoise import DEFAULT_METHODS

    with running_app(args.url) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url)
        page.get_by_role("tab", name="Stylize").click()
        page.locator("#stylize-status").wait_for(state="attached", timeout=30_000)
        times = {f"Stylize: {name}": seconds for name, seconds in
                 _twice(page, EXAMPLES, "#stylize-result", STYLIZE_DONE).items()}
        page.get_by_role("tab", name="Denoise").click()
        page.locator("#denoise-corrupted").wait_for(state="attached", timeout=30_000)
        times.update({f"Denoise: {name}": seconds for name, seconds in
                      _twice(page, DENOISE_EXAMPLES, "#denoise-corrupted", DENOISE_DONE,
                             len(DEFAULT_METHODS)).items()})
        page.get_by_role("tab", name="Texture").click()
        page.locator("#texture-status").wait_for(state="attached", timeout=30_000)
        times.update({f"Texture: {name}": seconds for name, seconds in
                      _twice(page, TEXTURE_EXAMPLES, "#texture-output", TEXTURE_DONE).items()})
        times.update(sample_rows(page))
        browser.close()
    print("| example | first click (s) | second click (s) |\n|---|---|---|")
    for name, (first, second) in times.items():
        print(f"| {name} | {first:.2f} | {second:.2f} |")


if __name__ == "__main__":
    main()
