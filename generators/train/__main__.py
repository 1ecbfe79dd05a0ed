"""python -m generators.train NAME [--dry-run] [--out DIR] [--data DIR] [--seed N] [model options]

NAME is a model of the registry; its ``ModelSpec.trainer`` names the module that trains it, which offers
``add_arguments(parser)`` and ``train(args) -> dict`` (the metrics it wrote).
--dry-run uses tiny data and one step, and writes to a temporary folder unless --out is given.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
from pathlib import Path

from generators import api, checkpoint
from generators.checkpoint import CHECKPOINT_DIR
from generators.datasets import DATA_ENV, data_home


def main(argv: list[str] | None = None) -> dict:
    argv = list(sys.argv[1:] if argv is None else argv)
    trainers = api.trainers()
    first = argparse.ArgumentParser(add_help=False)
    first.add_argument("name", nargs="?", choices=sorted(trainers))
    known, _ = first.parse_known_args(argv)
    parser = argparse.ArgumentParser(prog="python -m generators.train", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", choices=sorted(trainers), help="the model to train (the registry's names)")
    parser.add_argument("--dry-run", action="store_true", help="tiny data, one step: checks the pipeline")
    parser.add_argument("--out", type=Path, default=None, help=f"checkpoint folder (default {CHECKPOINT_DIR})")
    parser.add_argument("--data", type=Path, default=None,
                        help=f"the data home holding bsds400/ (default ${DATA_ENV}, else ../shared/data, "
                             "else ~/.cache/genlab/data)")
    parser.add_argument("--seed", type=int, default=0)
    module = importlib.import_module(trainers[known.name]) if known.name else None
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
