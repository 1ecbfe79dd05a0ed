"""The live digit kinds and the learned 5x5 filter: contracts, determinism, held-out curves, agreement with sklearn."""

import numpy as np
import pytest

from generators import live
from generators.live import digits

SMALL = {"batch": 16, "train_digits": 100}


@pytest.fixture(autouse=True)
def measure_often(monkeypatch):
    monkeypatch.setattr(digits, "EVAL_EVERY", 3)


@pytest.mark.parametrize("kind", live.DIGIT_KINDS)
def test_each_digit_kind_advances_and_samples_digits(kind):
    run = live.start(kind, seed=2, **SMALL)
    state = run.advance(3)
    assert state["step"] == 3 and all(len(values) == 3 for values in state["losses"].values())
    assert len(state["held_out"]) == 2 and all(steps == [3] for steps, _ in state["held_out"].values())
    samples = run.sample(4, seed=0)
    assert samples.shape == (4, 28, 28) and samples.dtype == np.float32
    assert samples.min() >= 0 and samples.max() <= 1
    assert run.picture().shape == (6 * 30, 10 * 30)


@pytest.mark.parametrize("kind", live.DIGIT_KINDS)
def test_same_seed_same_digit_run(kind):
    first, second = (live.start(kind, seed=5, **SMALL) for _ in range(2))
    assert first.advance(2)["losses"] == second.advance(2)["losses"]
    np.testing.assert_array_equal(first.sample(3, seed=1), second.sample(3, seed=1))


@pytest.mark.parametrize("net", ["conv", "mlp"])
def test_both_gan_networks_sample_digits_from_their_averaged_generator(net):
    run = live.start("mnist-gan", seed=3, net=net, **SMALL)
    before = run.sample(2, seed=0)
    run.advance(2)
    after = run.sample(2, seed=0)
    assert after.shape == (2, 28, 28) and not np.array_equal(before, after), "training moves the averaged generator"
    np.testing.assert_array_equal(after, run.sample(2, seed=0))
    assert not np.array_equal(after, run.sample(2, seed=1))


@pytest.mark.parametrize("hyper, named", [({"net": "rnn"}, "net"), ({"net": "mlp", "width": 4}, "width"),
                                          ({"net": "conv", "width": 256}, "width")])
def test_bad_gan_networks_are_named(hyper, named):
    with pytest.raises(ValueError, match=named):
        live.start("mnist-gan", **hyper)


def test_the_vae_learns_and_a_hundred_digits_overfit():
    few = live.start("mnist-vae", seed=0, batch=32, train_digits=100)
    start = few.held_out_elbo()
    few.advance(51)   # a multiple of EVAL_EVERY (3 here): the last measurement is at the current weights
    assert few.held_out_elbo() > start + 50, "the ELBO rises as it learns"
    (train_steps, train), (_, held) = few.state()["held_out"].values()
    assert train[-1] < held[-1], "on 100 digits the training loss falls below the held-out loss"
    # Both curves are measured alike at the weights of their step: not a mean over past batches, which lagged
    # behind the weights and read higher than the held-out loss early on.
    assert train_steps[-1] == few.step and held[-1] == pytest.approx(-few.held_out_elbo())
    assert train[-1] == pytest.approx(-few._elbo(few.train_x))


@pytest.mark.parametrize("hyper, named", [({"lr": 1.0}, "lr"), ({"train_digits": 50}, "train_digits"),
                                          ({"batch": 4096}, "batch"), ({"code": 0}, "code")])
def test_bad_digit_hyperparameters_are_named(hyper, named):
    with pytest.raises(ValueError, match=named):
        live.start("mnist-vae", **hyper)


def test_the_restoration_filter_learned_by_gradient_descent_matches_sklearn_and_restores():
    from sklearn.linear_model import LogisticRegression

    run = live.start("logistic-restore", seed=0, noise=0.5, l2=1e-3)
    state = run.advance(2500)
    wrong = state["losses"]["wrong pixels, unseen image"]
    assert wrong[-1] < 0.5 * state["noisy_error"] and wrong[-1] < wrong[0]
    reference = LogisticRegression(C=1 / (run.l2 * len(run.targets)), tol=1e-10, max_iter=5000).fit(run.rows,
                                                                                                   run.targets)
    np.testing.assert_allclose(run.weights, reference.coef_[0], atol=1e-3)
    assert state["filter"].shape == (5, 5) and run.picture().shape == (96, 3 * 96 + 8)


def test_restore_names_a_bad_noise_level():
    with pytest.raises(ValueError, match="noise"):
        live.start("logistic-restore", noise=5)
