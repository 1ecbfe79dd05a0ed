"""Figures for the Train tab, drawn from a live run's state: the 2-D playground's picture (GMM ellipses, GAN
points over the discriminator's heat map with the generator's pull as arrows, logistic regression's boundary),
loss curves with a legend and labelled axes, and the drawing pad for the student's own points (its picture and
its clicks). Kept small and plain so a figure takes well under 0.2 s."""

from __future__ import annotations

import gradio as gr
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse

from generators import imaging
from ui.common import digit_picture, display

LIMIT = 1.6          # the 2-D plots show [-LIMIT, LIMIT]^2
GRID = 60            # heat maps are GRID x GRID
PAD = 320            # drawing pad, pixels
SHOWN_FAKES = 600
ARROWS = 120
CLASS_COLOURS = ("#1f77b4", "#ff7f0e")


def grid_points() -> np.ndarray:
    """(GRID * GRID, 2) points covering the plotted square, row by row from the bottom."""
    axis = np.linspace(-LIMIT, LIMIT, GRID)
    xx, yy = np.meshgrid(axis, axis)
    return np.stack([xx.ravel(), yy.ravel()], axis=1)


def _square(title: str) -> tuple[Figure, object]:
    figure = Figure(figsize=(5.4, 4.8), dpi=80, layout="constrained")
    axes = figure.add_subplot()
    axes.set(xlim=(-LIMIT, LIMIT), ylim=(-LIMIT, LIMIT), xlabel="x₁", ylabel="x₂", title=title, aspect="equal")
    return figure, axes


def gmm_figure(state: dict) -> Figure:
    figure, axes = _square(f"GMM by EM · step {state['step']} · log-likelihood {state['log_likelihood']:.3f}")
    data = state["data"]
    axes.scatter(data[:, 0], data[:, 1], s=3, c="0.55", label="data")
    for k, (weight, mean, cov) in enumerate(zip(state["weights"], state["means"], state["covariances"])):
        values, vectors = np.linalg.eigh(cov)
        angle = np.degrees(np.arctan2(vectors[1, -1], vectors[0, -1]))
        for sigmas in (1, 2):
            axes.add_patch(Ellipse(mean, *(2 * sigmas * np.sqrt(values[::-1])), angle=angle, fill=False,
                                   lw=2.2 / sigmas, alpha=float(np.clip(0.3 + 3 * weight, 0.3, 1.0)),
                                   color=f"C{k % 10}"))
    axes.scatter(state["means"][:, 0], state["means"][:, 1], marker="x", s=60, c="k",
                 label="component means (ellipses: 1 and 2 std)")
    axes.legend(loc="upper right", fontsize=8)
    return figure


def gan_figure(state: dict, fakes: np.ndarray, real_probability: np.ndarray, pull: np.ndarray) -> Figure:
    figure, axes = _square(f"GAN · step {state['step']}")
    heat = axes.imshow(real_probability.reshape(GRID, GRID), origin="lower", extent=(-LIMIT, LIMIT, -LIMIT, LIMIT),
                       cmap="RdBu", vmin=0, vmax=1, alpha=0.55, interpolation="bilinear")
    figure.colorbar(heat, ax=axes, fraction=0.046, pad=0.04, label="D(x): probability that x is real")
    data = state["data"]
    axes.scatter(data[:, 0], data[:, 1], s=3, c="k", alpha=0.5, label="real data")
    shown = fakes[:SHOWN_FAKES]
    axes.scatter(shown[:, 0], shown[:, 1], s=5, c="#7b2cbf", label="generated G(z)")
    arrows, force = shown[:ARROWS], pull[:ARROWS]
    length = np.linalg.norm(force, axis=1, keepdims=True).max() + 1e-12
    axes.quiver(arrows[:, 0], arrows[:, 1], force[:, 0] / length, force[:, 1] / length, color="#2d6a4f",
                angles="xy", scale_units="xy", scale=4, width=0.004, label="G's gradient (where points move)")
    axes.legend(loc="upper right", fontsize=7, framealpha=0.8)
    return figure


