"""CHECK_FOR_INTERRUPTS: cancellation and timeouts for one backend.

Each backend thread makes its `Interrupts` object current with
`set_current(obj)`.  Another thread (the cancel-request handler) sets
`cancel_requested`; the backend notices at its next `check()`, which every
wait calls at least every `WAIT_TICK` seconds and long-running operators call
every ~1,000 rows.

Deadlines are absolute `time.monotonic()` values (None = no deadline):
`statement_deadline` (statement_timeout) and `lock_deadline` (lock_timeout;
only checked while waiting for a lock, see `check(waiting_for_lock=True)`).
"""

from __future__ import annotations

import threading
import time

from tuskdb.errors import LOCK_NOT_AVAILABLE, QUERY_CANCELED, PgError

WAIT_TICK = 0.05  # seconds: the longest a wait sleeps before calling check()


class Interrupts:
    __slots__ = (
        "__weakref__",
        "cancel_requested",
        "lock_deadline",
        "lock_timeout",
        "pid",
        "statement_deadline",
        "terminate_requested",
        "wait_event",
    )

    def __init__(self, pid: int = 0) -> None:
        self.cancel_requested = False
        self.terminate_requested = False
        self.statement_deadline: float | None = None
        self.lock_timeout: float | None = None  # seconds; the session's lock_timeout
        self.lock_deadline: float | None = None
        self.pid = pid
        self.wait_event: str | None = None  # e.g. "Lock:transactionid", for pg_stat_activity

    def cancel(self) -> None:
        """Called from another thread (cancel request)."""
        self.cancel_requested = True

    def start_statement(self, statement_timeout: float | None) -> None:
        """statement_timeout in seconds (None or 0 = off)."""
        self.cancel_requested = False
        self.statement_deadline = (time.monotonic() + statement_timeout
                                   if statement_timeout else None)

    def end_statement(self) -> None:
        self.statement_deadline = None
        self.cancel_requested = False

    def check(self, waiting_for_lock: bool = False) -> None:
        if self.terminate_requested:
            raise PgError("57P01", "terminating connection due to administrator command",
                          severity="FATAL")
        if self.cancel_requested:
            self.cancel_requested = False
            raise PgError(QUERY_CANCELED, "canceling statement due to user request")
        if self.statement_deadline is not None or self.lock_deadline is not None:
            now = time.monotonic()
            sd = self.statement_deadline
            ld = self.lock_deadline if waiting_for_lock else None
            # PostgreSQL reports whichever timeout fires first
            if sd is not None and now >= sd and (ld is None or sd <= ld):
                self.statement_deadline = None
                raise PgError(QUERY_CANCELED, "canceling statement due to statement timeout")
            if ld is not None and now >= ld:
                self.lock_deadline = None
                raise PgError(LOCK_NOT_AVAILABLE, "canceling statement due to lock timeout")


_local = threading.local()
_DEFAULT = Interrupts()


def set_current(obj: Interrupts | None) -> None:
    _local.current = obj


def current() -> Interrupts:
    cur = getattr(_local, "current", None)
    if cur is None:
        cur = Interrupts()
        _local.current = cur
    return cur


def check(waiting_for_lock: bool = False) -> None:
    """CHECK_FOR_INTERRUPTS for the calling thread."""
    cur = getattr(_local, "current", None)
    if cur is not None:
        cur.check(waiting_for_lock)


class LockWait:
    """Context for one lock wait: arms lock_deadline from lock_timeout."""

    __slots__ = ("event", "intr")

    def __init__(self, event: str) -> None:
        self.intr = current()
        self.event = event

    def __enter__(self) -> Interrupts:
        intr = self.intr
        intr.wait_event = self.event
        if intr.lock_timeout:
            intr.lock_deadline = time.monotonic() + intr.lock_timeout
        return intr

    def __exit__(self, *exc: object) -> None:
        self.intr.wait_event = None
        self.intr.lock_deadline = None
