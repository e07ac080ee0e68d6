"""Heap: insert/scan/fetch/update/delete with MVCC visibility, vacuum."""

import threading
import time

import pytest

from tuskdb.access import TM, BTree, Heap, tid_str
from tuskdb.storage import StorageManager
from tuskdb.txn import REPEATABLE_READ, TransactionManager


@pytest.fixture(params=["memory", "disk", "disk-tiny-cache"])
def env(request, tmp_path):
    # disk-tiny-cache: 2 buffers, so every access-method entry point evicts:
    # catches code that keeps using a page after it could have been evicted
    sm = StorageManager.open(None if request.param == "memory" else str(tmp_path / "d"),
                             background=False, fsync=False,   # durability: tests/unit/storage
                             shared_buffers=2 if request.param == "disk-tiny-cache" else 32768)
    tm = TransactionManager(sm)
    with sm.latch:
        heap = Heap.create(sm, (1, 1000))
    yield sm, tm, heap
    if not sm.closed:
        sm.close()


def rows(heap, snap):
    return sorted(v for _, v in heap.scan(snap))


def test_insert_visible_after_commit(env):
    sm, tm, heap = env
    with sm.latch:
        t1 = tm.begin()
        heap.insert(t1, (1, "a"))
        t2 = tm.begin()
        assert rows(heap, t2.snapshot()) == []
        t1.commit()
        assert rows(heap, t2.snapshot()) == [(1, "a")]   # READ COMMITTED: new snapshot


def test_abort_invisible(env):
    sm, tm, heap = env
    with sm.latch:
        t1 = tm.begin()
        heap.insert(t1, (1, "a"))
        t1.abort()
        assert rows(heap, tm.begin().snapshot()) == []


def test_own_command_ids(env):
    sm, tm, heap = env
    with sm.latch:
        t = tm.begin()
        snap = t.snapshot()
        tid = heap.insert(t, (1,))
        assert rows(heap, snap) == []          # same command: not visible
        assert heap.fetch(snap, tid) is None
        t.command_counter_increment()
        snap2 = t.snapshot()
        assert rows(heap, snap2) == [(1,)]
        r = heap.update(t, tid, (2,))
        assert r.status == TM.Ok
        assert rows(heap, snap2) == [(1,)]     # statement does not see its own update
        # updating the old version again in the same command: SelfModified
        r2 = heap.update(t, tid, (3,))
        assert r2.status == TM.SelfModified
        t.command_counter_increment()
        assert rows(heap, t.snapshot()) == [(2,)]
        # the old version is now invisible to a later command
        assert heap.update(t, tid, (4,)).status == TM.Invisible


def test_repeatable_read_snapshot(env):
    sm, tm, heap = env
    with sm.latch:
        t0 = tm.begin()
        tid = heap.insert(t0, (1,))
        t0.commit()
        rr = tm.begin(REPEATABLE_READ)
        s1 = rr.snapshot()
        t1 = tm.begin()
        heap.update(t1, tid, (2,))
        heap.insert(t1, (3,))
        t1.commit()
        assert rows(heap, rr.snapshot()) == [(1,)]
        assert rows(heap, s1) == [(1,)]
        # RR updating a row changed since its snapshot: Updated (-> 40001 upstairs)
        r = heap.update(rr, tid, (9,))
        assert r.status == TM.Updated and r.ctid != tid
        assert rows(heap, tm.begin().snapshot()) == [(2,), (3,)]


def test_delete_and_updated_results(env):
    sm, tm, heap = env
    with sm.latch:
        t0 = tm.begin()
        a = heap.insert(t0, ("a",))
        b = heap.insert(t0, ("b",))
        t0.commit()
        t1 = tm.begin()
        assert heap.delete(t1, a).ok
        assert heap.update(t1, b, ("b2",)).ok
        t1.commit()
        t2 = tm.begin()
        assert heap.delete(t2, a).status == TM.Deleted
        r = heap.update(t2, b, ("x",))
        assert r.status == TM.Updated
        assert heap.fetch_latest(t2, b) == (r.ctid, ("b2",))
        assert heap.fetch_latest(t2, a) is None


