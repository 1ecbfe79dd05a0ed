"""The server's training places: a few train, the next wait in order, one more is refused."""

import pytest

from generators.live.pool import Pool


def test_three_train_two_wait_in_order_and_a_sixth_is_refused():
    pool = Pool(active=3, capacity=5)
    runs = [object() for _ in range(6)]
    assert [pool.enter(run) for run in runs[:5]] == [0, 0, 0, 1, 2]
    with pytest.raises(ValueError, match="busy: 5 runs are already training or waiting"):
        pool.enter(runs[5])
    pool.leave(runs[1])
    assert [pool.place(run) for run in runs[:5]] == [0, -1, 0, 0, 1]
    assert pool.enter(runs[5]) == 2
    assert pool.enter(runs[0]) == 0, "entering again keeps the place"
    assert pool.count() == 5


def test_a_pool_needs_sensible_sizes():
    with pytest.raises(ValueError, match="active"):
        Pool(active=4, capacity=2)
