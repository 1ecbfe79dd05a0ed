"""Strange and broken uploads sent through the Gradio API to every tab that takes a file.

A broken or too small file must come back as an AppError whose message names the file and says what to do (never
gradio's bare "Error"); a strange but valid one (any PIL mode, EXIF rotation, huge) must give
an image. Afterwards the server still answers.
"""

import io

import numpy as np
import pytest
from PIL import Image

# (api_name, arguments with the upload as FILE): the endpoints that take a user's image.
FILE = object()
ENDPOINTS = {
    "/restore": (FILE, False, "Gaussian noise", 25, 0.1, 0.5, 3, ["Gaussian filter"], None, "icm"),
    "/texture": (FILE, "Image quilting: block by block (2001)", 64, 1, 11, 16, 4, None, 0.3, 10),
    "/stylize": (FILE, "Colour transfer (Reinhard et al.)", "the-scream", FILE, 1.0, False, 1.0, 10.0, 10, 64,
                 "content", 0),
}


def _png(image: Image.Image, **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=save.pop("format", "PNG"), **save)
    return buffer.getvalue()


def _gradient(mode: str, size=(48, 40)) -> Image.Image:
    ramp = np.linspace(0, 255, size[0] * size[1] * 3).reshape(size[1], size[0], 3).astype(np.uint8)
    return Image.fromarray(ramp, "RGB").convert(mode)


def _sixteen_bit() -> Image.Image:
    ramp = np.linspace(0, 65535, 48 * 40).reshape(40, 48).astype(np.uint16)
    return Image.fromarray(ramp)


def _noise_png() -> bytes:
    noise = np.random.default_rng(0).integers(0, 256, (200, 200, 3), dtype=np.uint8)  # incompressible
    return _png(Image.fromarray(noise))


def _exif_rotated() -> bytes:
    picture = Image.new("RGB", (60, 30), "red")
    exif = picture.getexif()
    exif[274] = 6  # rotate 90 degrees clockwise to display
    return _png(picture, format="JPEG", exif=exif)


BROKEN = {
    "notes.png": (b"this is a text file, not an image", "not an image"),
    "cut.png": (_noise_png()[:20_000], "truncated"),
    "bomb.png": (_png(Image.new("1", (9000, 9000))), "decompression bomb|more than"),
    # Too small for any method here: a clear minimum rather than a library's error about window sizes.
    "dot.png": (_png(Image.new("RGB", (1, 1), "blue")), "at least 16 pixels"),
    "strip.png": (_png(Image.new("L", (4000, 1), 128)), "at least 16 pixels"),
    "thin.png": (_png(Image.new("L", (4000, 40), 128)), "crop it closer to a square"),   # 256x3 once shrunk
}
STRANGE = {
    "rgba.png": _png(_gradient("RGBA")),
    "la.png": _png(_gradient("LA")),
    "palette.png": _png(_gradient("P")),
    "cmyk.jpg": _png(_gradient("CMYK"), format="JPEG"),
    "deep.png": _png(_sixteen_bit()),
    "bilevel.png": _png(_gradient("1")),
    "rotated.jpg": _exif_rotated(),
    "huge.png": _png(Image.new("RGB", (3000, 2000), "green")),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("uploads")
    for name, data in {**{name: data for name, (data, _) in BROKEN.items()}, **STRANGE}.items():
        (folder / name).write_bytes(data)
    good = folder / "good.png"
    _gradient("RGB", (64, 64)).save(good)
    return folder


def _call(client, api_name: str, upload, good):
    from gradio_client import handle_file

    args = list(ENDPOINTS[api_name])
    first = args.index(FILE)
    args = [handle_file(str(good)) if value is FILE else value for value in args]
    args[first] = handle_file(str(upload))
    return client.predict(*args, api_name=api_name)


@pytest.mark.parametrize("api_name", ENDPOINTS)
@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_upload_gets_a_message_naming_the_file(client, files, api_name, name):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=BROKEN[name][1]) as caught:
        _call(client, api_name, files / name, files / "good.png")
    assert name in str(caught.value)


@pytest.mark.parametrize("api_name", ENDPOINTS)
@pytest.mark.parametrize("name", STRANGE)
def test_a_strange_but_valid_upload_gives_an_image(client, files, api_name, name):
    outputs = _call(client, api_name, files / name, files / "good.png")
    first = outputs[0]
    assert isinstance(first, str) and first.endswith(".png"), outputs
    with Image.open(first) as result:
        assert min(result.size) >= 1


def test_an_exif_rotated_photo_is_restored_upright(client, files):
    corrupted, *_ = _call(client, "/restore", files / "rotated.jpg", files / "good.png")
    with Image.open(corrupted) as result:
        assert result.height > result.width  # 60x30 landscape stored, shown as portrait


def test_the_server_still_answers_after_the_bad_uploads(client, files):
    outputs = _call(client, "/restore", files / "good.png", files / "good.png")
    assert outputs[0].endswith(".png")
