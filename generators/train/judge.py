"""The measured figures every digit sampler's checkpoint carries: Fréchet distance and class balance under the
shipped LeNet judge (skipped, with a note, when the judge's checkpoint is missing)."""

from __future__ import annotations

from generators import checkpoint
from generators.registry import CHECKPOINT_DIR, Registry
from generators.sample.quality import digit_quality, real_reference


def judge_sampler(model) -> dict:
    try:
        judge = Registry(directory=CHECKPOINT_DIR).load("mnist-lenet")
    except checkpoint.CheckpointError as error:
        print(f"skipping the Fréchet distance: {error}")
        return {}
    return {**digit_quality(model, judge), "frechet_real_vs_real": real_reference(judge)}
