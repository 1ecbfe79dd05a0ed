import io

import numpy as np
import pytest
from PIL import Image

from generators import imaging


def png_bytes(picture: Image.Image, format: str = "PNG", **kwargs) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format=format, **kwargs)
    return buffer.getvalue()


def gradient(mode: str, size=(40, 30)) -> Image.Image:
    ramp = np.tile(np.linspace(0, 255, size[0], dtype=np.uint8), (size[1], 1))
    if mode == "I;16":  # a real 16-bit file uses the whole 0-65535 range
        return Image.fromarray(ramp.astype(np.uint16) * 257)
    return Image.fromarray(np.stack([ramp, ramp, ramp[:, ::-1]], axis=2)).convert(mode)


@pytest.mark.parametrize("dtype, top", [(np.uint8, 255), (np.uint16, 65535)])
def test_as_float_scales_integer_images_to_unit_range(dtype, top):
    image = np.array([[0, top]], dtype=dtype)
    out = imaging.as_float(image)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[0.0, 1.0]])


def test_as_float_drops_alpha_and_keeps_unclipped_floats():
    rgba = np.zeros((4, 5, 4), dtype=np.float32) - 0.2
    out = imaging.as_float(rgba)
    assert out.shape == (4, 5, 3) and out.min() == pytest.approx(-0.2)


def test_validate_names_the_problem():
    with pytest.raises(ValueError, match="NaN"):
        imaging.validate(np.full((3, 3), np.nan, dtype=np.float32))
    with pytest.raises(ValueError, match=r"\(H, W\) or \(H, W, 3\)"):
        imaging.validate(np.zeros((3, 3, 5), dtype=np.float32))


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "LA", "L", "P", "CMYK", "1", "I;16"])
def test_every_pil_mode_becomes_the_contract(mode):
    data = png_bytes(gradient(mode), format="TIFF" if mode == "CMYK" else "PNG")
    image, notice = imaging.load_image(data, name="upload.png")
    assert notice is None
    assert image.dtype == np.float32 and image.shape[:2] == (30, 40)
    assert image.ndim == (2 if mode in ("L", "LA", "1", "I;16") else 3)
    assert 0.0 <= image.min() and image.max() <= 1.0
    assert image.max() - image.min() > 0.5, "the ramp must survive the conversion"


def test_sixteen_bit_uses_the_full_range():
    deep = Image.fromarray(np.array([[0, 65535]], dtype=np.uint16))
    image, _ = imaging.load_image(png_bytes(deep))
    np.testing.assert_allclose(image, [[0.0, 1.0]], atol=1e-6)


def test_transparent_pixels_become_white():
    clear = Image.new("RGBA", (4, 4), (255, 0, 0, 0))
    image, _ = imaging.load_image(png_bytes(clear))
    np.testing.assert_allclose(image, 1.0)


def test_exif_rotated_photo_is_shown_upright():
    wide = gradient("RGB", size=(40, 20))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to view"
    image, _ = imaging.load_image(png_bytes(wide, format="JPEG", exif=exif.tobytes()))
    assert image.shape[:2] == (40, 20)


def test_huge_image_is_downscaled_with_a_notice():
    image, notice = imaging.load_image(png_bytes(gradient("RGB", size=(3000, 1500))), max_side=1024)
    assert image.shape[:2] == (512, 1024)
    assert "3000x1500" in notice and "1024" in notice


def test_a_strip_too_thin_once_shrunk_is_refused_with_the_fix():
    """600x16 passes a 16 px minimum as uploaded, but the Denoise tab works on it at 256x7: too thin for EPLL's
    8x8 patches and SSIM's 7x7 windows (each refused it in its own words), and 64x3 in the Texture tab."""
    with pytest.raises(ValueError, match=r"strip\.png is 600x16 pixels; shrunk to 256 px .* 256x7, under the 16 "
                                         r"pixels each side needs: crop it closer to a square"):
        imaging.load_image(Image.new("L", (600, 16), 128), max_side=256, min_side=16, name="strip.png")
    image, notice = imaging.load_image(Image.new("L", (600, 40), 128), max_side=256, min_side=16)
    assert image.shape == (17, 256) and "600x40" in notice


@pytest.mark.parametrize("size", [(1, 1), (4000, 1)])
def test_degenerate_shapes_load(size):
    image, _ = imaging.load_image(png_bytes(Image.new("L", size, 128)), max_side=4000)
    assert image.shape == (size[1], size[0])


def test_non_image_file_names_the_file_and_the_fix():
    with pytest.raises(ValueError, match=r"notes\.txt.*PNG, JPEG"):
        imaging.load_image(b"just some text", name="notes.txt")


def test_truncated_png_is_refused_clearly():
    data = png_bytes(gradient("RGB", size=(200, 200)))
    with pytest.raises(ValueError, match=r"cut\.png.*truncated"):
        imaging.load_image(data[: len(data) // 2], name="cut.png")


def test_decompression_bomb_is_refused_before_decoding():
    bomb = png_bytes(Image.new("1", (8000, 8000)))  # 64 Mpx in a few kB
    assert len(bomb) < 100_000
    with pytest.raises(ValueError, match="decompression bomb|more than"):
        imaging.load_image(bomb, name="bomb.png")


def test_grid_places_tiles_row_major():
    tiles = np.stack([np.full((2, 2), v, dtype=np.float32) for v in (0.1, 0.2, 0.3)])
    sheet = imaging.grid(tiles, columns=2, pad=1, background=1.0)
    assert sheet.shape == (7, 7)
    assert sheet[1, 1] == pytest.approx(0.1) and sheet[1, 4] == pytest.approx(0.2)
    assert sheet[4, 1] == pytest.approx(0.3) and sheet[4, 4] == pytest.approx(1.0)


def test_tensor_round_trip():
    image = np.random.default_rng(0).random((5, 6, 3), dtype=np.float32)
    np.testing.assert_array_equal(imaging.from_tensor(imaging.to_tensor(image)), image)


def test_too_small_image_names_the_file_its_role_and_the_minimum(tmp_path):
    path = tmp_path / "dot.png"
    Image.new("RGB", (1, 1)).save(path)
    with pytest.raises(ValueError, match=r"The style image \(dot\.png\) is 1x1 pixels.*at least 16"):
        imaging.load_image(str(path), min_side=16, name="The style image")


@pytest.mark.parametrize("bad, message", [
    (np.zeros((2, 28, 27), np.float32), r"shape \(n, 28, 28\)"),
    (np.zeros((0, 28, 28), np.float32), r"shape \(n, 28, 28\)"),
    (np.full((28, 28), 1.5, np.float32), r"within \[0, 1\]"),
    (np.full((28, 28), np.nan, np.float32), "finite"),
])
def test_digits_outside_the_contract_are_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        imaging.validate_digits(bad)


def test_one_digit_becomes_a_stack_of_one_float32():
    digit = np.random.default_rng(0).random((imaging.DIGIT_SIDE, imaging.DIGIT_SIDE))
    stack = imaging.validate_digits(digit)
    assert stack.shape == (1, 28, 28) and stack.dtype == np.float32
    np.testing.assert_allclose(stack[0], digit, atol=1e-7)


def test_ink_on_paper_and_back_is_the_identity_and_turns_ink_dark():
    digits = np.zeros((2, 28, 28), np.float32)
    digits[:, 10:18, 12:16] = 1.0   # a bright stroke on black
    paper = imaging.ink_on_paper(digits)
    assert paper.dtype == np.float32 and paper[0, 0, 0] == 1.0 and paper[0, 12, 13] == 0.0
    np.testing.assert_array_equal(imaging.paper_to_ink(paper), digits)
