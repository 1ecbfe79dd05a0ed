"""How the live digit GAN's design was chosen, with a judge that is not the one that reports it.

    OMP_NUM_THREADS=1 nice -n 5 python benchmarks/live_gan_select.py [--only NAME ...] [--cpu-seconds 60]

Each candidate trains from scratch on the 4,000 training digits for a budget of CPU seconds (one torch thread,
so the figure does not depend on how busy the machine is), then 1,000 samples from its averaged generator
are read by a SECOND judge: a scikit-learn MLPClassifier (one hidden layer of 256 ReLUs) fitted to the 4,000
training digits' pixels. Figures: its mean confidence, the Fréchet distance of its hidden features to the 1,000
held-out digits, and the Fréchet distance in a 50-component PCA of the training pixels. The shipped GAN is
measured the same way. benchmarks/live_train.py reports the chosen design with the LeNet (mnist-lenet), which
took no part in the choice.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generators import live, registry  # noqa: E402
from generators.datasets import mnist  # noqa: E402
from generators.metrics import frechet_distance  # noqa: E402

# name -> hyperparameters of live.start("mnist-gan", ...)
CANDIDATES = {
    "conv8": {},
    "conv8-b128": {"batch": 128},
    "mlp256": {"net": "mlp", "width": 256},
    "mlp256-lr1e-3": {"net": "mlp", "width": 256, "lr": 1e-3},
    "mlp512": {"net": "mlp", "width": 512},
    "mlp128-lr5e-4": {"net": "mlp", "width": 128, "lr": 5e-4},
    "mlp128-lr1e-3": {"net": "mlp", "width": 128, "lr": 1e-3},
}


class SecondJudge:
    """An sklearn MLP on pixels and a PCA of the training digits, fitted once."""

    def __init__(self, seed: int = 0):
        from sklearn.decomposition import PCA
        from sklearn.neural_network import MLPClassifier

        train = mnist("train")
        pixels = train.images.reshape(len(train.images), -1)
        self.mlp = MLPClassifier((256,), alpha=1e-3, max_iter=60, random_state=seed).fit(pixels, train.labels)
        self.pca = PCA(50, random_state=seed).fit(pixels)
        self.real = mnist("test").images.reshape(-1, 784)

    def hidden(self, pixels: np.ndarray) -> np.ndarray:
        return np.maximum(pixels @ self.mlp.coefs_[0] + self.mlp.intercepts_[0], 0)

    def figures(self, digits: np.ndarray) -> dict:
        pixels = digits.reshape(len(digits), -1)
        return {"confidence": round(float(self.mlp.predict_proba(pixels).max(axis=1).mean()), 3),
                "frechet_mlp": round(frechet_distance(self.hidden(pixels), self.hidden(self.real)), 2),
                "frechet_pca": round(frechet_distance(self.pca.transform(pixels), self.pca.transform(self.real)), 2)}


def train(hyper: dict, cpu_seconds: float, seed: int):
    run = live.start("mnist-gan", seed=seed, **hyper)
    start = time.process_time()
    while time.process_time() - start < cpu_seconds:
        run.advance(10)
    return run, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", choices=list(CANDIDATES), default=list(CANDIDATES))
    parser.add_argument("--cpu-seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shipped", action="store_true", help="also measure the shipped GAN")
    args = parser.parse_args()
    judge = SecondJudge()
    if args.shipped:
        registry.set_device("cpu")
        print("shipped GAN", judge.figures(registry.load("mnist-gan").sample(1000, seed=1)), flush=True)
    for name in args.only:
        run, cpu = train(CANDIDATES[name], args.cpu_seconds, args.seed)
        print(f"{name}: {run.step} steps, {cpu:.0f} CPU s, {run.seconds:.0f} wall s, load {os.getloadavg()[0]:.2f},",
              judge.figures(run.sample(1000, seed=1)), flush=True)


if __name__ == "__main__":
    main()
