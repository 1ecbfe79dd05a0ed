import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ui.common import examples

ROOT = Path(__file__).resolve().parent.parent

# CPU seconds rather than wall seconds, so the check holds on a machine busy with other work. Importing
# ui.caches patches nothing; importing app installs its image cache and slows its queue's idle polling.
IMPORT_APP = """
import time
start = time.process_time()
from gradio import processing_utils
gradios = processing_utils.save_pil_to_cache
import ui.caches
untouched = processing_utils.save_pil_to_cache is gradios
import app
from generators import registry
installed = processing_utils.save_pil_to_cache is ui.caches._save_pil_to_cache_atomically
queue = app.demo._queue
calm = (queue.sleep_when_free, queue.progress_update_sleep_when_free) == (app.QUEUE_POLL_S, app.PROGRESS_POLL_S)
print(time.process_time() - start, registry.loaded(), type(app.demo).__name__, untouched, installed, calm)
"""


def test_import_builds_the_ui_fast_loads_no_checkpoint_and_only_app_patches_gradio():
    result = subprocess.run([sys.executable, "-c", IMPORT_APP], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"})
    assert result.returncode == 0, result.stderr
    seconds, loaded, kind, untouched, installed, calm = result.stdout.splitlines()[-1].split()  # after Gradio's notes
    assert kind == "Blocks" and loaded == "[]"
    assert untouched == "True", "importing ui.caches replaced gradio's save_pil_to_cache: only install() may"
    assert installed == "True", "app.py builds the UI without calling ui.caches.install()"
    assert calm == "True", "the app's queue polls at Gradio's 1 ms while idle: app.calm_queue did not run"
    assert float(seconds) <= 8.0


def test_sample_endpoint_returns_a_deterministic_png_grid(client):
    first, figures = client.predict("GMM: PCA + Gaussian mixture", 16, 7, api_name="/sample")
    second, _ = client.predict("GMM: PCA + Gaussian mixture", 16, 7, api_name="/sample")
    assert first.endswith(".png")
    a, b = np.asarray(Image.open(first)), np.asarray(Image.open(second))
    assert a.shape[0] > 100 and a.std() > 10, "a grid of digits, not a blank image"
    np.testing.assert_array_equal(a, b)
    assert "Fréchet" in figures


@pytest.mark.parametrize("count, seed, message", [
    (0, 1, "minimum|Number of samples"), (300, 1, "maximum|Number of samples"), (4, -5, "minimum|Seed"),
])
def test_out_of_range_parameters_get_a_clear_message(client, count, seed, message):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=message):
        client.predict("GMM: PCA + Gaussian mixture", count, seed, api_name="/sample")


def test_unknown_model_name_is_refused(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="unknown model|not in the list of choices"):
        client.predict("Diffusion", 4, 0, api_name="/sample")


@pytest.mark.parametrize("count, seed", [(float("nan"), 1), (4, float("inf")), (2.5, 1), ("many", 1)])
def test_non_numbers_get_a_clear_message_at_the_handler(count, seed):
    import gradio as gr

    from ui.sample import generate

    with pytest.raises(gr.Error, match="must be a (whole|finite)? ?number"):
        generate.draw_samples(next(iter(generate.SAMPLERS)), count, seed)


# Denoise tab

def _camera():
    from gradio_client import handle_file

    return handle_file(next(path for path in examples("denoise") if path.endswith("camera.png")))


def test_restore_returns_pngs_and_a_table_where_every_method_beats_the_input(client):
    corrupted, gallery, table, slider, summary = client.predict(
        _camera(), True, "Gaussian noise", 25, 0.1, 0.5, 3, ["Gaussian filter", "Total variation (Chambolle)"],
        None, "icm", api_name="/restore")
    assert corrupted.endswith(".png") and all(item["image"].endswith(".png") for item in gallery)
    rows = {row[0]: row[1] for row in table["data"]}
    assert rows["Total variation (Chambolle)"] > rows["(corrupted input)"] + 3
    assert np.asarray(Image.open(corrupted)).shape[:2] == (256, 256)
    assert "Best PSNR" in summary


