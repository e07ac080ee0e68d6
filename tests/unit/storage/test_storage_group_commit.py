"""Group commit: concurrent committers share fsyncs, and the latch is free
while a flush is in progress."""

import threading
import time

from tuskdb.access import Heap
from tuskdb.storage import StorageManager
from tuskdb.storage import wal as walmod
from tuskdb.txn import TransactionManager


def test_committers_share_fsyncs(tmp_path, monkeypatch):
    real_sync = walmod._sync

    def slow_sync(fd):
        time.sleep(0.005)       # a slow disk makes groups form
        real_sync(fd)
    monkeypatch.setattr(walmod, "_sync", slow_sync)
    sm = StorageManager.open(str(tmp_path / "d"), background=False)
    tm = TransactionManager(sm)
    with sm.latch:
        h = Heap.create(sm, (1, 1))
    f0 = sm.wal.flush_count
    n_threads, per_thread = 6, 20

    def worker(w):
        for i in range(per_thread):
            with sm.latch:
                t = tm.begin()
                h.insert(t, (w, i))
                t.commit()
    ths = [threading.Thread(target=worker, args=(w,)) for w in range(n_threads)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    flushes = sm.wal.flush_count - f0
    assert flushes < n_threads * per_thread / 2
    with sm.latch:
        assert len(list(h.scan(tm.begin().snapshot()))) == n_threads * per_thread
    sm.close()


def test_latch_free_during_commit_flush(tmp_path, monkeypatch):
    real_sync = walmod._sync
    in_fsync = threading.Event()

    def slow_sync(fd):
        in_fsync.set()
        time.sleep(0.3)
        real_sync(fd)
    sm = StorageManager.open(str(tmp_path / "d"), background=False)
    tm = TransactionManager(sm)
    with sm.latch:
        h = Heap.create(sm, (1, 1))
    monkeypatch.setattr(walmod, "_sync", slow_sync)

    def committer():
        with sm.latch:
            t = tm.begin()
            h.insert(t, (1,))
            t.commit()
    th = threading.Thread(target=committer)
    th.start()
    assert in_fsync.wait(2)
    t0 = time.monotonic()
    with sm.latch:               # not blocked by the committer's fsync
        assert time.monotonic() - t0 < 0.2
        assert list(h.scan(tm.begin().snapshot())) == []   # not committed yet
    th.join()
    monkeypatch.setattr(walmod, "_sync", real_sync)
    with sm.latch:
        assert [v for _, v in h.scan(tm.begin().snapshot())] == [(1,)]
    sm.close()
