"""python -m generators.train NAME [--dry-run] [--out DIR] [--data DIR] [--seed N] [model options]

Each trainer module offers ``add_arguments(parser)`` and ``train(args) -> dict`` (the metrics it wrote).
--dry-run uses tiny data and one step, and writes to a temporary folder unless --out is given.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
from pathlib import Path

from generators import checkpoint
from generators.datasets import DATA_ENV, data_home
from generators.registry import CHECKPOINT_DIR

TRAINERS = {
    "bsds-epll-gmm": "generators.train.bsds_epll_gmm",
    "mnist-gmm": "generators.train.mnist_gmm",
    "mnist-lenet": "generators.train.mnist_lenet",
    "style-starry-night": "generators.train.style_net",
    "style-the-scream": "generators.train.style_net",
    "style-great-wave": "generators.train.style_net",
    "style-udnie": "generators.train.style_net",
    "style-shipwreck": "generators.train.style_net",
    "style-woman-with-a-hat": "generators.train.style_net",
    "mnist-vae": "generators.train.mnist_vae",
    "mnist-gan": "generators.train.mnist_gan",
    "bsds-cnn-denoiser": "generators.train.bsds_cnn",
    "bsds-cnn-colour": "generators.train.bsds_cnn_colour",
    "mnist-dae": "generators.train.mnist_dae",
}


def main(argv: list[str] | None = None) -> dict:
    argv = list(sys.argv[1:] if argv is None else argv)
    first = argparse.ArgumentParser(add_help=False)
    first.add_argument("name", nargs="?", choices=sorted(TRAINERS))
    known, _ = first.parse_known_args(argv)
    parser = argparse.ArgumentParser(prog="python -m generators.train", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", choices=sorted(TRAINERS), help="the model to train")
    parser.add_argument("--dry-run", action="store_true", help="tiny data, one step: checks the pipeline")
    parser.add_argument("--out", type=Path, default=None, help=f"checkpoint folder (default {CHECKPOINT_DIR})")
    parser.add_argument("--data", type=Path, default=None,
                        help=f"the data home holding bsds400/ (default ${DATA_ENV}, else ../shared/data, "
                             "else ~/.cache/genlab/data)")
    parser.add_argument("--seed", type=int, default=0)
    module = importlib.import_module(TRAINERS[known.name]) if known.name else None
    if module is not None:
        module.add_arguments(parser)
    args = parser.parse_args(argv)
    args.command = " ".join(["python -m generators.train", *argv])
    args.data = args.data or data_home()
    if args.out is None:
        args.out = Path(tempfile.mkdtemp(prefix="genlab-dry-run-")) if args.dry_run else CHECKPOINT_DIR
    metrics = module.train(args)
    weights = checkpoint.weight_files(args.out, args.name)[0]
    print(json.dumps({"checkpoint": str(weights), "metrics": metrics}, indent=2))
    return metrics


if __name__ == "__main__":
    main()
