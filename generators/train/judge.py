"""The measured figures every digit sampler's checkpoint carries: Fréchet distance and class balance under the
shipped LeNet judge (skipped, with a note, when the judge's checkpoint is missing)."""

from __future__ import annotations

from generators import api, checkpoint
from generators.sample.quality import digit_quality, real_reference


def load_judge(skipping: str):
    """The shipped LeNet judge (mnist-lenet, through generators.api), or None after printing ``skipping`` and
    why when its checkpoint is missing or broken."""
    try:
        return api.load("mnist-lenet")
    except checkpoint.CheckpointError as error:
        print(f"{skipping}: {error}")
        return None


def judge_sampler(model) -> dict:
    judge = load_judge("skipping the Fréchet distance")
    if judge is None:
        return {}
    return {**digit_quality(model, judge), "frechet_real_vs_real": real_reference(judge)}
