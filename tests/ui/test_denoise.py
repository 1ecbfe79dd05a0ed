import gradio as gr
import numpy as np
import pytest

from ui.denoise_inputs import chosen, corrupt, drawn_mask


def test_a_drawn_stroke_becomes_a_mask_at_the_working_size():
    layer = np.zeros((200, 300, 4), np.uint8)
    layer[50:100, 0:150, 3] = 255
    mask = drawn_mask({"background": None, "layers": [layer], "composite": None}, (100, 150))
    assert mask.shape == (100, 150) and mask[30, 30] and not mask[80, 120]
    assert drawn_mask({"layers": [np.zeros((20, 20, 4), np.uint8)]}, (10, 10)) is None
    assert drawn_mask(None, (10, 10)) is None


def test_a_drawn_mask_alone_removes_only_its_pixels():
    clean = np.full((40, 60), 0.5, np.float32)
    layer = np.zeros((40, 60, 4), np.uint8)
    layer[:10, :10, 3] = 255
    holed, known, sigma = corrupt(clean, "Missing pixels", 25, 0.1, 0.0, 0, {"layers": [layer]})
    assert sigma == 0.0 and (~known).sum() == 100 and np.all(holed[:10, :10] == 0)


@pytest.mark.parametrize("shape", [(48, 64), (48, 64, 3)])
def test_salt_and_pepper_is_seeded_and_tells_the_restorers_a_noise_level(shape):
    """Salt and pepper estimates the sigma the restorers are told (skimage's wavelet estimator: it needs
    PyWavelets, which a fresh install once lacked, and every salt-and-pepper run failed)."""
    clean = np.full(shape, 0.5, np.float32)
    noisy, known, sigma = corrupt(clean, "Salt and pepper", 25, 0.1, 0.0, 3, None)
    again, _, _ = corrupt(clean, "Salt and pepper", 25, 0.1, 0.0, 3, None)
    hit = np.any(noisy != 0.5, axis=-1) if len(shape) == 3 else noisy != 0.5
    assert known is None and 0.0 < sigma <= 1.0 and np.array_equal(noisy, again)
    assert 0.05 < hit.mean() < 0.15 and set(np.unique(noisy[hit])) <= {0.0, 1.0}


def test_methods_that_do_not_fit_the_corruption_are_skipped_with_a_note():
    names, notes = chosen(["Gaussian filter", "EPLL (GMM patch prior)"], "Missing pixels")
    assert names == ["epll"] and "Skipped Gaussian filter" in notes[0]
    with pytest.raises(ValueError, match="Biharmonic inpainting or EPLL"):
        chosen(["Median filter"], "Missing pixels")


def test_the_autoencoder_view_shows_every_network_and_refuses_bad_noise():
    import gradio as gr

    from ui.autoencoder import autoencode, held_out_table

    gallery, codes, summary = autoencode(3, 127.5, 0)   # the 0-255 scale of the main noise slider
    assert len(gallery) == 6 and gallery[4][1].startswith("σ train 127.5 · ")
    assert codes.dtype == np.uint8 and codes.shape[0] == 4 * 20
    assert "Best here" in summary
    with pytest.raises(gr.Error, match="between 0 and 255"):
        autoencode(3, float("nan"), 0)
    with pytest.raises(gr.Error, match="Digit"):
        autoencode(5000, 127.5, 0)
    table = held_out_table().data
    assert list(table["network"])[:2] == ["noisy input", "trained at σ = 25.5"]
    assert list(table.columns)[1] == "input σ = 25.5"


def test_an_example_run_again_with_the_same_settings_comes_from_the_cache(monkeypatch):
    from generators import api
    from ui import denoise
    from ui.caches import ExampleCache
    from ui.common import examples

    monkeypatch.setattr(denoise, "EXAMPLES", ExampleCache("denoise"))
    calls = []
    compare = api.compare_denoisers
    monkeypatch.setattr(api, "compare_denoisers", lambda *args, **kwargs: calls.append(1) or compare(*args, **kwargs))
    camera = next(path for path in examples("denoise") if path.endswith("camera.png"))
    settings = (True, "Gaussian noise", 25, 0.1, 0.5, 3, ["Gaussian filter", "Median filter"])

    first = list(denoise.restore(camera, *settings))
    again = list(denoise.restore(camera, *settings))
    assert len(calls) == 1 and len(first) == 2 and len(again) == 1
    assert again[0][4] == first[-1][4] and again[0][2].data.equals(first[-1][2].data)
    list(denoise.restore(camera, *settings[:5], 4, settings[6]))       # another seed: computed afresh
    assert len(calls) == 2


def test_an_upload_is_never_cached(tmp_path, monkeypatch):
    from PIL import Image

    from ui import denoise
    from ui.caches import ExampleCache

    upload = tmp_path / "mine.png"
    Image.fromarray(np.full((64, 64), 128, np.uint8)).save(upload)
    cache = ExampleCache("denoise")
    monkeypatch.setattr(denoise, "EXAMPLES", cache)
    list(denoise.restore(str(upload), True, "Gaussian noise", 25, 0.1, 0.5, 3, ["Gaussian filter"]))
    assert cache.key(str(upload), 1) is None and len(cache) == 0


def _camera() -> str:
    from ui.common import examples

    return next(path for path in examples("denoise") if path.endswith("camera.png"))


