"""One resumable training run (``Run``), shared by the torch trainers: the modules and Adam optimisers it trains,
its progress (a step or epoch counter, the loss curves and whatever else a trainer keeps), the moving average of
the weights, the periodic evaluation and the checkpoint it ships. The state file is written through
generators.checkpoint (safetensors + JSON, recorded in the folder's manifest; no pickle), so --resume continues
an interrupted run."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from generators import checkpoint

REPO = Path(__file__).resolve().parent.parent.parent


def add_run_arguments(parser, name: str) -> None:
    parser.add_argument("--resume", action="store_true", help=f"continue from the state saved in runs/{name}/")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (1 on a shared machine)")


def numbers(parser, **defaults) -> None:
    """Plain numeric options, typed by their defaults: ``numbers(parser, steps=100, lr=1e-3)`` adds
    ``--steps`` (int, default 100) and ``--lr`` (float, default 0.001)."""
    for name, default in defaults.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(default), default=default)


def start(args) -> torch.Generator:
    """Set the thread count and seed torch for the run; the generator that draws batches and noise."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    return torch.Generator().manual_seed(args.seed)


def state_dir(args, name: str) -> Path:
    """Where --resume state lives: runs/<name>/ (git-ignored) for the shipped checkpoints, <out>/state/ for a
    dry run or a run written elsewhere (so a dry run writes nothing into the repository)."""
    if args.dry_run or Path(args.out).resolve() != checkpoint.CHECKPOINT_DIR.resolve():
        return Path(args.out) / "state"
    return REPO / "runs" / name


def weights(module: torch.nn.Module) -> dict[str, np.ndarray]:
    """A module's state dict as the numpy arrays generators.checkpoint saves."""
    return {key: value.detach().cpu().numpy() for key, value in module.state_dict().items()}


class Run:
    """The run of trainer ``name`` up to ``total`` steps (or epochs: ``unit``). ``curves`` names the loss curves
    kept in ``progress["curves"]``; keyword ``progress`` adds a trainer's own entries (best score so far ...).
    With --resume everything, the modules and optimisers included, comes back from the state file, and
    ``generator`` is reseeded with seed + the count done, so a resumed run does not redraw the same batches."""

    def __init__(self, args, name: str, modules: dict[str, torch.nn.Module], optimizers: dict, *, total: int,
                 curves: tuple[str, ...], unit: str = "step", generator: torch.Generator | None = None,
                 **progress):
        self.args, self.name, self.total, self.unit = args, name, total, unit
        self.modules, self.optimizers = modules, optimizers
        self.directory = state_dir(args, name)
        self.progress = {unit: 0, "cpu_seconds": 0.0, "wall_seconds": 0.0, **progress,
                         "curves": {key: [] for key in curves}}
        if args.resume:
            self.progress.update(_load_state(self.directory, name, modules, optimizers))
            if generator is not None:
                generator.manual_seed(args.seed + self.done)
        self._clock = time.process_time(), time.perf_counter()
        self.bar = None

    @property
    def done(self) -> int:
        """Steps (or epochs) counted so far, the one running included."""
        return self.progress[self.unit]

    @property
    def curves(self) -> dict[str, list]:
        return self.progress["curves"]

    def __iter__(self):
        """The 0-based indices of the steps still to run, under a tqdm bar (``self.bar``); ``done`` counts each
        one as it starts."""
        self.bar = tqdm(range(self.done, self.total), desc=self.name, unit=self.unit, initial=self.done,
                        total=self.total)
        for index in self.bar:
            self.progress[self.unit] = index + 1
            yield index

    def due(self, every: int) -> bool:
        """Whether the step just counted ends a period of ``every`` (or the run): time to evaluate and save."""
        return self.done % every == 0 or self.done == self.total

    def log(self, **values) -> None:
        """Append one value to each named curve."""
        for key, value in values.items():
            self.curves[key].append(value)

    def average(self, average: torch.nn.Module, current: torch.nn.Module) -> None:
        """Fold ``current``'s weights into their moving average ``average`` (decay --ema)."""
        # Polyak averaging (Polyak & Juditsky 1992; EMA as in Yazici et al. 2019):
        # theta_avg <- d theta_avg + (1 - d) theta, after every optimiser step.
        with torch.no_grad():
            for kept, now in zip(average.parameters(), current.parameters()):
                kept.lerp_(now, 1 - self.args.ema)

    def save(self) -> None:
        """Add the CPU and wall time since the last save to the progress, then write the state file."""
        cpu, wall = time.process_time(), time.perf_counter()
        self.progress["cpu_seconds"] += cpu - self._clock[0]
        self.progress["wall_seconds"] += wall - self._clock[1]
        self._clock = cpu, wall
        _save_state(self.directory, self.name, self.modules, self.optimizers, self.progress)

    def ship(self, arrays: dict[str, np.ndarray], config: dict, metrics: dict, **card) -> list[Path]:
        """Write the trained model to --out through generators.checkpoint: ``arrays`` and the card (config,
        the command that trained it, ``card``'s entries, the loss curves, the metrics)."""
        return checkpoint.save(self.args.out, self.name, arrays, {
            "config": config, "train_command": self.args.command, **card, "curves": self.curves, "metrics": metrics})


def _save_state(directory: Path, name: str, modules: dict, optimizers: dict, progress: dict) -> None:
    arrays = {}
    groups = {}
    for key, module in modules.items():
        arrays.update({f"{key}/{param}": value for param, value in weights(module).items()})
    for key, optimizer in optimizers.items():
        state = optimizer.state_dict()
        groups[key] = state["param_groups"]
        for index, slots in state["state"].items():
            for slot, value in slots.items():
                arrays[f"opt:{key}/{index}/{slot}"] = torch.as_tensor(value).detach().cpu().numpy()
    checkpoint.save(directory, name, arrays, {"config": {"param_groups": groups}, "progress": progress})


def _load_state(directory: Path, name: str, modules: dict, optimizers: dict) -> dict:
    """Restore modules and optimisers saved by _save_state; returns the saved ``progress`` dict."""
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
