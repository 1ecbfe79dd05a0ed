"""Denoising and inpainting quality of every method of generators.denoise, with BM3D measured in the same run.

    python benchmarks/denoise_quality.py [--images 10] [--crop 192] [--sigmas 15 25 50] [--write-metrics]

Photographs: the first --images of the 40 held-out BSDS test photographs (generators.datasets.bsds("test"),
never trained on), gray, centre crops of --crop x --crop pixels; Gaussian noise of sigma (0-255 scale),
unclipped, seeded by image index. PSNR and SSIM (generators.metrics: scikit-image, data range 1) against the
clean crop, mean over images; seconds are wall-clock per image on this machine. BM3D (Dabov et al. 2007) is the
`bm3d` package, imported here only: it is a benchmark reference, never a runtime dependency (its licence is
non-commercial).

Binary images (for the logistic and Ising methods, which assume black-and-white images): scikit-image's
horse and seeded binary blobs, pixel accuracy and PSNR. Inpainting: random missing pixels on the same crops.
--write-metrics stores the EPLL figures in checkpoints/bsds-epll-gmm.json (and refreshes the manifest).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generators import api, checkpoint, imaging, registry  # noqa: E402
from generators.datasets import bsds  # noqa: E402
from generators.denoise import Row, gaussian_noise, missing_pixels, score  # noqa: E402
from generators.denoise.epll import DENOISE_BETAS  # noqa: E402

PHOTO_METHODS = ["gaussian", "median", "polynomial", "least_squares", "tv", "nlm", "epll"]
BINARY_METHODS = {"median": ("median", {}), "tv": ("tv", {}), "logistic": ("logistic", {}), "ising": ("ising", {}),
                  "ising-gibbs": ("ising", {"algorithm": "gibbs", "sweeps": 20})}


def crops(count: int, side: int, mode: str = "gray") -> list[np.ndarray]:
    """Centre crops, side x side, of the first ``count`` held-out BSDS test photographs ("gray" or "rgb")."""
    out = []
    for path in bsds("test")[:count]:
        image, _ = imaging.load_image(path, mode=mode)
        top, left = (image.shape[0] - side) // 2, (image.shape[1] - side) // 2
        out.append(np.ascontiguousarray(image[top:top + side, left:left + side]))
    return out


def measure(row: Row) -> tuple[float, float, float]:
    return row.psnr, row.ssim, row.seconds


def bm3d_row(clean: np.ndarray, noisy: np.ndarray, sigma: float) -> Row:
    """BM3D (the benchmark's reference, not a method of generators.denoise) scored like the others."""
    import bm3d

    started = time.perf_counter()
    estimate = bm3d.bm3d(noisy.astype(np.float64), sigma_psd=sigma)
    return score(clean, estimate, label="bm3d", seconds=time.perf_counter() - started)


def photo_table(images, sigmas) -> tuple[str, dict]:
    methods = PHOTO_METHODS + ["bm3d"]
    results = {}
    for sigma255 in sigmas:
        for index, clean in enumerate(images):
            noisy = gaussian_noise(clean, sigma=sigma255 / 255, seed=index)
            rows = [score(clean, noisy, label="noisy input"),
                    *api.compare_denoisers(clean, noisy, methods=PHOTO_METHODS, sigma=sigma255 / 255),
                    bm3d_row(clean, noisy, sigma255 / 255)]
            for row in rows:
                results.setdefault((row.label, sigma255), []).append(measure(row))
            print(f"sigma {sigma255}: image {index + 1}/{len(images)} done", file=sys.stderr, flush=True)
    header = "| method | " + " | ".join(f"σ={s} PSNR / SSIM / s" for s in sigmas) + " |"
    lines = [header, "|---|" + "---|" * len(sigmas)]
    for method in ["noisy input"] + methods:
        cells = []
        for sigma255 in sigmas:
            psnr, ssim, seconds = np.mean(results[(method, sigma255)], axis=0)
            cells.append(f"{psnr:.2f} / {ssim:.3f} / {seconds:.2f}")
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    gaps = {s: np.mean(results[("bm3d", s)], axis=0)[0] - np.mean(results[("epll", s)], axis=0)[0] for s in sigmas}
    lines.append("")
    lines.append("BM3D minus EPLL (dB): " + ", ".join(f"σ={s}: {gap:+.2f}" for s, gap in gaps.items()))
    summary = {f"psnr_sigma{s}": round(float(np.mean(results[("epll", s)], axis=0)[0]), 2) for s in sigmas}
    summary.update({f"bm3d_minus_epll_db_sigma{s}": round(float(g), 2) for s, g in gaps.items()})
    return "\n".join(lines), summary


def binary_table(sigmas=(0.3, 0.5)) -> str:
    import skimage.data
    from skimage.data import binary_blobs

    horse = (imaging.as_float(skimage.data.horse()) > 0.5).astype(np.float32)
    images = [horse] + [binary_blobs(192, blob_size_fraction=0.1, volume_fraction=0.4, rng=100 + i)
                        .astype(np.float32) for i in range(3)]
    lines = ["| method | " + " | ".join(f"σ={s:g} accuracy / PSNR / s" for s in sigmas) + " |",
             "|---|" + "---|" * len(sigmas)]
    scores: dict[tuple[str, float], list] = {}
    for sigma in sigmas:
        for index, clean in enumerate(images):
            noisy = gaussian_noise(clean, sigma=sigma, seed=index)
            rows = [score(clean, (noisy > 0.5).astype(np.float32), label="noisy input (threshold ½)"),
                    *api.compare_denoisers(clean, noisy, methods=BINARY_METHODS, sigma=sigma)]
            for row in rows:
                accuracy = np.mean((row.restored > 0.5) == (clean > 0.5))
                scores.setdefault((row.label, sigma), []).append((accuracy, row.psnr, row.seconds))
    for method in ["noisy input (threshold ½)", *BINARY_METHODS]:
        cells = []
        for sigma in sigmas:
            accuracy, psnr, seconds = np.mean(scores[(method, sigma)], axis=0)
            cells.append(f"{accuracy:.1%} / {psnr:.2f} / {seconds:.2f}")
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def inpainting_table(images, fractions=(0.5, 0.8)) -> tuple[str, dict]:
    lines = ["| method | " + " | ".join(f"{f:.0%} missing PSNR / SSIM / s" for f in fractions) + " |",
             "|---|" + "---|" * len(fractions)]
    summary, scores = {}, {}
    for fraction in fractions:
        for index, clean in enumerate(images):
            holed, known = missing_pixels(clean, fraction=fraction, seed=index)
            for row in api.compare_denoisers(clean, holed, methods=["biharmonic", "epll"], sigma=0.0, known=known):
                scores.setdefault((row.method, fraction), []).append(measure(row))
    for method in ("biharmonic", "epll"):
        cells = []
        for fraction in fractions:
            psnr, ssim, seconds = np.mean(scores[(method, fraction)], axis=0)
            cells.append(f"{psnr:.2f} / {ssim:.3f} / {seconds:.2f}")
            if method == "epll":
                summary[f"inpainting_psnr_{int(fraction * 100)}pct_missing"] = round(float(psnr), 2)
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    return "\n".join(lines), summary


def write_metrics(figures: dict, images: int, side: int) -> None:
    checkpoint.update_metrics(registry.CHECKPOINT_DIR, "bsds-epll-gmm", {
        **figures,
        "benchmark": f"benchmarks/denoise_quality.py: {images} BSDS test photographs, gray {side}x{side} centre crops",
        "denoise_betas": list(DENOISE_BETAS),   # the half-quadratic schedule they were measured with
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=10)
    parser.add_argument("--crop", type=int, default=192)
    parser.add_argument("--sigmas", type=int, nargs="+", default=[15, 25, 50])
    parser.add_argument("--write-metrics", action="store_true")
    args = parser.parse_args()
    images = crops(args.images, args.crop)
    print(f"### Denoising: {args.images} BSDS test photographs, gray {args.crop}x{args.crop} centre crops\n")
    table, figures = photo_table(images, args.sigmas)
    print(table, flush=True)
    print("\n### Binary images (horse + 3 seeded blob images), Gaussian noise on the [0, 1] scale\n")
    print(binary_table(), flush=True)
    print("\n### Inpainting: random missing pixels, the first 4 of the same crops\n")
    table, inpainting = inpainting_table(images[:4])
    print(table, flush=True)
    if args.write_metrics:
        write_metrics({**figures, **inpainting}, args.images, args.crop)


if __name__ == "__main__":
    main()
