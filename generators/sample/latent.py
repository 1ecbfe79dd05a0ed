"""Things to do in the latent space of a VAE or GAN (anything with ``latent``, ``latents``, ``decode`` and a
differentiable ``probabilities``): walk between two codes, map a 2-D slice, pick codes the classifier reads
as a chosen digit, and fill in the missing pixels of a digit by searching for the code that explains the rest."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from generators import checks
from generators.imaging import DIGIT_SIDE, validate_digits


def slerp(start: np.ndarray, end: np.ndarray, frames: int) -> np.ndarray:
    """``frames`` codes (frames, d) from ``start`` to ``end`` along the great circle (White 2016, "Sampling
    generative networks"), which keeps the norm typical of N(0, I) codes instead of cutting through the centre:

        slerp(p0, p1; t) = sin((1 - t) omega) / sin(omega) p0 + sin(t omega) / sin(omega) p1,
        cos(omega) = <p0, p1> / (|p0| |p1|); the norm is interpolated linearly along the way.
    """
    start, end = np.asarray(start, np.float64).ravel(), np.asarray(end, np.float64).ravel()
    if start.shape != end.shape:
        raise ValueError(f"codes must have the same size, got {start.shape} and {end.shape}")
    frames = checks.whole(frames, name="frames", low=2, high=200)
    t = np.linspace(0.0, 1.0, frames)[:, None]                             # (frames, 1)
    norms = (1 - t) * np.linalg.norm(start) + t * np.linalg.norm(end)
    unit0, unit1 = start / max(np.linalg.norm(start), 1e-12), end / max(np.linalg.norm(end), 1e-12)
    omega = np.arccos(np.clip(unit0 @ unit1, -1.0, 1.0))
    if omega < 1e-6:
        directions = (1 - t) * unit0 + t * unit1
    else:
        directions = (np.sin((1 - t) * omega) * unit0 + np.sin(t * omega) * unit1) / np.sin(omega)
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    return (directions * norms).astype(np.float32)


def interpolate(model, start: np.ndarray, end: np.ndarray, *, frames: int = 10) -> np.ndarray:
    """Decoded digits float32 (frames, 28, 28) along slerp(start, end)."""
    return model.decode(slerp(start, end, frames))


@dataclass(frozen=True)
class LatentMap:
    tiles: np.ndarray        # float32 (size, size, 28, 28): decoded digit at each grid point, row 0 = top
    extent: tuple            # (left, right, bottom, top) of the grid in projected coordinates
    points: np.ndarray       # float64 (n, 2): the digits' codes projected on the two directions
    labels: np.ndarray       # int64 (n,)
    explained: tuple         # share of the codes' variance along each direction


def latent_map(model, images: np.ndarray, labels: np.ndarray, *, size: int = 15, span: float = 2.5) -> LatentMap:
    """Decode a ``size`` x ``size`` grid over the plane of the two principal directions of the digits' codes
    (the posterior means), centred on their mean and ``span`` standard deviations wide each way."""
    size = checks.whole(size, name="size", low=2, high=40)
    codes = model.encode(images).astype(np.float64)                           # (n, d)
    centre = codes.mean(0)
    # PCA by SVD of the centred codes: codes - centre = U S V^T; the plane is spanned by V's first two rows.
    _, singular, directions = np.linalg.svd(codes - centre, full_matrices=False)
    plane = directions[:2]                                                    # (2, d)
    points = (codes - centre) @ plane.T                                       # (n, 2)
    scale = points.std(0) * span
    xs = np.linspace(-scale[0], scale[0], size)
    ys = np.linspace(scale[1], -scale[1], size)                               # top row = largest y
    grid = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2)                   # (size * size, 2)
    tiles = model.decode((centre + grid @ plane).astype(np.float32)).reshape(size, size, DIGIT_SIDE, DIGIT_SIDE)
    variance = singular ** 2
    return LatentMap(tiles, (-scale[0], scale[0], -scale[1], scale[1]), points, np.asarray(labels),
                     tuple(float(v) for v in variance[:2] / variance.sum()))


def sample_digit(model, judge, digit: int, n: int, *, seed: int, confidence: float = 0.9,
                 pool: int = 4096) -> tuple[np.ndarray, float]:
    """Classifier-guided choice: draw ``pool`` prior codes, keep the ``n`` whose digits the LeNet ``judge``
    reads as ``digit`` with the highest probability (each at least ``confidence``); fewer when fewer qualify.
    The model is unchanged, so its unconditional samples are too. Returns (digits (k, 28, 28), k <= n, share of
    the pool accepted); none accepted is a ValueError."""
    digit = checks.whole(digit, name="digit", low=0, high=9)
    n = checks.whole(n, name="n", low=1, high=pool)
    candidates = model.sample(pool, seed=seed)
    chance = judge.class_probabilities(candidates)[:, digit]
    accepted = np.flatnonzero(chance >= confidence)
    if not len(accepted):
        raise ValueError(f"none of {pool} samples drawn with seed {seed} reads as a {digit} with probability >= "
                         f"{confidence}: try another seed")
    best = accepted[np.argsort(-chance[accepted], kind="stable")[:n]]
    return candidates[np.sort(best)], len(accepted) / pool


@dataclass(frozen=True)
class RepairStep:
    step: int
    filled: np.ndarray       # float32 (28, 28): visible pixels kept, missing ones from the model
    guess: np.ndarray        # float32 (28, 28): the model's whole digit at the current code
    visible_loss: float      # Bernoulli negative log-likelihood of the visible pixels, nats
    elapsed: float


def repair(model, image: np.ndarray, missing: np.ndarray, *, steps: int = 200, restarts: int = 16, seed: int = 0,
           lr: float = 0.05, every: int = 10, time_cap: float = 30.0) -> Iterator[RepairStep]:
    """Fill the ``missing`` pixels (bool (28, 28), True = unknown) of ``image`` by MAP search over the code:

        z* = argmin_z  -sum_{i visible} [x_i log p_i(z) + (1 - x_i) log(1 - p_i(z))] + 1/2 |z|^2,

    with Adam from ``restarts`` prior draws (plus the encoder's guess, for a VAE), yielding the best candidate
    every ``every`` steps so the search can be watched converging; stops after ``steps`` or ``time_cap`` s.
    """
    image = validate_digits(image, name="image")[0]
    missing = np.asarray(missing, dtype=bool)
    if missing.shape != image.shape:
        raise ValueError(f"the mask must have the digit's shape ({DIGIT_SIDE}, {DIGIT_SIDE}), got {missing.shape}")
    if missing.all() or not missing.any():
        raise ValueError("the mask must hide some pixels and leave some visible")
    steps = checks.whole(steps, name="steps", low=1, high=5000)
    restarts = checks.whole(restarts, name="restarts", low=1, high=256)
    start = time.perf_counter()
    codes = model.latents(restarts, seed=seed)
    if hasattr(model, "encode"):
        codes[0] = model.encode(np.where(missing, 0.0, image))[0]
    device = model.device
    z = torch.tensor(codes, device=device, requires_grad=True)
    target = torch.from_numpy(image).to(device).expand(restarts, DIGIT_SIDE, DIGIT_SIDE)
    visible = torch.from_numpy(~missing).to(device).float()
    optimizer = torch.optim.Adam([z], lr=lr)
    for step in range(1, steps + 1):
        logits = model.logits(z)[:, 0]                                          # (restarts, 28, 28)
        nll = (F.binary_cross_entropy_with_logits(logits, target, reduction="none") * visible).flatten(1).sum(1)
        objective = nll + 0.5 * z.pow(2).sum(1)                                 # (restarts,)
        # Gradient with respect to the codes only: the shared model's weights get no .grad.
        (z.grad,) = torch.autograd.grad(objective.sum(), z)
        optimizer.step()
        done = step == steps or time.perf_counter() - start > time_cap
        if step % every == 0 or done:
            winner = int(objective.argmin())
            guess = torch.sigmoid(logits[winner]).detach().cpu().numpy()
            yield RepairStep(step, np.where(missing, guess, image).astype(np.float32), guess.astype(np.float32),
                             float(nll[winner].detach()), time.perf_counter() - start)
        if done:
            return

