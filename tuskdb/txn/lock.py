"""Heavyweight locks, row locks, waits and deadlock detection.

Everything here runs under the engine latch; a wait is a
`Condition(latch).wait(WAIT_TICK)` loop that re-checks its condition,
CHECK_FOR_INTERRUPTS (cancel, statement_timeout, lock_timeout) and, once it
has waited `deadlock_timeout`, runs the deadlock detector once -- as in
PostgreSQL, the backend whose timer fires first (the one that started
waiting first) is the one that reports the deadlock.

Heavyweight lock modes and conflicts (PostgreSQL's table)::

                          1   2   3   4   5   6   7   8
    1 AccessShare                                     X
    2 RowShare                                    X   X
    3 RowExclusive                        X   X   X   X
    4 ShareUpdateExclusive            X   X   X   X   X
    5 Share                       X   X       X   X   X
    6 ShareRowExclusive           X   X   X   X   X   X
    7 Exclusive               X   X   X   X   X   X   X
    8 AccessExclusive     X   X   X   X   X   X   X   X

Row lock modes (kept in memory only: after a crash no locker survives)::

                     KeyShare  Share  NoKeyUpdate  Update
    KeyShare                                          X
    Share                                  X          X
    NoKeyUpdate                   X        X          X
    Update              X         X        X          X
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from tuskdb.errors import DEADLOCK_DETECTED, PgError
from tuskdb.storage import interrupts

if TYPE_CHECKING:
    from tuskdb.txn.xact import TransactionManager

AccessShareLock = 1
RowShareLock = 2
RowExclusiveLock = 3
ShareUpdateExclusiveLock = 4
ShareLock = 5
ShareRowExclusiveLock = 6
ExclusiveLock = 7
AccessExclusiveLock = 8

LOCK_MODE_NAMES = {
    1: "AccessShareLock", 2: "RowShareLock", 3: "RowExclusiveLock",
    4: "ShareUpdateExclusiveLock", 5: "ShareLock", 6: "ShareRowExclusiveLock",
    7: "ExclusiveLock", 8: "AccessExclusiveLock",
}

# mode -> set of modes it conflicts with
CONFLICTS: dict[int, frozenset[int]] = {
    1: frozenset({8}),
    2: frozenset({7, 8}),
    3: frozenset({5, 6, 7, 8}),
    4: frozenset({4, 5, 6, 7, 8}),
    5: frozenset({3, 4, 6, 7, 8}),
    6: frozenset({3, 4, 5, 6, 7, 8}),
    7: frozenset({2, 3, 4, 5, 6, 7, 8}),
    8: frozenset({1, 2, 3, 4, 5, 6, 7, 8}),
}

# row lock modes (LockTupleMode)
LockTupleKeyShare = 1
LockTupleShare = 2
LockTupleNoKeyExclusive = 3
LockTupleExclusive = 4

ROW_MODE_NAMES = {1: "FOR KEY SHARE", 2: "FOR SHARE", 3: "FOR NO KEY UPDATE", 4: "FOR UPDATE"}

ROW_CONFLICTS: dict[int, frozenset[int]] = {
    1: frozenset({4}),
    2: frozenset({3, 4}),
    3: frozenset({2, 3, 4}),
    4: frozenset({1, 2, 3, 4}),
}

DEADLOCK_TIMEOUT = 1.0  # seconds; tests lower it via LockManager.deadlock_timeout


def describe_tag(tag: tuple) -> str:
    kind = tag[0]
    if kind == "relation":
        return f"relation {tag[2]} of database {tag[1]}"
    if kind == "transactionid":
        return f"transaction {tag[1]}"
    if kind == "advisory":
        return f"advisory lock [{', '.join(str(x) for x in tag[1:])}]"
    if kind == "object":
        return f"object {tag[3]} of class {tag[2]} of database {tag[1]}"
    return " ".join(str(x) for x in tag)


class LockState:
    __slots__ = ("granted", "waiters")

    def __init__(self) -> None:
        self.granted: dict[Hashable, dict[int, int]] = {}  # owner -> mode -> count
        self.waiters: list[tuple[Hashable, int]] = []


class WaitInfo:
    __slots__ = ("blockers", "desc", "pid")

    def __init__(self, blockers: Callable[[], set], desc: str, pid: int) -> None:
        self.blockers = blockers
        self.desc = desc
        self.pid = pid


class LockManager:
    """Heavyweight locks on tags such as ("relation", dboid, reloid)."""

    def __init__(self, tm: TransactionManager) -> None:
        self.tm = tm
        self.cond = tm.cond
        self.locks: dict[tuple, LockState] = {}
        self.by_owner: dict[Hashable, dict[tuple, dict[int, int]]] = {}
        self.deadlock_timeout = DEADLOCK_TIMEOUT

    # -- queries ---------------------------------------------------------

    def holds(self, owner: Hashable, tag: tuple, mode: int | None = None) -> bool:
        held = self.by_owner.get(owner, {}).get(tag)
        if not held:
            return False
        return mode is None or mode in held

    def _conflicting_holders(self, owner: Hashable, tag: tuple, mode: int) -> set:
        st = self.locks.get(tag)
        if st is None:
            return set()
        conf = CONFLICTS[mode]
        out = set()
        for o, modes in st.granted.items():
            if o is not owner and o != owner and any(m in conf for m in modes):
                out.add(o)
        return out

    def _blocked(self, owner: Hashable, tag: tuple, mode: int) -> set:
        blockers = self._conflicting_holders(owner, tag, mode)
        if blockers:
            return blockers
        st = self.locks.get(tag)
        if st is None or not st.waiters or owner in st.granted:
            return blockers
        # queue fairness: wait behind earlier conflicting waiters
        conf = CONFLICTS[mode]
        for o, m in st.waiters:
            if o == owner:
                break
            if m in conf:
                blockers.add(o)
        return blockers

    def lock_status(self) -> list[tuple[tuple, Hashable, int, bool]]:
        """(tag, owner, mode, granted) for pg_locks."""
        out = []
        for tag, st in self.locks.items():
            for o, modes in st.granted.items():
                for m in modes:
                    out.append((tag, o, m, True))
            for o, m in st.waiters:
                out.append((tag, o, m, False))
        return out

    # -- acquire / release -----------------------------------------------

    def acquire(self, owner: Hashable, tag: tuple, mode: int, nowait: bool = False) -> bool:
        """Acquire `mode` on `tag` for `owner`; False if nowait and busy.

        `owner` is a Transaction (released at its end) or any other hashable
        (session-level locks; released with release_all(owner)).
        """
        st = self.locks.get(tag)
        if st is None:
            st = self.locks[tag] = LockState()
        held = st.granted.get(owner)
        if held is not None and mode in held:
            held[mode] += 1
            self.by_owner[owner][tag] = held
            self._note_acquired(owner, tag, mode)
            return True
        if self._blocked(owner, tag, mode):
            if nowait:
                if not st.granted and not st.waiters:
                    del self.locks[tag]
                return False
            st.waiters.append((owner, mode))
            try:
                self.wait(owner, lambda: not self._blocked(owner, tag, mode),
                          lambda: self._blocked(owner, tag, mode),
                          f"{LOCK_MODE_NAMES[mode]} on {describe_tag(tag)}",
                          "Lock:" + tag[0])
            finally:
                try:
                    st.waiters.remove((owner, mode))
                except ValueError:
                    pass
                if not st.granted and not st.waiters:
                    self.locks.pop(tag, None)
                self.cond.notify_all()
            st = self.locks.setdefault(tag, st)
        held = st.granted.setdefault(owner, {})
        held[mode] = held.get(mode, 0) + 1
        self.by_owner.setdefault(owner, {})[tag] = held
        self._note_acquired(owner, tag, mode)
        return True

    def _note_acquired(self, owner: Hashable, tag: tuple, mode: int) -> None:
        note = getattr(owner, "_note_lock", None)
        if note is not None:
            note(tag, mode)

    def release(self, owner: Hashable, tag: tuple, mode: int) -> bool:
        st = self.locks.get(tag)
        if st is None:
            return False
        held = st.granted.get(owner)
        if not held or mode not in held:
            return False
        held[mode] -= 1
        if held[mode] <= 0:
            del held[mode]
        if not held:
            del st.granted[owner]
            own = self.by_owner.get(owner)
            if own is not None:
                own.pop(tag, None)
                if not own:
                    del self.by_owner[owner]
        if not st.granted and not st.waiters:
            del self.locks[tag]
        self.cond.notify_all()
        return True

    def release_all(self, owner: Hashable) -> None:
        own = self.by_owner.pop(owner, None)
        if not own:
            return
        for tag in own:
            st = self.locks.get(tag)
            if st is None:
                continue
            st.granted.pop(owner, None)
            if not st.granted and not st.waiters:
                del self.locks[tag]
        self.cond.notify_all()

    # -- waiting and deadlock detection ------------------------------------

    def wait(self, me: Any, done: Callable[[], bool], blockers: Callable[[], set],
             desc: str, event: str, cond: Any = None) -> None:
        """Wait (latch released) until done(); raise on interrupt/deadlock.

        `cond` is the Condition whose notify ends the wait (default: the
        lock manager's, notified on every lock release)."""
        tm = self.tm
        if cond is None:
            cond = self.cond
        pid = getattr(me, "pid", 0)
        tm.waiting[me] = WaitInfo(blockers, desc, pid)
        start = time.monotonic()
        checked = False
        try:
            with interrupts.LockWait(event) as intr:
                while not done():
                    intr.check(waiting_for_lock=True)
                    cond.wait(interrupts.WAIT_TICK)
                    if done():
                        break
                    intr.check(waiting_for_lock=True)
                    if not checked and time.monotonic() - start >= self.deadlock_timeout:
                        checked = True
                        cycle = self.find_deadlock(me)
                        if cycle:
                            raise self._deadlock_error(cycle)
        finally:
            tm.waiting.pop(me, None)

    def find_deadlock(self, me: Any) -> list | None:
        """A cycle of waiters through `me`, as a list of (waiter, blocker)."""
        waiting = self.tm.waiting
        path: list = []
        seen: set = set()

        def dfs(node: Any) -> list | None:
            info = waiting.get(node)
            if info is None:
                return None
            for b in info.blockers():
                b = self.tm.owner_of(b)
                if b is me:
                    return path + [(node, b)]
                if b in seen:
                    continue
                seen.add(b)
                path.append((node, b))
                r = dfs(b)
                if r:
                    return r
                path.pop()
            return None

        return dfs(me)

    def _deadlock_error(self, cycle: list) -> PgError:
        waiting = self.tm.waiting
        lines = []
        for waiter, blocker in cycle:
            info = waiting.get(waiter)
            desc = info.desc if info else "lock"
            lines.append(f"Process {getattr(waiter, 'pid', 0)} waits for {desc}; "
                         f"blocked by process {getattr(blocker, 'pid', 0)}.")
        return PgError(DEADLOCK_DETECTED, "deadlock detected", detail="\n".join(lines),
                       hint="See server log for query details.")


class RowLocks:
    """Tuple locks taken by SELECT ... FOR UPDATE/SHARE (in memory only).

    key (relation key, tid) -> {locker xid: mode}.  The tuple's xmax holds
    only updaters and deleters; lockers live here.
    """

    def __init__(self) -> None:
        self.table: dict[tuple, dict[int, int]] = {}

    def lockers(self, key: tuple) -> dict[int, int] | None:
        return self.table.get(key)

    def add(self, key: tuple, xid: int, mode: int) -> bool:
        """Record a lock; True if it is new for this xid (or stronger)."""
        d = self.table.get(key)
        if d is None:
            self.table[key] = {xid: mode}
            return True
        old = d.get(xid, 0)
        if mode > old:
            d[xid] = mode
            return True
        return False

    def remove_xid(self, key: tuple, xid: int) -> None:
        d = self.table.get(key)
        if d is not None:
            d.pop(xid, None)
            if not d:
                del self.table[key]
