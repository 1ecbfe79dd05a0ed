"""The CNN denoiser (method "cnn") against BM3D, same images, same noise, same run: PSNR, CPU time, memory.

    pip install bm3d   # benchmark-only: its licence is non-commercial, so nothing in the app imports it
    python benchmarks/cnn_denoiser.py [--images 12] [--side 256] [--colour-images 12] [--write-metrics]

Images: the first --images of the 40 held-out BSDS test photographs (generators.datasets.bsds("test"); the
network trained on none of them), centre crops of --side x --side, gray (PIL luminance) and, for the colour
table, RGB. Unclipped Gaussian noise of sigma 15, 25 and 50 (0-255 scale), seeded per image. PSNR (data
range 1) after clipping to [0, 1], mean over the images. CPU seconds are time.process_time() per image (all
threads of this process), with torch on one thread, and the CNN in bfloat16 where the CPU has it natively
(what the app does; see generators.denoise.cnn). BM3D is `bm3d.bm3d` (gray) and `bm3d.bm3d_rgb` (colour,
CBM3D: its opponent-space grouping), told the true sigma. Colour: method "cnn" is the colour network
(bsds-cnn-colour); "per-plane x4" is the gray network run on each opponent plane, for comparison.

Memory: a child process denoises a 2048x2048 gray and a 2048x2048 colour image in tiles and reports how much
its peak resident memory rose above what the loaded model already used. Seams: the tiled result of a 600x600
image against the same network run on it in one piece.
--write-metrics stores the gray figures in checkpoints/bsds-cnn-denoiser.json and the colour ones in
checkpoints/bsds-cnn-colour.json (and refreshes the manifest).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.denoise_quality import crops  # noqa: E402
from generators import api, checkpoint, metrics, registry  # noqa: E402
from generators.denoise import gaussian_noise  # noqa: E402

SIGMAS = (15, 25, 50)
MODEL = "bsds-cnn-denoiser"
COLOUR_MODEL = "bsds-cnn-colour"
MEMORY_CHILD = """
import resource, sys, numpy as np, torch
sys.path.insert(0, {root!r})
torch.set_num_threads(1)
from generators import api
model = api.load({name!r})
model.restore(np.zeros((300, 300), np.float32), 0.1)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
image = np.random.default_rng(0).random({shape}, dtype=np.float32)
model.restore(image, 25 / 255)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) / 1024)
"""


def precision() -> str:
    from generators.denoise.cnn import fast_bf16

    return "bfloat16 autocast (this CPU has native bf16)" if fast_bf16("cpu") else "float32"


def bm3d_estimate(noisy: np.ndarray, sigma: float) -> np.ndarray:
    import bm3d

    if noisy.ndim == 3:
        return bm3d.bm3d_rgb(noisy.astype(np.float64), sigma_psd=sigma)
    return bm3d.bm3d(noisy.astype(np.float64), sigma_psd=sigma)


# Plain, and with the 4-fold (rotations) and 8-fold (rotations and flips) geometric self-ensembles.
VARIANTS = {"cnn": ("cnn", {}), "cnn x4": ("cnn", {"ensemble": 4}), "cnn x8": ("cnn", {"ensemble": 8})}


def compare(images: list[np.ndarray], variants: dict) -> dict:
    """{sigma: {method: (psnr, cpu s)}} for BM3D and each CNN variant ({label: ("cnn", options)}), means over
    the images."""
    results = {}
    for sigma255 in SIGMAS:
        rows: dict[str, list] = {}
        for index, clean in enumerate(images):
            noisy = gaussian_noise(clean, sigma=sigma255 / 255, seed=index)
            started = time.process_time()
            estimate = bm3d_estimate(noisy, sigma255 / 255)
            rows.setdefault("bm3d", []).append((metrics.psnr(clean, estimate), time.process_time() - started))
            for row in api.compare_denoisers(clean, noisy, methods=variants, sigma=sigma255 / 255,
                                             clock=time.process_time):
                rows.setdefault(row.label, []).append((row.psnr, row.seconds))
            print(f"sigma {sigma255}: image {index + 1}/{len(images)}", file=sys.stderr, flush=True)
        results[sigma255] = {label: tuple(float(v) for v in np.mean(values, axis=0)) for label, values in rows.items()}
    return results


def table(results: dict, title: str) -> str:
    variants = [label for label in next(iter(results.values())) if label != "bm3d"]
    lines = [f"| {title} | BM3D PSNR | " + " | ".join(f"{v} PSNR | {v} − BM3D (dB)" for v in variants)
             + " | BM3D CPU s | " + " | ".join(f"{v} CPU s (ratio)" for v in variants) + " |",
             "|---|" + "---:|" * (2 + 3 * len(variants))]
    for sigma255, row in results.items():
        reference, reference_s = row["bm3d"]
        cells = [f"{row[v][0]:.2f} | {row[v][0] - reference:+.2f}" for v in variants]
        times = [f"{row[v][1]:.3f} ({row[v][1] / reference_s:.3f})" for v in variants]
        lines.append(f"| σ={sigma255} | {reference:.2f} | " + " | ".join(cells) + f" | {reference_s:.2f} | "
                     + " | ".join(times) + " |")
    return "\n".join(lines)


def memory_mb(shape: tuple[int, ...]) -> float:
    child = MEMORY_CHILD.format(root=str(ROOT), shape=shape, name=COLOUR_MODEL if len(shape) == 3 else MODEL)
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def seam_error(mode: str = "gray") -> float:
    model = api.load(MODEL if mode == "gray" else COLOUR_MODEL)
    image = gaussian_noise(crops(1, 320, mode)[0].repeat(2, 0).repeat(2, 1)[:600, :600], sigma=25 / 255, seed=0)
    return float(np.abs(model.restore(image, 25 / 255) - model.restore(image, 25 / 255, tile=4096)).max())


def main() -> None:
    import torch

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=12)
    parser.add_argument("--colour-images", type=int, default=12)
    parser.add_argument("--side", type=int, default=256)
    parser.add_argument("--write-metrics", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    gray_net = api.load(MODEL)
    api.load(COLOUR_MODEL)
    gray = compare(crops(args.images, args.side, "gray"), VARIANTS) if args.images else {}
    # Colour: method "cnn" is the colour network; the gray network run on each opponent plane for comparison.
    colour_variants = {**VARIANTS, "per-plane x4": ("cnn", {"ensemble": 4, "model": gray_net})}
    colour = compare(crops(args.colour_images, args.side, "rgb"), colour_variants) if args.colour_images else {}
    memory = {"gray": memory_mb((2048, 2048)), "colour": memory_mb((2048, 2048, 3))}
    seams = {"gray": seam_error("gray"), "colour": seam_error("rgb")}
    print(f"\n{args.images} held-out BSDS test photographs, gray, {args.side}x{args.side} centre crops; "
          f"1 torch thread; CPU seconds per image; CNN in {precision()}\n")
    if gray:
        print(table(gray, "gray"))
    if colour:
        print(f"\n{args.colour_images} of the same photographs in colour (BM3D: CBM3D, bm3d.bm3d_rgb; cnn: the colour "
              f"network {COLOUR_MODEL}; per-plane: the gray network on each opponent plane)\n")
        print(table(colour, "colour"))
    print(f"\nPeak memory added while denoising 2048x2048: gray {memory['gray']:.0f} MB, colour "
          f"{memory['colour']:.0f} MB (tiles of 256 px). Largest difference tiled vs whole, 600x600: gray "
          f"{seams['gray']:.2e}, colour {seams['colour']:.2e}")
    if args.write_metrics:
        write_metrics(gray, colour, memory, seams, args)


def write_metrics(gray: dict, colour: dict, memory: dict, seams: dict, args) -> None:
    """Gray figures into the gray network's card, colour ones into the colour network's; ``memory`` and
    ``seams`` are keyed "gray" and "colour"."""
    for name, label, results, count in ((MODEL, "gray", gray, args.images),
                                        (COLOUR_MODEL, "colour", colour, args.colour_images)):
        if not results:
            continue
        figures = {f"{label}_sigma{sigma255}": {
            method.replace(" ", "_"): {"psnr": round(value[0], 4), "cpu_s": round(value[1], 3)}
            for method, value in row.items()} for sigma255, row in results.items()}
        checkpoint.update_metrics(registry.CHECKPOINT_DIR, name, {"benchmark": {
            "script": "python benchmarks/cnn_denoiser.py --write-metrics",
            "precision": precision(),
            "images": f"first {count} bsds('test') photographs ({label}), {args.side}px centre crops",
            **figures,
            "peak_memory_mb_2048x2048": round(memory[label]),
            "tiled_vs_whole_max_abs_difference": seams[label],
        }})


if __name__ == "__main__":
    main()
