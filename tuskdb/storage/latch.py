"""The engine latch: one re-entrant lock that all engine code runs under.

A backend holds the latch while it runs engine code and releases it whenever
it waits (lock, xid, WAL flush, client socket).  Because only one thread runs
engine code at a time, in-memory structures (buffer cache, lock tables, the
list of running transactions) need no finer locking.

`Latch` wraps a C RLock and is usable as the lock of a `threading.Condition`,
so `cond.wait()` releases the latch fully (whatever the recursion depth) and
re-acquires it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Latch:
    __slots__ = (
        "_acquire_restore",
        "_is_owned",
        "_lock",
        "_release_save",
        "acquire",
        "release",
    )

    def __init__(self) -> None:
        lock = threading.RLock()
        self._lock = lock
        self.acquire = lock.acquire
        self.release = lock.release
        self._release_save = lock._release_save  # type: ignore[attr-defined]
        self._acquire_restore = lock._acquire_restore  # type: ignore[attr-defined]
        self._is_owned = lock._is_owned  # type: ignore[attr-defined]

    def __enter__(self) -> bool:
        return self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()

    def held(self) -> bool:
        """True if the calling thread holds the latch."""
        return self._is_owned()

    @contextmanager
    def released(self) -> Iterator[None]:
        """Release the latch completely for the duration of the block.

        A no-op (but still a valid context) if the caller does not hold it.
        """
        if not self._is_owned():
            yield
            return
        state = self._release_save()
        try:
            yield
        finally:
            self._acquire_restore(state)

    def condition(self) -> threading.Condition:
        return threading.Condition(self)  # type: ignore[arg-type]
