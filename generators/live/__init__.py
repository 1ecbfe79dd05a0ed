"""Models that train live, step by step, for the Train tab: a 2-D playground (GMM by EM, a GAN, logistic
regression), small digit models trained from scratch (GAN, VAE, denoising autoencoder) and the
5x5 restoration filter learned by gradient descent.

    from generators import live
    run = live.start("toy-gan", seed=0, data="ring8", lr=1e-3)
    state = run.advance(100)        # {"step": 100, "losses": {"D loss": [...], "G loss": [...]}, ...}
    points = run.sample(1000, seed=0)

Modules (and torch) load on first use. ``POOL`` is the server's shared set of training places, and every run
stops after ``TIME_LIMIT_S`` seconds of training (``run.out_of_time``).
"""

from __future__ import annotations

import importlib
import inspect

from generators.live.pool import Pool
from generators.live.run import TIME_LIMIT_S

# kind -> "module:Class", imported when a run of that kind starts. Every class takes (seed, **hyper) and offers
# advance/state/sample.
KINDS = {
    "toy-gmm": "generators.live.gmm:GMMRun", "toy-gan": "generators.live.gan2d:GAN2DRun",
    "toy-logistic": "generators.live.logistic:LogisticRun", "mnist-gan": "generators.live.digits:DigitGANRun",
    "mnist-vae": "generators.live.digits:DigitVAERun", "mnist-dae": "generators.live.digits:DigitDAERun",
    "logistic-restore": "generators.live.restore:RestoreRun",
}
TOY_KINDS = ("toy-gmm", "toy-gan", "toy-logistic")
DIGIT_KINDS = ("mnist-gan", "mnist-vae", "mnist-dae")
POOL = Pool()

__all__ = ["DIGIT_KINDS", "KINDS", "POOL", "TIME_LIMIT_S", "TOY_KINDS", "Pool", "start"]


def start(kind: str, *, seed: int = 0, **hyper):
    """A new run of ``kind`` at step 0. Unknown kinds, unknown hyperparameters and values out of range raise a
    ValueError naming them and what is allowed."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    module, name = KINDS[kind].split(":")
    cls = getattr(importlib.import_module(module), name)
    allowed = [p.name for p in inspect.signature(cls).parameters.values() if p.kind is p.KEYWORD_ONLY]
    unknown = sorted(set(hyper) - set(allowed))
    if unknown:
        raise ValueError(f"{kind}: unknown hyperparameter(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}")
    return cls(seed, **hyper)
