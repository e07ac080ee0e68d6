"""B-tree: ordering, splits, range/prefix/backward scans, uniqueness."""

import random
import threading
import time

import pytest

from tuskdb.access import BTree, DuplicateKey, Heap, prefix_successor
from tuskdb.storage import StorageManager
from tuskdb.txn import TransactionManager


@pytest.fixture(params=["memory", "disk", "disk-tiny-cache"])
def env(request, tmp_path):
    # disk-tiny-cache: 2 buffers, so every access-method entry point evicts:
    # catches code that keeps using a page after it could have been evicted
    sm = StorageManager.open(None if request.param == "memory" else str(tmp_path / "d"),
                             background=False, fsync=False,   # durability: tests/unit/storage
                             shared_buffers=2 if request.param == "disk-tiny-cache" else 32768)
    tm = TransactionManager(sm)
    with sm.latch:
        heap = Heap.create(sm, (1, 2000))
        idx = BTree.create(sm, (1, 2001))
    yield sm, tm, heap, idx
    if not sm.closed:
        sm.close()


def k(i):
    return i.to_bytes(4, "big")


def test_many_inserts_random_order(env):
    sm, _tm, _heap, idx = env
    n = 6000 if sm.shared_buffers < 10 else 20000
    keys = list(range(n))
    random.Random(1).shuffle(keys)
    with sm.latch:
        for i in keys:
            idx.insert(None, k(i), i + 1)
        assert idx.check() == n
        got = [int.from_bytes(key, "big") for key, _ in idx.scan()]
        assert got == list(range(n))
        back = [int.from_bytes(key, "big") for key, _ in idx.scan(backward=True)]
        assert back == list(reversed(range(n)))
        assert idx.lookup(k(777)) == [778]


def test_range_bounds(env):
    sm, _tm, _heap, idx = env
    with sm.latch:
        for i in range(1000):
            idx.insert(None, k(i), i + 1)

        def rng(*a, **kw):
            return [int.from_bytes(key, "big") for key, _ in idx.scan(*a, **kw)]
        assert rng(k(10), True, k(20), True) == list(range(10, 21))
        assert rng(k(10), False, k(20), False) == list(range(11, 20))
        assert rng(k(990), True, None, True) == list(range(990, 1000))
        assert rng(None, True, k(5), False) == list(range(5))
        assert rng(k(10), True, k(20), True, backward=True) == list(range(20, 9, -1))
        assert rng(k(10), False, k(20), False, backward=True) == list(range(19, 10, -1))


def test_duplicates_and_prefix(env):
    sm, _tm, _heap, idx = env
    with sm.latch:
        for a in range(50):
            for b in range(30):
                idx.insert(None, bytes([a]) + bytes([b]), a * 100 + b + 1)
        for j in range(600):   # many equal keys spanning several pages
            idx.insert(None, b"\xfe\x00", 100000 + j)
        assert len(idx.lookup(b"\xfe\x00")) == 600
        got = [key for key, _ in idx.scan(prefix=bytes([7]))]
        assert got == [bytes([7, b]) for b in range(30)]
        got = [key for key, _ in idx.scan(prefix=bytes([7]), backward=True)]
        assert got == [bytes([7, b]) for b in reversed(range(30))]
        # exclusive lower bound on a prefix skips the whole prefix
        got = [key for key, _ in idx.scan(bytes([7]), False, bytes([8]), True)]
        assert got == [bytes([8, b]) for b in range(30)]
        assert prefix_successor(b"a\xff") == b"b"
        assert prefix_successor(b"\xff") is None


def test_scan_restart_after_concurrent_splits(env):
    sm, _tm, _heap, idx = env
    with sm.latch:
        for i in range(0, 20000, 2):
            idx.insert(None, k(i), i + 1)
        it = idx.scan()
        first = [next(it) for _ in range(100)]
        # meanwhile, others split pages all over the tree
        for i in range(1, 20000, 2):
            idx.insert(None, k(i), i + 1)
        rest = list(it)
        seen = [int.from_bytes(key, "big") for key, _ in first + rest]
        assert seen == sorted(seen) and len(set(seen)) == len(seen)
        assert all(x % 2 == 0 for x in seen[:100])
        assert idx.check() == 20000


def test_unique_violation_and_dead_versions(env):
    sm, tm, heap, idx = env
    with sm.latch:
        t = tm.begin()
        tid = heap.insert(t, (1,))
        idx.insert(t, k(1), tid, unique=True, heap=heap)
        with pytest.raises(DuplicateKey) as e:
            idx.insert(t, k(1), heap.insert(t, (1,)), unique=True, heap=heap)
        assert e.value.existing_tid == tid
        t.commit()
        assert idx.find_conflict(t, k(1), heap) == tid
        assert idx.find_conflict(t, k(2), heap) == 0
        # update the row to a new version with the same key: no conflict
        t = tm.begin()
        r = heap.update(t, tid, (1,))
        idx.insert(t, k(1), r.new_tid, unique=True, heap=heap)
        t.commit()
        # delete it: the key can be reused
        t = tm.begin()
        heap.delete(t, r.new_tid)
        t.commit()
        t = tm.begin()
        idx.insert(t, k(1), heap.insert(t, (1,)), unique=True, heap=heap)
        t.commit()


