"""The 2-D data sets of the playground, each a fixed set of points drawn with a seed, with two classes for
logistic regression: ``ring8`` (8 Gaussians, std 0.05, on the unit circle at angles k * 45 degrees; class: upper
or lower half of the ring), ``moons`` (scikit-learn's two interleaving half circles), ``spiral`` (two arms
winding round each other) and ``drawn`` (the points a student placed, with the class of each)."""

from __future__ import annotations

import numpy as np

DATASETS = ("ring8", "moons", "spiral", "drawn")
COUNT = 2000
RING_STD = 0.05
MIN_DRAWN = 3
MAX_DRAWN = 5000


def ring8_centres() -> np.ndarray:
    """(8, 2) centres of the ring's modes: (cos k 45 deg, sin k 45 deg)."""
    angles = np.arange(8) * np.pi / 4
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def make(name: str, *, seed: int, points=None, labels=None, kind: str = "live run") -> tuple[np.ndarray, np.ndarray]:
    """(points float32 (n, 2), labels int64 (n,) in {0, 1}) for data set ``name``."""
    rng = np.random.default_rng(seed)
    if name == "ring8":
        mode = rng.integers(0, 8, COUNT)
        data = ring8_centres()[mode] + RING_STD * rng.standard_normal((COUNT, 2))
        return data.astype(np.float32), (mode < 4).astype(np.int64)
    if name == "moons":
        from sklearn.datasets import make_moons

        data, label = make_moons(COUNT, noise=0.08, random_state=seed)
        return ((data - [0.5, 0.25]) / 1.2).astype(np.float32), label.astype(np.int64)
    if name == "spiral":
        arm = rng.integers(0, 2, COUNT)
        t = np.sqrt(rng.uniform(0.02, 1.0, COUNT)) * 3 * np.pi
        radius = t / (3 * np.pi)
        angle = t + np.pi * arm
        data = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], 1) + 0.03 * rng.standard_normal((COUNT, 2))
        return data.astype(np.float32), arm.astype(np.int64)
    if name == "drawn":
        return drawn(points, labels, kind=kind)
    raise ValueError(f"{kind}: data must be one of {', '.join(DATASETS)}, got {name!r}")


def drawn(points, labels=None, *, kind: str = "live run") -> tuple[np.ndarray, np.ndarray]:
    """The student's points, checked: at least MIN_DRAWN, finite, inside the [-2, 2] square."""
    data = np.asarray(points if points is not None else [], dtype=np.float64).reshape(-1, 2)
    if len(data) < MIN_DRAWN:
        raise ValueError(f"{kind}: the drawn data set has {len(data)} points; click on the plot to place at least "
                         f"{MIN_DRAWN} (or pick ring8, moons or spiral)")
    if len(data) > MAX_DRAWN or not np.all(np.isfinite(data)) or np.abs(data).max() > 2:
        raise ValueError(f"{kind}: drawn points must be at most {MAX_DRAWN} finite points inside [-2, 2] x [-2, 2]")
    label = np.zeros(len(data), np.int64) if labels is None else np.asarray(labels, dtype=np.int64).reshape(-1)
    if len(label) != len(data) or not np.isin(label, (0, 1)).all():
        raise ValueError(f"{kind}: give one class (0 or 1) per drawn point, got {len(label)} for {len(data)} points")
    return data.astype(np.float32), label
