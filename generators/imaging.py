"""The one image contract of GenLab, and its converters.

Every function in ``generators`` takes and returns images as float32 arrays of shape (H, W) or (H, W, 3)
with values in [0, 1] (scikit-image's convention). Conversion happens only here: at the UI edge
(uint8 from the browser, PIL from an upload) and at the edge of torch modules (N, C, H, W tensors).
"""

from __future__ import annotations

import io
import math
import os
import warnings
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

if TYPE_CHECKING:
    import torch

# Largest image an upload may decode to; above this Pillow refuses it as a possible decompression bomb.
MAX_DECODE_PIXELS = 40_000_000
# Largest side an image is worked on at unless a caller asks for another cap.
DEFAULT_MAX_SIDE = 1024
# The smallest side the app's tabs accept: below it their windows (SSIM's 7x7, quilting blocks, patches) fail.
MIN_UPLOAD_SIDE = 16


def as_float(image: np.ndarray, *, name: str = "image") -> np.ndarray:
    """Convert an array from any common dtype and layout to the contract: float32 (H, W) or (H, W, 3).

    uint8 and uint16 are scaled by their range, bool maps to {0, 1}; float is kept (not clipped, so that
    unclipped noisy images survive). A trailing channel axis of 1 is dropped, 2 (gray + alpha) keeps gray,
    4 (RGBA) keeps RGB.
    """
    array = np.asarray(image)
    if array.dtype == np.bool_:
        array = array.astype(np.float32)
    elif array.dtype == np.uint8:
        array = array.astype(np.float32) / 255.0
    elif array.dtype == np.uint16:
        array = array.astype(np.float32) / 65535.0
    elif np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} has integer dtype {array.dtype}; pass uint8, uint16 or float in [0, 1]")
    elif np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float32, copy=False)
    else:
        raise ValueError(f"{name} has dtype {array.dtype}; pass a numeric image array")
    if array.ndim == 3 and array.shape[2] in (1, 2):
        array = array[..., 0]
    elif array.ndim == 3 and array.shape[2] == 4:
        array = array[..., :3]
    return validate(array, name=name, clipped=False)


def validate(image: np.ndarray, *, name: str = "image", clipped: bool = True) -> np.ndarray:
    """Check that ``image`` follows the contract; return it unchanged or raise ValueError saying what is off."""
    if not isinstance(image, np.ndarray):
        raise ValueError(f"{name} must be a numpy array, got {type(image).__name__}")
    if image.dtype != np.float32:
        raise ValueError(f"{name} must be float32, got {image.dtype}; convert it with imaging.as_float")
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] != 3):
        raise ValueError(f"{name} must have shape (H, W) or (H, W, 3), got {image.shape}")
    if min(image.shape[:2]) < 1:
        raise ValueError(f"{name} is empty (shape {image.shape}); pass an image with pixels in it")
    if not np.all(np.isfinite(image)):
        raise ValueError(f"{name} contains NaN or infinite values; pass finite pixel values")
    if clipped and (image.min() < 0.0 or image.max() > 1.0):
        raise ValueError(
            f"{name} has values in [{image.min():.3g}, {image.max():.3g}], outside [0, 1]; "
            "clip it or rescale it first"
        )
    return image


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Contract image (clipped to [0, 1] first) -> uint8 array for display and PNG encoding."""
    return np.round(np.clip(image, 0.0, 1.0) * 255.0).astype(np.uint8)


def to_gray(image: np.ndarray) -> np.ndarray:
    """Luminance (ITU-R BT.601, as scikit-image's rgb2gray uses BT.709; we keep PIL's convention)."""
    if image.ndim == 2:
        return image
    return (image @ np.array([0.299, 0.587, 0.114], dtype=np.float32)).astype(np.float32)


def to_rgb(image: np.ndarray) -> np.ndarray:
    if image.ndim == 3:
        return image
    return np.repeat(image[..., None], 3, axis=2)


def resize(image: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Resize a contract image to (height, width) with antialiasing (Pillow's Lanczos on float32 planes)."""
    height, width = int(shape[0]), int(shape[1])
    if height < 1 or width < 1:
        raise ValueError(f"target size must be at least 1x1, got {height}x{width}")
    if image.shape[:2] == (height, width):
        return image
    planes = [image] if image.ndim == 2 else [image[..., c] for c in range(image.shape[2])]
    out = [
        np.asarray(Image.fromarray(p, mode="F").resize((width, height), Image.Resampling.LANCZOS))
        for p in planes
    ]
    result = out[0] if image.ndim == 2 else np.stack(out, axis=2)
    return np.clip(result, 0.0, 1.0).astype(np.float32)


