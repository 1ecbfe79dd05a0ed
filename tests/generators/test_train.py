import pytest

from generators.registry import MODELS, Registry
from generators.train.__main__ import TRAINERS, main


def test_every_model_has_a_trainer():
    assert set(MODELS) <= set(TRAINERS)


@pytest.mark.parametrize("name", ["mnist-lenet", "mnist-gmm", "bsds-epll-gmm", "mnist-vae", "mnist-gan",
                                  "bsds-cnn-denoiser", "mnist-dae"])
def test_dry_run_writes_a_loadable_checkpoint(tmp_path, name):
    main([name, "--dry-run", "--out", str(tmp_path)])
    models = Registry(directory=tmp_path, device="cpu")
    card = models.card(name)
    assert card["train_command"].startswith(f"python -m generators.train {name} --dry-run")
    assert card["metrics"]
    models.load(name)


@pytest.mark.parametrize("name", ["mnist-vae", "mnist-gan", "bsds-cnn-denoiser"])
def test_torch_trainers_resume_and_keep_their_loss_curves(tmp_path, name):
    main([name, "--dry-run", "--out", str(tmp_path)])
    first = Registry(directory=tmp_path).card(name)["curves"]
    main([name, "--dry-run", "--resume", "--out", str(tmp_path)])
    resumed = Registry(directory=tmp_path).card(name)["curves"]
    assert resumed == first and any(len(series) for series in first.values())


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
