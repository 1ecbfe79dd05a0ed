"""generators.bundle: a result's zip written and read back, and every zip it must refuse."""

import io
import json
import math
import zipfile

import numpy as np
import pytest

from generators import bundle

META = {"tab": "sample", "view": "sample/generate", "api_name": "/sample", "params": {"seed": "3"}, "seed": 3,
        "models": {"mnist-gmm": "ab" * 32}}


def _images(seed=0):
    rng = np.random.default_rng(seed)
    return {"image": rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)}, {
        "samples": rng.integers(0, 256, (30, 30), dtype=np.uint8)}


def _made() -> bytes:
    inputs, outputs = _images()
    return bundle.write(META, inputs, outputs, bundle.script("/sample", {"seed": 3}, {"path": "inputs/image.png"}))


def _rezip(data: bytes, change) -> bytes:
    """The bundle ``data`` with its members passed through ``change({name: bytes}) -> {name: bytes}``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in change(members).items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_a_bundle_round_trips_its_pixels_params_and_provenance():
    inputs, outputs = _images()
    found = bundle.read(_made())
    assert np.array_equal(found.inputs["image"], inputs["image"])
    assert np.array_equal(found.outputs["samples"], outputs["samples"])
    assert found.meta["view"] == "sample/generate" and found.meta["seed"] == 3
    assert found.meta["models"] == META["models"] and found.meta["genlab"] == bundle.version()
    assert set(found.meta["files"]) == {"inputs/image.png", "outputs/samples.png", "reproduce.py"}


def test_the_script_calls_the_endpoint_by_name_with_the_bundled_file():
    text = bundle.script("/restore", {"seed": 3, "methods": ["Gaussian filter"]}, {"path": "inputs/image.png"})
    compile(text, "reproduce.py", "exec")
    assert "api_name='/restore'" in text and "path=handle_file(str(HERE / 'inputs/image.png'))" in text
    assert "methods=['Gaussian filter']" in text


def test_identical_outputs_compare_identical_and_a_changed_one_gives_its_psnr():
    _, outputs = _images()
    assert bundle.compare(outputs, {"samples": np.stack([outputs["samples"]] * 3, axis=2)}).identical
    changed = outputs["samples"].copy()
    changed[0, 0] ^= 0xFF
    match = bundle.compare(outputs, {"samples": changed})
    assert not match.identical and match.differing == ["samples"] and 20 < match.psnr < math.inf


@pytest.mark.parametrize("change, words", [
    (lambda m: {k: v for k, v in m.items() if k != "params.json"}, "no params.json"),
    (lambda m: {**m, "params.json": b"{not json"}, "not valid JSON"),
    (lambda m: {**m, "../evil.png": b"x"}, "outside the bundle"),
    (lambda m: {**m, "/etc/passwd": b"x"}, "outside the bundle"),
    (lambda m: {**m, "outputs/extra.png": m["outputs/samples.png"]}, "does not list"),
    (lambda m: {**m, "outputs/samples.png": m["inputs/image.png"]}, "does not match its sha256"),
    (lambda m: {**m, "notes.txt": b"hello"}, "not part of a GenLab bundle"),
])
def test_a_foreign_tampered_or_traversing_zip_is_refused_with_its_reason(change, words):
    with pytest.raises(bundle.BundleError, match=words):
        bundle.read(_rezip(_made(), change))


def test_a_zip_bomb_is_refused_before_it_expands():
    zeros = b"\0" * (bundle.MAX_MEMBER_BYTES + 1)
    bomb = _rezip(_made(), lambda m: {**m, "outputs/samples.png": zeros})
    assert len(bomb) < 100_000
    with pytest.raises(bundle.BundleError, match="zip bomb"):
        bundle.read(bomb)
    ratio = _rezip(_made(), lambda m: {**m, "outputs/samples.png": b"\0" * 2_000_000})
    with pytest.raises(bundle.BundleError, match="expands .* times"):
        bundle.read(ratio)


def test_not_a_zip_and_a_bundle_of_another_format_are_refused():
    with pytest.raises(bundle.BundleError, match="not a zip"):
        bundle.read(b"PK but not really")
    other = _rezip(_made(), lambda m: {**m, "params.json": json.dumps({"format": "other/9"}).encode()})
    with pytest.raises(bundle.BundleError, match="not a genlab-bundle/1 file \\(its format is 'other/9'\\)"):
        bundle.read(other)
    unnamed = _rezip(_made(), lambda m: {**m, "params.json": b"{}"})
    with pytest.raises(bundle.BundleError, match="not a genlab-bundle/1 file \\(it names no format\\)"):
        bundle.read(unnamed)


def test_nothing_to_bundle_says_run_it_first():
    with pytest.raises(ValueError, match="run it first"):
        bundle.write(META, {}, {}, "")
