"""generators.checks: the shared number checks accept what the tabs send and name what was wrong."""

import math

import numpy as np
import pytest

from generators import checks


@pytest.mark.parametrize("value, expected", [(3, 3), (3.0, 3), (np.int64(7), 7), ("5", 5)])
def test_whole_accepts_whole_numbers(value, expected):
    assert checks.whole(value, name="steps", low=1, high=10) == expected


@pytest.mark.parametrize("value", [3.5, True, None, "three", math.nan, math.inf, 0, 11])
def test_whole_refuses_and_names_the_parameter(value):
    with pytest.raises(ValueError, match=r"steps must be a .*between 1 and 10"):
        checks.whole(value, name="steps", low=1, high=10)


def test_real_adds_the_hint_only_when_too_large():
    with pytest.raises(ValueError, match="divide by 255"):
        checks.real(25, name="sigma", low=0, high=1, hint="divide by 255")
    with pytest.raises(ValueError) as refused:
        checks.real(-1, name="sigma", low=0, high=1, hint="divide by 255")
    assert "255" not in str(refused.value)
    assert checks.real("0.5", name="sigma", low=0, high=1) == 0.5


def test_seed_range_is_the_one_the_ui_offers():
    assert checks.seed(checks.MAX_SEED) == checks.MAX_SEED
    with pytest.raises(ValueError, match="Seed A must be"):
        checks.seed(checks.MAX_SEED + 1, name="Seed A")


def test_choice_lists_the_options():
    assert checks.choice("icm", ("icm", "gibbs"), name="algorithm") == "icm"
    with pytest.raises(ValueError, match="choose one of: icm, gibbs"):
        checks.choice("sa", ("icm", "gibbs"), name="algorithm")


def test_lists_take_one_value_or_a_sequence_and_name_a_bad_count_or_item():
    assert checks.wholes(3, name="degrees", low=0, high=12) == [3]
    assert checks.reals((1, "4", 8.0), name="betas", low=0, high=100) == [1.0, 4.0, 8.0]
    with pytest.raises(ValueError, match="betas must hold at least one value, got 0"):
        checks.reals((), name="betas", low=0, high=100)
    with pytest.raises(ValueError, match="degrees must hold 1 to 2 values, got 3"):
        checks.wholes((1, 2, 3), name="degrees", low=0, high=12, most=2)
    with pytest.raises(ValueError, match="windows must be a whole number between 3 and 31, got 4.5"):
        checks.wholes((3, 4.5), name="windows", low=3, high=31)
