"""Speed of the Stylize tab's methods on this machine, printed as markdown tables:

    python benchmarks/style_speed.py [--repeats 5] [--threads 1]

Fast style at 512x512: each shipped slim network against Johnson et al.'s original architecture (1.68 M
parameters, built untrained: speed does not depend on the weights), timed alternately in the same process,
median of --repeats. Gatys: seconds from the call to the first preview at 256x256, and steps per second.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch
from skimage import data

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generators import api, imaging  # noqa: E402
from generators.style.fast import JOHNSON, StyleNet  # noqa: E402
from generators.style.paintings import painting  # noqa: E402


def _median_seconds(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fast_table(repeats: int) -> str:
    content = imaging.resize(imaging.as_float(data.astronaut()), (512, 512))
    johnson = StyleNet(JOHNSON).eval()
    tensor = imaging.to_tensor(content)

    @torch.inference_mode()
    def run_johnson():
        johnson(tensor)

    run_johnson()
    rows = ["| network | parameters | 512x512 median s | vs Johnson |", "|---|---:|---:|---:|"]
    reference = []
    for name in api.fast_styles():
        model = api.fast_style(name)
        model.apply(content)
        slim, ref = [], []
        for _ in range(repeats):
            slim.append(_median_seconds(lambda: model.apply(content), 1))
            ref.append(_median_seconds(run_johnson, 1))
        reference += ref
        seconds = statistics.median(slim)
        rows.append(f"| GenLab slim `style-{name}` | {model.net.parameter_count():,} | {seconds:.3f} | "
                    f"{seconds / statistics.median(ref):.2f}x |")
    rows.insert(2, f"| Johnson et al. 2016 (untrained) | {sum(p.numel() for p in johnson.parameters()):,} | "
                   f"{statistics.median(reference):.3f} | 1.00x |")
    return "\n".join(rows)


def gatys_table(repeats: int) -> str:
    content = imaging.resize(imaging.as_float(data.astronaut()), (256, 256))
    style = painting("udnie", max_side=256)
    first, first_steps, rates, network = [], [], [], ""
    for seed in range(repeats):
        start = time.perf_counter()
        previews = api.gatys(content, style, steps=20, size=256, seed=seed)
        preview = next(previews)
        first.append(time.perf_counter() - start)
        first_steps.append(preview.step)
        for preview in previews:
            pass
        rates.append(preview.step / preview.seconds)
        network = preview.network
    return "\n".join([
        "| Gatys at 256x256 (default settings) | median |", "|---|---:|",
        f"| first preview, s (includes building the feature network) | {statistics.median(first):.2f} |",
        f"| steps done at the first preview | {statistics.median(first_steps):.0f} |",
        f"| steps per second | {statistics.median(rates):.2f} |",
        f"| feature network | {network} |",
    ])


def training_table() -> str:
    """The shipped networks' cards: training length and the held-out figures their trainer measured."""
    rows = ["| network | steps | train CPU-min | style loss: photo -> stylized (held-out) | content loss (held-out) |",
            "|---|---:|---:|---:|---:|"]
    for name in api.fast_styles():
        metrics = api.fast_style_card(name).get("metrics", {})
        rows.append(f"| `style-{name}` | {metrics.get('steps', '?')} | {metrics.get('train_cpu_minutes', '?')} | "
                    f"{metrics.get('held_out_style_loss_content', '?')} -> "
                    f"{metrics.get('held_out_style_loss_stylized', '?')} | {metrics.get('held_out_content_loss', '?')} |")
    return "\n".join(rows)


def classical_table(repeats: int) -> str:
    content = imaging.resize(imaging.as_float(data.astronaut()), (512, 512))
    style = imaging.resize(imaging.as_float(data.coffee()), (400, 600))
    rows = ["| classical at 512x512 | median s |", "|---|---:|"]
    for method in ("reinhard", "histogram"):
        rows.append(f"| {method} | {_median_seconds(lambda: api.stylize(content, style, method=method), repeats):.3f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (the machine is shared)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch threads: {args.threads}\n")
    print(training_table(), end="\n\n")
    print(fast_table(args.repeats), end="\n\n")
    print(gatys_table(args.repeats), end="\n\n")
    print(classical_table(args.repeats))


if __name__ == "__main__":
    main()