def test_stop_ends_the_run_between_methods_and_the_stopped_run_is_not_cached(monkeypatch):
    from types import SimpleNamespace

    from ui import caches, denoise, stop

    cache = caches.ExampleCache("denoise")
    monkeypatch.setattr(denoise, "EXAMPLES", cache)
    run = denoise.restore(_camera(), True, "Gaussian noise", 25, 0.1, 0.5, 3,
                          ["Gaussian filter", "Median filter", "Total variation (Chambolle)"],
                          request=SimpleNamespace(session_hash="mine"))
    first = next(run)
    stop.stop_runs("mine", ["denoise"])                  # the Stop button, while the first result shows
    *_, last = [first, *run]
    assert list(last[2].data["method"]) == ["(corrupted input)", "Gaussian filter"]
    assert "**Stopped** at method 1 of 3" in last[4] and len(cache) == 0


def test_epll_at_its_time_cap_keeps_its_last_step_says_so_and_is_not_cached(monkeypatch):
    from ui import caches, denoise

    cache = caches.ExampleCache("denoise")
    monkeypatch.setattr(denoise, "EXAMPLES", cache)
    monkeypatch.setattr(denoise, "EPLL_TIME_LIMIT", 0.0)
    *_, last = denoise.restore(_camera(), True, "Gaussian noise", 25, 0.1, 0.5, 3, ["EPLL (GMM patch prior)"])
    assert list(last[2].data["method"])[1] == "EPLL (GMM patch prior) (stopped at EPLL step 0)"
    assert "time cap at EPLL step 0" in last[4] and len(cache) == 0


def test_an_exact_restoration_reads_infinity_not_an_empty_cell():
    """Logistic regression restores the horse, a binary image, pixel for pixel at sigma 25: its PSNR is
    infinite, which the table showed as an empty cell and the caption as "inf dB"."""
    from ui import denoise
    from ui.common import examples

    horse = next(path for path in examples("denoise") if path.endswith("binary-horse.png"))
    *_, (_, gallery, table, _, summary) = denoise.restore(
        horse, False, "Gaussian noise", 25, 0.1, 0.5, 0, ["Median filter", "Logistic regression (binary)"])
    psnr = dict(zip(table.data["method"], table.data["PSNR (dB)"]))
    assert psnr["Logistic regression (binary)"] == "∞" and isinstance(psnr["Median filter"], float)
    assert gallery[-1][1].startswith("Logistic regression (binary) · ∞ dB")
    assert "(∞ dB: every pixel restored exactly;" in summary and "inf" not in summary


def test_the_table_shows_fixed_decimals_and_sends_numbers():
    """Gradio shows a bare float in its shortest form: "28.3" stood under "24.89", and "0.85" under "0.756"."""
    import gradio as gr

    from ui import denoise

    rows = [["(corrupted input)", 20.8312, 0.4851, 0.0], ["Non-local means", 28.3, 0.85, 0.0912],
            ["Logistic regression (binary)", float("inf"), 1.0, 0.5]]
    sent = gr.Dataframe(headers=denoise.TABLE_COLUMNS, interactive=False).postprocess(denoise._table(rows))
    assert [row[1:] for row in sent.metadata["display_value"]] == [
        ["20.83", "0.485", "0.00"], ["28.30", "0.850", "0.09"], ["∞", "1.000", "0.50"]]
    assert sent.data[1][1:] == [28.3, 0.85, 0.0912]


def test_choosing_a_corruption_writes_the_methods_back_only_when_it_ticks_one():
    """A box ticked while the corruption's event ran was unticked again when the event wrote the methods back."""
    from ui.denoise import tick_a_filler

    assert tick_a_filler("Gaussian noise", ["Gaussian filter"]) == {"__type__": "update"}
    assert tick_a_filler("Missing pixels", ["Biharmonic inpainting"]) == {"__type__": "update"}
    assert tick_a_filler("Missing pixels", ["Gaussian filter"]) == ["Gaussian filter", "Biharmonic inpainting"]


def test_a_link_to_missing_pixels_keeps_its_methods_and_a_click_ticks_a_filler():
    """Ticking Biharmonic inpainting helps a user who picks missing pixels; on the corruption's change event it
    also rewrote the methods of a link (or lesson step) that set missing pixels, so the link ran another result."""
    from ui import denoise

    with gr.Blocks() as blocks:
        denoise.build()
    corruption = next(c for c in blocks.blocks.values() if isinstance(c, gr.Radio) and c.label == "Corruption")
    by_trigger = {trigger: f for f in blocks.fns.values() for block, trigger in f.targets if block == corruption._id}
    assert set(by_trigger) == {"change", "input"}
    assert by_trigger["input"].fn is denoise.tick_a_filler
    assert not any(isinstance(c, gr.CheckboxGroup) for c in by_trigger["change"].outputs), "a link's methods stay"


def test_an_example_clicked_during_a_run_replaces_it(monkeypatch):
    """The older run stops at its next method and its frames, "Stopped" note included, never reach the page (it
    landed on top of the example's result, shown at once from the cache)."""
    from types import SimpleNamespace

    import gradio as gr

    from ui import caches, denoise

    monkeypatch.setattr(denoise, "EXAMPLES", caches.ExampleCache("denoise"))
    settings = (True, "Gaussian noise", 25, 0.1, 0.5, 3)
    quick = ["Gaussian filter"]
    list(denoise.restore(_camera(), *settings, quick))                          # the example's result, kept
    mine = SimpleNamespace(session_hash="mine")
    older = denoise.restore(_camera(), *settings, ["Gaussian filter", "Median filter",
                                                   "Total variation (Chambolle)"], request=mine)
    next(older)
    assert len(list(denoise.restore(_camera(), *settings, quick, request=mine))) == 1   # from the cache
    assert [[value == gr.skip() for value in frame] for frame in older] == [[True] * 5]   # it changes nothing