def logistic_figure(state: dict, probability: np.ndarray) -> Figure:
    accuracy = state["losses"].get("accuracy", [np.nan])[-1]
    figure, axes = _square(f"Logistic regression · step {state['step']} · accuracy {accuracy:.1%}")
    heat = axes.imshow(probability.reshape(GRID, GRID), origin="lower", extent=(-LIMIT, LIMIT, -LIMIT, LIMIT),
                       cmap="PuOr_r", vmin=0, vmax=1, alpha=0.4, interpolation="bilinear")
    figure.colorbar(heat, ax=axes, fraction=0.046, pad=0.04, label="p(class B | x)")
    data, labels = state["data"], state["labels"]
    for label, colour in enumerate(CLASS_COLOURS):
        chosen = data[labels == label]
        axes.scatter(chosen[:, 0], chosen[:, 1], s=4, c=colour, label=f"class {'AB'[label]}")
    axis = np.linspace(-LIMIT, LIMIT, GRID)
    axes.contour(axis, axis, probability.reshape(GRID, GRID), levels=[0.5], colors="k", linewidths=2)
    axes.plot([], [], "k-", lw=2, label="decision boundary p = 0.5")
    axes.legend(loc="upper right", fontsize=8)
    return figure


def curves_figure(steps: list[int], curves: dict[str, list[float]], *, title: str, ylabel: str,
                  xlabel: str = "training step") -> Figure:
    """One line per named curve, against ``steps`` (or each curve's own (steps, values) pair)."""
    figure = Figure(figsize=(5.4, 4.8), dpi=80, layout="constrained")
    axes = figure.add_subplot()
    for name, values in curves.items():
        measured = isinstance(values, tuple)  # (steps, values) of a periodic measurement: drawn bold, with dots
        xs, ys = values if measured else (steps, values)
        xs, ys = _thin(np.asarray(xs), np.asarray(ys, dtype=float))
        axes.plot(xs, ys, label=name, lw=2.5 if measured else 1.2, marker="o" if measured and len(xs) < 40 else None,
                  markersize=3, alpha=1.0 if measured else 0.7)
    axes.set(xlabel=xlabel, ylabel=ylabel, title=title)
    axes.grid(alpha=0.3)
    if curves:
        axes.legend(fontsize=8)
    return figure


