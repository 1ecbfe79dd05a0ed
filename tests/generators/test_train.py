import ast
import os
from argparse import Namespace
from importlib import import_module
from pathlib import Path

import pytest

from generators import checkpoint
from generators.registry import MODELS, Registry
from generators.train.__main__ import main
from generators.train.state import REPO, state_dir

# Dry runs read a synthetic photo set in tmp_path, so they run on a fresh clone with no ../shared beside it.
pytestmark = pytest.mark.usefixtures("synthetic_data_home")

# One model per trainer module: the style networks share one.
ONE_PER_TRAINER = sorted({spec.trainer: name for name, spec in reversed(MODELS.items())}.values())
CACHES = {".git", ".venv", "__pycache__", ".pytest_cache", ".gradio"}


def _repository_files() -> dict[str, tuple[int, int]]:
    """Every file of the repository but caches, with its size and modification time."""
    files = {}
    for folder, subfolders, names in os.walk(REPO):
        subfolders[:] = [name for name in subfolders if name not in CACHES]
        for name in names:
            stat = (Path(folder) / name).stat()
            files[os.path.relpath(Path(folder) / name, REPO)] = (stat.st_size, stat.st_mtime_ns)
    return files


@pytest.fixture
def repository_unchanged():
    """Fails the test if it created, changed or removed any file of the repository (runs/, artifacts/,
    checkpoints/ included): a dry run writes only under tmp_path."""
    before = _repository_files()
    yield
    after = _repository_files()
    assert {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)} == set()


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_model_names_a_trainer_with_a_dry_run(name):
    trainer = import_module(MODELS[name].trainer)
    assert callable(trainer.add_arguments) and callable(trainer.train)
    assert MODELS[name].train_command == f"python -m generators.train {name}"