def test_unique_waits_for_inprogress_inserter(env):
    sm, tm, heap, idx = env
    with sm.latch:
        t1 = tm.begin()
        idx.insert(t1, k(5), heap.insert(t1, (5,)), unique=True, heap=heap)
    result = {}

    def second(commit_first):
        with sm.latch:
            t2 = tm.begin()
            try:
                idx.insert(t2, k(5), heap.insert(t2, (5,)), unique=True, heap=heap)
                result["ok"] = True
                t2.commit()
            except DuplicateKey:
                result["ok"] = False
                t2.abort()

    th = threading.Thread(target=second, args=(True,))
    th.start()
    time.sleep(0.2)
    assert th.is_alive()
    with sm.latch:
        t1.commit()
    th.join(5)
    assert result["ok"] is False
    # and when the first inserter aborts, the second succeeds
    with sm.latch:
        t3 = tm.begin()
        idx.insert(t3, k(6), heap.insert(t3, (6,)), unique=True, heap=heap)
    th = threading.Thread(target=lambda: _ins(sm, tm, heap, idx, 6, result))
    th.start()
    time.sleep(0.2)
    with sm.latch:
        t3.abort()
    th.join(5)
    assert result["ok6"] is True


def _ins(sm, tm, heap, idx, i, result):
    with sm.latch:
        t = tm.begin()
        try:
            idx.insert(t, k(i), heap.insert(t, (i,)), unique=True, heap=heap)
            result[f"ok{i}"] = True
            t.commit()
        except DuplicateKey:
            result[f"ok{i}"] = False
            t.abort()


def test_build(env):
    sm, tm, heap, _idx = env
    with sm.latch:
        t = tm.begin()
        tids = heap.multi_insert(t, [(i % 5000,) for i in range(10000)])
        t.commit()
        idx2 = BTree.create(sm, (1, 2002))
        n = idx2.build((k(v[0]), tid) for tid, v in
                       ((tid, heap.get_tuple(tid).values) for tid in tids))
        assert n == 10000 and idx2.check() == 10000
        assert len(idx2.lookup(k(42))) == 2
        idx3 = BTree.create(sm, (1, 2003))
        with pytest.raises(DuplicateKey):
            idx3.build([(k(heap.get_tuple(tid).values[0]), tid) for tid in tids],
                       unique=True, heap=heap, txn=tm.begin())


def test_dead_versions_removed_from_index_without_vacuum(env):
    """Repeated updates of one row (pgbench_branches): the unique check and
    bottom-up deletion drop entries of versions dead to every snapshot."""
    sm, tm, heap, idx = env
    with sm.latch:
        t = tm.begin()
        tid = heap.insert(t, (1, 0))
        idx.insert(t, k(1), tid, unique=True, heap=heap)
        t.commit()
        for i in range(1000 if sm.shared_buffers < 10 else 3000):
            t = tm.begin()
            r = heap.update(t, tid, (1, i))
            assert r.ok
            idx.insert(t, k(1), r.new_tid, unique=True, heap=heap)
            t.commit()
            tid = r.new_tid
        assert len(idx.lookup(k(1))) <= 3
        # a non-unique index with version churn stays small too
        idx2 = BTree.create(sm, (1, 2009))
        t = tm.begin()
        tids = [heap.insert(t, (j, 0)) for j in range(100)]
        for j, x in enumerate(tids):
            idx2.insert(t, k(j), x, heap=heap)
        t.commit()
        for i in range(30):
            for j in range(100):
                t = tm.begin()
                r = heap.update(t, tids[j], (j, i))
                idx2.insert(t, k(j), r.new_tid, heap=heap)
                t.commit()
                tids[j] = r.new_tid
        assert idx2.check() < 1500
        snap = tm.begin().snapshot()
        for j in (0, 50, 99):
            assert [heap.fetch(snap, x) for x in idx2.lookup(k(j))
                    if heap.fetch(snap, x)] == [(j, 29)]
    if sm.in_memory:
        return
    sm.crash()
    sm2 = StorageManager.open(str(sm.datadir), background=False)
    tm2 = TransactionManager(sm2)
    with sm2.latch:
        h2 = Heap(sm2, (1, 2000))
        i2 = BTree(sm2, (1, 2009))
        i2.check()
        snap = tm2.begin().snapshot()
        for j in (0, 50, 99):
            assert [h2.fetch(snap, x) for x in i2.lookup(k(j)) if h2.fetch(snap, x)] == [(j, 29)]
    sm2.close()
