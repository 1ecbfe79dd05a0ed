"""End to end in a real browser: launch app.py, run every tab on an example, save screenshots.

All tabs stay in the page (hidden), so every locator that could match another tab's element asks for
visible ones only.

Needs Debian's chromium at /usr/bin/chromium (.ci/run installs it); skipped where it is absent.
"""

import pytest

from tests.e2e.conftest import CHROMIUM, SHOTS, wait_or_explain

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (apt-get install chromium)"),
]


PHONE = 390   # px: a phone held upright
# The visible pictures that their block cuts off, "label: N px" each (an image given a fixed height kept the whole
# height under its label and buttons, and lost its bottom 60 px).
CLIPPED = """() => [...document.querySelectorAll('.block img')].filter(img => img.checkVisibility()).map(img => {
    const block = img.closest('.block'), label = block.querySelector('[data-testid=block-label]');
    const cut = img.getBoundingClientRect().bottom - block.getBoundingClientRect().bottom;
    return cut > 2 ? `${label ? label.innerText : '?'}: ${Math.round(cut)} px` : null; }).filter(Boolean)"""


def on_a_phone(page, script: str):
    """``script`` evaluated with the window narrowed to a phone's; the window is put back after."""
    size = page.viewport_size
    page.set_viewport_size({"width": PHONE, "height": size["height"]})
    try:
        page.wait_for_timeout(500)
        return page.evaluate(script)
    finally:
        page.set_viewport_size(size)


def page_width_on_a_phone(page) -> int:
    """The page's width (scrollWidth) on a phone."""
    return on_a_phone(page, "document.documentElement.scrollWidth")


# How many Denoise results have a caption; how many captions overlap their picture; how many end below the
# gallery's visible box (Gradio scrolled a gallery inside 55 % of the window, the third row and its captions cut).
CAPTIONS = """(() => {
    const gallery = document.querySelector('#denoise-gallery').getBoundingClientRect();
    const items = [...document.querySelectorAll('#denoise-gallery .thumbnail-item')].filter(item =>
        item.querySelector('.caption-label') && item.querySelector('img'));
    const box = item => item.querySelector('.caption-label').getBoundingClientRect();
    return [items.length,
            items.filter(item => box(item).top < item.querySelector('img').getBoundingClientRect().bottom - 1).length,
            items.filter(item => box(item).bottom > gallery.bottom + 1).length];
})()"""


def test_sample_tab_draws_digits(page):
    page.get_by_role("tab", name="Sample").click()
    page.get_by_role("button", name="Sample", exact=True).click()
    # visible=true: other tabs' images (the Texture examples) stay in the page, hidden
    image = page.locator("img[src*='.png'] >> visible=true").first
    image.wait_for(state="visible", timeout=60_000)
    page.wait_for_selector("text=What the GMM learned", timeout=30_000)
    page.screenshot(path=str(SHOTS / "sample.png"), full_page=True)
    assert image.evaluate("img => img.naturalWidth") > 100


def test_stylize_tab_runs_an_example(page):
    page.get_by_role("tab", name="Stylize").click()
    page.locator("#stylize-status").wait_for(state="attached", timeout=30_000)
    page.locator("button.gallery-item img[src*='astronaut.png'] >> visible=true").first.click()
    page.get_by_role("button", name="Stylize", exact=True).click()
    image = page.locator("#stylize-result img")
    image.wait_for(state="visible", timeout=90_000)
    page.locator("#stylize-status >> text=/\\d+\\.\\d+ s/").wait_for(timeout=30_000)
    page.screenshot(path=str(SHOTS / "stylize.png"), full_page=True)
    assert image.evaluate("img => img.naturalWidth") >= 256


def test_models_tab_lists_every_model(page):
    page.get_by_role("tab", name="Models").click()
    page.locator("text=mnist-lenet >> visible=true").first.wait_for(timeout=30_000)
    page.screenshot(path=str(SHOTS / "models.png"), full_page=True)
    # The table is read when the tab opens: the GMM that test_sample_tab_draws_digits loaded (after this page
    # opened; the server's warm-up leaves it alone) shows as loaded. Read when the page opened, it said false.
    cells = page.locator("#registry-table .virtual-row", has_text="mnist-gmm").first.locator(".body-cell")
    name, _, loaded = [text.strip() for text in cells.all_inner_texts()[:3]]   # name, kind, loaded
    assert (name, loaded) == ("mnist-gmm", "true")
    # The registry table scrolls sideways in its own box on a phone instead of widening the page.
    assert page_width_on_a_phone(page) <= PHONE


