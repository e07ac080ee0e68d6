"""Heavyweight locks, row locks, xid waits, deadlocks, timeouts, cancel."""

import threading
import time

import pytest

from tuskdb.access import TM, Heap
from tuskdb.storage import StorageManager, interrupts
from tuskdb.txn import (
    AccessExclusiveLock,
    AccessShareLock,
    ExclusiveLock,
    LockTupleExclusive,
    LockTupleKeyShare,
    LockTupleShare,
    RowExclusiveLock,
    ShareLock,
    TransactionManager,
)


@pytest.fixture
def env():
    sm = StorageManager.open(None)
    tm = TransactionManager(sm)
    tm.locks.deadlock_timeout = 0.2
    with sm.latch:
        heap = Heap.create(sm, (1, 3000))
        t = tm.begin()
        tids = [heap.insert(t, (i,)) for i in range(3)]
        t.commit()
    return sm, tm, heap, tids


def in_thread(sm, fn):
    box = {}

    def run():
        interrupts.set_current(interrupts.Interrupts())
        box["intr"] = interrupts.current()
        with sm.latch:
            try:
                box["result"] = fn()
            except BaseException as e:  # noqa: BLE001
                box["error"] = e
    th = threading.Thread(target=run)
    th.start()
    time.sleep(0.05)
    box["thread"] = th
    return box


def test_conflict_table(env):
    sm, tm, _heap, _ = env
    with sm.latch:
        a, b = tm.begin(), tm.begin()
        assert a.lock_relation(1, 50, RowExclusiveLock)
        assert b.lock_relation(1, 50, RowExclusiveLock)
        assert b.lock_relation(1, 50, AccessShareLock)
        assert not b.lock_relation(1, 50, ShareLock, nowait=True)
        assert not b.lock_relation(1, 50, AccessExclusiveLock, nowait=True)
        a.commit()
        assert b.lock_relation(1, 50, AccessExclusiveLock, nowait=True)   # own locks never conflict
        b.commit()
        assert tm.locks.locks == {}


def test_lock_wait_and_release_on_commit(env):
    sm, tm, _heap, _ = env
    with sm.latch:
        a = tm.begin()
        a.lock_relation(1, 50, AccessExclusiveLock)
    box = in_thread(sm, lambda: tm.begin().lock_relation(1, 50, AccessShareLock))
    assert box["thread"].is_alive()
    with sm.latch:
        a.commit()
    box["thread"].join(3)
    assert box["result"] is True


def test_savepoint_releases_locks(env):
    sm, tm, _heap, _ = env
    with sm.latch:
        a = tm.begin()
        lvl = a.savepoint()
        a.lock_relation(1, 51, AccessExclusiveLock)
        a.rollback_to(lvl)
        assert tm.begin().lock_relation(1, 51, AccessShareLock, nowait=True)


def test_deadlock_first_waiter_reports(env):
    sm, tm, heap, tids = env
    with sm.latch:
        a, b = tm.begin(), tm.begin()
        heap.update(a, tids[0], (10,))
        heap.update(b, tids[1], (11,))
    box = in_thread(sm, lambda: heap.update(a, tids[1], (20,)))   # a waits first
    time.sleep(0.1)
    box2 = in_thread(sm, lambda: heap.update(b, tids[0], (21,)))
    box["thread"].join(3)
    assert box["error"].sqlstate == "40P01"
    assert box["error"].message == "deadlock detected"
    assert "waits for ShareLock on transaction" in box["error"].detail
    assert box2["thread"].is_alive()
    with sm.latch:
        a.abort()
    box2["thread"].join(3)
    assert box2["result"].ok
    with sm.latch:
        b.commit()


def test_lock_timeout(env):
    sm, tm, heap, tids = env
    with sm.latch:
        a = tm.begin()
        heap.delete(a, tids[0])

    def fn():
        interrupts.current().lock_timeout = 0.1
        return heap.update(tm.begin(), tids[0], (5,))
    box = in_thread(sm, fn)
    box["thread"].join(3)
    assert box["error"].sqlstate == "55P03"
    assert box["error"].message == "canceling statement due to lock timeout"


