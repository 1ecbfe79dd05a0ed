"""How good are a sampler's digits? The Fréchet distance of LeNet features to held-out real digits, and the
share of each class among the samples (as the judge classifies them). Used by trainers and benchmarks."""

from __future__ import annotations

import numpy as np

from generators.datasets import mnist
from generators.metrics import frechet_distance


def digit_quality(sampler, judge, *, n: int = 5000, seed: int = 1) -> dict:
    """Draw ``n`` samples with ``seed``; compare them with the 1,000 held-out digits under ``judge`` (LeNet)."""
    samples = sampler.sample(n, seed=seed)
    real = judge.embed(mnist("test").images)
    classes = np.bincount(judge.predict(samples), minlength=10) / n
    return {
        "frechet_lenet": round(frechet_distance(judge.embed(samples), real), 2),
        "class_fractions": [round(float(share), 4) for share in classes],
        "samples": n,
        "seed": seed,
    }


def real_reference(judge) -> float:
    """The floor of the measure: Fréchet distance between the 4,000 training and 1,000 held-out real digits."""
    return round(frechet_distance(judge.embed(mnist("train").images), judge.embed(mnist("test").images)), 2)
