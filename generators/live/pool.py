"""The server's training places: at most ``active`` runs train at once, up to ``capacity`` hold a place (training
or waiting their turn, first come first served); one more is refused with a message. Thread-safe: every
browser session's handler asks the same pool."""

from __future__ import annotations

import threading

ACTIVE = 3
CAPACITY = 5


class Pool:
    def __init__(self, active: int = ACTIVE, capacity: int = CAPACITY):
        if not 1 <= active <= capacity:
            raise ValueError(f"a pool needs 1 <= active <= capacity, got active={active}, capacity={capacity}")
        self.active, self.capacity = active, capacity
        self._lock = threading.Lock()
        self._holders: list[object] = []

    def enter(self, holder: object) -> int:
        """Give ``holder`` a place (kept if it has one) and return ``place(holder)``; a ValueError when full."""
        with self._lock:
            if holder not in self._holders:
                if len(self._holders) >= self.capacity:
                    raise ValueError(f"The server is busy: {self.capacity} runs are already training or waiting "
                                     f"(at most {self.active} train at once). Try again in a minute or two; "
                                     f"every run stops by itself after 5 minutes.")
                self._holders.append(holder)
            return self._place(holder)

    def place(self, holder: object) -> int:
        """0 when ``holder`` may train now, k when k runs must leave before it may; -1 when it holds no place."""
        with self._lock:
            return self._place(holder) if holder in self._holders else -1

    def leave(self, holder: object) -> None:
        with self._lock:
            if holder in self._holders:
                self._holders.remove(holder)

    def count(self) -> int:
        with self._lock:
            return len(self._holders)

    def _place(self, holder: object) -> int:
        return max(0, self._holders.index(holder) - self.active + 1)
