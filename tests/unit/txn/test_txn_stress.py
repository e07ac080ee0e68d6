"""Concurrent transfers between accounts (READ COMMITTED with EvalPlanQual
re-checks, savepoints, aborts, deadlocks): money is conserved, every row
has exactly one visible version, and the same holds after a crash."""

import random
import threading
import time

from tuskdb.access import TM, BTree, Heap
from tuskdb.errors import PgError
from tuskdb.storage import StorageManager
from tuskdb.txn import TransactionManager

N = 20


def k(i):
    return i.to_bytes(4, "big")


def find(heap, idx, snap, aid):
    for tid in idx.lookup(k(aid)):
        v = heap.fetch(snap, tid)
        if v is not None:
            return tid, v
    return None


def add(heap, idx, txn, aid, delta):
    """UPDATE accounts SET bal = bal + delta WHERE aid = ... (with EPQ)."""
    with txn.tm.latch.released():   # between statements, others run
        time.sleep(0)
    snap = txn.snapshot()
    tid, v = find(heap, idx, snap, aid)
    while True:
        r = heap.update(txn, tid, (aid, v[1] + delta), keys_updated=False)
        if r.status == TM.Ok:
            idx.insert(txn, k(aid), r.new_tid, unique=True, heap=heap)
            break
        assert r.status == TM.Updated, r
        tid, v = heap.fetch_latest(txn, r.ctid)
    txn.command_counter_increment()


def total(heap, tm):
    snap = tm.begin().snapshot()
    rows = [v for _, v in heap.scan(snap)]
    assert sorted(v[0] for v in rows) == list(range(N))
    return sum(v[1] for v in rows)


def test_transfers_conserve_money(tmp_path):
    d = str(tmp_path / "d")
    sm = StorageManager.open(d, shared_buffers=8, checkpoint_timeout=0.1)
    tm = TransactionManager(sm)
    tm.locks.deadlock_timeout = 0.05
    with sm.latch:
        heap = Heap.create(sm, (1, 10))
        idx = BTree.create(sm, (1, 11))
        t = tm.begin()
        for i in range(N):
            idx.insert(t, k(i), heap.insert(t, (i, 100)), unique=True, heap=heap)
        t.commit()
    stats = {"commit": 0, "abort": 0, "deadlock": 0}

    def worker(seed):
        rnd = random.Random(seed)
        for _ in range(150):
            a, b = rnd.sample(range(N), 2)
            amt = rnd.randrange(1, 20)
            with sm.latch:
                t = tm.begin()
                try:
                    add(heap, idx, t, a, -amt)
                    if rnd.random() < 0.3:
                        sp = t.savepoint()
                        add(heap, idx, t, b, 1000)
                        t.rollback_to(sp)
                    add(heap, idx, t, b, amt)
                    if rnd.random() < 0.1:
                        t.abort()
                        stats["abort"] += 1
                    else:
                        t.commit()
                        stats["commit"] += 1
                except PgError as e:
                    assert e.sqlstate == "40P01", e
                    stats["deadlock"] += 1
                    t.abort()

    ths = [threading.Thread(target=worker, args=(s,)) for s in range(4)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    with sm.latch:
        assert total(heap, tm) == N * 100
        st = heap.vacuum(tm.oldest_xmin(), [idx])
        assert st["live"] == N
        assert idx.check() >= N
        assert total(heap, tm) == N * 100
    assert stats["commit"] > 300
    sm.crash()
    sm = StorageManager.open(d, background=False)
    tm = TransactionManager(sm)
    with sm.latch:
        heap = Heap(sm, (1, 10))
        idx = BTree(sm, (1, 11))
        assert total(heap, tm) == N * 100
        snap = tm.begin().snapshot()
        for i in range(N):
            assert len([t for t in idx.lookup(k(i)) if heap.fetch(snap, t)]) == 1
    sm.close()
