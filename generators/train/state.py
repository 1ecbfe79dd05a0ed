"""Resumable training state for the torch trainers: modules and Adam optimisers flattened into one safetensors
file (via generators.checkpoint, so no pickle), with step counters, loss curves and RNG seeds in its JSON."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from generators import checkpoint
from generators.registry import CHECKPOINT_DIR

REPO = Path(__file__).resolve().parent.parent.parent


def add_run_arguments(parser, name: str) -> None:
    parser.add_argument("--resume", action="store_true", help=f"continue from the state saved in runs/{name}/")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (1 on a shared machine)")


def start(args) -> torch.Generator:
    """Set the thread count and seed torch for the run; the generator that draws batches and noise."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    return torch.Generator().manual_seed(args.seed)


def state_dir(args, name: str) -> Path:
    """Where --resume state lives: runs/<name>/ (git-ignored) for the shipped checkpoints, <out>/state/ for a
    dry run or a run written elsewhere (so a dry run writes nothing into the repository)."""
    if args.dry_run or Path(args.out).resolve() != CHECKPOINT_DIR.resolve():
        return Path(args.out) / "state"
    return REPO / "runs" / name


def save_state(directory: Path, name: str, modules: dict, optimizers: dict, progress: dict) -> None:
    arrays = {}
    groups = {}
    for key, module in modules.items():
        arrays.update({f"{key}/{param}": value.detach().cpu().numpy() for param, value in module.state_dict().items()})
    for key, optimizer in optimizers.items():
        state = optimizer.state_dict()
        groups[key] = state["param_groups"]
        for index, slots in state["state"].items():
            for slot, value in slots.items():
                arrays[f"opt:{key}/{index}/{slot}"] = torch.as_tensor(value).detach().cpu().numpy()
    checkpoint.save(directory, name, arrays, {"config": {"param_groups": groups}, "progress": progress})


def load_state(directory: Path, name: str, modules: dict, optimizers: dict) -> dict:
    """Restore modules and optimisers saved by save_state; returns the saved ``progress`` dict."""
    found = checkpoint.load(directory, name, rebuild=f"python -m generators.train {name} (without --resume)")
    for key, module in modules.items():
        prefix = f"{key}/"
        module.load_state_dict({param[len(prefix):]: torch.from_numpy(value)
                                for param, value in found.arrays.items() if param.startswith(prefix)})
    for key, optimizer in optimizers.items():
        prefix = f"opt:{key}/"
        state: dict[int, dict] = {}
        for param, value in found.arrays.items():
            if param.startswith(prefix):
                index, slot = param[len(prefix):].split("/")
                state.setdefault(int(index), {})[slot] = torch.from_numpy(np.array(value))
        optimizer.load_state_dict({"state": state, "param_groups": found.meta["config"]["param_groups"][key]})
    return found.meta["progress"]
