"""Every line plot (Vega, drawn as SVG) names its lines in a legend and its axes with their units, in the
browser: the PSNR-against-sigma sweep, the Ising energy curves, the Gatys loss and a teaching sweep. (The
matplotlib figures draw their legends into the picture: tests/ui/test_figures.py reads them there.)"""

import pytest

from tests.e2e.conftest import CHROMIUM, SHOTS, open_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (apt-get install chromium)"),
]
PLOT = "div.block:has(svg.marks):has-text('{label}')"
# The visible dropdowns whose text box runs under their arrow icon, and by how many pixels.
UNDER_ARROW = """() => [...document.querySelectorAll('.secondary-wrap > input')].filter(box => box.checkVisibility())
    .map(box => { const icon = box.parentElement.querySelector('.icon-wrap');
        const end = box.getBoundingClientRect().right - parseFloat(getComputedStyle(box).paddingRight);
        return icon ? Math.round(end - icon.getBoundingClientRect().left) : 0; }).filter(px => px > 0)"""


def _plot(page, label: str) -> tuple[str, str]:
    """(legend text, axis titles) of the visible plot whose block holds ``label``, once it has a legend."""
    block = page.locator(PLOT.format(label=label)).locator("visible=true").first
    block.locator("g.role-legend").first.wait_for(timeout=90_000)
    text = "(nodes) => nodes.map(node => node.textContent).join(' ')"    # SVG text has no innerText
    legend = block.locator("g.role-legend text").evaluate_all(text)
    axes = block.locator("g.role-axis-title text").evaluate_all(text)
    return legend, axes


def test_every_line_plot_has_a_legend_naming_its_lines_and_axes_with_units(browser, server):
    page = open_page(browser, server + "?view=sweeps&sweep=ising-beta", height=900)
    legend, axes = _plot(page, "Scores")
    assert "ICM" in legend and "Gibbs" in legend and "PSNR (dB)" in axes and "β" in axes
    # Each visible dropdown's text ends before its arrow (the arrow sat over the end of a long sweep's name).
    assert page.evaluate(UNDER_ARROW) == []

    page.get_by_role("tab", name="Denoise", exact=True).click()
    page.get_by_text("PSNR against noise level").click()
    page.get_by_role("button", name="Plot PSNR against sigma for the chosen methods").click()
    legend, axes = _plot(page, "PSNR on the image shrunk")
    assert "Gaussian filter" in legend and "CNN denoiser (learned)" in legend
    assert "PSNR (dB)" in axes and "0-255" in axes

    page.get_by_text("What the learned methods learned").click()
    page.get_by_role("button", name="Show the learned filters and the Ising energy").click()
    legend, axes = _plot(page, "Ising energy per sweep")
    assert "ICM" in legend and "GIBBS" in legend and "sweep" in axes
    page.screenshot(path=str(SHOTS / "plots-denoise.png"), full_page=True)
    page.close()

    page = open_page(browser, server + "?view=stylize/gatys&size=64&steps=20", height=900)
    legend, axes = _plot(page, "Loss per step")
    assert {"total", "style", "content"} <= set(legend.split()) and "optimiser step" in axes
    page.screenshot(path=str(SHOTS / "plots-gatys.png"), full_page=True)
    page.close()
