"""A lesson, run in a real browser as a teacher would: Start, then Next through the steps; each step opens its
tab, sets the controls, runs, and must end without an error badge or toast. The last step's link, opened in a
fresh page, brings back the lesson bar at that step. The lesson bar works alike for every lesson, so one walk
covers it; every step of every lesson runs in-process in tests/ui/test_lessons.py."""

import pytest

from tests.e2e.conftest import CHROMIUM, SHOTS, open_page
from ui import lessons

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (apt-get install chromium)"),
]
BUSY = "() => document.querySelectorAll('.wrap.generating, .wrap.translucent, .wrap.pending').length"
ERRORS = """() => [
    ...Array.from(document.querySelectorAll('[data-testid=toast-text]')).map(e => e.innerText),
    ...Array.from(document.querySelectorAll('[data-testid=status-tracker] .error'))
        .filter(e => e.offsetParent !== null && e.innerText.trim()).map(e => 'badge: ' + e.innerText)]"""


def _settle(page, runs: int) -> None:
    """Wait for the step's run button to be pressed (the ``runs``-th press of ui.page_links.RUN_JS), for its run to
    show as busy (within a second of the press; a quick one may be over before it is seen), then for it to end."""
    page.wait_for_function(f"Number(document.body.dataset.shareRuns || 0) >= {runs}", timeout=30_000)
    try:
        page.wait_for_function(f"({BUSY})() > 0", timeout=1_000, polling=50)
    except Exception:   # noqa: BLE001 - playwright's TimeoutError: the run was too quick to catch
        pass
    page.wait_for_function(f"({BUSY})() === 0", timeout=120_000)
    page.wait_for_timeout(200)


WALKED = "logistic"   # the quickest lesson whose steps span two tabs (Denoise, Sample)


def test_a_lesson_walks_from_start_to_its_last_step_and_its_link_reopens_there(browser, server):
    key = WALKED
    lesson = lessons.LESSONS[key]
    page = open_page(browser, server, height=800)
    page.get_by_role("tab", name="Lessons", exact=True).click()
    page.get_by_label(lesson.title).check()
    page.locator("#lesson-start").click()
    # One accent bar down the lesson bar's left: Gradio puts a Group's id on its inner div too, and the bar's
    # border and padding were drawn twice, one inside the other.
    bars = "[...document.querySelectorAll('#lesson-bar')].filter(e => getComputedStyle(e).borderLeftWidth !== '0px')"
    page.locator("#lesson-bar").first.wait_for()
    assert page.evaluate(f"{bars}.length") == 1
    # No grey band behind the lesson's text: Gradio paints a Group's inner .styler in its border colour.
    background = "(selector) => getComputedStyle(document.querySelector(selector)).backgroundColor"
    assert page.evaluate(background, "#lesson-bar .styler") == page.evaluate(background, "#lesson-bar")
    for index, step in enumerate(lesson.steps):
        if index:
            page.locator("#lesson-next").click()
        page.locator(f"#lesson-text >> text=step {index + 1} of {len(lesson.steps)}").wait_for(timeout=20_000)
        _settle(page, index + 1)
        assert page.evaluate(ERRORS) == [], f"{key}, step {index + 1} ({step.title})"
    page.screenshot(path=str(SHOTS / f"lesson-{key}-last.png"))
    assert page.locator("#lesson-next").is_disabled()

    page.locator("#lesson-link").click()
    page.wait_for_function("(document.querySelector('#lesson-link-box textarea') || {}).value?.startsWith('http')",
                           timeout=20_000)
    link = page.locator("#lesson-link-box textarea").input_value()
    assert f"lesson={key}" in link and f"step={len(lesson.steps)}" in link
    page.close()
    fresh = open_page(browser, link, height=800)
    fresh.locator(f"#lesson-text >> text=step {len(lesson.steps)} of {len(lesson.steps)}").wait_for(timeout=30_000)
    _settle(fresh, 1)
    assert fresh.evaluate(ERRORS) == []
    # A class opened at a step goes on from there: Back opens the step before, and the bar stays on it (it went
    # back to the address's step when the page's load event also ran on every change of the step).
    fresh.locator("#lesson-back").click()
    _settle(fresh, 2)
    assert f"step {len(lesson.steps) - 1} of {len(lesson.steps)}" in fresh.locator("#lesson-text").first.inner_text()
    fresh.close()