def test_texture_tab_quilts_an_example(page):
    page.get_by_role("tab", name="Texture").click()
    page.locator(".gallery-item >> visible=true").first.click()
    page.get_by_label("Image quilting: block by block (2001)").check()
    page.get_by_role("button", name="Synthesize").click()
    page.wait_for_selector("text=· done ·", timeout=60_000)
    page.screenshot(path=str(SHOTS / "texture.png"), full_page=True)
    assert page.evaluate(CLIPPED) == []
    shown = page.locator("img[src*='gradio_api/file'] >> visible=true").all()
    widths = [image.evaluate("img => img.naturalWidth") for image in shown]
    assert sum(width >= 256 for width in widths) >= 3, widths   # output, source map and key, enlarged to 256 px


# The shape of the Corrupted picture: "wide" for coffee (171 x 256 at the tab's working size), "square" for camera.
SHAPE = """(shape) => { const img = document.querySelector('#denoise-corrupted img');
    return img && img.complete && img.naturalWidth > 0
        && (img.naturalWidth > img.naturalHeight ? 'wide' : 'square') === shape; }"""
# The results of that picture are in, the learned CNN last among the default methods.
DONE = f"""(shape) => ({SHAPE})(shape)
    && document.querySelector('#denoise-gallery').innerText.includes('CNN denoiser (learned) ·')"""


def test_denoise_tab_restores_an_example(page):
    page.get_by_role("tab", name="Denoise").click()
    # Results is an output: the bundle button reads it, which made Gradio offer it as an upload ("Click to Upload").
    assert "Upload" not in page.locator("#denoise-gallery").inner_text()
    # An example clicked while another example's run streams replaces that run. Coffee first, so that its second
    # click is answered at once from the cache while camera's run (with EPLL: seconds) still goes on. That second
    # click's run used to be dropped (Gradio's "once" mode), and the stopped run's last frame, which Gradio sends
    # again when a run ends, landed on coffee's results.
    coffee, camera = (page.locator(f"img[src*='{name}'] >> visible=true").first for name in ("coffee", "camera"))
    coffee.click()
    page.wait_for_function(DONE, arg="wide", timeout=120_000)
    epll = page.get_by_label("EPLL (GMM patch prior)")
    epll.check()
    camera.click()
    page.wait_for_function("document.body.innerText.includes('EPLL step 1 of')", timeout=120_000)
    epll.uncheck()
    coffee.click()
    page.wait_for_function(SHAPE, arg="wide", timeout=30_000)
    # Camera's run stops within a second of coffee's click; its progress bar goes when it has ended.
    page.wait_for_function("![...document.querySelectorAll('.progress-text, .eta-bar')]"
                           ".some(e => e.checkVisibility())", timeout=30_000)
    shown = page.locator("#denoise-gallery").inner_text()
    assert page.evaluate(SHAPE, "wide") and "EPLL" not in shown, (page.evaluate(SHAPE, "square"), shown)
    # The camera example, run by its click with the default methods (EPLL unticked: its own tests cover it). The
    # gallery captions each result "label · PSNR dB · seconds"; coffee's results are there until camera's come.
    camera.click()
    page.wait_for_function(DONE, arg="square", timeout=120_000)
    page.screenshot(path=str(SHOTS / "denoise.png"), full_page=True)
    assert page.locator("text=Best PSNR: CNN denoiser (learned) >> visible=true").count() == 1
    assert page.locator("img[src*='.png'] >> visible=true").count() >= 6
    # Each caption sits under its picture (over it, two lines covered the bottom third of a thumbnail here, half of
    # one on a phone), and the results table and gallery fit a phone's screen (sized by them, the page was 500-650
    # px wide there).
    shown, covered, cut = page.evaluate(CAPTIONS)
    assert shown >= 5 and covered == 0 and cut == 0   # the default methods but EPLL
    width, (shown, covered, cut) = on_a_phone(page, f"[document.documentElement.scrollWidth, ({CAPTIONS})]")
    assert width <= PHONE and shown >= 5 and covered == 0 and cut == 0


def test_denoise_tab_runs_the_autoencoders_on_a_digit(page):
    page.get_by_role("tab", name="Denoise").click()
    page.get_by_text("Teaching view: denoising autoencoders on handwritten digits").click()
    page.get_by_role("button", name="Denoise with every autoencoder").click()
    page.wait_for_selector("text=Best here >> visible=true", timeout=60_000)
    page.get_by_role("button", name="Denoise with every autoencoder").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "denoise-autoencoder.png"), full_page=True)
    assert page.locator("text=σ train 178.5 >> visible=true").count() >= 1


