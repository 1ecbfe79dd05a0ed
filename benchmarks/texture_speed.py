"""Speed of the three texture synthesis methods against the issue's targets, as a markdown table.

    python benchmarks/texture_speed.py [--repeats 5]

Tasks (exemplar: the generated colour pattern assets/texture/pattern-pebbles.png, resized):
quilting 64x64 -> 256x256 (target 0.2 s), Efros-Leung 64x64 -> 128x128 (target 2 s), and neural 128x128 ->
128x128 until the first preview (5 optimiser steps, target 5 s), all with the default parameters and seed 0.
Each task runs --repeats times with 1 and with 2 torch threads; the table gives the best and median wall time
and the best CPU time of the process (on a machine other jobs share, wall time is inflated by waiting for a
core; CPU time is what the work itself took). The load average is printed with the table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from generators import api, imaging  # noqa: E402

EXEMPLAR = ROOT / "assets" / "texture" / "pattern-pebbles.png"


def tasks():
    pebbles, _ = imaging.load_image(EXEMPLAR)
    small, large = imaging.resize(pebbles, (64, 64)), imaging.resize(pebbles, (128, 128))
    return [
        ("quilting 64² → 256²", 0.2, lambda: api.synthesize(small, method="quilting", size=(256, 256), seed=0)),
        ("Efros–Leung 64² → 128²", 2.0,
         lambda: api.synthesize(small, method="efros_leung", size=(128, 128), seed=0)),
        ("neural 128², first preview", 5.0,
         lambda: next(api.synthesize_steps(large, method="neural", size=(128, 128), seed=0))),
    ]


def measure(run, repeats: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    rows = []
    for name, target, run in tasks():
        run()                                                       # warm up: imports, first-call set-up
        for threads in (1, 2):
            torch.set_num_threads(threads)
            walls, cpus = measure(run, args.repeats)
            verdict = "yes" if min(walls) <= target else ("yes (CPU time)" if min(cpus) <= target else "no")
            rows.append(f"| {name} | {target:g} s | {threads} | {min(walls):.3f} | {statistics.median(walls):.3f} | "
                        f"{min(cpus):.3f} | {verdict} |")
    print(f"{os.cpu_count()} CPU cores; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; "
          f"best of {args.repeats} runs after one warm-up.\n")
    print("| task | target | torch threads | best wall (s) | median wall (s) | best CPU (s) | within target |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
