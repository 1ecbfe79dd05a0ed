"""The CNN denoiser and EPLL against BM3D on classic test images (issue #16): same noise, same run, CPU time.

    pip install bm3d   # benchmark-only: its licence is non-commercial, so nothing in the app imports it
    python benchmarks/classic_images.py [--split report] [--sigmas 25] [--cnn DIR] [--epll DIR] [--no-epll]
                                        [--epll-betas 1 4 8 16 32 ...]

Images: scikit-image's classic test images, gray, centre crops of at most 256 x 256
(generators.datasets.classic). They come in two disjoint sets: "select" (camera, astronaut, brick, text) is
the only one a checkpoint or a setting may be chosen on; "report" (coins, moon, clock, page, coffee,
chelsea, rocket, grass, gravel) only measures. No model trained on either. Unclipped Gaussian noise, seeded
per image and sigma; PSNR (data range 1) after clipping, mean over the images; CPU seconds per image
(time.process_time, torch on one thread, the CNN in bfloat16 where the CPU has it natively, as the app runs
it), with the ratio to BM3D's in brackets.

--cnn DIR / --epll DIR add a candidate checkpoint from DIR (a training run's --out) beside the shipped one,
labelled "(candidate)" (or --label): run that on --split select to choose, then on --split report to report.
--epll-betas B... (repeatable) adds the shipped prior under another half-quadratic schedule, likewise.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.cnn_denoiser import bm3d_estimate, precision  # noqa: E402
from generators import api, checkpoint, metrics  # noqa: E402
from generators.datasets import CLASSIC, classic  # noqa: E402
from generators.denoise import gaussian_noise  # noqa: E402
from generators.denoise.cnn import CNNDenoiser  # noqa: E402
from generators.denoise.epll import PatchGMM  # noqa: E402


def variants(args) -> dict:
    """{label: (method, options)} for generators.api.compare_denoisers."""
    out = {"cnn": ("cnn", {}), "cnn x8": ("cnn", {"ensemble": 8})}
    if args.cnn:
        net = CNNDenoiser.from_checkpoint(checkpoint.load(args.cnn, "bsds-cnn-denoiser", rebuild="the training run that wrote it"))
        out |= {f"cnn ({args.label})": ("cnn", {"model": net}),
                f"cnn x8 ({args.label})": ("cnn", {"model": net, "ensemble": 8})}
    if not args.no_epll:
        out["epll"] = ("epll", {})
        if args.epll:
            prior = PatchGMM.from_checkpoint(checkpoint.load(args.epll, "bsds-epll-gmm", rebuild="the training run that wrote it"))
            out[f"epll ({args.label})"] = ("epll", {"model": prior})
        for betas in args.epll_betas or []:
            out[f"epll, {len(betas)} steps to {max(betas):g}"] = ("epll", {"betas": tuple(betas)})
    return out


def measure(images, sigmas, methods) -> dict:
    """{sigma: {label: (psnr, cpu s)}}, means over the images, BM3D first; per-image PSNRs to stderr."""
    results = {}
    for sigma255 in sigmas:
        rows: dict[str, list] = {}
        for index, (name, clean) in enumerate(images):
            noisy = gaussian_noise(clean, sigma=sigma255 / 255, seed=1000 + 7 * index + sigma255)
            started = time.process_time()
            estimate = np.clip(bm3d_estimate(noisy, sigma255 / 255), 0, 1)
            rows.setdefault("bm3d", []).append((metrics.psnr(clean, estimate), time.process_time() - started))
            for row in api.compare_denoisers(clean, noisy, methods=methods, sigma=sigma255 / 255,
                                             clock=time.process_time):
                rows.setdefault(row.label, []).append((row.psnr, row.seconds))
            print(f"sigma {sigma255} {name}: " + ", ".join(f"{label} {values[-1][0]:.2f}"
                                                          for label, values in rows.items()), file=sys.stderr, flush=True)
        results[sigma255] = {label: tuple(float(v) for v in np.mean(values, axis=0)) for label, values in rows.items()}
    return results


def table(results: dict) -> str:
    labels = list(next(iter(results.values())))
    lines = ["| σ | " + " | ".join(f"{label} PSNR" for label in labels) + " | "
             + " | ".join(f"{label} − BM3D (dB)" for label in labels[1:]) + " | BM3D CPU s | "
             + " | ".join(f"{label} CPU s (ratio)" for label in labels[1:]) + " |",
             "|---|" + "---:|" * (3 * len(labels) - 1)]
    for sigma255, row in results.items():
        reference, reference_s = row["bm3d"]
        lines.append(f"| {sigma255} | " + " | ".join(f"{row[label][0]:.2f}" for label in labels) + " | "
                     + " | ".join(f"{row[label][0] - reference:+.2f}" for label in labels[1:])
                     + f" | {reference_s:.2f} | "
                     + " | ".join(f"{row[label][1]:.2f} ({row[label][1] / reference_s:.3f})" for label in labels[1:])
                     + " |")
    return "\n".join(lines)


def main() -> None:
    import torch

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=sorted(CLASSIC), default="report")
    parser.add_argument("--sigmas", type=int, nargs="+", default=[25])
    parser.add_argument("--side", type=int, default=256)
    parser.add_argument("--cnn", type=Path, default=None, help="a candidate bsds-cnn-denoiser checkpoint folder")
    parser.add_argument("--epll", type=Path, default=None, help="a candidate bsds-epll-gmm checkpoint folder")
    parser.add_argument("--label", default="candidate", help="what to call the --cnn/--epll rows (e.g. previous)")
    parser.add_argument("--no-epll", action="store_true", help="leave EPLL out (about 16 CPU s per image)")
    parser.add_argument("--epll-betas", type=float, nargs="+", action="append", default=None,
                        help="also run the shipped prior with this half-quadratic schedule (units of 1/sigma^2), "
                             "e.g. 1 4 8 16 32 (Zoran & Weiss); may be given several times")
    args = parser.parse_args()
    torch.set_num_threads(1)
    images = classic(args.split, side=args.side)
    results = measure(images, args.sigmas, variants(args))
    print(f"\n{len(images)} classic images ({args.split}: {', '.join(name for name, _ in images)}), gray, centre "
          f"crops of at most {args.side} px; 1 torch thread; CPU seconds per image; CNN in {precision()}\n")
    print(table(results))


if __name__ == "__main__":
    main()
