"""The Denoise tab's "what the learned methods learned" view."""

from ui.common import examples
from ui.learned_filters import learned


def _horse() -> str:
    return next(path for path in examples("denoise") if path.endswith("binary-horse.png"))


def test_the_energy_plot_shows_each_sweeps_change_so_icm_and_gibbs_can_be_told_apart():
    _, _, energies = learned(_horse(), True, "Gaussian noise", 80, 0, [])
    icm = energies[energies["algorithm"] == "ICM"]["energy change"].tolist()
    gibbs = energies[energies["algorithm"] == "GIBBS"]["energy change"].tolist()
    assert icm[0] == gibbs[0] == 0.0                        # both start from the noisy image
    assert all(later <= earlier for earlier, later in zip(icm, icm[1:])) and icm[-1] < 0
    assert min(gibbs) < 0 and icm != gibbs[:len(icm)]       # two different curves, not one drawn twice


def test_without_gaussian_noise_there_is_no_energy_curve_but_the_filters_show():
    ls_filter, weights, energies = learned(_horse(), True, "Missing pixels", 25, 0, [])
    assert energies.empty and ls_filter is not None and weights is not None
