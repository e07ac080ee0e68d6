"""Buffer cache eviction, checkpoints, data file compaction, and recovery
agreeing with a model of committed state."""

import random

from tuskdb.access import BTree, Heap
from tuskdb.storage import StorageManager
from tuskdb.storage import relation as relmod
from tuskdb.txn import TransactionManager


def test_eviction_checkpoint_compaction_recovery(tmp_path, monkeypatch):
    monkeypatch.setattr(relmod.Relation, "needs_compaction",
                        lambda self: self.data_size > 64 * 1024 and self.data_size > 2 * self.live_bytes)
    d = str(tmp_path / "d")
    sm = StorageManager.open(d, shared_buffers=6, background=False)
    tm = TransactionManager(sm)
    rnd = random.Random(3)
    model: dict[int, str] = {}
    tids: dict[int, int] = {}
    with sm.latch:
        h = Heap.create(sm, (1, 10))
        idx = BTree.create(sm, (1, 11))
        for round_ in range(6):
            for _ in range(150):
                t = tm.begin()
                k = rnd.randrange(400)
                v = f"r{round_}-" + "x" * rnd.randrange(900)
                if k in tids:
                    r = h.update(t, tids[k], (k, v))
                    assert r.ok
                    idx.insert(t, k.to_bytes(4, "big"), r.new_tid)
                    new = r.new_tid
                else:
                    new = h.insert(t, (k, v))
                    idx.insert(t, k.to_bytes(4, "big"), new, unique=True, heap=h)
                if rnd.random() < 0.1:
                    t.abort()
                    continue
                t.commit()
                tids[k] = new
                model[k] = v
            if round_ % 2 == 0:
                sm.checkpoint()
            if round_ == 3:
                h.vacuum(tm.oldest_xmin(), [idx])
        assert sm.stats["blocks_evicted"] > 0
        assert sm.stats["blocks_evicted_dirty"] > 0
        assert sm.stats["compactions"] > 0
    sm.crash()
    sm = StorageManager.open(d, shared_buffers=6, background=False)
    tm = TransactionManager(sm)
    with sm.latch:
        h = Heap(sm, (1, 10))
        idx = BTree(sm, (1, 11))
        snap = tm.begin().snapshot()
        got = {v[0]: v[1] for _, v in h.scan(snap)}
        assert got == model
        for k, v in model.items():
            vis = [h.fetch(snap, tid) for tid in idx.lookup(k.to_bytes(4, "big"))]
            assert [x for x in vis if x] == [(k, v)]
        idx.check()
    sm.close()


def test_concurrent_checkpoint_and_commits(tmp_path):
    import threading
    d = str(tmp_path / "d")
    sm = StorageManager.open(d, checkpoint_timeout=0.05, background=True)
    tm = TransactionManager(sm)
    with sm.latch:
        h = Heap.create(sm, (1, 10))
    errors = []
    done = []

    def worker(base):
        try:
            for i in range(100000):
                with sm.latch:
                    t = tm.begin()
                    h.insert(t, (base + i,))
                    t.commit()
                    done.append(base + i)
                    if i >= 300 and sm.stats["checkpoints"] >= 2:
                        break
        except Exception as e:  # noqa: BLE001
            errors.append(e)
    ths = [threading.Thread(target=worker, args=(k * 1000000,)) for k in range(4)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    assert not errors
    assert sm.stats["checkpoints"] >= 2
    sm.crash()
    sm = StorageManager.open(d, background=False)
    tm = TransactionManager(sm)
    with sm.latch:
        got = sorted(v[0] for _, v in Heap(sm, (1, 10)).scan(tm.begin().snapshot()))
    assert got == sorted(done)
    sm.close()
