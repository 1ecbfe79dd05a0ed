"""Stop that stops: for every iterative method that runs for seconds, press Stop mid-run in the browser and check
that the partial result stays on screen with a "Stopped" note, and that the server's CPU time stops growing
within 2 s. The Sample tab's repair search ends in about a second on an idle machine, too soon to press Stop
reliably from here: tests/ui/test_sample.py stops it between two frames instead."""

import time

import pytest

from generators.denoise.epll import DENOISE_BETAS
from tests.e2e.conftest import CHROMIUM, SHOTS, wait_or_explain

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (apt-get install chromium)"),
]
# CPU seconds the idle server may use in one second of wall time (its event loop, the browser's polling: up
# to 0.11 seen on a loaded machine; a kernel still computing uses about 1). Measured over half a second: 0.075 CPU-s
# is 7 clock ticks, and a kernel would show about 50.
IDLE_CPU = 0.15


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True).filter(visible=True).first


def cpu_rate(app_server, seconds: float = 0.5) -> float:
    """The server's CPU seconds per wall second, over ``seconds``."""
    before, started = app_server.cpu_seconds(), time.perf_counter()
    time.sleep(seconds)
    return (app_server.cpu_seconds() - before) / (time.perf_counter() - started)


def stop_and_check(page, app_server, shot: str, note: str = "Stopped"):
    """The run shows progress: press Stop at once (a run can be short: waiting longer lost the race), then within
    2 s the server must be idle and the note shown; the callers check that the note says the run stopped midway."""
    button(page, "Stop").click()
    pressed = time.perf_counter()
    wait_or_explain(page, page.locator(f"text={note} >> visible=true").first, f"stop-{shot}-no-note", timeout=10_000)
    time.sleep(max(0.0, 2.0 - (time.perf_counter() - pressed)))
    rate = cpu_rate(app_server)
    page.screenshot(path=str(SHOTS / f"stop-{shot}.png"), full_page=True)
    assert rate < IDLE_CPU, f"the server still computes {rate:.2f} CPU s/s two seconds after Stop"


def visible_images(page) -> int:
    return page.locator("img[src*='gradio_api/file'] >> visible=true").count()


def test_stop_ends_epll_and_keeps_its_last_step(page, app_server):
    page.get_by_role("tab", name="Denoise").click()
    # The opening example in gray: one channel, so each EPLL step takes a third of a colour one's time. Not a click
    # on an example: that runs the tab as well, and Stop must then end two overlapping runs (tests/ui/test_common.py).
    page.get_by_label("Work in grayscale").check()
    for label in ("Gaussian filter", "Total variation (Chambolle)", "Non-local means", "Least-squares filter",
                  "CNN denoiser (learned)"):
        page.get_by_label(label, exact=True).uncheck()
    page.get_by_label("EPLL (GMM patch prior)").check()
    button(page, "Corrupt and restore").click()
    page.wait_for_function("document.body.innerText.includes('EPLL step 1 of')", timeout=120_000)
    stop_and_check(page, app_server, "epll")
    steps = len(DENOISE_BETAS)
    stopped_epll = f"text=/EPLL \\(GMM patch prior\\) \\(stopped at EPLL step \\d of {steps}\\)/ >> visible=true"
    assert page.locator(stopped_epll).count() >= 1


@pytest.mark.parametrize("method, shot", [("Efros–Leung: pixel by pixel (1999)", "efros-leung"),
                                          ("Neural: Gram matrices (2015)", "neural")])
def test_stop_ends_texture_synthesis_and_keeps_the_texture(page, app_server, method, shot):
    page.get_by_role("tab", name="Texture").click()
    page.get_by_label(method).check()
    # The largest output the tab allows, and for Efros-Leung its widest window (31 px): about 4 s on an idle
    # machine, against about 1.2 s at the defaults, so Stop lands while it runs.
    size = page.get_by_label("number input for Output size (px, square)")
    size.fill("192")
    size.press("Enter")
    if shot == "efros-leung":
        window = page.get_by_label("number input for Window (odd, px)")
        window.fill("31")
        window.press("Enter")
    button(page, "Synthesize").click()
    page.wait_for_function("/\\d+% ·|step [1-9]\\d* of/.test(document.body.innerText)", timeout=120_000)
    stop_and_check(page, app_server, shot)
    assert page.locator("text=/Stopped at (step \\d+ of \\d+|\\d+% of the output)/ >> visible=true").count() == 1
    assert visible_images(page) >= 2   # the output so far and its source-map key stay


def test_stop_ends_gatys_and_keeps_the_preview(page, app_server):
    page.get_by_role("tab", name="Stylize").click()
    page.get_by_label("Optimisation (Gatys et al.)").check()
    button(page, "Stylize").click()
    page.locator("#stylize-status >> text=/step \\d+ of 200/").wait_for(timeout=120_000)
    stop_and_check(page, app_server, "gatys")
    assert page.locator("#stylize-status >> text=/Stopped at step \\d+ of 200/").count() == 1
    assert page.locator("#stylize-result img").evaluate("img => img.naturalWidth") >= 128

