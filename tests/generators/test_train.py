import pytest

from generators.registry import MODELS, Registry
from generators.train.__main__ import TRAINERS, main


# Dry runs read a synthetic photo set in tmp_path, so they run on a fresh clone with no ../shared beside it.
pytestmark = pytest.mark.usefixtures("synthetic_data_home")


def test_every_model_has_a_trainer():
    assert set(MODELS) <= set(TRAINERS)


@pytest.mark.parametrize("name", ["mnist-lenet", "mnist-gmm", "bsds-epll-gmm", "mnist-vae", "mnist-gan",
                                  "bsds-cnn-denoiser", "bsds-cnn-colour", "mnist-dae"])
def test_dry_run_writes_a_loadable_checkpoint(tmp_path, name):
    main([name, "--dry-run", "--out", str(tmp_path)])
    models = Registry(directory=tmp_path, device="cpu")
    card = models.card(name)
    assert card["train_command"].startswith(f"python -m generators.train {name} --dry-run")
    assert card["metrics"]
    models.load(name)


@pytest.mark.parametrize("name", ["mnist-vae", "mnist-gan", "bsds-cnn-denoiser", "bsds-cnn-colour"])
def test_torch_trainers_resume_and_keep_their_loss_curves(tmp_path, name):
    main([name, "--dry-run", "--out", str(tmp_path)])
    first = Registry(directory=tmp_path).card(name)["curves"]
    main([name, "--dry-run", "--resume", "--out", str(tmp_path)])
    resumed = Registry(directory=tmp_path).card(name)["curves"]
    assert resumed == first and any(len(series) for series in first.values())


def test_colour_cnn_can_start_from_a_shipped_checkpoint(tmp_path):
    from generators import checkpoint

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
    from argparse import Namespace

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