def test_statement_timeout_and_cancel(env):
    sm, tm, heap, tids = env
    with sm.latch:
        a = tm.begin()
        heap.delete(a, tids[0])

    def fn():
        interrupts.current().start_statement(0.1)
        return heap.update(tm.begin(), tids[0], (5,))
    box = in_thread(sm, fn)
    box["thread"].join(3)
    assert box["error"].message == "canceling statement due to statement timeout"
    box = in_thread(sm, lambda: heap.update(tm.begin(), tids[0], (5,)))
    box["intr"].cancel()
    box["thread"].join(3)
    assert box["error"].sqlstate == "57014"
    assert box["error"].message == "canceling statement due to user request"


def test_row_locks(env):
    sm, tm, heap, tids = env
    with sm.latch:
        a, b, c = tm.begin(), tm.begin(), tm.begin()
        assert heap.lock_tuple(a, tids[0], LockTupleShare).ok
        assert heap.lock_tuple(b, tids[0], LockTupleShare).ok        # shared
        r = heap.lock_tuple(c, tids[0], LockTupleExclusive, "nowait")
        assert r.status == TM.WouldBlock
        assert heap.lock_tuple(c, tids[0], LockTupleExclusive, "skip").status == TM.WouldBlock
        assert heap.update(c, tids[0], (9,), wait=False).status == TM.WouldBlock
        # KEY SHARE vs a no-key update: compatible
        assert heap.lock_tuple(c, tids[1], LockTupleKeyShare).ok
        assert heap.update(a, tids[1], (99,), keys_updated=False).ok
        assert heap.update(b, tids[2], (98,)).ok
        assert heap.lock_tuple(c, tids[2], LockTupleKeyShare, "nowait").status == TM.WouldBlock
        a.commit()
        b.commit()
        assert heap.lock_tuple(c, tids[0], LockTupleExclusive, "nowait").ok
        c.commit()
        assert tm.rowlocks.table == {}


def test_row_lock_wait_then_updated(env):
    sm, tm, heap, tids = env
    with sm.latch:
        a = tm.begin()
        heap.lock_tuple(a, tids[0], LockTupleExclusive)
    box = in_thread(sm, lambda: heap.lock_tuple(tm.begin(), tids[0], LockTupleExclusive))
    assert box["thread"].is_alive()
    with sm.latch:
        assert heap.update(a, tids[0], (7,)).ok
        a.commit()
    box["thread"].join(3)
    assert box["result"].status == TM.Updated


def test_lock_upgrade_deadlock(env):
    sm, tm, _heap, _ = env
    with sm.latch:
        a, b = tm.begin(), tm.begin()
        a.lock_relation(1, 60, AccessShareLock)
        b.lock_relation(1, 60, AccessShareLock)
    box = in_thread(sm, lambda: a.lock_relation(1, 60, AccessExclusiveLock))
    time.sleep(0.05)
    box2 = in_thread(sm, lambda: b.lock_relation(1, 60, AccessExclusiveLock))
    box["thread"].join(3)
    err = box["error"]
    assert err.sqlstate == "40P01"
    assert "AccessExclusiveLock on relation 60 of database 1" in err.detail
    with sm.latch:
        a.abort()
    box2["thread"].join(3)
    assert box2["result"] is True
    with sm.latch:
        st = tm.locks.lock_status()
        assert (("relation", 1, 60), b, AccessExclusiveLock, True) in st
        b.commit()
        assert tm.locks.lock_status() == []


def test_session_level_advisory_lock(env):
    sm, tm, _heap, _ = env
    owner_a, owner_b = object(), object()
    with sm.latch:
        tag = ("advisory", 1, 42)
        assert tm.locks.acquire(owner_a, tag, ExclusiveLock)
        assert not tm.locks.acquire(owner_b, tag, ExclusiveLock, nowait=True)
        assert tm.locks.release(owner_a, tag, ExclusiveLock)
        assert tm.locks.acquire(owner_b, tag, ExclusiveLock, nowait=True)
        tm.locks.release_all(owner_b)
        assert tm.locks.locks == {}
