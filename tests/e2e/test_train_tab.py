"""The Train tab in a real browser: start the 2-D GAN, watch its plot change, pause it and see it stop."""

import re
import time

from tests.e2e import test_browser
from tests.e2e.conftest import SHOTS

pytestmark = test_browser.pytestmark   # the e2e mark and the Chromium check


def _picture(page) -> str:
    return page.locator("#train-picture img").get_attribute("src") or ""


def test_the_2d_gan_trains_live_and_pause_stops_it(page):  # noqa: F811
    page.get_by_role("tab", name="Train").click()
    page.locator("#train-start").click()
    page.locator("#train-status >> text=/step \\d+/").wait_for(timeout=60_000)
    first = _picture(page)
    page.wait_for_function(f"document.querySelector('#train-picture img').src.length != {len(first)} || "
                           f"document.querySelector('#train-picture img').src.slice(-200) != {first[-200:]!r}",
                           timeout=15_000)
    assert _picture(page) != first, "the plot changed while training"
    page.screenshot(path=str(SHOTS / "train-gan.png"), full_page=True)
    page.locator("#train-pause").click()
    page.locator("#train-status >> text=Paused").wait_for(timeout=10_000)
    time.sleep(1.0)  # a frame already on its way when Pause was pressed arrives
    status, paused = page.locator("#train-status").inner_text(), _picture(page)
    time.sleep(1.5)  # a training run sends a frame every second (ui.train_loop.FRAME_S)
    assert page.locator("#train-status").inner_text() == status, "no more steps after Pause"
    assert _picture(page) == paused
    # Its link holds the step it paused at: opened, it trains the same run to there (tests/ui/test_train.py).
    page.locator("#link-train").click()
    link = page.locator("#link-box-train textarea, #link-box-train input").first
    page.wait_for_function("(box) => box.value.includes('view=train')", arg=link.element_handle(), timeout=10_000)
    step = re.search(r"step (\d+)", status).group(1)
    assert "model=toy-gan" in link.input_value() and link.input_value().endswith(f"&until={step}")
    # A model picked by hand starts from its own settings.
    page.get_by_label("Digits: small VAE").check()
    page.wait_for_function("document.querySelector('#train-lr input').value === '0.001' && "
                           "[...document.querySelectorAll('input[type=number]')].some(i => i.value === '64')",
                           timeout=10_000)
