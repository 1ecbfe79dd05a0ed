"""generators.features (the feature networks and Gram matrices of style and texture) and generators.vgg19 (the
VGG-19 weight file they may use)."""

import urllib.error
from pathlib import Path

import pytest
import torch

from generators import features, vgg19


def test_the_gram_matrix_is_the_symmetric_mean_of_channel_products():
    maps = torch.rand(2, 4, 5, 6, generator=torch.Generator().manual_seed(0))
    grams = features.gram(maps)
    assert grams.shape == (2, 4, 4)
    torch.testing.assert_close(grams, grams.transpose(1, 2))
    torch.testing.assert_close(grams[1, 2, 3], (maps[1, 2] * maps[1, 3]).mean())


def test_the_gram_matrix_forgets_where_things_are():
    maps = torch.rand(1, 3, 8, 8, generator=torch.Generator().manual_seed(1))
    torch.testing.assert_close(features.gram(maps), features.gram(maps.roll(3, dims=-1).flip(-2)))


def test_random_features_are_deterministic_multi_scale_relu_maps():
    image = torch.rand(1, 3, 40, 48, generator=torch.Generator().manual_seed(2))
    net = features.RandomFeatures(widths=(8, 8, 8), kernel=5, content_level=1, seed=3)
    got = net(image)
    assert [tuple(m.shape) for m in got.style] == [(1, 8, 40, 48), (1, 8, 20, 24), (1, 8, 10, 12)]
    assert got.content is got.style[1] and min(float(m.min()) for m in got.style) >= 0.0
    again = features.RandomFeatures(widths=(8, 8, 8), kernel=5, content_level=1, seed=3)(image)
    other = features.RandomFeatures(widths=(8, 8, 8), kernel=5, content_level=1, seed=4)(image)
    torch.testing.assert_close(again.style[2], got.style[2])
    assert not torch.equal(other.style[0], got.style[0])


def test_vgg19_is_chosen_only_when_its_weights_are_cached(monkeypatch, tmp_path):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    assert vgg19.weights_path() is None and not vgg19.chosen("auto") and not vgg19.chosen("random")
    assert isinstance(features.network("auto"), features.RandomFeatures)
    with pytest.raises(ValueError, match=r"generators.vgg19.fetch\(\).*'random' feature network"):
        features.network("vgg19")
    with pytest.raises(ValueError, match="unknown network 'resnet'; choose one of: auto, random, vgg19"):
        vgg19.chosen("resnet")
    (tmp_path / "hub" / "checkpoints").mkdir(parents=True)
    (tmp_path / "hub" / "checkpoints" / vgg19.FILE).touch()
    assert vgg19.chosen("auto") and vgg19.chosen("vgg19") and not vgg19.chosen("random")


def _no_network(url, target, **options):
    raise urllib.error.URLError("no network here")


def test_vgg19_download_failure_is_a_message_not_a_silent_fallback(monkeypatch, tmp_path):
    from generators import fetch

    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(fetch, "download", _no_network)
    weights, note = vgg19.fetch()
    assert weights is None and vgg19.URL in note and "no network here" in note


def test_vgg19_is_downloaded_once_into_the_hub_cache_with_its_hash_checked(monkeypatch, tmp_path):
    from generators import fetch

    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    calls = []

    def fake_download(url, target, *, sha256_prefix=None):
        calls.append((url, sha256_prefix))
        Path(target).parent.mkdir(parents=True)
        Path(target).write_bytes(b"weights")

    monkeypatch.setattr(fetch, "download", fake_download)
    weights, note = vgg19.fetch()
    assert weights == tmp_path / "hub" / "checkpoints" / vgg19.FILE and "Downloaded" in note
    assert vgg19.fetch()[0] == weights
    assert calls == [(vgg19.URL, "dcbb9e9d")]


def test_vgg19_is_opted_into_only_by_genlab_vgg19_1(monkeypatch):
    monkeypatch.delenv(vgg19.ENV, raising=False)
    assert not vgg19.opted_in()
    monkeypatch.setenv(vgg19.ENV, "1")
    assert vgg19.opted_in()
    monkeypatch.setenv(vgg19.ENV, "0")
    assert not vgg19.opted_in()
