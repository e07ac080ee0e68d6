"""StorageManager: one cluster's data directory, WAL, buffer cache, clog.

Data directory layout::

    PG_VERSION                 "18"
    global/pg_control          control file (atomic replacement)
    pg_wal/<16 hex digits>     WAL segments, named by start LSN
    pg_xact/<12 hex digits>    commit log pages
    base/<dboid>/<relnumber>.<gen>   relation data files (block images)
    base/<dboid>/<relnumber>.map     block maps

Control file: ``b"TCTL" u32 version u32 state u64 checkpoint_lsn u64 redo_lsn
u64 next_xid u64 next_oid u32 crc``.
"""

from __future__ import annotations

import collections
import importlib
import os
import struct
import threading
import time
import zlib
from collections.abc import Callable

from tuskdb.errors import DATA_CORRUPTED, DUPLICATE_OBJECT, PgError
from tuskdb.storage import wal as walmod
from tuskdb.storage.clog import Clog
from tuskdb.storage.fileutil import atomic_write, fsync_dir
from tuskdb.storage.latch import Latch
from tuskdb.storage.relation import KIND_CODES as _KIND_CODES
from tuskdb.storage.relation import KIND_NAMES as _KIND_NAMES
from tuskdb.storage.relation import (
    NO_IMAGE,
    PAGE_KINDS,
    Page,
    Relation,
    RelFileLocator,
    map_kind,
    undefined_file,
)
from tuskdb.storage.wal import NullWAL, WalRecord

_CTL = struct.Struct("<4sIIQQQQ")
CTL_VERSION = 1
STATE_SHUTDOWN = 1
STATE_IN_PRODUCTION = 2

FIRST_NORMAL_XID = 3
FIRST_NORMAL_OID = 16384
OID_PREFETCH = 8192

# XLOG rmgr infos
XLOG_CHECKPOINT = 1
XLOG_NEXTOID = 2
XLOG_NOOP = 3
# STORAGE rmgr infos
SMGR_CREATE = 1
SMGR_DROP = 2
SMGR_TRUNCATE = 3

_LOC = struct.Struct("<IIB")
_NBLOCKS = struct.Struct("<I")
_CKPT = struct.Struct("<QQQ")

# rmid -> redo(storage, record)
RMGRS: dict[int, Callable[[StorageManager, WalRecord], None]] = {}


def register_rmgr(rmid: int, redo: Callable[[StorageManager, WalRecord], None]) -> None:
    RMGRS[rmid] = redo


def _tune_gc() -> None:
    """Make the cyclic GC cheaper for a process holding millions of tuples.

    The buffer cache keeps every cached tuple version as a GC-tracked
    object; with CPython's default thresholds (700, 10, 10) the frequent
    full collections traverse all of them and cost ~40% of a bulk load.
    Engine objects are freed by reference counting (evicted pages drop their
    last reference), so collecting rarely is safe.  Only the default
    setting is changed: an embedding application's own choice is kept.
    """
    import gc
    if gc.get_threshold() == (700, 10, 10):
        gc.set_threshold(50_000, 20, 100)


def _load_rmgrs() -> None:
    # The resource managers of the higher layers (xact in txn, heap/btree/
    # sequence in access) register themselves on import, like PostgreSQL's
    # static rmgr table.  Recovery needs them all.
    importlib.import_module("tuskdb.txn")
    importlib.import_module("tuskdb.access")