def cap_size(image: np.ndarray, max_side: int) -> tuple[np.ndarray, str | None]:
    """Downscale so the longer side is at most ``max_side``; return the image and a notice if it was resized."""
    height, width = image.shape[:2]
    longest = max(height, width)
    if longest <= max_side:
        return image, None
    scale = max_side / longest
    new = (max(1, round(height * scale)), max(1, round(width * scale)))
    notice = f"The image was {width}x{height}; it was downscaled to {new[1]}x{new[0]} (cap {max_side} px)."
    return resize(image, new), notice


def pil_to_float(picture: Image.Image, *, mode: str = "auto") -> np.ndarray:
    """PIL image of any mode -> contract array, upright (EXIF orientation applied).

    ``mode``: "auto" keeps gray images gray and makes everything else RGB; "rgb" or "gray" force one.
    Transparent pixels are composited over white; CMYK, palette, 1-bit and 16-bit images are converted.
    """
    if mode not in ("auto", "rgb", "gray"):
        raise ValueError(f"mode must be 'auto', 'rgb' or 'gray', got {mode!r}")
    picture = ImageOps.exif_transpose(picture)
    gray_like = picture.mode in _GRAY_MODES
    if picture.mode in _DEEP_MODES:
        array = np.asarray(picture).astype(np.float32)
        top = 65535.0 if picture.mode.startswith("I;16") or array.max() > 255 else 255.0
        image = np.clip(array / top, 0.0, 1.0)
    elif picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        white = Image.new("RGBA", picture.size, (255, 255, 255, 255))
        flat = Image.alpha_composite(white, picture.convert("RGBA"))
        image = np.asarray(flat.convert("L" if gray_like else "RGB"), dtype=np.float32) / 255.0
    else:
        image = np.asarray(picture.convert("L" if gray_like else "RGB"), dtype=np.float32) / 255.0
    image = image.astype(np.float32)
    if mode == "rgb":
        return to_rgb(image)
    if mode == "gray":
        return to_gray(image)
    return image


_DEEP_MODES = ("I", "I;16", "I;16B", "I;16L", "F")
_GRAY_MODES = ("1", "L", "LA", "La") + _DEEP_MODES


def load_image(source, *, mode: str = "auto", max_side: int = DEFAULT_MAX_SIDE, min_side: int = 1,
               name: str | None = None) -> tuple[np.ndarray, str | None]:
    """Decode an uploaded file (path, bytes or PIL image) into the contract, capped to ``max_side``.

    Returns (image, notice): the notice says what was changed (downscaled), or None. Anything that is not a
    readable image, or has a side shorter than ``min_side`` (as uploaded, or once shrunk to ``max_side``), raises
    ValueError naming the file (and ``name``, the role it plays, e.g. "The style image") and what to do.
    """
    filename = os.path.basename(source) if isinstance(source, (str, os.PathLike)) else None
    label = f"{name} ({filename})" if name and filename else name or filename or "the upload"
    if isinstance(source, Image.Image):
        picture = source
    else:
        data = source if isinstance(source, bytes) else None
        picture = _open(data if data is not None else source, label)
    if picture.width * picture.height > MAX_DECODE_PIXELS:
        raise ValueError(
            f"{label} is {picture.width}x{picture.height} pixels, more than the {MAX_DECODE_PIXELS:,} "
            "this app decodes; upload a smaller image"
        )
    if min(picture.size) < min_side:
        raise ValueError(f"{label} is {picture.width}x{picture.height} pixels; this needs at least {min_side} "
                         "pixels on each side: upload a larger image")
    try:
        image = pil_to_float(picture, mode=mode)
    except (OSError, SyntaxError, ValueError) as error:
        raise ValueError(f"{label} could not be decoded ({error}); it may be truncated: re-export it as PNG or JPEG") from None
    image, notice = cap_size(image, max_side)
    if min(image.shape[:2]) < min_side:   # a long thin strip, shrunk to the cap: 600x16 would be 256x7
        raise ValueError(f"{label} is {picture.width}x{picture.height} pixels; shrunk to {max_side} px on its longer "
                         f"side it would be {image.shape[1]}x{image.shape[0]}, under the {min_side} pixels each side "
                         "needs: crop it closer to a square")
    return image, notice


