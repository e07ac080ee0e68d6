"""Crash recovery: a child process commits work and is SIGKILLed mid-way;
after reopening, every acknowledged commit is there and nothing else."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tuskdb.access import BTree, Heap, SeqOptions, Sequence
from tuskdb.storage import StorageManager
from tuskdb.txn import TransactionManager

ROOT = Path(__file__).resolve().parents[3]

CHILD = textwrap.dedent("""
    import sys, random
    sys.path.insert(0, {root!r})
    from tuskdb.storage import StorageManager
    from tuskdb.txn import TransactionManager
    from tuskdb.access import Heap, BTree, Sequence, SeqOptions
    sm = StorageManager.open({datadir!r}, shared_buffers={sb}, checkpoint_timeout={ckpt},
                             max_wal_size={maxwal})
    tm = TransactionManager(sm)
    with sm.latch:
        h = Heap.create(sm, (5, 100)); b = BTree.create(sm, (5, 101))
        seq = Sequence.create(sm, (5, 102))
        t = tm.begin(); t.commit()
    opts = SeqOptions()
    rnd = random.Random(7)
    tids = {{}}
    i = 0
    while True:
        i += 1
        with sm.latch:
            t = tm.begin()
            v = seq.nextval(t, opts, "s")
            tid = h.insert(t, (i, v, "p" * rnd.randrange(0, 300)))
            b.insert(t, i.to_bytes(8, "big"), tid, unique=True, heap=h)
            tids[i] = tid
            if i > 5 and i % 3 == 0:
                # update an older row
                j = rnd.randrange(1, i)
                r = h.update(t, tids[j], (j, -1, "updated"))
                if r.ok:
                    b.insert(t, j.to_bytes(8, "big"), r.new_tid, unique=True, heap=h)
                    tids[j] = r.new_tid
            if i % 7 == 0:
                t2 = tm.begin()
                h.insert(t2, (-i, 0, "never committed"))
                t2.abort() if i % 2 else None   # half stay in progress forever
            t.commit()
        print(i, v, flush=True)
""")


def run_and_kill(datadir, acks_wanted, sb=16384, ckpt=300.0, maxwal=1 << 30):
    src = CHILD.format(root=str(ROOT), datadir=str(datadir), sb=sb, ckpt=ckpt, maxwal=maxwal)
    p = subprocess.Popen([sys.executable, "-c", src], stdout=subprocess.PIPE, text=True)
    acked = []
    try:
        deadline = time.time() + 30
        while len(acked) < acks_wanted and time.time() < deadline:
            line = p.stdout.readline()
            if not line:
                break
            acked.append(tuple(map(int, line.split())))
    finally:
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
    # acknowledgements already written to the pipe count too
    acked.extend(tuple(map(int, line.split())) for line in p.stdout.read().splitlines()
                 if line.strip())
    assert len(acked) >= acks_wanted, "child did not make progress"
    return acked


def check(datadir, acked):
    sm = StorageManager.open(str(datadir), background=False)
    tm = TransactionManager(sm)
    with sm.latch:
        h = Heap(sm, (5, 100))
        b = BTree(sm, (5, 101))
        t = tm.begin()
        snap = t.snapshot()
        rows = {v[0]: v for _, v in h.scan(snap)}
        assert all(i > 0 for i in rows), "uncommitted rows survived"
        last = acked[-1][0]
        for i, _v in acked:
            assert i in rows, f"acknowledged row {i} lost"
        # at most the one in-flight commit beyond the last acknowledgement
        assert max(rows) <= last + 1
        # index agrees with heap
        for i in rows:
            live = [tid for tid in b.lookup(i.to_bytes(8, "big")) if h.fetch(snap, tid)]
            assert len(live) == 1
        b.check()
        # sequence never hands out a value twice
        seq = Sequence(sm, (5, 102))
        used = {v for _, v in acked}
        nv = seq.nextval(t, SeqOptions(), "s")
        assert nv > max(used)
        t.commit()
    sm.close()
    return len(rows)


def test_crash_recovery_basic(tmp_path):
    acked = run_and_kill(tmp_path / "d", 300)
    check(tmp_path / "d", acked)


def test_crash_recovery_with_checkpoints_and_eviction(tmp_path):
    # tiny buffer cache (evictions of dirty blocks) and frequent checkpoints
    acked = run_and_kill(tmp_path / "d", 1500, sb=24, ckpt=0.3, maxwal=200_000)
    check(tmp_path / "d", acked)
    # crash again after recovery, then recover again
    acked2 = run_and_kill_reopen(tmp_path / "d")
    assert acked2


def run_and_kill_reopen(datadir):
    # reopen and append more in a child that reuses the existing relations
    src = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from tuskdb.storage import StorageManager
        from tuskdb.txn import TransactionManager
        from tuskdb.access import Heap
        sm = StorageManager.open({str(datadir)!r})
        tm = TransactionManager(sm)
        h = Heap(sm, (5, 100))
        i = 10**6
        while True:
            i += 1
            with sm.latch:
                t = tm.begin(); h.insert(t, (i, 0, "again")); t.commit()
            print(i, flush=True)
    """)
    p = subprocess.Popen([sys.executable, "-c", src], stdout=subprocess.PIPE, text=True)
    acked = []
    try:
        while len(acked) < 200:
            line = p.stdout.readline()
            if not line:
                break
            acked.append(int(line))
    finally:
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
    acked.extend(int(x) for x in p.stdout.read().split())
    sm = StorageManager.open(str(datadir), background=False)
    tm = TransactionManager(sm)
    with sm.latch:
        h = Heap(sm, (5, 100))
        got = {v[0] for _, v in h.scan(tm.begin().snapshot())}
        assert set(acked) <= got
    sm.close()
    return acked