class StorageManager:
    """See module docstring.  Use `StorageManager.open()`."""

    def __init__(self, datadir: str | None, fsync: bool, shared_buffers: int,
                 checkpoint_timeout: float, max_wal_size: int) -> None:
        self.datadir = datadir
        self.in_memory = datadir is None
        self.fsync = fsync and datadir is not None
        self.latch = Latch()
        self.shared_buffers = shared_buffers
        self.checkpoint_timeout = checkpoint_timeout
        self.max_wal_size = max_wal_size
        self.relations: dict[tuple[int, int], Relation] = {}
        self.ring: collections.deque[Page] = collections.deque()
        self.nloaded = 0
        self.next_xid = FIRST_NORMAL_XID
        self.next_oid = FIRST_NORMAL_OID
        self.oid_logged_upto = FIRST_NORMAL_OID
        self.io_lock = threading.Lock()
        self.checkpointing = False
        self.ckpt_cond = self.latch.condition()
        # end LSNs of commit records whose clog update is not done yet
        self.inflight_commits: set[int] = set()
        self.last_checkpoint_time = time.monotonic()
        self.redo_lsn = 0
        self.last_checkpoint_end = -1
        self.in_recovery = False
        self.closed = False
        self._bg: threading.Thread | None = None
        self._bg_stop = threading.Event()
        self.stats = collections.Counter()
        # set by txn.TransactionManager: callbacks at end of recovery
        self.txn_manager = None
        if datadir is None:
            self.wal: walmod.WAL | NullWAL = NullWAL()
            self.clog = Clog(None)
        else:
            self.wal = walmod.WAL(os.path.join(datadir, "pg_wal"), self.latch, fsync=self.fsync)
            self.clog = Clog(os.path.join(datadir, "pg_xact"))

    # -- open / close ----------------------------------------------------

    @classmethod
    def open(cls, datadir: str | None = None, create: bool = True, fsync: bool = True, *,
             shared_buffers: int = 32768, checkpoint_timeout: float = 300.0,
             max_wal_size: int = 1024 * 1024 * 1024,
             background: bool = True) -> StorageManager:
        """Open (and recover) or create a cluster.  `datadir=None`: in memory.

        shared_buffers is in blocks; checkpoint_timeout in seconds;
        max_wal_size in bytes.  `background=False` starts no checkpointer /
        WAL writer thread (tests).
        """
        _load_rmgrs()
        _tune_gc()
        sm = cls(datadir, fsync, shared_buffers, checkpoint_timeout, max_wal_size)
        if datadir is not None:
            sm._lock_datadir(create)
            with sm.latch:
                try:
                    sm._startup(create)
                except BaseException:
                    sm._unlock_datadir()
                    raise
            if background:
                sm._bg = threading.Thread(target=sm._background, name="tusk-checkpointer",
                                          daemon=True)
                sm._bg.start()
        return sm

    def _lock_datadir(self, create: bool) -> None:
        """postmaster.pid with an exclusive flock: one process per cluster.
        (The kernel drops the lock when the process dies, even by SIGKILL.)"""
        import fcntl
        d = self.datadir
        assert d is not None
        if create:
            os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "postmaster.pid")
        try:
            fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        except FileNotFoundError:
            raise PgError("58P01", f'could not open file "{path}": No such file or directory',
                          severity="FATAL") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise PgError("55006", 'lock file "postmaster.pid" already exists',
                          hint=f'Is another postmaster running in data directory "{d}"?',
                          severity="FATAL") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n{d}\n".encode())
        self._pidfd: int | None = fd

    def _unlock_datadir(self) -> None:
        fd = getattr(self, "_pidfd", None)
        if fd is not None:
            os.close(fd)
            self._pidfd = None

    def _ctl_path(self) -> str:
        assert self.datadir is not None
        return os.path.join(self.datadir, "global", "pg_control")

    def _read_control(self) -> tuple[int, int, int, int, int] | None:
        try:
            with open(self._ctl_path(), "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return None
        if len(data) != _CTL.size + 4 or zlib.crc32(data[:-4]) != struct.unpack("<I", data[-4:])[0]:
            raise PgError(DATA_CORRUPTED, "incorrect checksum in control file")
        magic, version, state, ckpt, redo, nxid, noid = _CTL.unpack_from(data, 0)
        if magic != b"TCTL" or version != CTL_VERSION:
            raise PgError(DATA_CORRUPTED, "incorrect control file version")
        return state, ckpt, redo, nxid, noid

    def _write_control(self, state: int, ckpt: int, redo: int) -> None:
        body = _CTL.pack(b"TCTL", CTL_VERSION, state, ckpt, redo, self.next_xid,
                         max(self.next_oid, self.oid_logged_upto))
        atomic_write(self._ctl_path(), body + struct.pack("<I", zlib.crc32(body)), self.fsync)

    def _startup(self, create: bool) -> None:
        d = self.datadir
        assert d is not None
        ctl = self._read_control()
        if ctl is None:
            if os.path.exists(os.path.join(d, "PG_VERSION")) or not create:
                if not create:
                    raise PgError("58P01", f'could not open file "{d}/global/pg_control": '
                                           "No such file or directory")
                raise PgError(DATA_CORRUPTED, f'could not read file "{d}/global/pg_control"')
            for sub in ("global", "pg_wal", "pg_xact", "base"):
                os.makedirs(os.path.join(d, sub), exist_ok=True)
            with open(os.path.join(d, "PG_VERSION"), "w") as f:
                f.write("18\n")
            wal = self.wal
            assert isinstance(wal, walmod.WAL)
            wal.start_at(0)
            lsn = wal.insert(walmod.RM_XLOG, XLOG_CHECKPOINT, 0,
                             _CKPT.pack(0, self.next_xid, self.next_oid))
            wal.flush(lsn)
            self._write_control(STATE_IN_PRODUCTION, 0, 0)
            if self.fsync:
                fsync_dir(d)
            return
        _state, ckpt, redo, nxid, noid = ctl
        self.next_xid = max(nxid, FIRST_NORMAL_XID)
        self.next_oid = self.oid_logged_upto = max(noid, FIRST_NORMAL_OID)
        self.redo_lsn = redo
        self._recover(redo, ckpt)

    def _recover(self, redo_lsn: int, ckpt_lsn: int) -> None:
        wal = self.wal
        assert isinstance(wal, walmod.WAL)
        self.in_recovery = True
        n = 0
        seen_ckpt = False
        try:
            for rec in wal.read_from(redo_lsn):
                if rec.lsn == ckpt_lsn and rec.rmid == walmod.RM_XLOG \
                        and rec.info == XLOG_CHECKPOINT:
                    seen_ckpt = True
                elif rec.lsn > ckpt_lsn and not seen_ckpt:
                    break
                if rec.xid >= self.next_xid:
                    self.next_xid = rec.xid + 1
                fn = RMGRS.get(rec.rmid)
                if fn is None:
                    raise PgError(DATA_CORRUPTED, f"invalid resource manager ID {rec.rmid} "
                                                  f"at {rec.lsn:X}")
                fn(self, rec)
                n += 1
                if self.nloaded > self.shared_buffers:
                    self._evict()
            end = wal.end_of_wal
            if not seen_ckpt:
                # the WAL the control file points to is gone or damaged:
                # replaying would silently lose committed work
                raise PgError(DATA_CORRUPTED, "could not locate a valid checkpoint record",
                              severity="PANIC")
        finally:
            self.in_recovery = False
        wal.start_at(max(end, redo_lsn))
        self.stats["recovered_records"] = n
        if n > 1:
            self.checkpoint()

    def close(self) -> None:
        """Clean shutdown: a checkpoint, then close files."""
        if self.closed:
            return
        self._bg_stop.set()
        if self._bg is not None:
            self._bg.join()
        with self.latch:
            if not self.in_memory:
                self.checkpoint(shutdown=True)
            self.closed = True
            for rel in self.relations.values():
                rel.close()
            self.wal.close()
            if self.datadir is not None:
                try:
                    os.unlink(os.path.join(self.datadir, "postmaster.pid"))
                except FileNotFoundError:
                    pass
            self._unlock_datadir()

    def crash(self) -> None:
        """Tests: stop without a checkpoint (files stay as they are)."""
        self._bg_stop.set()
        if self._bg is not None:
            self._bg.join()
        self.closed = True
        for rel in self.relations.values():
            rel.close()
        self.wal.close()
        self._unlock_datadir()

    # -- OIDs ------------------------------------------------------------

    def allocate_oid(self) -> int:
        """Next OID from the cluster-wide counter (WAL-logged in batches)."""
        oid = self.next_oid
        if oid >= self.oid_logged_upto:
            self.oid_logged_upto = oid + OID_PREFETCH
            self.wal.insert(walmod.RM_XLOG, XLOG_NEXTOID, 0,
                            struct.pack("<Q", self.oid_logged_upto))
        self.next_oid = oid + 1
        return oid

    # -- relations -------------------------------------------------------

    def create_relation(self, locator: RelFileLocator, kind: str) -> Relation:
        """Create an empty relation (WAL-logged).  Caller holds the latch."""
        key = (locator[0], locator[1])
        if key in self.relations:
            raise PgError(DUPLICATE_OBJECT,
                          f'could not create file "{RelFileLocator(*key).path()}": File exists')
        rel = self._make_relation(RelFileLocator(*key), kind)
        if self.datadir is not None:
            if os.path.exists(rel.map_path()):
                raise PgError(DUPLICATE_OBJECT,
                              f'could not create file "{rel.display_path()}": File exists')
            self.wal.insert(walmod.RM_STORAGE, SMGR_CREATE, 0,
                            _LOC.pack(key[0], key[1], _KIND_CODES[kind]))
        return rel

    def _make_relation(self, locator: RelFileLocator, kind: str) -> Relation:
        rel = Relation(locator, kind, self.datadir)
        if self.datadir is not None:
            os.makedirs(os.path.join(self.datadir, "base", str(locator.dboid)), exist_ok=True)
            rel.open_fd()
        self.relations[(locator[0], locator[1])] = rel
        return rel

    def relation(self, locator: tuple[int, int], kind: str | None = None) -> Relation:
        """The open relation; opened from disk on first use."""
        rel = self.relations.get(locator)  # type: ignore[arg-type]
        if rel is not None:
            return rel
        key = (locator[0], locator[1])
        if self.datadir is None:
            raise undefined_file(RelFileLocator(*key))
        loc = RelFileLocator(*key)
        mp = os.path.join(self.datadir, "base", str(key[0]), f"{key[1]}.map")
        if not os.path.exists(mp):
            raise undefined_file(loc)
        kind = kind or map_kind(mp)
        rel = Relation(loc, kind, self.datadir)
        rel.load_map()
        self.relations[key] = rel
        return rel

    def redo_relation(self, locator: tuple[int, int], kind: str) -> Relation:
        """Redo helper: the relation, or an empty in-memory one if its files
        are gone (a later drop record in the WAL will remove it again)."""
        key = (locator[0], locator[1])
        rel = self.relations.get(key)
        if rel is not None:
            return rel
        try:
            return self.relation(key, kind)
        except PgError:
            return self._make_relation(RelFileLocator(*key), kind)

    def relation_nblocks(self, locator: tuple[int, int]) -> int:
        """Number of blocks (pg_relation_size is this times 8192)."""
        return len(self.relation(locator).blocks)

    def relation_exists(self, locator: tuple[int, int]) -> bool:
        try:
            self.relation(locator)
            return True
        except PgError:
            return False

    def drop_relation(self, locator: tuple[int, int]) -> None:
        """Drop a relation now (WAL-logged and flushed first).  Callers
        schedule this with txn.on_commit for DROP TABLE."""
        key = (locator[0], locator[1])
        rel = self.relations.get(key)
        if rel is None:
            if self.datadir is None:
                return
            try:
                rel = self.relation(key)
            except PgError:
                return
        if self.datadir is not None and not self.in_recovery:
            lsn = self.wal.insert(walmod.RM_STORAGE, SMGR_DROP, 0, _LOC.pack(key[0], key[1], 0))
            # like a commit: no checkpoint may put its redo point after this
            # record before the files are gone
            self.inflight_commits.add(lsn)
            try:
                self.wal.flush(lsn)
                self._drop_files(rel)
            finally:
                self.inflight_commits.discard(lsn)
                if self.checkpointing:
                    self.ckpt_cond.notify_all()
            return
        self._drop_files(rel)

    def truncate_relation(self, rel: Relation, nblocks: int) -> None:
        """Cut a relation down to its first `nblocks` blocks (VACUUM's truncation of
        empty pages at the end).  WAL-logged and flushed first, as PostgreSQL's
        smgrtruncate: a block image written later for a cut block can then never
        outlive the record that removed it."""
        if nblocks >= len(rel.blocks):
            return
        if self.datadir is not None and not self.in_recovery:
            key = (rel.locator[0], rel.locator[1])
            lsn = self.wal.insert(walmod.RM_STORAGE, SMGR_TRUNCATE, 0,
                                  _LOC.pack(key[0], key[1], 0) + _NBLOCKS.pack(nblocks))
            # as for a drop: no checkpoint may put its redo point after this record
            # before the blocks are gone
            self.inflight_commits.add(lsn)
            try:
                self.wal.flush(lsn)
                self._truncate(rel, nblocks)
            finally:
                self.inflight_commits.discard(lsn)
                if self.checkpointing:
                    self.ckpt_cond.notify_all()
            return
        self._truncate(rel, nblocks)

    def _truncate(self, rel: Relation, nblocks: int) -> None:
        for page in rel.blocks[nblocks:]:
            if page is not None:
                self.nloaded -= 1       # the ring forgets it (blkno past the end)
        del rel.blocks[nblocks:]
        if len(rel.map_off) > nblocks:
            for off, ln in zip(rel.map_off[nblocks:], rel.map_len[nblocks:]):
                if off != NO_IMAGE:
                    rel.live_bytes -= ln
            del rel.map_off[nblocks:]
            del rel.map_len[nblocks:]
        rel.map_dirty = True
        rel.fsm = [b for b in rel.fsm if b < nblocks]

    def _drop_files(self, rel: Relation) -> None:
        key = (rel.locator[0], rel.locator[1])
        rel.dropped = True
        for i, page in enumerate(rel.blocks):
            if page is not None:
                rel.blocks[i] = None
                self.nloaded -= 1
        self.relations.pop(key, None)
        if self.datadir is None:
            return
        with self.io_lock:
            rel.close()
            base = os.path.join(self.datadir, "base", str(key[0]))
            prefix = f"{key[1]}."
            try:
                names = os.listdir(base)
            except FileNotFoundError:
                names = []
            for name in names:
                if name.startswith(prefix):
                    try:
                        os.unlink(os.path.join(base, name))
                    except FileNotFoundError:
                        pass

    # -- buffer cache ----------------------------------------------------

    def read_block(self, rel: Relation, blkno: int) -> Page:
        """Load block `blkno` of `rel` into the cache (it is not loaded)."""
        page = rel.blocks[blkno]
        if page is not None:
            return page
        if rel.datadir is None:
            raise PgError(DATA_CORRUPTED, f"block {blkno} of relation {rel.display_path()} "
                                          "is missing")
        page = rel.read_image(blkno)
        page.rel = rel
        rel.blocks[blkno] = page
        self._loaded(page)
        self.stats["blocks_read"] += 1
        return page

    def extend(self, rel: Relation) -> Page:
        """Append a new empty block to `rel` (in memory; dirty)."""
        blkno = len(rel.blocks)
        page = rel.page_cls.new(blkno, rel)
        page.rel = rel
        page.dirty = True
        rel.blocks.append(page)
        self._loaded(page)
        return page

    def ensure_block(self, rel: Relation, blkno: int) -> Page:
        """Redo helper: the block, extending the relation up to it if needed."""
        while len(rel.blocks) <= blkno:
            self.extend(rel)
        page = rel.blocks[blkno]
        if page is None:
            page = self.read_block(rel, blkno)
        return page

    def _loaded(self, page: Page) -> None:
        if self.datadir is None:
            return
        self.ring.append(page)
        self.nloaded += 1

    def maybe_evict(self) -> None:
        """Shrink the cache to shared_buffers.  Called only at safe points:
        entry points of the access methods (and between redo records), where
        the caller holds no references to pages -- a page evicted while
        someone still modifies it would lose that change."""
        if self.nloaded > self.shared_buffers:
            self._evict()

    def _evict(self) -> None:
        """Clock sweep: drop clean, unused blocks; write dirty ones (WAL first)."""
        ring = self.ring
        spins = 0
        while self.nloaded > self.shared_buffers and ring:
            page = ring.popleft()
            rel = page.rel
            if rel is None or rel.dropped or page.blkno >= len(rel.blocks) \
                    or rel.blocks[page.blkno] is not page:
                continue
            if page.usage and spins < 4 * len(ring) + 8:
                page.usage = 0
                ring.append(page)
                spins += 1
                continue
            if page.dirty:
                if page.lsn > self.wal.flushed_lsn:
                    if self.wal.flushing:
                        # someone else is mid-flush; don't block here
                        ring.append(page)
                        spins += 1
                        if spins > 4 * len(ring) + 8:
                            return
                        continue
                    self.wal._write_out(fsync=True)  # type: ignore[union-attr]
                rel.write_image(page)
                self.stats["blocks_evicted_dirty"] += 1
            rel.blocks[page.blkno] = None
            self.nloaded -= 1
            self.stats["blocks_evicted"] += 1

    # -- checkpoint ------------------------------------------------------

    def checkpoint(self, shutdown: bool = False) -> None:
        """Write all dirty blocks, the maps and the clog; log a checkpoint.

        Runs holding the latch, releasing it for fsyncs and every few
        hundred blocks so that backends keep running.
        """
        if self.datadir is None:
            return
        with self.latch:
            while self.checkpointing:
                self.ckpt_cond.wait(0.05)
            self.checkpointing = True
            try:
                self._checkpoint(shutdown)
            finally:
                self.checkpointing = False
                self.ckpt_cond.notify_all()

    def _checkpoint(self, shutdown: bool) -> None:
        wal = self.wal
        assert isinstance(wal, walmod.WAL)
        redo = wal.insert_lsn
        # commits logged before the redo point must reach the clog before we
        # capture it (they are not replayed)
        while any(lsn <= redo for lsn in self.inflight_commits):
            self.ckpt_cond.wait(0.05)
        wal.flush()
        # 1. write dirty blocks (WAL first)
        written = 0
        for page in list(self.ring):
            rel = page.rel
            if not page.dirty or rel is None or rel.dropped or \
                    page.blkno >= len(rel.blocks) or rel.blocks[page.blkno] is not page:
                continue
            if page.lsn > wal.flushed_lsn:
                wal.flush(page.lsn)  # releases the latch: re-check the page
                if not page.dirty or rel.dropped or page.blkno >= len(rel.blocks) \
                        or rel.blocks[page.blkno] is not page:
                    continue
            rel.write_image(page)
            written += 1
            if written % 256 == 0:
                with self.latch.released():
                    time.sleep(0)
        # 2. capture maps and clog
        rels = [r for r in self.relations.values() if r.map_dirty or r.fd_dirty]
        maps = []
        for r in rels:
            if r.map_dirty:
                maps.append((r, r.encode_map()))
                r.map_dirty = False
        fds = [r for r in rels if r.fd_dirty]
        for r in fds:
            r.fd_dirty = False
        # the clog may show asynchronous commits whose records are not yet
        # flushed: make them durable before the clog goes to disk (keeping
        # the latch, so no new commit slips in between)
        if wal.flushed_lsn < wal.insert_lsn:
            wal._write_out(fsync=True)
        clog_pages = self.clog.capture()
        # 3. make it durable, without the latch
        with self.latch.released(), self.io_lock:
            dirs = set()
            for r in fds:
                if not r.dropped and r.fd is not None and self.fsync:
                    os.fsync(r.fd)
            for r, data in maps:
                if r.dropped:
                    continue
                atomic_write(r.map_path(), data, self.fsync, sync_dir=False)
                dirs.add(os.path.dirname(r.map_path()))
            if self.fsync:
                for d in dirs:
                    fsync_dir(d)
            self.clog.write(clog_pages, self.fsync)
        # 4. checkpoint record, control file, WAL recycling
        lsn_start = wal.insert_lsn
        lsn = wal.insert(walmod.RM_XLOG, XLOG_CHECKPOINT, 0,
                         _CKPT.pack(redo, self.next_xid, max(self.next_oid, self.oid_logged_upto)))
        wal.flush(lsn)
        self._write_control(STATE_SHUTDOWN if shutdown else STATE_IN_PRODUCTION, lsn_start, redo)
        self.redo_lsn = redo
        wal.bytes_since_checkpoint = wal.insert_lsn - redo
        wal.remove_segments_before(redo)
        self.last_checkpoint_time = time.monotonic()
        self.last_checkpoint_end = wal.insert_lsn
        self.stats["checkpoints"] += 1
        # 5. compaction of data files that are mostly garbage
        for r in list(self.relations.values()):
            if not r.dropped and r.needs_compaction():
                self._compact(r)

    def _compact(self, rel: Relation) -> None:
        """Rewrite a data file with only current images (new generation).

        Runs under the latch at the end of a checkpoint: every block is
        loaded (or read as an image) and written to the new file; the map is
        replaced atomically, then the old file is removed.
        """
        old_fd = rel.fd
        old_gen = rel.gen
        new_gen = old_gen + 1
        new_path = rel.data_path(new_gen)
        fd = os.open(new_path, os.O_CREAT | os.O_RDWR | os.O_TRUNC, 0o600)
        offs = []
        lens = []
        pos = 0
        for blkno in range(len(rel.blocks)):
            if blkno < len(rel.map_off) and rel.map_off[blkno] != NO_IMAGE:
                data = os.pread(old_fd, rel.map_len[blkno], rel.map_off[blkno])  # type: ignore[arg-type]
                os.pwrite(fd, data, pos)
                offs.append(pos)
                lens.append(len(data))
                pos += len(data)
            else:
                offs.append(NO_IMAGE)
                lens.append(0)
        if self.fsync:
            os.fsync(fd)
        rel.fd = fd
        rel.gen = new_gen
        rel.map_off = offs
        rel.map_len = lens
        rel.data_size = pos
        rel.live_bytes = pos
        atomic_write(rel.map_path(), rel.encode_map(), self.fsync)
        rel.map_dirty = False
        if old_fd is not None:
            os.close(old_fd)
        try:
            os.unlink(rel.data_path(old_gen))
        except FileNotFoundError:
            pass
        self.stats["compactions"] += 1

    # -- background worker: checkpointer + WAL writer --------------------

    def _background(self) -> None:
        while not self._bg_stop.wait(0.2):
            try:
                with self.latch:
                    if self.closed:
                        return
                    wal = self.wal
                    # WAL writer: asynchronous commits become durable within ~200 ms
                    if wal.flushed_lsn < wal.insert_lsn and not wal.flushing:
                        wal.flush()
                    due = (time.monotonic() - self.last_checkpoint_time >= self.checkpoint_timeout
                           or wal.bytes_since_checkpoint >= self.max_wal_size)
                    if due and wal.insert_lsn == self.last_checkpoint_end:
                        # nothing happened since the last checkpoint: skip it
                        self.last_checkpoint_time = time.monotonic()
                        due = False
                    if due and not self.checkpointing:
                        self.checkpoint()
            except Exception:  # noqa: BLE001 - keep the worker alive
                import traceback
                traceback.print_exc()
                time.sleep(1)


# -- XLOG and STORAGE redo -------------------------------------------------

def _redo_xlog(sm: StorageManager, rec: WalRecord) -> None:
    if rec.info == XLOG_CHECKPOINT:
        _redo, nxid, noid = _CKPT.unpack_from(rec.payload, 0)
        sm.next_xid = max(sm.next_xid, nxid)
        sm.next_oid = max(sm.next_oid, noid)
        sm.oid_logged_upto = max(sm.oid_logged_upto, noid)
    elif rec.info == XLOG_NEXTOID:
        (upto,) = struct.unpack_from("<Q", rec.payload, 0)
        sm.next_oid = max(sm.next_oid, upto)
        sm.oid_logged_upto = max(sm.oid_logged_upto, upto)


def _redo_storage(sm: StorageManager, rec: WalRecord) -> None:
    dboid, relnumber, kind = _LOC.unpack_from(rec.payload, 0)
    key = (dboid, relnumber)
    if rec.info == SMGR_CREATE:
        if key in sm.relations:
            return
        try:
            sm.relation(key, _KIND_NAMES[kind])
        except PgError:
            sm._make_relation(RelFileLocator(*key), _KIND_NAMES[kind])
    elif rec.info == SMGR_TRUNCATE:
        (nblocks,) = _NBLOCKS.unpack_from(rec.payload, _LOC.size)
        rel = sm.relations.get(key)
        if rel is None:
            try:
                rel = sm.relation(key)
            except PgError:
                return              # dropped later on
        sm._truncate(rel, nblocks)
    elif rec.info == SMGR_DROP:
        rel = sm.relations.get(key)
        if rel is None:
            try:
                rel = sm.relation(key)
            except PgError:
                rel = None
        if rel is not None:
            sm._drop_files(rel)
        elif sm.datadir is not None:
            # the files may be half-deleted: remove what is left
            base = os.path.join(sm.datadir, "base", str(dboid))
            if os.path.isdir(base):
                for name in os.listdir(base):
                    if name.startswith(f"{relnumber}."):
                        os.unlink(os.path.join(base, name))


register_rmgr(walmod.RM_XLOG, _redo_xlog)
register_rmgr(walmod.RM_STORAGE, _redo_storage)

__all__ = ["PAGE_KINDS", "RelFileLocator", "StorageManager", "register_rmgr"]