def test_trainers_reach_other_models_through_the_api_only():
    offenders = []
    for path in sorted((REPO / "generators" / "train").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
                     if isinstance(node, ast.ImportFrom) else
                     [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            offenders += [path.name for module in names if module == "generators.registry"]
    assert offenders == []


@pytest.mark.usefixtures("repository_unchanged")
@pytest.mark.parametrize("name", ONE_PER_TRAINER)
def test_dry_run_writes_a_loadable_checkpoint(tmp_path, name):
    main([name, "--dry-run", "--out", str(tmp_path)])
    models = Registry(directory=tmp_path, device="cpu")
    card = models.card(name)
    assert card["train_command"].startswith(f"python -m generators.train {name} --dry-run")
    assert card["metrics"]
    models.load(name)


@pytest.mark.usefixtures("repository_unchanged")
def test_a_dry_run_without_out_writes_to_a_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    main(["bsds-cnn-denoiser", "--dry-run"])
    (out,) = tmp_path.glob("genlab-dry-run-*")
    assert checkpoint.file_state(out, "bsds-cnn-denoiser") == "ok"
    assert checkpoint.file_state(out / "state", "bsds-cnn-denoiser") == "ok"


def test_resume_state_lives_beside_out_unless_it_is_the_shipped_folder(tmp_path):
    assert state_dir(Namespace(dry_run=False, out=tmp_path), "mnist-gan") == tmp_path / "state"
    assert state_dir(Namespace(dry_run=True, out=checkpoint.CHECKPOINT_DIR), "mnist-gan") == \
        checkpoint.CHECKPOINT_DIR / "state"
    shipped = Namespace(dry_run=False, out=checkpoint.CHECKPOINT_DIR)
    assert state_dir(shipped, "mnist-gan") == REPO / "runs" / "mnist-gan"


@pytest.mark.usefixtures("repository_unchanged")
@pytest.mark.parametrize("name", ["mnist-vae", "mnist-gan", "bsds-cnn-denoiser", "bsds-cnn-colour",
                                  "style-the-scream"])
def test_torch_trainers_resume_and_keep_their_loss_curves(tmp_path, name):
    main([name, "--dry-run", "--out", str(tmp_path)])
    first = Registry(directory=tmp_path).card(name)["curves"]
    assert checkpoint.file_state(tmp_path / "state", name) == "ok"      # the state file is in the manifest
    main([name, "--dry-run", "--resume", "--out", str(tmp_path)])
    resumed = Registry(directory=tmp_path).card(name)["curves"]
    assert resumed == first and any(len(series) for series in first.values())


def test_colour_cnn_can_start_from_a_shipped_checkpoint(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    main(["bsds-cnn-colour", "--dry-run", "--out", str(first)])
    main(["bsds-cnn-colour", "--dry-run", "--init-from", str(first), "--out", str(second)])
    init = Registry(directory=second).card("bsds-cnn-colour")["init"]
    assert checkpoint.sha256(first / "bsds-cnn-colour.safetensors") in init
    with pytest.raises(ValueError, match="--resume"):
        main(["bsds-cnn-colour", "--dry-run", "--resume", "--init-from", str(first), "--out", str(second)])
    with pytest.raises(checkpoint.CheckpointError, match="nowhere"):
        main(["bsds-cnn-colour", "--dry-run", "--init-from", str(tmp_path / "nowhere"), "--out", str(second)])


def test_cnn_warm_restart_reruns_the_schedule_from_its_step():
    from generators.train.bsds_cnn import _learning_rate

    args = Namespace(lr=1e-3, warmup=10, steps=100, restart=50)
    assert _learning_rate(50, args) == pytest.approx(1e-4)            # warm-up again from the restart
    assert _learning_rate(60, args) == pytest.approx(1e-3)            # back at the peak
    assert _learning_rate(99, args) < 2e-5                              # annealed by the end


def test_a_warm_restart_ahead_of_the_run_is_refused(tmp_path):
    with pytest.raises(ValueError, match="restart"):
        main(["bsds-cnn-denoiser", "--dry-run", "--restart", "5", "--out", str(tmp_path)])


def test_vae_can_train_on_every_digit_and_keep_a_chosen_epoch(tmp_path):
    main(["mnist-vae", "--dry-run", "--validation", "0", "--out", str(tmp_path)])
    card = Registry(directory=tmp_path).card("mnist-vae")
    assert card["curves"]["train_neg_elbo"] and not card["curves"]["valid_elbo"]
    assert "chosen_by" in card["config"]["code_prior"] and "held 400 back" in card["data"]
    Registry(directory=tmp_path).load("mnist-vae")
    with pytest.raises(ValueError, match="keep-epoch"):
        main(["mnist-vae", "--dry-run", "--validation", "0", "--keep-epoch", "500", "--out", str(tmp_path)])


def test_regular_patches_are_seeded_images_with_structure():
    import numpy as np

    from generators.train.patches import regular_patches

    first = regular_patches(16, 32, np.random.default_rng(3))
    assert first.shape == (16, 1, 32, 32) and first.dtype == np.float32
    assert 0 <= first.min() and first.max() <= 1
    assert np.array_equal(first, regular_patches(16, 32, np.random.default_rng(3)))
    assert not np.array_equal(first, regular_patches(16, 32, np.random.default_rng(4)))
    # Gratings and edges: most patches vary, and no two are the same picture.
    assert (first.std(axis=(1, 2, 3)) > 0.02).sum() >= 8
    assert len({patch.tobytes() for patch in first}) == 16


def test_glyph_patches_are_seeded_strokes_of_ink_on_paper():
    import numpy as np

    from generators.train.patches import glyph_patches

    first = glyph_patches(12, 48, np.random.default_rng(5))
    assert first.shape == (12, 1, 48, 48) and first.dtype == np.float32
    assert 0 <= first.min() and first.max() <= 1
    assert np.array_equal(first, glyph_patches(12, 48, np.random.default_rng(5)))
    # Two levels, paper and ink: most pixels sit near the patch's own paper level, a good share far from it.
    for patch in first[:, 0]:
        paper = np.median(patch)
        far = np.abs(patch - paper) > 0.2
        assert 0.03 < far.mean() < 0.6


def test_gray_cnn_can_fine_tune_a_checkpoint_with_regular_patches(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    main(["bsds-cnn-denoiser", "--dry-run", "--out", str(first)])
    main(["bsds-cnn-denoiser", "--dry-run", "--init-from", str(first), "--regular", "0.5", "--glyphs", "0.5",
          "--out", str(second)])
    card = Registry(directory=second).card("bsds-cnn-denoiser")
    assert checkpoint.sha256(first / "bsds-cnn-denoiser.safetensors") in card["training"]["init"]
    assert card["training"]["regular"] == 0.5 and "synthetic regular patches" in card["data"]
    assert card["training"]["glyphs"] == 0.5 and "text-like" in card["data"]
    with pytest.raises(ValueError, match="--resume"):
        main(["bsds-cnn-denoiser", "--dry-run", "--resume", "--init-from", str(first), "--out", str(second)])
    with pytest.raises(ValueError, match="--regular 1.5"):
        main(["bsds-cnn-denoiser", "--dry-run", "--regular", "1.5", "--out", str(second)])
    with pytest.raises(ValueError, match="--glyphs -0.1"):
        main(["bsds-cnn-denoiser", "--dry-run", "--glyphs", "-0.1", "--out", str(second)])
