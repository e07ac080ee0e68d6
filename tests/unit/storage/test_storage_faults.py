"""Injected faults: torn/corrupt WAL tails, corrupt or truncated relation
files, a damaged control file.  Always a clean PgError, never a crash."""

import os

import pytest

from tuskdb.access import BTree, Heap
from tuskdb.errors import PgError
from tuskdb.storage import StorageManager
from tuskdb.storage import wal as walmod
from tuskdb.txn import TransactionManager


def make(d, n=100, close=True):
    sm = StorageManager.open(str(d), background=False)
    tm = TransactionManager(sm)
    with sm.latch:
        h = Heap.create(sm, (1, 100))
        for i in range(n):
            t = tm.begin()
            h.insert(t, (i, "v" * 20))
            t.commit()
    if close:
        sm.close()
    else:
        sm.crash()


def count(d):
    sm = StorageManager.open(str(d), background=False)
    tm = TransactionManager(sm)
    with sm.latch:
        n = sorted(v[0] for _, v in Heap(sm, (1, 100)).scan(tm.begin().snapshot()))
    sm.close()
    return n


def wal_file(d):
    segs = sorted(n for n in os.listdir(d / "pg_wal") if len(n) == 16)
    return d / "pg_wal" / segs[-1]


def wal_end(d):
    """(segment path, offset of the end of valid WAL in it, last record start)."""
    from tuskdb.storage.latch import Latch
    w = walmod.WAL(str(d / "pg_wal"), Latch())
    last = None
    for rec in w.read_from(0):
        last = rec.lsn
    f = wal_file(d)
    seg = int(f.name, 16)
    return f, w.end_of_wal - seg, last - seg


def test_torn_wal_tail(tmp_path):
    d = tmp_path / "d"
    make(d, 50, close=False)
    f, end, _last = wal_end(d)
    # tear the last commit record: its second half never reached the disk
    with open(f, "r+b") as fh:
        fh.seek(end - 10)
        fh.write(bytes(10))
    assert count(d) == list(range(49))
    # the database keeps working and later commits survive the next crash
    make_more(d)
    assert count(d)[-1] == 999


def make_more(d):
    sm = StorageManager.open(str(d), background=False)
    tm = TransactionManager(sm)
    with sm.latch:
        t = tm.begin()
        Heap(sm, (1, 100)).insert(t, (999, "x"))
        t.commit()
    sm.crash()


def test_garbage_after_wal_end(tmp_path):
    d = tmp_path / "d"
    make(d, 20, close=False)
    f, end, _ = wal_end(d)
    with open(f, "r+b") as fh:
        fh.seek(end)
        fh.write(os.urandom(5000))
    assert count(d) == list(range(20))


def test_crc_mismatch_stops_replay(tmp_path):
    d = tmp_path / "d"
    make(d, 20, close=False)
    f, end, _ = wal_end(d)
    data = bytearray(f.read_bytes())
    # flip a byte in the last record's payload
    data[end - 3] ^= 0xFF
    f.write_bytes(bytes(data))
    assert count(d) == list(range(19))


def test_wal_reader_roundtrip(tmp_path):
    from tuskdb.storage.latch import Latch
    waldir = tmp_path / "w"
    waldir.mkdir()
    latch = Latch()
    w = walmod.WAL(str(waldir), latch)
    w.start_at(0)
    old = walmod.SEGMENT_SIZE
    walmod.SEGMENT_SIZE = 4096
    try:
        with latch:
            lsns = [w.insert(walmod.RM_XLOG, 3, i, os.urandom(i % 700)) for i in range(200)]
            w.flush()
    finally:
        walmod.SEGMENT_SIZE = old
    assert len(w.segments()) > 5
    assert all(os.path.getsize(waldir / walmod.seg_name(x)) >= 4096 for x in w.segments())
    recs = list(walmod.WAL(str(waldir), latch).read_from(0))
    assert [r.xid for r in recs] == list(range(200))
    assert [r.end_lsn for r in recs] == lsns


