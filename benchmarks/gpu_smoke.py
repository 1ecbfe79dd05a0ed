"""Every tab's main function on one device, checked against the CPU, with times:

    python benchmarks/gpu_smoke.py [--device cuda|cpu]

Loads every shipped model on the device (registry.set_device), runs each tab's main computation once on small
inputs (the Denoise restorers that use torch, neural texture, fast style and Gatys, the GMM/VAE/GAN samplers,
the LeNet judge, the denoising autoencoders, the VAE's digit repair), then the same on the CPU, and compares
the two outputs: PSNR of the device output against the CPU one, in dB (inf when identical). The threshold is
per case: 40 dB where the computation is a fixed float32 pipeline, 30 dB for the bfloat16 CNNs and for the
optimisations (Gatys, neural texture, repair), whose float32 round-off on another device grows over their
steps. Seconds are wall time of one call on each device (the first call: it includes CUDA's warm-up).
Exit status 1 if any case fails. With --device cpu it compares the CPU with itself: a determinism check.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
from skimage import data

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generators import api, imaging, registry  # noqa: E402
from generators.sample import latent, masks  # noqa: E402

STRICT_DB, LOOSE_DB = 40.0, 30.0


@dataclass(frozen=True)
class Case:
    name: str
    run: Callable[[], np.ndarray]
    min_db: float


def _inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    gray = imaging.resize(imaging.as_float(data.camera()), (64, 64))
    colour = imaging.resize(imaging.as_float(data.astronaut()), (64, 64))
    digits = np.stack([imaging.resize(imaging.as_float(data.camera()), (28, 28))] * 4)
    return {
        "gray": gray,
        "noisy_gray": np.clip(gray + rng.normal(0, 25 / 255, gray.shape), 0, 1).astype(np.float32),
        "noisy_colour": np.clip(colour + rng.normal(0, 25 / 255, colour.shape), 0, 1).astype(np.float32),
        "colour": colour,
        "style": imaging.resize(imaging.as_float(data.coffee()), (64, 64)),
        "digits": digits.astype(np.float32),
    }


def cases(quick: bool = False) -> list[Case]:
    """The checks; ``quick`` uses fewer optimiser steps (for the test suite)."""
    x = _inputs()
    steps = 3 if quick else 20
    sigma = 25 / 255

    def repair() -> np.ndarray:
        vae = registry.load("mnist-vae")
        missing = masks.make_mask("bottom half")
        return list(latent.repair(vae, x["digits"][0], missing, steps=steps, restarts=2, seed=0, every=steps))[-1].filled

    return [
        Case("denoise: EPLL (gray)", lambda: api.denoise(x["noisy_gray"], method="epll", sigma=sigma), STRICT_DB),
        Case("denoise: CNN (gray)", lambda: api.denoise(x["noisy_gray"], method="cnn", sigma=sigma), LOOSE_DB),
        Case("denoise: CNN (colour)", lambda: api.denoise(x["noisy_colour"], method="cnn", sigma=sigma), LOOSE_DB),
        Case("texture: neural (random filters)", lambda: api.synthesize(
            x["gray"], method="neural", size=(48, 48), seed=0, steps=steps, network="random"), LOOSE_DB),
        Case("stylize: fast (starry-night)", lambda: api.stylize(x["colour"], "starry-night", method="fast"), STRICT_DB),
        Case("stylize: Gatys (random filters)", lambda: api.stylize(
            x["colour"], x["style"], method="gatys", steps=steps, size=64, network="random"), LOOSE_DB),
        Case("sample: GMM", lambda: registry.load("mnist-gmm").sample(8, seed=0), STRICT_DB),
        Case("sample: VAE", lambda: registry.load("mnist-vae").sample(8, seed=0), STRICT_DB),
        Case("sample: GAN", lambda: registry.load("mnist-gan").sample(8, seed=0), STRICT_DB),
        Case("sample: LeNet judge", lambda: registry.load("mnist-lenet").class_probabilities(x["digits"]), STRICT_DB),
        Case("denoise: autoencoders (digits)", lambda: registry.load("mnist-dae").denoise(
            x["digits"], registry.load("mnist-dae").levels[0]), STRICT_DB),
        Case("sample: VAE repair", repair, LOOSE_DB),
    ]


def _on(device: str, case: Case) -> tuple[np.ndarray, float]:
    registry.set_device(device)
    start = time.perf_counter()
    out = np.asarray(case.run(), dtype=np.float64)
    return out, time.perf_counter() - start


def _psnr(reference: np.ndarray, other: np.ndarray) -> float:
    error = float(np.mean((reference - other) ** 2))
    return math.inf if error == 0 else 10 * math.log10(1.0 / error)


def run(device: str, *, quick: bool = False, only: tuple[str, ...] = ()) -> list[dict]:
    """One row per case (those whose name contains one of ``only``, if given): seconds on ``device`` and on
    the CPU, PSNR between them, threshold, pass."""
    rows = []
    try:
        for case in cases(quick):
            if only and not any(part in case.name for part in only):
                continue
            registry.unload()
            found, seconds = _on(device, case)
            loaded = sorted({registry.spec(name).name for name in registry.loaded()})
            devices = sorted({str(getattr(registry.load(name), "device", "cpu")).split(":")[0] for name in loaded})
            registry.unload()
            reference, cpu_seconds = _on("cpu", case)
            psnr = _psnr(reference, found) if found.shape == reference.shape else -math.inf
            rows.append({"case": case.name, "device": device, "model_devices": ",".join(devices) or "-",
                         "seconds": seconds, "cpu_seconds": cpu_seconds, "psnr_db": psnr, "min_db": case.min_db,
                         "ok": psnr >= case.min_db and all(d == device for d in devices)})
    finally:
        registry.unload()
        registry.set_device(None)
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| case | device | models on | seconds | CPU seconds | PSNR vs CPU (dB) | needs (dB) | ok |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['case']} | {row['device']} | {row['model_devices']} | {row['seconds']:.3f} | "
                     f"{row['cpu_seconds']:.3f} | {row['psnr_db']:.1f} | {row['min_db']:.0f} | "
                     f"{'yes' if row['ok'] else 'NO'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", choices=["cuda", "cpu"], default="cuda")
    parser.add_argument("--quick", action="store_true", help="fewer optimiser steps")
    args = parser.parse_args(argv)
    if args.device == "cuda":
        import torch

        if not torch.cuda.is_available():
            print("CUDA is not available on this machine: run with --device cpu, or on a GPU", file=sys.stderr)
            return 2
    rows = run(args.device, quick=args.quick)
    print(table(rows))
    return 0 if all(row["ok"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