def _open(source, label: str) -> Image.Image:
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            picture = Image.open(stream)
            if picture.width * picture.height > MAX_DECODE_PIXELS:
                return picture
            picture.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValueError(
                f"{label} declares more pixels than this app decodes ({MAX_DECODE_PIXELS:,}); "
                "it may be a decompression bomb: upload a smaller image"
            ) from None
        except UnidentifiedImageError:
            raise ValueError(f"{label} is not an image Pillow can read; upload a PNG, JPEG, BMP, GIF, TIFF or WebP file") from None
        except (OSError, SyntaxError) as error:
            raise ValueError(f"{label} could not be decoded ({error}); it may be truncated: re-export it as PNG or JPEG") from None
    return picture


def grid(images: np.ndarray, *, columns: int | None = None, pad: int = 2, background: float = 1.0) -> np.ndarray:
    """Tile (N, H, W) or (N, H, W, 3) contract images into one image, row-major, ``pad`` pixels apart."""
    stack = np.asarray(images, dtype=np.float32)
    if stack.ndim not in (3, 4) or len(stack) == 0:
        raise ValueError(f"images must have shape (N, H, W) or (N, H, W, 3) with N >= 1, got {stack.shape}")
    count, height, width = stack.shape[:3]
    columns = columns or math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    shape = (rows * (height + pad) + pad, columns * (width + pad) + pad) + stack.shape[3:]
    canvas = np.full(shape, background, dtype=np.float32)
    for index, tile in enumerate(stack):
        top = pad + (index // columns) * (height + pad)
        left = pad + (index % columns) * (width + pad)
        canvas[top:top + height, left:left + width] = tile
    return canvas


def upscale_nearest(image: np.ndarray, factor: int) -> np.ndarray:
    """Blow up a small image (a 28x28 digit) by an integer factor so pixels stay crisp in the browser."""
    return np.kron(image, np.ones((factor, factor) + (1,) * (image.ndim - 2), dtype=np.float32))


def to_tensor(image: np.ndarray, device=None) -> "torch.Tensor":
    """Contract image -> float32 tensor (1, C, H, W) on ``device``."""
    import torch

    array = image[None, None] if image.ndim == 2 else image.transpose(2, 0, 1)[None]
    return torch.from_numpy(np.ascontiguousarray(array)).to(device or "cpu")


def from_tensor(tensor: "torch.Tensor") -> np.ndarray:
    """Tensor (1, C, H, W) or (C, H, W) with C in {1, 3} -> contract image (not clipped)."""
    array = tensor.detach().float().cpu().numpy()
    if array.ndim == 4:
        array = array[0]
    return array[0] if array.shape[0] == 1 else array.transpose(1, 2, 0)


# The digit contract (MNIST): a stack of digits is float32 (n, 28, 28) in [0, 1] with bright ink on black.
DIGIT_SIDE = 28


def validate_digits(digits, *, name: str = "digits") -> np.ndarray:
    """A digit (28, 28) or a stack (n, 28, 28) as float32 (n, 28, 28) in [0, 1], or a ValueError naming what is
    wrong."""
    stack = np.asarray(digits, dtype=np.float32)
    if stack.ndim == 2:
        stack = stack[None]
    if stack.ndim != 3 or stack.shape[1:] != (DIGIT_SIDE, DIGIT_SIDE) or len(stack) == 0:
        raise ValueError(f"{name} must have shape (n, {DIGIT_SIDE}, {DIGIT_SIDE}) or ({DIGIT_SIDE}, {DIGIT_SIDE}), "
                         f"got {stack.shape}")
    if not np.all(np.isfinite(stack)) or stack.min() < 0 or stack.max() > 1:
        raise ValueError(f"{name} pixels must be finite and within [0, 1]; convert with generators.imaging.as_float")
    return np.ascontiguousarray(stack)


def ink_on_paper(digits: np.ndarray) -> np.ndarray:
    """Digits (bright ink on black) -> the same drawn dark on white, for display: 1 - x."""
    return (1.0 - np.asarray(digits, dtype=np.float32)).astype(np.float32)


SHEET_BACKGROUND = 0.85   # the grey between the digits of a sheet, so white paper reads as tiles


def digit_sheet(digits: np.ndarray, *, zoom: int = 1, columns: int | None = None) -> np.ndarray:
    """Digits (n, 28, 28), ink on black, as one contract image drawn dark on white tiles over grey, ``columns``
    wide (at most 16 and about square by default), enlarged ``zoom`` times."""
    columns = columns or min(16, math.ceil(math.sqrt(len(digits))))
    return upscale_nearest(grid(ink_on_paper(digits), columns=columns, background=SHEET_BACKGROUND), zoom)


def paper_to_ink(image: np.ndarray) -> np.ndarray:
    """A drawing dark on white (a pad, a scan) -> ink bright on black, as the digit contract has it (1 - x is its
    own inverse)."""
    return ink_on_paper(image)