def test_corrupt_block_is_xx001(tmp_path):
    d = tmp_path / "d"
    make(d, 300)
    data_file = d / "base" / "1" / "100.0"
    raw = bytearray(data_file.read_bytes())
    raw[40] ^= 0x55
    data_file.write_bytes(bytes(raw))
    sm = StorageManager.open(str(d), background=False)
    tm = TransactionManager(sm)
    with sm.latch, pytest.raises(PgError) as e:
        list(Heap(sm, (1, 100)).scan(tm.begin().snapshot()))
    assert e.value.sqlstate == "XX001"
    assert e.value.message == 'invalid page in block 0 of relation "base/1/100"'
    sm.crash()


def test_truncated_relation_file_is_xx001(tmp_path):
    d = tmp_path / "d"
    make(d, 300)
    data_file = d / "base" / "1" / "100.0"
    with open(data_file, "r+b") as fh:
        fh.truncate(100)
    sm = StorageManager.open(str(d), background=False)
    tm = TransactionManager(sm)
    with sm.latch, pytest.raises(PgError) as e:
        list(Heap(sm, (1, 100)).scan(tm.begin().snapshot()))
    assert e.value.sqlstate == "XX001"
    assert "could not read block 0 in file \"base/1/100\": read only" in e.value.message
    sm.crash()


def test_corrupt_control_file(tmp_path):
    d = tmp_path / "d"
    make(d, 1)
    ctl = d / "global" / "pg_control"
    raw = bytearray(ctl.read_bytes())
    raw[10] ^= 1
    ctl.write_bytes(bytes(raw))
    with pytest.raises(PgError) as e:
        StorageManager.open(str(d), background=False)
    assert e.value.sqlstate == "XX001"


def test_missing_relation(tmp_path):
    sm = StorageManager.open(str(tmp_path / "d"), background=False)
    with sm.latch, pytest.raises(PgError) as e:
        Heap(sm, (1, 12345))
    assert e.value.sqlstate == "58P01"
    sm.close()


def test_drop_relation_survives_crash(tmp_path):
    d = tmp_path / "d"
    sm = StorageManager.open(str(d), background=False)
    tm = TransactionManager(sm)
    with sm.latch:
        h = Heap.create(sm, (1, 7))
        BTree.create(sm, (1, 8))
        t = tm.begin()
        h.insert(t, (1,))
        t.commit()
        sm.checkpoint()
        t = tm.begin()
        h.insert(t, (2,))
        t.on_commit(lambda: sm.drop_relation((1, 7)))
        t.commit()
    sm.crash()
    sm = StorageManager.open(str(d), background=False)
    with sm.latch:
        assert not sm.relation_exists((1, 7))
        assert sm.relation_exists((1, 8))
        assert not [n for n in os.listdir(d / "base" / "1") if n.startswith("7.")]
    sm.close()


def test_oid_counter_survives_crash(tmp_path):
    d = tmp_path / "d"
    sm = StorageManager.open(str(d), background=False)
    with sm.latch:
        oids = [sm.allocate_oid() for _ in range(10)]
        sm.wal.flush()
    sm.crash()
    sm = StorageManager.open(str(d), background=False)
    with sm.latch:
        assert sm.allocate_oid() > max(oids)
    sm.close()


def test_datadir_locked_against_second_open(tmp_path):
    d = str(tmp_path / "d")
    sm = StorageManager.open(d, background=False)
    with pytest.raises(PgError) as e:
        StorageManager.open(d, background=False)
    assert e.value.message == 'lock file "postmaster.pid" already exists'
    sm.close()
    StorageManager.open(d, background=False).close()


def test_missing_wal_segment_is_detected(tmp_path):
    d = tmp_path / "d"
    make(d, 5, close=False)
    for name in os.listdir(d / "pg_wal"):
        os.unlink(d / "pg_wal" / name)
    with pytest.raises(PgError) as e:
        StorageManager.open(str(d), background=False)
    assert e.value.message == "could not locate a valid checkpoint record"
