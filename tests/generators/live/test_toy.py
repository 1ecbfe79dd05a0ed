"""The live API on the 2-D kinds: contracts, determinism, agreement with scikit-learn, and clear errors."""

import numpy as np
import pytest

from generators import live
from generators.live.gmm import start as gmm_start
from generators.live.points import ring8_centres

TOY = {"toy-gmm": {"components": 4}, "toy-gan": {"batch": 64, "hidden": 32}, "toy-logistic": {}}


@pytest.mark.parametrize("kind", live.TOY_KINDS)
def test_each_2d_kind_advances_and_keeps_the_contracts(kind):
    run = live.start(kind, seed=3, **TOY[kind])
    state = run.advance(5)
    assert state["step"] == 5 and state["kind"] == kind
    assert state["losses"] and all(len(values) == 5 for values in state["losses"].values())
    assert run.advance(2)["step"] == 7
    points = run.sample(50, seed=1)
    assert points.shape == (50, 2) and points.dtype == np.float32 and np.isfinite(points).all()


@pytest.mark.parametrize("kind", live.TOY_KINDS)
def test_same_seed_same_run_and_samples(kind):
    first, second = (live.start(kind, seed=7, **TOY[kind]) for _ in range(2))
    assert first.advance(4)["losses"] == second.advance(4)["losses"]
    np.testing.assert_array_equal(first.sample(20, seed=2), second.sample(20, seed=2))
    assert not np.array_equal(first.sample(20, seed=2), first.sample(20, seed=3))


def test_gmm_by_em_ends_where_scikit_learn_does_from_the_same_start():
    from sklearn.mixture import GaussianMixture

    run = live.start("toy-gmm", seed=0, data="moons", components=5)
    weights, means, covariances = gmm_start(run.x, 5, seed=0)
    reference = GaussianMixture(5, weights_init=weights, means_init=means, precisions_init=np.linalg.inv(covariances),
                                init_params="random_from_data", tol=1e-10, max_iter=2000).fit(run.x)
    first = run.log_likelihood
    run.advance(400)
    curve = run.state()["losses"]["log-likelihood per point"]
    assert np.all(np.diff(curve) >= -1e-9), "EM never lowers the likelihood"
    assert curve[-1] > first
    assert run.log_likelihood == pytest.approx(reference.score(run.x), abs=1e-4)


def test_logistic_regression_by_gradient_descent_ends_at_scikit_learns_weights():
    from sklearn.linear_model import LogisticRegression

    run = live.start("toy-logistic", seed=1, data="moons", lr=1.0, l2=0.01)
    run.advance(3000)
    reference = LogisticRegression(C=run.sklearn_c(), tol=1e-12, max_iter=10_000).fit(run.x, run.y)
    np.testing.assert_allclose(run.weights, reference.coef_[0], atol=1e-3)
    assert run.intercept == pytest.approx(reference.intercept_[0], abs=1e-3)
    losses = run.state()["losses"]["loss"]
    assert losses[-1] < losses[0]


def test_the_gan_moves_its_points_towards_the_ring():
    run = live.start("toy-gan", seed=0, batch=128, hidden=64)
    def distance_to_ring(points):
        return np.linalg.norm(points[:, None] - ring8_centres()[None], axis=2).min(axis=1).mean()
    before = distance_to_ring(run.sample(500, seed=0))
    run.advance(300)
    assert distance_to_ring(run.sample(500, seed=0)) < 0.6 * before
    assert run.discriminator(np.zeros((3, 2))).shape == (3,)
    assert run.generator_pull(run.sample(4)).shape == (4, 2)


@pytest.mark.parametrize("kind, hyper, named", [
    ("toy-gan", {"lr": 5.0}, "lr"),
    ("toy-gan", {"batch": 0}, "batch"),
    ("toy-gan", {"code": 2.5}, "code"),
    ("toy-gmm", {"components": 0}, "components"),
    ("toy-logistic", {"l2": -1}, "l2"),
    ("toy-logistic", {"lr": "fast"}, "lr"),
    ("toy-gan", {"data": "circle"}, "data"),
    ("toy-gan", {"momentum": 0.9}, "momentum"),
])
def test_bad_hyperparameters_raise_a_value_error_naming_them(kind, hyper, named):
    with pytest.raises(ValueError, match=named):
        live.start(kind, **hyper)


def test_an_unknown_kind_is_named():
    with pytest.raises(ValueError, match="toy-vae"):
        live.start("toy-vae")


@pytest.mark.parametrize("kind", live.TOY_KINDS)
def test_an_empty_drawn_data_set_is_refused_with_the_fix(kind):
    with pytest.raises(ValueError, match="drawn data set has 0 points; click"):
        live.start(kind, data="drawn", points=[])


def test_drawn_points_train():
    points = [[-1, -1], [-0.9, -1.1], [1, 1], [1.1, 0.9], [0.9, 1.0]]
    run = live.start("toy-logistic", data="drawn", points=points, labels=[0, 0, 1, 1, 1])
    run.advance(200)
    assert run.state()["losses"]["accuracy"][-1] == 1.0
    assert live.start("toy-gmm", data="drawn", points=points, components=2).advance(3)["step"] == 3
