"""One-click sweeps that make the seed articles' arguments: one or two settings varied over a grid, every
result labelled with its score, so the argument is one picture (and a plot of the scores).

    polynomial_fit   degree x window of a local polynomial fit: the best window grows with the degree
    ising_beta       the Ising prior's coupling beta under ICM and Gibbs: too weak keeps noise, too strong erodes
    icm_vs_gibbs     one noisy image restored with N seeds: ICM never varies, Gibbs varies where it is unsure
    gmm_components   a PCA-GMM of digits refitted with K Gaussians: training and held-out log-likelihood per K
    vae_priors       the VAE decoding N(0, I) codes against codes from its fitted prior, with Fréchet distances
    gatys_weights    Gatys style transfer over style weight x content weight

Each returns a SweepResult and takes ``should_stop`` (a callable: true ends the sweep before the next cell, and
Gatys within its step), ``progress(fraction, text)`` and ``time_limit`` (seconds); a sweep ended early keeps
the cells it finished, marks the others "not run" and says "Stopped at k of n". Labels drawn on the images are
ASCII: Pillow's default font has no Greek letters.
"""


from generators.sweeps.digits import PRIORS, gmm_components, vae_priors
from generators.sweeps.grid import (FONT_SIZE, GMM_AXES, ISING_AXES, MAX_VALUES, NOT_RUN, POLYNOMIAL_AXES, TIME_LIMIT,
                                    Axes, Plot, SweepResult, labelled_grid)
from generators.sweeps.restoration import icm_vs_gibbs, ising_beta, polynomial_fit
from generators.sweeps.style import gatys_weights

__all__ = ["Axes", "FONT_SIZE", "GMM_AXES", "ISING_AXES", "MAX_VALUES", "NOT_RUN", "POLYNOMIAL_AXES", "PRIORS",
           "Plot", "SweepResult", "TIME_LIMIT", "gatys_weights", "gmm_components", "icm_vs_gibbs", "ising_beta",
           "labelled_grid", "polynomial_fit", "vae_priors"]