def test_missing_pixels_skip_the_noise_only_methods(client):
    *_, table, _, summary = client.predict(
        _camera(), True, "Missing pixels", 25, 0.1, 0.5, 3, ["Gaussian filter", "Biharmonic inpainting"],
        None, "icm", api_name="/restore")
    assert [row[0] for row in table["data"]] == ["(corrupted input)", "Biharmonic inpainting"]
    assert "Skipped Gaussian filter" in summary


def test_the_cnn_self_ensemble_is_a_choice_and_sharpens(client):
    def cnn_psnr(ensemble):
        *_, table, _, _ = client.predict(_camera(), False, "Gaussian noise", 25, 0.1, 0.5, 3,
                                         ["CNN denoiser (learned)"], None, "icm", ensemble, api_name="/restore")
        return {row[0]: row[1] for row in table["data"]}["CNN denoiser (learned)"]

    assert cnn_psnr(8) > cnn_psnr(1)


def test_a_self_ensemble_size_outside_the_choices_is_refused():
    from ui.denoise_inputs import cnn_ensemble

    assert cnn_ensemble("4") == 4
    with pytest.raises(ValueError, match="unknown CNN self-ensemble '3'; choose one of: 1, 4, 8"):
        cnn_ensemble(3)


@pytest.mark.parametrize("args, message", [
    ((None, True, "Gaussian noise", 25, 0.1, 0.5, 3, ["Gaussian filter"], None, "icm"), "no image"),
    (("camera", True, "Gaussian noise", 300, 0.1, 0.5, 3, ["Gaussian filter"], None, "icm"), "maximum value 100"),
    (("camera", True, "Gaussian noise", 25, 0.1, 0.5, 3, [], None, "icm"), "no method chosen"),
])
def test_bad_requests_get_a_clear_message(client, args, message):
    from gradio_client.exceptions import AppError

    args = tuple(_camera() if a == "camera" else a for a in args)
    with pytest.raises(AppError, match=message):
        client.predict(*args, api_name="/restore")


# Sample tab: the neural samplers

VAE, GAN = "VAE: variational autoencoder", "GAN: generative adversarial network"


@pytest.mark.parametrize("model", [VAE, GAN])
def test_neural_samplers_answer_by_api_name(client, model):
    first, figures = client.predict(model, 16, 3, api_name="/sample")
    second, _ = client.predict(model, 16, 3, api_name="/sample")
    np.testing.assert_array_equal(np.asarray(Image.open(first)), np.asarray(Image.open(second)))
    assert "Fréchet" in figures


def test_asking_for_a_digit_returns_that_digit(client):
    sheet, note = client.predict(GAN, "7", 9, 0, api_name="/sample_digit")
    assert sheet.endswith(".png") and "**7**" in note and "generator itself" in note   # no rejection for the GAN


def test_compare_shows_three_models(client):
    outputs = client.predict(4, 0, api_name="/compare")
    assert len(outputs) == 6 and all(path.endswith(".png") for path in outputs[::2])


def test_interpolation_gives_a_strip_and_an_animation(client):
    strip, animation, _ = client.predict(VAE, 1, 2, 6, api_name="/interpolate")
    assert strip.endswith(".png") and animation.endswith(".gif")
    with Image.open(animation) as gif:
        assert gif.n_frames == 2 * 6 - 2


def test_a_drawing_is_read_and_a_blank_one_refused(client, tmp_path):
    from gradio_client import handle_file
    from gradio_client.exceptions import AppError

    drawn = handle_file(str(ROOT / "assets" / "sample" / "drawn-7.png"))
    seen, rebuilt, reading = client.predict({"background": None, "layers": [], "composite": drawn},
                                            api_name="/read_drawing")
    assert "ELBO" in reading and "**7**" in reading
    blank = Image.new("RGBA", (280, 280), (255, 255, 255, 0))
    path = tmp_path / "blank-drawing.png"
    blank.save(path)
    with pytest.raises(AppError, match="blank"):
        client.predict({"background": None, "layers": [], "composite": handle_file(str(path))},
                       api_name="/read_drawing")


def test_repair_streams_to_a_filled_digit(client):
    shown, filled, progress = client.predict(VAE, 3, "bottom half", 0, api_name="/repair")
    assert filled.endswith(".png") and progress.startswith(("done", "time cap")) and "hidden pixels" in progress