def _thin(xs: np.ndarray, ys: np.ndarray, most: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """At most ``most`` points: averages of equal runs, so long curves stay fast to draw and readable."""
    if len(ys) <= most:
        return xs, ys
    size = int(np.ceil(len(ys) / most))
    cut = len(ys) // size * size
    return xs[:cut].reshape(-1, size)[:, -1], ys[:cut].reshape(-1, size).mean(axis=1)


def pad_picture(points: list[list[float]], labels: list[int]) -> np.ndarray:
    """The drawing pad: a light square with axes and the placed points (class A blue, B orange), uint8 RGB."""
    pad = np.full((PAD, PAD, 3), 250, np.uint8)
    for tick in np.arange(-1.5, 1.51, 0.5):
        column = to_pixel(np.array([[tick, tick]]))[0]
        shade = 200 if tick else 150
        pad[:, column[0]] = shade
        pad[column[1], :] = shade
    yy, xx = np.mgrid[:PAD, :PAD]
    for (px, py), label in zip(to_pixel(np.asarray(points, dtype=float).reshape(-1, 2)), labels):
        dot = (xx - px) ** 2 + (yy - py) ** 2 <= 16
        pad[dot] = tuple(int(CLASS_COLOURS[label][i:i + 2], 16) for i in (1, 3, 5))
    return pad


def to_pixel(xy: np.ndarray) -> np.ndarray:
    """Data coordinates -> (column, row) pixels of the pad."""
    column = (xy[:, 0] + LIMIT) / (2 * LIMIT) * (PAD - 1)
    row = (LIMIT - xy[:, 1]) / (2 * LIMIT) * (PAD - 1)
    return np.rint(np.stack([column, row], axis=1)).astype(int).clip(0, PAD - 1)


def from_pixel(column: float, row: float) -> list[float]:
    """A click on the pad, (column, row) in pixels -> [x1, x2] in data coordinates."""
    return [round(-LIMIT + 2 * LIMIT * column / (PAD - 1), 4), round(LIMIT - 2 * LIMIT * row / (PAD - 1), 4)]


def filter_figure(state: dict) -> Figure:
    """The learned 5 x 5 weights as an image (red positive, blue negative), each with its value."""
    weights = state["filter"]
    figure = Figure(figsize=(5.4, 4.8), dpi=80, layout="constrained")
    axes = figure.add_subplot()
    scale = max(float(np.abs(weights).max()), 1e-9)
    shown = axes.imshow(weights, cmap="RdBu_r", vmin=-scale, vmax=scale)
    for (row, column), value in np.ndenumerate(weights):
        axes.text(column, row, f"{value:.1f}", ha="center", va="center", fontsize=9)
    figure.colorbar(shown, ax=axes, label="weight w on the neighbour's noisy value")
    axes.set(title=f"Learned filter w · step {state['step']} · intercept b = {state['intercept']:.2f}",
             xlabel="neighbour column offset", ylabel="neighbour row offset",
             xticks=range(5), xticklabels=range(-2, 3), yticks=range(5), yticklabels=range(-2, 3))
    return figure


# kind -> (title, y-axis label) of its curves plot.
CURVES = {
    "toy-gan": ("GAN losses: D and G pull against each other", "loss (nats)"),
    "toy-gmm": ("EM raises the log-likelihood", "mean log-likelihood per point"),
    "toy-logistic": ("Gradient descent lowers the loss", "cross-entropy + L2 penalty"),
    "mnist-gan": ("GAN losses, and D's score of real digits (a gap: D memorises)", "hinge loss / mean score"),
    "mnist-vae": ("VAE: negative ELBO, training against held-out digits", "nats per digit (lower is better)"),
    "mnist-dae": ("Denoising: error on training against held-out digits", "cross-entropy, nats per digit"),
    "logistic-restore": ("Learning the 5x5 filter", "cross-entropy / fraction of pixels"),
}


def run_picture(run) -> tuple:
    """(figure for gr.Plot, image for gr.Image) showing what the run has learned."""
    state = run.state()
    if run.kind == "toy-gmm":
        return gmm_figure(state), None
    if run.kind == "toy-gan":
        fakes = run.sample(SHOWN_FAKES, seed=0)
        return gan_figure(state, fakes, run.discriminator(grid_points()), run.generator_pull(fakes)), None
    if run.kind == "toy-logistic":
        return logistic_figure(state, run.probability(grid_points())), None
    if run.kind == "logistic-restore":
        return filter_figure(state), display(imaging.upscale_nearest(run.picture(), 3))
    return None, digit_picture(run.picture(), 2)


def run_curves(run):
    state = run.state()
    title, label = CURVES[run.kind]
    if run.kind == "toy-logistic":
        curves = {"loss": state["losses"]["loss"]}
    elif run.kind in ("mnist-vae", "mnist-dae"):
        watched = "negative ELBO" if run.kind == "mnist-vae" else "cross-entropy"
        curves = {"each training batch": state["losses"][watched], **state["held_out"]}
    elif run.kind == "logistic-restore":
        steps = state["loss_steps"]
        curves = {**state["losses"], "wrong pixels, noisy image cut at 1/2": (steps, [state["noisy_error"]] * len(steps))}
    else:
        curves = {**state["losses"], **state.get("held_out", {})}
    return curves_figure(state["loss_steps"], curves, title=title, ylabel=label)


def add_point(drawn: dict, point_class: str, event: gr.SelectData) -> tuple[dict, np.ndarray, str]:
    """A click on the drawing pad adds a point of the chosen class."""
    column, row = event.index
    drawn = {"points": [*drawn["points"], from_pixel(column, row)],
             "labels": [*drawn["labels"], 0 if point_class.endswith("A") else 1]}
    return drawn, pad_picture(drawn["points"], drawn["labels"]), drawn_note(drawn)


def clear_points() -> tuple[dict, np.ndarray, str]:
    drawn = {"points": [], "labels": []}
    return drawn, pad_picture([], []), drawn_note(drawn)


def drawn_note(drawn: dict) -> str:
    count = len(drawn["points"])
    return f"{count} point{'s' * (count != 1)} drawn. Pick \"Points I draw\" as the data to train on them."
