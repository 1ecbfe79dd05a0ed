"""The style sweep: Gatys style transfer over style weight x content weight."""

from __future__ import annotations

from collections.abc import Callable

from generators import checks
from generators.sweeps.grid import (CONTENT_EXAMPLE, MAX_VALUES, STYLE_EXAMPLE, TIME_LIMIT, Cells, SweepResult, example,
                                    labelled_grid)


def gatys_weights(*, style_weights=(1, 10, 100), content_weights=(0.1, 1, 10), size: int = 112, steps: int = 40,
                  seed: int = 0, should_stop: Callable[[], bool] | None = None, progress=None,
                  time_limit: float = TIME_LIMIT) -> SweepResult:
    """The astronaut repainted after The Starry Night by Gatys optimisation (``steps`` Adam steps from the
    photograph, ``size`` px) for each style weight beta (rows) and content weight alpha (columns)."""
    from generators import api
    from generators.style.paintings import painting

    style_weights = checks.reals(style_weights, name="style_weights", low=0.0, high=1e6, most=MAX_VALUES)
    content_weights = checks.reals(content_weights, name="content_weights", low=0.0, high=1e6, most=MAX_VALUES)
    size = checks.whole(size, name="size", low=32, high=256)
    steps = checks.whole(steps, name="steps", low=1, high=500)
    if 0 in style_weights and 0 in content_weights:
        raise ValueError("style_weights and content_weights both hold 0, and a cell with both weights 0 has nothing "
                         "to optimise: make one of them positive")
    content = example(CONTENT_EXAMPLE, "rgb", size)
    style = painting(STYLE_EXAMPLE, max_side=size)
    cells = Cells(len(style_weights) * len(content_weights), unit="optimisations", should_stop=should_stop,
                   progress=progress, time_limit=time_limit)
    grid, scores, network = [], {}, ""
    for beta in style_weights:
        for alpha in content_weights:
            last = _gatys_cell(api, content, style, alpha, beta, size, steps, seed, cells)
            if last is None:
                grid.append((None, "not run"))
                continue
            scores[f"alpha {alpha:g}, beta {beta:g}"], network = last.style, f" Features: {last.network}."
            grid.append((last.image, f"alpha/beta {alpha / beta:.3g}\nstyle loss {last.style:.3f}" if beta else
                         f"style loss {last.style:.3f}"))
            cells.finished(f"alpha {alpha:g}, beta {beta:g}")
    picture = labelled_grid(grid, columns=len(content_weights), row_titles=[f"beta {b:g}" for b in style_weights],
                            column_titles=[f"alpha {a:g}" for a in content_weights], zoom=2)
    summary = (f"The astronaut after *The Starry Night*, {size} px, {steps} Adam steps from the photograph (seed "
               f"{seed}); rows: style weight β, columns: content weight α. Adam's steps do not change when the loss "
               f"is scaled, so cells with the same ratio α/β match: only the ratio counts.{network}")
    return cells.result(picture, summary, None, scores)


def _gatys_cell(api, content, style, alpha, beta, size, steps, seed, cells: Cells):
    """The last GatysStep of one optimisation, or None when ``cells`` says to end before its last step."""
    last = None
    # L_total = alpha L_content + beta L_style  (Gatys et al. 2016, eq. 7; generators.style.optimize)
    for last in api.gatys(content, style, content_weight=alpha, style_weight=beta, steps=steps, size=size,
                          seed=seed, preview_every=1, network="random"):
        if not cells.going():
            return None
    return last
