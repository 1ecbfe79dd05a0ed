"""Lazily cached examples: seconds from a click on an example to its result, first and second time.

    python benchmarks/example_cache.py [--url http://127.0.0.1:7860/]

Starts `app.py` on a free loopback port (or uses --url; its .gradio/cached_examples must be empty for a true
first click), opens the page in headless Chromium (/usr/bin/chromium), and clicks each content example, then
each again. The first click computes the fast network's first style; the second is read from the cache.
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
        times.update(sample_rows(page))
        browser.close()
    print("| example | first click (s) | second click (s) |\n|---|---|---|")
    for name, (first, second) in times.items():
        print(f"| {name} | {first:.2f} | {second:.2f} |")

if __name__ == "__main__":
    main()
