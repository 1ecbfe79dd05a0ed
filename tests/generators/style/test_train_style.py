import pytest

from generators.registry import Registry
from generators.train.__main__ import main


# Dry runs read a synthetic photo set in tmp_path, so they run on a fresh clone with no ../shared beside it.
pytestmark = pytest.mark.usefixtures("synthetic_data_home")


def test_dry_run_writes_a_loadable_style_network_and_resumes(tmp_path):
    metrics = main(["style-the-scream", "--dry-run", "--out", str(tmp_path)])
    assert metrics["steps"] == 1 and metrics["held_out_style_loss_content"] > 0
    models = Registry(directory=tmp_path, device="cpu")
    card = models.card("style-the-scream")
    assert card["train_command"].startswith("python -m generators.train style-the-scream --dry-run")
    assert card["style"] == "the-scream" and "random" in card["loss_network"]
    assert card["metrics"]["loss_curve"] == [[1, metrics["train_loss_last100"]]]
    models.load("style-the-scream")
    assert (tmp_path / "state" / "style-the-scream.safetensors").exists()
    main(["style-the-scream", "--dry-run", "--out", str(tmp_path), "--resume", "--steps", "2"])