THREADED = textwrap.dedent("""
    import sys, random, threading
    sys.path.insert(0, {root!r})
    from tuskdb.storage import StorageManager
    from tuskdb.txn import TransactionManager
    from tuskdb.access import Heap, BTree
    sm = StorageManager.open({datadir!r}, shared_buffers=40, checkpoint_timeout=0.2)
    tm = TransactionManager(sm)
    N = 2000
    with sm.latch:
        h = Heap.create(sm, (5, 200)); b = BTree.create(sm, (5, 201))
        t = tm.begin()
        tids = h.multi_insert(t, [(i, 0) for i in range(N)])
        b.build([(i.to_bytes(4, "big"), tid) for i, tid in enumerate(tids)])
        t.commit()
    print("ready", flush=True)
    out = threading.Lock()

    def worker(w):
        rnd = random.Random(w)
        while True:
            k = rnd.randrange(N)
            with sm.latch:
                t = tm.begin()
                done = False
                while not done:
                    s = t.snapshot()
                    for tid in b.lookup(k.to_bytes(4, "big")):
                        v = h.fetch(s, tid)
                        if v:
                            r = h.update(t, tid, (k, v[1] + 1), keys_updated=False)
                            if r.ok:
                                b.insert(t, k.to_bytes(4, "big"), r.new_tid)
                                done = True
                            break
                    t.command_counter_increment()
                t.commit()
            with out:
                print(k, flush=True)

    for w in range(4):
        threading.Thread(target=worker, args=(w,), daemon=True).start()
    threading.Event().wait()
""")


def test_crash_threaded_updates(tmp_path):
    """4 threads increment counters (group commit, evictions, checkpoints);
    after SIGKILL each counter is at least its acknowledged increments."""
    d = tmp_path / "d"
    src = THREADED.format(root=str(ROOT), datadir=str(d))
    p = subprocess.Popen([sys.executable, "-c", src], stdout=subprocess.PIPE, text=True)
    acks: dict[int, int] = {}
    n = 0
    try:
        assert p.stdout.readline().strip() == "ready"
        deadline = time.time() + 20
        while n < 3000 and time.time() < deadline:
            line = p.stdout.readline()
            if not line:
                break
            k = int(line)
            acks[k] = acks.get(k, 0) + 1
            n += 1
    finally:
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
    # acknowledgements already written to the pipe count too
    for line in p.stdout.read().splitlines():
        if line.strip():
            k = int(line)
            acks[k] = acks.get(k, 0) + 1
            n += 1
    assert n >= 1000
    sm = StorageManager.open(str(d), background=False)
    tm = TransactionManager(sm)
    with sm.latch:
        h = Heap(sm, (5, 200))
        b = BTree(sm, (5, 201))
        snap = tm.begin().snapshot()
        vals = {v[0]: v[1] for _, v in h.scan(snap)}
        assert len(vals) == 2000
        inflight = 4  # commits that may be durable but not yet acknowledged
        extra = 0
        for k, c in acks.items():
            assert vals[k] >= c, f"lost acknowledged increments of {k}"
            extra += vals[k] - c
        assert extra + sum(vals[k] for k in vals if k not in acks) <= inflight
        for k in range(0, 2000, 97):
            assert [h.fetch(snap, t) for t in b.lookup(k.to_bytes(4, "big"))
                    if h.fetch(snap, t)] == [(k, vals[k])]
        b.check()
    sm.close()