def test_savepoint_rollback(env):
    sm, tm, heap = env
    with sm.latch:
        t = tm.begin()
        heap.insert(t, (1,))
        lvl = t.savepoint()
        heap.insert(t, (2,))
        t.command_counter_increment()
        assert rows(heap, t.snapshot()) == [(1,), (2,)]
        t.rollback_to(lvl)
        assert rows(heap, t.snapshot()) == [(1,)]
        heap.insert(t, (3,))
        t.release(lvl)
        t.commit()
        assert rows(heap, tm.begin().snapshot()) == [(1,), (3,)]


def test_update_waits_for_inprogress_then_sees_updated(env):
    sm, tm, heap = env
    with sm.latch:
        t0 = tm.begin()
        tid = heap.insert(t0, (0,))
        t0.commit()
        t1 = tm.begin()
        assert heap.update(t1, tid, (1,)).ok
    out = {}

    def other():
        with sm.latch:
            t2 = tm.begin()
            out["r"] = heap.update(t2, tid, (2,))
            out["latest"] = heap.fetch_latest(t2, tid)
            t2.abort()

    th = threading.Thread(target=other)
    th.start()
    time.sleep(0.2)
    assert th.is_alive()       # waiting for t1, latch released
    with sm.latch:
        t1.commit()
    th.join(5)
    assert out["r"].status == TM.Updated
    assert out["latest"][1] == (1,)


def test_update_proceeds_after_abort(env):
    sm, tm, heap = env
    with sm.latch:
        t0 = tm.begin()
        tid = heap.insert(t0, (0,))
        t0.commit()
        t1 = tm.begin()
        heap.delete(t1, tid)
        t2 = tm.begin()
        assert heap.update(t2, tid, (5,), wait=False).status == TM.WouldBlock
        t1.abort()
        assert heap.update(t2, tid, (5,)).ok
        t2.commit()
        assert rows(heap, tm.begin().snapshot()) == [(5,)]


def test_multi_insert_and_vacuum(env):
    sm, tm, heap = env
    with sm.latch:
        idx = BTree.create(sm, (1, 1001))
        t = tm.begin()
        tids = heap.multi_insert(t, [(i, "x" * 50) for i in range(3000)])
        for i, tid in enumerate(tids):
            idx.insert(t, i.to_bytes(4, "big"), tid)
        t.commit()
        assert heap.nblocks > 10
        holder = tm.begin(REPEATABLE_READ)
        holder.snapshot()
        t = tm.begin()
        for i, tid in enumerate(tids):
            if i % 2:
                heap.delete(t, tid)
        t.commit()
        st = heap.vacuum(tm.oldest_xmin(), [idx])
        assert st["removed"] == 0 and st["dead_remaining"] == 1500
        holder.commit()
        st = heap.vacuum(tm.oldest_xmin(), [idx])
        assert st["removed"] == 1500 and st["live"] == 1500
        assert idx.check() == 1500
        assert len(rows(heap, tm.begin().snapshot())) == 1500
        # freed space is reused
        nb = heap.nblocks
        t = tm.begin()
        heap.multi_insert(t, [(i, "y" * 50) for i in range(1000)])
        t.commit()
        assert heap.nblocks == nb


def test_ctid_layout_like_postgres(env):
    # pgbench_accounts rows (int4 x3 + char(84)): 61 tuples per 8 kB page
    sm, tm, heap = env
    with sm.latch:
        t = tm.begin()
        tids = heap.multi_insert(t, [(i, 1, 0, " " * 84) for i in range(200)])
        assert tid_str(tids[0]) == "(0,1)"
        assert tid_str(tids[60]) == "(0,61)"
        assert tid_str(tids[61]) == "(1,1)"


def test_large_value(env):
    sm, tm, heap = env
    big = "z" * (3 * 1024 * 1024)
    with sm.latch:
        t = tm.begin()
        tid = heap.insert(t, (1, big))
        heap.insert(t, (2, "small"))
        t.commit()
        assert heap.fetch(tm.begin().snapshot(), tid) == (1, big)