def test_sample_tab_compares_models_and_repairs_a_digit(page):
    page.get_by_role("tab", name="Sample").click()
    page.get_by_role("button", name="Compare all three models").click()
    # Three sheets, one per model, each in its block (labelled GMM, VAE, GAN) and loaded.
    page.wait_for_function("""() => ['GMM', 'VAE', 'GAN'].every(name => {
        const label = [...document.querySelectorAll('[data-testid=block-label]')]
            .find(l => l.innerText.trim() === name && l.checkVisibility());
        const img = label && label.closest('.block').querySelector('img');
        return img && img.complete && img.naturalWidth > 100; })""", timeout=120_000)
    page.screenshot(path=str(SHOTS / "sample-compare.png"), full_page=True)
    # The whole sheets: in a row of equal-height columns each lost its last row of digits (60 px) under its block.
    assert page.evaluate(CLIPPED) == []
    page.get_by_role("tab", name="Repair").click()
    page.get_by_role("button", name="Repair", exact=True).click()
    page.wait_for_selector("text=squared error on the hidden pixels", timeout=120_000)
    page.screenshot(path=str(SHOTS / "sample-repair.png"), full_page=True)


def test_the_draw_tab_is_ready_to_draw_and_reads_a_stroke(page):
    page.get_by_role("tab", name="Sample").click()
    page.get_by_role("tab", name="Draw").click()
    # Opening the tab picks the pad's brush (Gradio's editor otherwise starts with no tool).
    page.wait_for_selector("#digit-pad button[aria-label='Brush'].highlight", timeout=10_000)
    box = page.locator("#digit-pad canvas >> visible=true").first.bounding_box()
    x, top, height = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.2, box["height"] * 0.6
    page.mouse.move(x, top)
    page.mouse.down()
    # A vertical stroke, a one, in two moves: the pad draws straight segments between them, and each move redraws
    # it in software GL (eight moves cost 2.7-3.9 CPU s of Chromium, two 0.7 s, and read as a 1 alike).
    for step in (1, 2):
        page.mouse.move(x, top + height * step / 2)
    page.mouse.up()
    page.get_by_role("button", name="Read my digit").click()
    page.wait_for_selector("text=ELBO of your digit", timeout=120_000)
    page.screenshot(path=str(SHOTS / "sample-draw.png"), full_page=True)
    assert page.locator("text=LeNet reads it as a 1 >> visible=true").count() == 1
    assert page.evaluate(CLIPPED) == []   # the whole 28x28 view and reconstruction, not their top three quarters
    # A drawing of one's own cannot travel in a link: the link says so (its bundle holds it: tests/ui/test_sample.py).
    page.locator("#link-sample-draw").click()
    link = page.locator("#link-box-sample-draw textarea, #link-box-sample-draw input").first
    page.wait_for_function("(box) => box.value.includes('view=sample/draw')", arg=link.element_handle(), timeout=10_000)
    assert link.input_value().endswith("?view=sample/draw&drawing=upload")


def test_a_bad_upload_shows_an_error_toast_and_the_app_carries_on(page, tmp_path):
    # A fresh page: once an earlier test has put an example in the Denoise upload, its file input leaves the page.
    page.reload()
    page.wait_for_selector("text=GenLab", timeout=30_000)
    page.get_by_role("tab", name="Denoise").click()
    not_an_image = tmp_path / "notes.png"
    not_an_image.write_text("this is a text file, not an image")
    upload = page.locator("#denoise-source input[type=file]")  # the Clean image's own, not the first in the page
    upload.set_input_files(str(not_an_image))
    # The file must have landed in the Clean image before the click. In fresh clones it was once written over by
    # the opening example: the page load's link event answered late with the image inputs' old values (fixed in
    # ui/page_links.py: that event no longer writes to image inputs; tests/ui/test_lessons.py checks it).
    wait_or_explain(page, page.locator("#denoise-source img[src*='notes.png']"), "bad-upload-landing",
                    timeout=120_000)
    page.get_by_role("button", name="Corrupt and restore").click()
    # Gradio 6's toast: the message sits in [data-testid=toast-text] (there is no .toast-body any more).
    toast = page.locator("[data-testid=toast-text] >> text=/notes\\.png.*not an image/")
    wait_or_explain(page, toast, "bad-upload")   # it timed out once in a fresh clone: say what the page showed
    page.screenshot(path=str(SHOTS / "bad-upload.png"), full_page=False)
    assert "upload a PNG, JPEG" in toast.inner_text()
    # The server is still up: an example still restores.
    page.locator("[data-testid=toast-close] >> visible=true").first.click()
    page.locator("img[src*='camera'] >> visible=true").first.click()
    page.get_by_role("button", name="Corrupt and restore").click()
    page.wait_for_function("document.body.innerText.includes('Best PSNR')", timeout=120_000)
