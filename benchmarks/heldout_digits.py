"""Sample quality of the digit generators under two judges, as a table.

    python benchmarks/heldout_digits.py [--samples 5000] [--write-metrics]

Each model draws ``--samples`` digits (seed 1); both judges embed them and the 1,000 held-out digits
(generators.datasets.mnist("test"), which no judge and no sampler trains on), and the Fréchet distance
between the Gaussian fits of the features is reported (lower is better), with the smallest and largest share
of a class among the samples as the judge reads them. The floor is real vs real: the 4,000 training digits
against the 1,000 held-out ones.

- mnist-lenet (LeNet-5, all 4,000 training digits) is the **selection** judge: trainers may choose
  checkpoints with it, against training digits.
- mnist-allconv (all-convolutional, the second 2,000 training digits) is the **report** judge: nothing is
  ever chosen with it.

For a class-conditional sampler, the last lines give the share of ``--samples`` // 10 draws of each asked
digit that each judge reads as that digit.

``--write-metrics`` writes the report judge's figures into each sampler's card (frechet_allconv,
class_fractions_allconv, frechet_real_vs_real_allconv; generators.train.judge.JUDGE_KEYS), where the Sample tab
shows them beside the selection judge's, and updates checkpoints/manifest.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generators import checkpoint, registry  # noqa: E402
from generators.sample.quality import digit_quality, real_reference  # noqa: E402
from generators.train.judge import JUDGE_KEYS, REPORT_JUDGE, SELECTION_JUDGE  # noqa: E402

SAMPLERS = ["mnist-gan", "mnist-vae", "mnist-gmm"]
JUDGES = {SELECTION_JUDGE: "selects", REPORT_JUDGE: "reports"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=5000)
    parser.add_argument("--write-metrics", action="store_true",
                        help="write the report judge's figures into each sampler's card")
    args = parser.parse_args()
    start = time.process_time()
    registry.set_device("cpu")
    judges = {name: registry.load(name) for name in JUDGES}
    header = " | ".join(f"Fréchet, {name} ({role}) | class share min-max, {name}" for name, role in JUDGES.items())
    print(f"| model ({args.samples} samples vs the 1,000 held-out digits) | {header} |")
    print("|---|" + "---|---|" * len(JUDGES))
    floors = {name: real_reference(judge) for name, judge in judges.items()}
    print(f"| real digits (4,000 train vs 1,000 held-out) | {' | '.join(f'{f} | —' for f in floors.values())} |")
    for name in SAMPLERS:
        sampler = registry.load(name)
        cells, reported = [], {}
        for judge_name, judge in judges.items():
            quality = digit_quality(sampler, judge, n=args.samples)
            shares = quality["class_fractions"]
            cells.append(f"{quality['frechet_lenet']} | {min(shares):.1%}-{max(shares):.1%}")
            if judge_name == REPORT_JUDGE:
                quality["frechet_real_vs_real"] = floors[judge_name]
                reported = {key: quality[figure] for figure, key in JUDGE_KEYS[REPORT_JUDGE].items()}
        print(f"| {name} | {' | '.join(cells)} |", flush=True)
        if args.write_metrics:
            write_metrics(name, reported, args.samples)
    for name in SAMPLERS:
        sampler = registry.load(name)
        if getattr(sampler, "conditional", False):
            print(_class_control(name, sampler, judges, args.samples // 10))
    print(f"\nCPU time: {time.process_time() - start:.0f} s")


def write_metrics(name: str, figures: dict, samples: int) -> None:
    """Put the report judge's ``figures`` into the card of sampler ``name`` and its new hash in the manifest."""
    checkpoint.update_metrics(registry.CHECKPOINT_DIR, name, {
        **figures, "report_judge_benchmark": f"benchmarks/heldout_digits.py --write-metrics: {samples} samples, "
                                             f"seed 1, against the 1,000 held-out digits"})


def _class_control(name: str, sampler, judges: dict, per_digit: int) -> str:
    """How often each judge reads ``per_digit`` draws of each asked digit as that digit (worst digit, mean)."""
    parts = []
    for judge_name, judge in judges.items():
        agree = [float(np.mean(judge.predict(sampler.sample(per_digit, seed=1, digit=digit)) == digit))
                 for digit in range(10)]
        parts.append(f"{judge_name} reads {np.mean(agree):.1%} as asked (worst digit {min(agree):.1%})")
    return f"{name}, asked for each digit ({per_digit} draws each): " + "; ".join(parts)


if __name__ == "__main__":
    main()
