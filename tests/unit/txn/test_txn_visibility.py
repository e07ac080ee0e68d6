"""Snapshots and visibility rules, subtransactions, commit log."""

import pytest

from tuskdb.access import Heap
from tuskdb.storage import StorageManager
from tuskdb.storage.clog import ABORTED, COMMITTED
from tuskdb.txn import REPEATABLE_READ, TransactionManager


@pytest.fixture
def env():
    sm = StorageManager.open(None)
    tm = TransactionManager(sm)
    with sm.latch:
        heap = Heap.create(sm, (1, 4000))
    sm.latch.acquire()
    yield sm, tm, heap
    sm.latch.release()


def vals(heap, snap):
    return sorted(v[0] for _, v in heap.scan(snap))


def test_lazy_xid_and_64bit(env):
    sm, tm, heap = env
    t = tm.begin()
    assert t.xid == 0
    t.snapshot()
    assert t.xid == 0
    sm.next_xid = 2**40
    heap.insert(t, (1,))
    assert t.xid == 2**40
    t.commit()
    assert sm.clog.get(2**40) == COMMITTED
    assert vals(heap, tm.begin().snapshot()) == [1]


def test_snapshot_excludes_running_and_later(env):
    _sm, tm, heap = env
    t1 = tm.begin()
    heap.insert(t1, (1,))
    t2 = tm.begin()
    s2 = t2.snapshot()
    t3 = tm.begin()
    heap.insert(t3, (3,))
    t3.commit()
    t1.commit()
    assert vals(heap, s2) == []         # t1 was running, t3 started after
    assert vals(heap, t2.snapshot()) == [1, 3]


def test_subxact_abort_and_commit(env):
    sm, tm, heap = env
    t = tm.begin()
    heap.insert(t, (1,))
    s1 = t.savepoint()
    heap.insert(t, (2,))
    sub_xid = t.get_xid()
    s2 = t.savepoint()
    heap.insert(t, (3,))
    t.release(s2)
    t.rollback_to(s1)
    assert sm.clog.get(sub_xid) == ABORTED
    t.command_counter_increment()
    assert vals(heap, t.snapshot()) == [1]
    heap.insert(t, (4,))
    t.commit()
    assert vals(heap, tm.begin().snapshot()) == [1, 4]


def test_delete_in_aborted_subxact_is_undone(env):
    _sm, tm, heap = env
    t0 = tm.begin()
    tid = heap.insert(t0, (1,))
    t0.commit()
    t = tm.begin()
    s = t.savepoint()
    assert heap.delete(t, tid).ok
    t.command_counter_increment()
    assert vals(heap, t.snapshot()) == []
    t.rollback_to(s)
    assert vals(heap, t.snapshot()) == [1]
    assert heap.update(t, tid, (2,)).ok
    t.commit()
    assert vals(heap, tm.begin().snapshot()) == [2]


def test_callbacks(env):
    _sm, tm, _heap = env
    log = []
    t = tm.begin()
    t.on_commit(lambda: log.append("c0"))
    s = t.savepoint()
    t.on_commit(lambda: log.append("c1"))
    t.on_abort(lambda: log.append("a1"))
    t.rollback_to(s)
    t.on_abort(lambda: log.append("a2"))
    t.commit()
    assert log == ["a1", "c0"]
    t = tm.begin()
    t.on_abort(lambda: log.append("top"))
    t.abort()
    assert log[-1] == "top"


def test_oldest_xmin(env):
    sm, tm, heap = env
    t1 = tm.begin(REPEATABLE_READ)
    t1.snapshot()
    t2 = tm.begin()
    heap.insert(t2, (1,))
    t2.commit()
    assert tm.oldest_xmin() <= t2.xid
    t1.commit()
    assert tm.oldest_xmin() == sm.next_xid


def test_hint_bits_not_set_before_async_commit_flush(tmp_path):
    sm = StorageManager.open(str(tmp_path / "d"), background=False)
    tm = TransactionManager(sm)
    with sm.latch:
        heap = Heap.create(sm, (1, 1))
        t = tm.begin()
        t.synchronous_commit = False
        tid = heap.insert(t, (1,))
        t.commit()
        assert sm.wal.flushed_lsn < sm.wal.insert_lsn
        assert heap.fetch(tm.begin().snapshot(), tid) == (1,)
        assert not heap.get_tuple(tid).infomask & 1   # XMIN_COMMITTED not set yet
        sm.wal.flush()
        heap.fetch(tm.begin().snapshot(), tid)
        assert heap.get_tuple(tid).infomask & 1
    sm.close()