def test_opportunistic_pruning_keeps_hot_rows_small(env):
    """pgbench_tellers: one row updated thousands of times stays on one
    block: dead versions are pruned to stubs when the block fills."""
    sm, tm, heap = env
    with sm.latch:
        t = tm.begin()
        tid = heap.insert(t, (1, 0, " " * 84))
        t.commit()
        for i in range(5000):
            t = tm.begin()
            r = heap.update(t, tid, (1, i, " " * 84))
            assert r.ok
            t.commit()
            tid = r.new_tid
        assert heap.nblocks <= 20
        assert rows(heap, tm.begin().snapshot()) == [(1, 4999, " " * 84)]
        st = heap.vacuum(tm.oldest_xmin(), [])
        assert st["live"] == 1
        assert rows(heap, tm.begin().snapshot()) == [(1, 4999, " " * 84)]
    if not sm.in_memory:
        sm.crash()
        sm2 = StorageManager.open(sm.datadir, background=False)
        tm2 = TransactionManager(sm2)
        with sm2.latch:
            assert rows(Heap(sm2, (1, 1000)), tm2.begin().snapshot()) == [(1, 4999, " " * 84)]
        sm2.close()


def test_scan_all_skips_pruned_stubs(env):
    sm, tm, heap = env
    with sm.latch:
        t = tm.begin()
        tid = heap.insert(t, (1, "x" * 100))
        t.commit()
        for i in range(200):
            t = tm.begin()
            tid = heap.update(t, tid, (1, "y" * 100)).new_tid
            t.commit()
        assert sm.stats["heap_pruned"] > 0
        assert all(len(tup.values) == 2 for _, tup in heap.scan_all())


def test_vacuum_truncates_empty_tail(env):
    """VACUUM gives back the empty pages at the end (lazy_truncate_heap); the
    truncation is WAL-logged, so recovery cuts the relation the same way, also when
    the pages are written again afterwards."""
    sm, tm, heap = env
    with sm.latch:
        t = tm.begin()
        tids = heap.multi_insert(t, [(i, "x" * 100) for i in range(3000)])
        t.commit()
        full = heap.nblocks
        assert full > 20
        t = tm.begin()
        for i, tid in enumerate(tids):
            if i >= 500:
                heap.delete(t, tid)
        t.commit()
        heap.vacuum(tm.oldest_xmin(), [])
        assert heap.truncate_empty_tail() > 0
        kept = heap.nblocks
        assert 0 < kept < full
        # the pages before the cut keep their rows; the relation grows again
        t = tm.begin()
        heap.multi_insert(t, [(i, "y" * 100) for i in range(200)])
        t.commit()
        expected = rows(heap, tm.begin().snapshot())
        assert len(expected) == 700
        assert heap.truncate_empty_tail() == 0
    if not sm.in_memory:
        nblocks = heap.nblocks
        sm.crash()
        sm2 = StorageManager.open(sm.datadir, background=False)
        tm2 = TransactionManager(sm2)
        with sm2.latch:
            h2 = Heap(sm2, (1, 1000))
            assert h2.nblocks == nblocks
            assert rows(h2, tm2.begin().snapshot()) == expected
            sm2.checkpoint()
        sm2.close()
        sm3 = StorageManager.open(sm.datadir, background=False)
        tm3 = TransactionManager(sm3)
        with sm3.latch:
            h3 = Heap(sm3, (1, 1000))
            assert h3.nblocks == nblocks
            assert rows(h3, tm3.begin().snapshot()) == expected
        sm3.close()


def test_vacuum_truncates_to_nothing(env):
    sm, tm, heap = env
    with sm.latch:
        t = tm.begin()
        heap.insert(t, (1, None))
        t.abort()
        heap.vacuum(tm.oldest_xmin(), [])
        assert heap.truncate_empty_tail() == 1
        assert heap.nblocks == 0
        t = tm.begin()
        heap.insert(t, (2, "again"))
        t.commit()
        assert heap.nblocks == 1
        assert rows(heap, tm.begin().snapshot()) == [(2, "again")]
