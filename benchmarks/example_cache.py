"""Lazily cached examples: seconds from a click on a Stylize content example to its result, first and second time;
and the same for Texture examples (synthesised with the tab's default settings, seed 0).

    python benchmarks/example_cache.py [--url http://127.0.0.1:7860/]

Starts `app.py` on a free loopback port (or uses --url; its .gradio/cached_examples must be empty for a true
first click), opens the page in headless Chromium (/usr/bin/chromium), and clicks each content example, then
each again. The first click computes the fast network's first style; the second is read from the cache.
On the Texture tab the first click synthesises (image quilting), the second is read from ui.texture's cache.
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
TEXTURE_EXAMPLES = ("brick", "pattern-pebbles")
# Done: the output changed from the previous example's and the status says the synthesis is done.
TEXTURE_DONE = ("previous => { const img = document.querySelector('#texture-output img');"
                " const status = document.querySelector('#texture-status');"
                " return img && img.complete && img.src !== previous && status.innerText.includes('done'); }")


def _click(page, name: str, previous: str | None) -> tuple[float, str]:
    """Click example ``name``; seconds until the result image changes from ``previous``, and its address."""
    started = time.perf_counter()
    page.locator(f"button.gallery-item img[src*='{name}.png'] >> visible=true").first.click()
    page.wait_for_function(
        "previous => { const img = document.querySelector('#stylize-result img');"
        " return img && img.complete && img.naturalWidth > 0 && img.src !== previous; }",
        arg=previous or "", timeout=120_000)
    seconds = time.perf_counter() - started
    return seconds, page.locator("#stylize-result img").get_attribute("src")


def texture_clicks(page) -> dict[str, list[float]]:
    """{"Texture: <example>": [first click s, second click s]}: each Texture example clicked, then each again."""
    page.get_by_role("tab", name="Texture").click()
    page.locator("#texture-status").wait_for(state="attached", timeout=30_000)
    times, shown = {f"Texture: {name}": [] for name in TEXTURE_EXAMPLES}, None
    for _ in range(2):
        for name in TEXTURE_EXAMPLES:
            started = time.perf_counter()
            page.locator(f"button.gallery-item img[src*='{name}.png'] >> visible=true").first.click()
            page.wait_for_function(TEXTURE_DONE, arg=shown or "", timeout=300_000)
            times[f"Texture: {name}"].append(time.perf_counter() - started)
            shown = page.locator("#texture-output img").get_attribute("src")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running app (default: start app.py)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with running_app(args.url) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url)
        page.get_by_role("tab", name="Stylize").click()
        page.locator("#stylize-status").wait_for(state="attached", timeout=30_000)
        times, shown = {name: [] for name in EXAMPLES}, None
        for _ in range(2):
            for name in EXAMPLES:
                seconds, shown = _click(page, name, shown)
                times[name].append(seconds)
        times.update(texture_clicks(page))
        browser.close()
    print("| example | first click (s) | second click (s) |\n|---|---|---|")
    for name, (first, second) in times.items():
        print(f"| {name} | {first:.2f} | {second:.2f} |")

if __name__ == "__main__":
    main()
