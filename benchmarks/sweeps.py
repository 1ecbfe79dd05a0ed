"""Wall time of each one-click sweep (generators.sweeps) at its default settings, as the Sweeps section runs it.

    OMP_NUM_THREADS=1 python benchmarks/sweeps.py [--device cpu]

Each sweep runs twice in one process: the first run includes what it loads on first use (torch, the MNIST
digits, scikit-learn, the VAE and its judge, the feature network), the second is a warm run, as in a class
after the app's warm-up. Every sweep must finish well inside its time cap (ui.sweeps.TIME_CAP), so that it
is never cut short at its defaults.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generators import registry, sweeps  # noqa: E402

# Function -> the label the table gives it (the order of ui/sweeps.py's dropdown).
SWEEPS = {
    sweeps.polynomial_fit: "Polynomial fit: degree x window (3 x 5)",
    sweeps.ising_beta: "Ising MRF: coupling beta (2 algorithms x 6)",
    sweeps.icm_vs_gibbs: "ICM against Gibbs over 8 seeds",
    sweeps.gmm_components: "GMM of digits: K = 1, 5, 20, 50",
    sweeps.vae_priors: "VAE: N(0, I) against the fitted prior",
    sweeps.gatys_weights: "Gatys: style x content weight (3 x 3)",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cpu", help="torch device of the VAE and Gatys (default cpu)")
    args = parser.parse_args()
    registry.set_device(args.device)
    threads = os.environ.get("OMP_NUM_THREADS", "unset")
    print(f"device {args.device}, {os.cpu_count()} CPU cores, OMP_NUM_THREADS {threads}, "
          f"time cap {sweeps.TIME_LIMIT:.0f} s\n")
    print("| sweep | cells | first run (s) | again (s) | figures |")
    print("|---|---|---|---|---|")
    for sweep, label in SWEEPS.items():
        seconds = []
        for _ in range(2):
            started = time.perf_counter()
            result = sweep()
            seconds.append(time.perf_counter() - started)
        print(f"| {label} | {result.finished} of {result.total} | {seconds[0]:.1f} | {seconds[1]:.1f} | "
              f"{_figures(result.scores)} |", flush=True)


def _figures(scores: dict[str, float]) -> str:
    """Both figures of a two-cell sweep; the largest of a longer one (PSNR, log-likelihood, style loss)."""
    if len(scores) <= 2:
        return ", ".join(f"{name}: {value:.4g}" for name, value in scores.items())
    name = max(scores, key=scores.get)
    return f"largest: {name}, {scores[name]:.4g}"


if __name__ == "__main__":
    main()
