"""Heap relations: tuple versions in blocks (PostgreSQL's heapam).

A block (`HeapPage`) is an array of slots; slot i (offset number i+1) holds
one `HeapTuple` version or None (unused).  Slots never shift: a scan that
yields mid-block (latch released) resumes at the same offsets.  Blocks fill
like PostgreSQL's 8 kB pages (tuple sizes estimated from the values, see
`tuple_size`), so small tables get the same ctids as in PostgreSQL.

UPDATE writes a new version (same block if it fits, HOT-less: every version
has its own index entries) and sets the old version's xmax/cmax/UPDATED and
t_ctid -> new TID.  DELETE sets xmax.  Row locks (FOR UPDATE/SHARE) live in
the transaction manager's in-memory table, not in xmax.

WAL records (rmid RM_HEAP), all carrying the relation and block numbers so
that redo is physical and skips a block whose LSN is already past the record:

    INSERT        blk, off, cid, infomask, row
    MULTI_INSERT  blk, cid, [(off, row)]          (COPY; one record per block)
    DELETE        blk, off, cmax
    UPDATE        old blk/off, new blk/off, cid, flags, row
    PRUNE         blk, [off]                       (vacuum: slots become unused)
"""

from __future__ import annotations

import decimal
import struct
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from tuskdb.access.tm import TM, TMResult
from tuskdb.access.visibility import (
    HEAPTUPLE_DEAD,
    KEYS_UPDATED,
    UPDATED,
    XMAX_COMMITTED,
    XMAX_INVALID,
    XMIN_COMMITTED,
    XMIN_INVALID,
    satisfies_mvcc,
    satisfies_update,
    satisfies_vacuum,
    xmax_committed,
    xmin_committed,
)
from tuskdb.errors import DATA_CORRUPTED, PgError
from tuskdb.storage import interrupts
from tuskdb.storage import wal as walmod
from tuskdb.storage.codec import decode_row_at, encode_row
from tuskdb.storage.manager import StorageManager, register_rmgr
from tuskdb.storage.relation import Page, Relation, register_page_kind
from tuskdb.storage.wal import WalRecord
from tuskdb.txn.lock import (
    ROW_CONFLICTS,
    LockTupleExclusive,
    LockTupleKeyShare,
    LockTupleNoKeyExclusive,
)

if TYPE_CHECKING:
    from tuskdb.txn.snapshot import Snapshot
    from tuskdb.txn.xact import Transaction, TransactionManager

# VACUUM truncates a relation's empty tail of at least this many pages, or of this
# fraction of it (PostgreSQL's REL_TRUNCATE_MINIMUM and REL_TRUNCATE_FRACTION)
_REL_TRUNCATE_MINIMUM = 1000
_REL_TRUNCATE_FRACTION = 16

BLCKSZ = 8192
PAGE_HEADER = 24
ITEM_ID = 4
PAGE_SPACE = BLCKSZ - PAGE_HEADER
MAX_TUPLES_PER_PAGE = 291
TOAST_THRESHOLD = 2032
BIG_TUPLE = 1 << 20  # bytes: a tuple this large gets a block of its own

XLOG_HEAP_INSERT = 1
XLOG_HEAP_MULTI_INSERT = 2
XLOG_HEAP_DELETE = 3
XLOG_HEAP_UPDATE = 4
XLOG_HEAP_PRUNE = 5        # vacuum: slots become unused
XLOG_HEAP_PRUNE_DEAD = 6   # opportunistic: dead versions become stubs (slots kept)

_REL = struct.Struct("<IIQ")            # dboid, relnumber, blkno
_INS = struct.Struct("<IIQHIH")          # + off, cid, infomask
_MULTI = struct.Struct("<IIQIH")         # + cid, ntuples
_MULTI_ENT = struct.Struct("<HI")        # off, len
_DEL = struct.Struct("<IIQHIB")          # + off, cmax, keys_updated
_UPD = struct.Struct("<IIQHQHIB")        # old blk, old off, new blk, new off, cid, flags
_PRUNE = struct.Struct("<IIQH")          # + n, then n u16
_TUP = struct.Struct("<BQQIIHQHI")       # flag, xmin, xmax, cmin, cmax, infomask, ctid, size, len
_PAGEHDR = struct.Struct("<HI")          # nslots, used


def tuple_size(values: tuple) -> int:
    """Estimated on-page size of a tuple as PostgreSQL would store it
    (header + data, MAXALIGNed; large varlenas count as TOAST pointers)."""
    n = 24
    for v in values:
        t = type(v)
        if t is int:
            n += 4 if -2147483648 <= v <= 2147483647 else 8
        elif t is str:
            ln = len(v)
            n += ln + 1 if ln < 127 else (ln + 4 if ln <= TOAST_THRESHOLD else 18)
        elif v is None:
            continue
        elif t is float:
            n += 8
        elif t is bool:
            n += 1
        elif t is bytes:
            ln = len(v)
            n += ln + 1 if ln < 127 else (ln + 4 if ln <= TOAST_THRESHOLD else 18)
        elif t is decimal.Decimal:
            n += 8 + len(v.as_tuple().digits) // 2
        else:
            n += 16
    return (n + 7) & ~7


def _real_big(values: tuple) -> bool:
    total = 0
    for v in values:
        if type(v) in (str, bytes):
            total += len(v)
    return total >= BIG_TUPLE


class HeapTuple:
    """One tuple version.  `values` is None until first use for tuples read
    from disk (decoded lazily from `raw`, the encoded row); `raw` is kept
    when known so that writing the block does not re-encode; `size` is the
    estimated on-page size (`tuple_size`)."""

    __slots__ = ("cmax", "cmin", "ctid", "infomask", "raw", "size", "values", "xmax", "xmin")

    def __init__(self, xmin: int, cmin: int, values: tuple | None, infomask: int = XMAX_INVALID,
                 xmax: int = 0, cmax: int = 0, ctid: int = 0, raw: bytes | None = None,
                 size: int = 0) -> None:
        self.xmin = xmin
        self.xmax = xmax
        self.cmin = cmin
        self.cmax = cmax
        self.infomask = infomask
        self.ctid = ctid
        self.values = values
        self.raw = raw
        self.size = size

    def decode(self) -> tuple:
        v = self.values
        if v is None:
            v = self.values = decode_row_at(self.raw, 0)[0]  # type: ignore[arg-type]
        return v

    def __repr__(self) -> str:
        return (f"HeapTuple(xmin={self.xmin}, xmax={self.xmax}, cmin={self.cmin}, "
                f"cmax={self.cmax}, infomask={self.infomask:#x}, ctid={self.ctid}, "
                f"values={self.values!r})")


# A pruned version (PostgreSQL's LP_DEAD line pointer): its space is
# reclaimed but the slot stays taken until VACUUM has removed the index
# entries that may still point at it.  XMIN_INVALID makes every visibility
# test reject it at once; it is shared and never modified.
DEAD_STUB = HeapTuple(0, 0, (), XMIN_INVALID | XMAX_INVALID, raw=b"\x00\x00", size=0)


class HeapPage(Page):
    __slots__ = ("full", "nfree", "prunable", "tuples", "used")
    KIND_ID = 1
    FORMAT_VERSION = 4

    def __init__(self, blkno: int) -> None:
        super().__init__(blkno)
        self.tuples: list[HeapTuple | None] = []
        self.used = 0      # estimated bytes, PostgreSQL-style (items + line pointers)
        self.nfree = 0     # unused slots (after vacuum)
        self.full = False  # holds a huge tuple: take no more
        self.prunable = True  # may hold versions with an xmax (pd_prune_xid)

    def fits(self, size: int) -> bool:
        if self.full:
            return False
        if not self.nfree and len(self.tuples) >= MAX_TUPLES_PER_PAGE:
            return False
        return self.used + size + ITEM_ID <= PAGE_SPACE

    def place(self, tup: HeapTuple, size: int) -> int:
        """Put tup in a free slot (or a new one); return its offset number."""
        self.used += size + ITEM_ID
        tuples = self.tuples
        if self.nfree:
            for i, t in enumerate(tuples):
                if t is None:
                    tuples[i] = tup
                    self.nfree -= 1
                    return i + 1
        tuples.append(tup)
        return len(tuples)

    def put(self, off: int, tup: HeapTuple) -> None:
        """Redo: put tup at offset `off` (tup.size must be set)."""
        tuples = self.tuples
        while len(tuples) < off:
            tuples.append(None)
            self.nfree += 1
        old = tuples[off - 1]
        if old is None:
            self.nfree -= 1
        else:
            self.used -= old.size + ITEM_ID
        tuples[off - 1] = tup
        self.used += tup.size + ITEM_ID
        if tup.raw is not None and len(tup.raw) >= BIG_TUPLE:
            self.full = True

    # Image payload (format 3, columnar so that decoding is a few C calls):
    #   u16 nslots, u32 used (bit 31: full)
    #   nslots x u8 flag (0 unused, 1 normal, 2 dead stub); then for the n others:
    #   n x u64 xmin, n x u64 xmax, n x u32 cmin, n x u32 cmax, n x u16 infomask,
    #   n x u64 ctid, n x u16 size, n x u32 length, then the encoded rows.
    def serialize(self) -> bytes:
        tuples = self.tuples
        live = [t for t in tuples if t is not None]
        n = len(live)
        rows = []
        for t in live:
            data = t.raw
            if data is None:
                data = encode_row(t.values)  # type: ignore[arg-type]
            rows.append(data)
        parts = [
            _PAGEHDR.pack(len(tuples), self.used | (0x80000000 if self.full else 0)),
            bytes(0 if t is None else 2 if t is DEAD_STUB else 1 for t in tuples),
            struct.pack(f"<{n}Q", *[t.xmin for t in live]),
            struct.pack(f"<{n}Q", *[t.xmax for t in live]),
            struct.pack(f"<{n}I", *[t.cmin for t in live]),
            struct.pack(f"<{n}I", *[t.cmax for t in live]),
            struct.pack(f"<{n}H", *[t.infomask for t in live]),
            struct.pack(f"<{n}Q", *[t.ctid for t in live]),
            struct.pack(f"<{n}H", *[min(t.size, 0xFFFF) for t in live]),
            struct.pack(f"<{n}I", *[len(r) for r in rows]),
        ]
        parts.extend(rows)
        return b"".join(parts)

    @classmethod
    def deserialize(cls, blkno: int, payload: memoryview) -> HeapPage:
        page = cls(blkno)
        nslots, used = _PAGEHDR.unpack_from(payload, 0)
        page.full = bool(used & 0x80000000)
        page.used = used & 0x7FFFFFFF
        pos = _PAGEHDR.size
        flags = bytes(payload[pos:pos + nslots])
        pos += nslots
        n = nslots - flags.count(0)
        unpack = struct.unpack_from
        xmins = unpack(f"<{n}Q", payload, pos)
        pos += 8 * n
        xmaxs = unpack(f"<{n}Q", payload, pos)
        pos += 8 * n
        cmins = unpack(f"<{n}I", payload, pos)
        pos += 4 * n
        cmaxs = unpack(f"<{n}I", payload, pos)
        pos += 4 * n
        masks = unpack(f"<{n}H", payload, pos)
        pos += 2 * n
        ctids = unpack(f"<{n}Q", payload, pos)
        pos += 8 * n
        sizes = unpack(f"<{n}H", payload, pos)
        pos += 2 * n
        lens = unpack(f"<{n}I", payload, pos)
        pos += 4 * n
        if pos + sum(lens) != len(payload):
            raise PgError(DATA_CORRUPTED, f"invalid tuple lengths in block {blkno}")
        blob = bytes(payload[pos:])
        tuples = page.tuples
        k = 0
        off = 0
        # values are decoded on first use (HeapTuple.decode)
        for f in flags:
            if not f:
                tuples.append(None)
                continue
            ln = lens[k]
            if f == 2:
                tuples.append(DEAD_STUB)
            else:
                tuples.append(HeapTuple(xmins[k], cmins[k], None, masks[k], xmaxs[k], cmaxs[k],
                                        ctids[k], blob[off:off + ln], sizes[k]))
            off += ln
            k += 1
        page.nfree = nslots - n
        return page


register_page_kind("heap", HeapPage)


class _HeapState:
    """Per-relation heap state kept on Relation.am."""

    __slots__ = ("target",)

    def __init__(self) -> None:
        self.target = -1


class Heap:
    """A heap relation; see module docstring.  All methods run under the
    engine latch; update/delete/lock_tuple may wait with it released."""

    def __init__(self, storage: StorageManager, locator: tuple[int, int],
                 tm: TransactionManager | None = None) -> None:
        self.storage = storage
        self.locator = (locator[0], locator[1])
        self.rel: Relation = storage.relation(self.locator, "heap")
        if self.rel.am is None:
            self.rel.am = _HeapState()
        self.tm = tm or storage.txn_manager
        self.name = f"{locator[1]}"
        # bytes an insert leaves free on a page (fillfactor; RelationGetTargetPageFreeSpace),
        # set by whoever opens the heap for a relation with a fillfactor below 100
        self.save_free_space = 0

    @classmethod
    def create(cls, storage: StorageManager, locator: tuple[int, int],
               tm: TransactionManager | None = None) -> Heap:
        storage.create_relation(locator, "heap")  # type: ignore[arg-type]
        return cls(storage, locator, tm)

    # -- block access --------------------------------------------------------

    def _page(self, blkno: int) -> HeapPage:
        rel = self.rel
        if rel.dropped:
            self.rel = rel = self.storage.relation(self.locator, "heap")
        page = rel.blocks[blkno]
        if page is None:
            page = self.storage.read_block(rel, blkno)
        page.usage = 1
        return page  # type: ignore[return-value]

    def _tuple(self, tid: int) -> tuple[HeapPage, HeapTuple]:
        blkno = tid >> 16
        off = tid & 0xFFFF
        rel = self.rel
        if blkno >= len(rel.blocks) or off < 1:
            raise PgError(DATA_CORRUPTED, f"invalid tid ({blkno},{off}) for relation {self.name}")
        page = self._page(blkno)
        tuples = page.tuples
        if off > len(tuples) or tuples[off - 1] is None:
            raise PgError(DATA_CORRUPTED, f"tuple ({blkno},{off}) of relation {self.name} "
                                          "is not in use")
        return page, tuples[off - 1]  # type: ignore[return-value]

    @property
    def nblocks(self) -> int:
        return len(self.rel.blocks)

    def _target_page(self, size: int, big: bool) -> HeapPage:
        rel = self.rel
        st: _HeapState = rel.am
        if not big:
            # a page is taken when the tuple leaves the fillfactor's reserve free on it
            need = size + self.save_free_space
            t = st.target
            if 0 <= t < len(rel.blocks):
                page = self._page(t)
                if page.fits(need) or (page.prunable and self._prune_opt(page)
                                       and page.fits(need)):
                    return page
            fsm = rel.fsm
            while fsm:
                b = fsm[-1]
                if b < len(rel.blocks):
                    page = self._page(b)
                    if page.fits(need):
                        st.target = b
                        return page
                fsm.pop()
        page = self.storage.extend(rel)
        if big:
            page.full = True  # type: ignore[attr-defined]
        else:
            st.target = page.blkno
        return page  # type: ignore[return-value]

    # -- insert ----------------------------------------------------------------

    def insert(self, txn: Transaction, values: tuple) -> int:
        """Insert a new tuple; return its TID."""
        if type(values) is not tuple:
            values = tuple(values)
        sm = self.storage
        if sm.nloaded > sm.shared_buffers:
            sm._evict()
        xid = txn.get_xid()
        cid = txn.cid
        txn.cid_used = True
        size = tuple_size(values)
        storage = self.storage
        wal = storage.wal
        if wal.enabled:
            data = encode_row(values)
            big = len(data) >= BIG_TUPLE
        else:
            data = b""
            big = _real_big(values)
        page = self._target_page(size, big)
        tup = HeapTuple(xid, cid, values, XMAX_INVALID, 0, 0, 0, data or None, size)
        off = page.place(tup, size)
        if wal.enabled:
            page.lsn = wal.insert(walmod.RM_HEAP, XLOG_HEAP_INSERT, xid,
                                  _INS.pack(self.locator[0], self.locator[1], page.blkno, off,
                                            cid, XMAX_INVALID) + data)
        page.dirty = True
        rel = self.rel
        rel.n_live_tup += 1
        rel.n_tup_ins += 1
        return (page.blkno << 16) | off

    def multi_insert(self, txn: Transaction, rows: Iterable[tuple]) -> list[int]:
        """Insert many tuples (COPY): one WAL record per filled block."""
        sm = self.storage
        if sm.nloaded > sm.shared_buffers:
            sm._evict()
        xid = txn.get_xid()
        cid = txn.cid
        txn.cid_used = True
        storage = self.storage
        wal = storage.wal
        logging = wal.enabled
        dboid, relnumber = self.locator
        tids: list[int] = []
        page: HeapPage | None = None
        pending: list[bytes] = []
        npending = 0
        count = 0

        def flush_page() -> None:
            nonlocal pending, npending
            if page is not None and npending:
                if logging:
                    page.lsn = wal.insert(walmod.RM_HEAP, XLOG_HEAP_MULTI_INSERT, xid,
                                          _MULTI.pack(dboid, relnumber, page.blkno, cid, npending)
                                          + b"".join(pending))
                page.dirty = True
            pending = []
            npending = 0

        limit = PAGE_SPACE - self.save_free_space   # fillfactor
        ptuples: list | None = None   # page.tuples, appended to directly (fast path)
        append_pending = pending.append
        append_tid = tids.append
        try:
            for values in rows:
                if type(values) is not tuple:
                    values = tuple(values)
                size = tuple_size(values)
                if logging:
                    data = encode_row(values)
                    big = len(data) >= BIG_TUPLE
                else:
                    data = b""
                    big = _real_big(values)
                tup = HeapTuple(xid, cid, values, XMAX_INVALID, 0, 0, 0, data or None, size)
                if ptuples is not None and not big and page.used + size + ITEM_ID <= limit \
                        and len(ptuples) < MAX_TUPLES_PER_PAGE:
                    # common case: append to the current page (no free slots in it)
                    ptuples.append(tup)
                    page.used += size + ITEM_ID
                    off = len(ptuples)
                else:
                    if page is None or big or not page.fits(size + self.save_free_space):
                        flush_page()
                        pending = []
                        append_pending = pending.append
                        page = None
                        if storage.nloaded > storage.shared_buffers:
                            storage._evict()
                        page = self._target_page(size, big)
                    off = page.place(tup, size)
                    ptuples = page.tuples if not page.nfree and not page.full else None
                if logging:
                    append_pending(_MULTI_ENT.pack(off, len(data)))
                    append_pending(data)
                npending += 1
                append_tid((page.blkno << 16) | off)
                count += 1
                if count & 1023 == 0:
                    interrupts.check()
        finally:
            # also on an error: rows already placed must be in the WAL
            flush_page()
        rel = self.rel
        rel.n_live_tup += count
        rel.n_tup_ins += count
        return tids

    # -- reading -----------------------------------------------------------------

    def scan(self, snapshot: Snapshot, first_block: int = 0,
             end_block: int | None = None) -> Iterator[tuple[int, tuple]]:
        """Visible tuples in physical order, as (TID, values); blocks
        [first_block, end_block) only when given (a TID range scan).

        Works a block at a time (visible tuples of a block are collected
        before any is yielded), so the caller may release the latch between
        rows.  Blocks added after the scan started are not read (their
        tuples are invisible to the snapshot anyway).
        """
        tm = self.tm
        nblocks = len(self.rel.blocks)
        sxmin = snapshot.xmin
        both = XMIN_COMMITTED | XMAX_INVALID
        sm = self.storage
        blocks = self.rel.blocks
        # a scan of a relation bigger than a quarter of the cache must not
        # flush everything else out: blocks it reads get no usage credit
        # (PostgreSQL uses a small ring buffer, BAS_BULKREAD, for the same)
        bulk = nblocks > sm.shared_buffers // 4 and not sm.in_memory
        if end_block is not None:
            nblocks = min(nblocks, end_block)
        for blkno in range(first_block, nblocks):
            if sm.nloaded > sm.shared_buffers:
                sm._evict()
            if bulk and blocks[blkno] is None:
                page = self._page(blkno)
                page.usage = 0
            else:
                page = self._page(blkno)
            base = blkno << 16
            batch = []
            off = 0
            for t in page.tuples:
                off += 1
                if t is None:
                    continue
                if t.infomask & both == both and t.xmin < sxmin or \
                        satisfies_mvcc(t, snapshot, tm):
                    v = t.values
                    if v is None:
                        v = t.decode()
                    batch.append((base | off, v))
            if batch:
                yield from batch

    def scan_all(self) -> Iterator[tuple[int, HeapTuple]]:
        """Every tuple version present (SnapshotAny), as (TID, HeapTuple);
        pruned stubs are left out."""
        sm = self.storage
        for blkno in range(len(self.rel.blocks)):
            if sm.nloaded > sm.shared_buffers:
                sm._evict()
            page = self._page(blkno)
            base = blkno << 16
            batch = [(base | (i + 1), t) for i, t in enumerate(page.tuples)
                     if t is not None and t is not DEAD_STUB]
            for _, t in batch:
                if t.values is None:
                    t.decode()
            yield from batch

    def fetch(self, snapshot: Snapshot, tid: int) -> tuple | None:
        """The tuple at tid if visible to snapshot, else None."""
        blkno = tid >> 16
        sm = self.storage
        if sm.nloaded > sm.shared_buffers:
            sm._evict()
        rel = self.rel
        if blkno >= len(rel.blocks):
            return None
        page = rel.blocks[blkno]
        if page is None:
            page = self._page(blkno)
        else:
            page.usage = 1
        off = (tid & 0xFFFF) - 1
        tuples = page.tuples  # type: ignore[union-attr]
        if off < 0 or off >= len(tuples):
            return None
        t = tuples[off]
        if t is None:
            return None
        im = t.infomask
        if im & 0x09 == 0x09 and t.xmin < snapshot.xmin or \
                satisfies_mvcc(t, snapshot, self.tm):  # 0x09: XMIN_COMMITTED|XMAX_INVALID
            v = t.values
            if v is None:
                v = t.decode()
            return v
        return None

    def get_tuple(self, tid: int, decode: bool = True) -> HeapTuple | None:
        """The tuple version at tid (no visibility check), or None.

        Never evicts: B-tree code calls it while holding a leaf page."""
        blkno = tid >> 16
        if blkno >= len(self.rel.blocks):
            return None
        page = self._page(blkno)
        off = (tid & 0xFFFF) - 1
        if off < 0 or off >= len(page.tuples):
            return None
        t = page.tuples[off]
        if t is DEAD_STUB:
            return None
        if decode and t is not None and t.values is None:
            t.decode()
        return t

    def fetch_latest(self, txn: Transaction, tid: int) -> tuple[int, tuple] | None:
        """Follow the update chain from tid to the newest committed (or own)
        version, waiting for in-progress updaters; None if the row is gone
        (deleted, or the inserter aborted).  For READ COMMITTED re-checks
        (EvalPlanQual)."""
        tm = self.tm
        prior_xmax = 0
        while True:
            t = self.get_tuple(tid)
            if t is None or (prior_xmax and t.xmin != prior_xmax):
                return None
            if t.xmin not in txn.own:
                st = xmin_committed(t, tm)
                if st == 0:
                    tm.wait_for_xid(txn, t.xmin)
                    continue
                if st == -1:
                    return None
            if t.infomask & XMAX_INVALID or not t.xmax:
                return tid, t.values
            if t.xmax in txn.own:
                if t.infomask & UPDATED and t.ctid and t.ctid != tid:
                    prior_xmax = t.xmax
                    tid = t.ctid
                    continue
                return None
            st = xmax_committed(t, tm)
            if st == 0:
                tm.wait_for_xid(txn, t.xmax)
                continue
            if st == -1:
                return tid, t.values
            if t.infomask & UPDATED and t.ctid and t.ctid != tid:
                prior_xmax = t.xmax
                tid = t.ctid
                continue
            return None

    # -- update / delete / lock --------------------------------------------------

    def _row_conflict(self, txn: Transaction, tid: int, mode: int) -> int:
        """An in-progress xid holding a row lock that conflicts with mode, or 0."""
        tm = self.tm
        d = tm.rowlocks.table.get((self.locator, tid))
        if not d:
            return 0
        conf = ROW_CONFLICTS[mode]
        running = tm.running
        own = txn.own
        for xid, m in list(d.items()):
            if xid in own:
                continue
            if xid not in running:
                del d[xid]
                continue
            if m in conf:
                return xid
        if not d:
            del tm.rowlocks.table[(self.locator, tid)]
        return 0

    def _prepare_modify(self, txn: Transaction, tid: int, mode: int,
                        wait: bool) -> tuple[TMResult | None, HeapPage | None, HeapTuple | None]:
        tm = self.tm
        while True:
            sm = self.storage
            if sm.nloaded > sm.shared_buffers:
                sm._evict()
            page, t = self._tuple(tid)
            res = satisfies_update(t, txn.cid, txn, tm)
            if res == TM.Ok:
                xwait = self._row_conflict(txn, tid, mode)
                if not xwait:
                    return None, page, t
            elif res == TM.BeingModified:
                xwait = t.xmax
                if mode == LockTupleKeyShare and t.infomask & UPDATED \
                        and not t.infomask & KEYS_UPDATED:
                    # FOR KEY SHARE does not conflict with a no-key update
                    xwait = self._row_conflict(txn, tid, mode)
                    if not xwait:
                        return None, page, t
            elif res in (TM.Updated, TM.Deleted):
                return TMResult(res, ctid=t.ctid if res == TM.Updated else tid,
                                xmax=t.xmax), None, None
            elif res == TM.SelfModified:
                return TMResult(res, ctid=t.ctid or tid, xmax=t.xmax, cmax=t.cmax), None, None
            else:
                return TMResult(res), None, None
            if not wait:
                return TMResult(TM.WouldBlock, xmax=xwait), None, None
            tm.wait_for_xid(txn, xwait)

    def delete(self, txn: Transaction, tid: int, wait: bool = True) -> TMResult:
        """Delete the tuple at tid (heap_delete)."""
        xid = txn.get_xid()
        res, page, t = self._prepare_modify(txn, tid, LockTupleExclusive, wait)
        if res is not None:
            return res
        assert page is not None and t is not None
        cid = txn.cid
        txn.cid_used = True
        t.xmax = xid
        t.cmax = cid
        t.infomask = (t.infomask & ~(XMAX_INVALID | XMAX_COMMITTED | UPDATED)) | KEYS_UPDATED
        t.ctid = 0
        page.prunable = True
        wal = self.storage.wal
        if wal.enabled:
            page.lsn = wal.insert(walmod.RM_HEAP, XLOG_HEAP_DELETE, xid,
                                  _DEL.pack(self.locator[0], self.locator[1], tid >> 16,
                                            tid & 0xFFFF, cid, 1))
        page.dirty = True
        rel = self.rel
        rel.n_live_tup -= 1
        rel.n_dead_tup += 1
        rel.n_tup_del += 1
        return TMResult(TM.Ok)

    def update(self, txn: Transaction, tid: int, values: tuple, wait: bool = True,
               keys_updated: bool = True) -> TMResult:
        """Write a new version of the tuple at tid (heap_update).

        On Ok, `result.new_tid` is the new version's TID (the caller inserts
        index entries for it).  keys_updated=False (no column of a unique
        index changed) lets FOR KEY SHARE lockers proceed concurrently.
        """
        if type(values) is not tuple:
            values = tuple(values)
        xid = txn.get_xid()
        mode = LockTupleExclusive if keys_updated else LockTupleNoKeyExclusive
        res, page, t = self._prepare_modify(txn, tid, mode, wait)
        if res is not None:
            return res
        assert page is not None and t is not None
        cid = txn.cid
        txn.cid_used = True
        size = tuple_size(values)
        wal = self.storage.wal
        if wal.enabled:
            data = encode_row(values)
            big = len(data) >= BIG_TUPLE
        else:
            data = b""
            big = _real_big(values)
        if not big and (page.fits(size) or (page.prunable and self._prune_opt(page)
                                            and page.fits(size))):
            newpage = page
        else:
            newpage = self._target_page(size, big)
        newt = HeapTuple(xid, cid, values, XMAX_INVALID, 0, 0, 0, data or None, size)
        off = newpage.place(newt, size)
        new_tid = (newpage.blkno << 16) | off
        t.xmax = xid
        t.cmax = cid
        t.infomask = (t.infomask & ~(XMAX_INVALID | XMAX_COMMITTED | KEYS_UPDATED)) | UPDATED \
            | (KEYS_UPDATED if keys_updated else 0)
        t.ctid = new_tid
        page.prunable = True
        if wal.enabled:
            lsn = wal.insert(walmod.RM_HEAP, XLOG_HEAP_UPDATE, xid,
                             _UPD.pack(self.locator[0], self.locator[1], tid >> 16, tid & 0xFFFF,
                                       newpage.blkno, off, cid, 1 if keys_updated else 0) + data)
            page.lsn = lsn
            newpage.lsn = lsn
        page.dirty = True
        newpage.dirty = True
        rel = self.rel
        rel.n_dead_tup += 1
        rel.n_tup_upd += 1
        return TMResult(TM.Ok, new_tid=new_tid)

    def lock_tuple(self, txn: Transaction, tid: int, mode: int,
                   wait_policy: str = "block") -> TMResult:
        """SELECT ... FOR UPDATE/NO KEY UPDATE/SHARE/KEY SHARE (heap_lock_tuple).

        mode: txn.LockTupleKeyShare .. LockTupleExclusive.  wait_policy:
        "block", "nowait" or "skip": with the last two a busy tuple gives
        WouldBlock (the caller raises 55P03 'could not obtain lock on row in
        relation "..."' or skips the row).  Updated/Deleted as for update.
        """
        xid = txn.get_xid()
        res, _page, _t = self._prepare_modify(txn, tid, mode, wait_policy == "block")
        if res is not None:
            if res.status == TM.SelfModified or res.status == TM.Invisible:
                # locking a version this transaction already replaced: PG
                # reports it as updated by "self"; the caller decides
                return res
            return res
        tm = self.tm
        key = (self.locator, tid)
        if tm.rowlocks.add(key, xid, mode):
            txn.note_rowlock(key, xid)
        return TMResult(TM.Ok)

    # -- vacuum ------------------------------------------------------------------

    def vacuum(self, oldest_xmin: int, indexes: Iterable[Any] = ()) -> dict[str, int]:
        """Remove versions dead to every snapshot, and their index entries.

        `indexes` are BTree objects (anything with bulk_delete(set of TIDs)).
        Returns counts: removed, live, dead_remaining, pages.
        """
        rel = self.rel
        if getattr(rel, "vacuuming", False):
            # another VACUUM of this relation is running (callers should hold
            # ShareUpdateExclusiveLock, which serializes them as in PostgreSQL)
            return {"removed": 0, "live": rel.n_live_tup, "dead_remaining": rel.n_dead_tup,
                    "pages": len(rel.blocks), "skipped": 1}
        rel.vacuuming = True  # type: ignore[attr-defined]
        try:
            return self._vacuum(oldest_xmin, indexes)
        finally:
            rel.vacuuming = False  # type: ignore[attr-defined]

    def _vacuum(self, oldest_xmin: int, indexes: Iterable[Any]) -> dict[str, int]:
        tm = self.tm
        dead: list[int] = []
        live = 0
        recently_dead = 0
        rel = self.rel
        sm = self.storage
        fsm_set = set(rel.fsm)
        last = len(rel.blocks) - 1
        for blkno in range(len(rel.blocks)):
            if sm.nloaded > sm.shared_buffers:
                sm._evict()
            page = self._page(blkno)
            base = blkno << 16
            if blkno == last:
                fsm_set.add(blkno)   # the insertion target anyway
            for i, t in enumerate(page.tuples):
                if t is None:
                    continue
                st = satisfies_vacuum(t, oldest_xmin, tm)
                if st == HEAPTUPLE_DEAD:
                    dead.append(base | (i + 1))
                elif st == 1:
                    live += 1
                else:
                    recently_dead += 1
            # the free space map is not persistent: VACUUM rebuilds it
            if page.used < PAGE_SPACE * 3 // 4 and not page.full and blkno not in fsm_set:
                rel.fsm.append(blkno)
                fsm_set.add(blkno)
            if blkno & 63 == 63:
                interrupts.check()
                # let other backends run; what is dead stays dead, and _prune
                # re-checks each tuple before freeing its slot
                with sm.latch.released():
                    pass
        if dead:
            dead_set = set(dead)
            for idx in indexes:
                idx.bulk_delete(dead_set)
            self._prune(dead, oldest_xmin, fsm_set)
        rel.n_live_tup = live
        rel.n_dead_tup = recently_dead
        return {"removed": len(dead), "live": live, "dead_remaining": recently_dead,
                "pages": len(rel.blocks)}

    def truncate_empty_tail(self) -> int:
        """VACUUM's truncation (lazy_truncate_heap): give back the pages at the end
        of the relation that hold no tuple at all, when there are enough of them
        (REL_TRUNCATE_MINIMUM pages, or a sixteenth of the relation).  The caller
        holds AccessExclusiveLock.  Returns the number of pages removed."""
        rel = self.rel
        nblocks = len(rel.blocks)
        keep = nblocks
        while keep > 0 and not any(t is not None for t in self._page(keep - 1).tuples):
            keep -= 1
        freeable = nblocks - keep
        if freeable == 0 or (freeable < _REL_TRUNCATE_MINIMUM and
                             freeable < nblocks // _REL_TRUNCATE_FRACTION):
            return 0
        self.storage.truncate_relation(rel, keep)
        st = rel.am
        if st is not None and getattr(st, "target", -1) >= keep:
            st.target = -1
        return freeable

    def _prune(self, dead: list[int], oldest_xmin: int, fsm_set: set[int]) -> None:
        by_block: dict[int, list[int]] = {}
        for tid in dead:
            by_block.setdefault(tid >> 16, []).append(tid & 0xFFFF)
        wal = self.storage.wal
        rel = self.rel
        tm = self.tm
        for blkno, offs in by_block.items():
            sm = self.storage
            if sm.nloaded > sm.shared_buffers:
                sm._evict()
            page = self._page(blkno)
            tuples = page.tuples
            offs = [o for o in offs if o <= len(tuples) and tuples[o - 1] is not None
                    and satisfies_vacuum(tuples[o - 1], oldest_xmin, tm) == HEAPTUPLE_DEAD]
            if not offs:
                continue
            _prune_page(page, offs)
            if wal.enabled:
                page.lsn = wal.insert(walmod.RM_HEAP, XLOG_HEAP_PRUNE, 0,
                                      _PRUNE.pack(self.locator[0], self.locator[1], blkno,
                                                  len(offs))
                                      + struct.pack(f"<{len(offs)}H", *offs))
            page.dirty = True
            if blkno not in fsm_set:
                rel.fsm.append(blkno)
                fsm_set.add(blkno)

    def _prune_opt(self, page: HeapPage) -> bool:
        """heap_page_prune_opt: turn versions dead to every snapshot into
        stubs, reclaiming their space (slots stay until VACUUM).  True if
        anything was reclaimed."""
        tm = self.tm
        horizon = tm.oldest_xmin_cached()
        offs = []
        still = False
        for i, t in enumerate(page.tuples):
            if t is None or t is DEAD_STUB:
                continue
            if t.xmax and not t.infomask & XMAX_INVALID or t.infomask & XMIN_INVALID:
                if satisfies_vacuum(t, horizon, tm) == HEAPTUPLE_DEAD:
                    offs.append(i + 1)
                else:
                    still = True
        page.prunable = still
        if not offs:
            return False
        _prune_dead(page, offs)
        wal = self.storage.wal
        if wal.enabled:
            page.lsn = wal.insert(walmod.RM_HEAP, XLOG_HEAP_PRUNE_DEAD, 0,
                                  _PRUNE.pack(self.locator[0], self.locator[1], page.blkno,
                                              len(offs))
                                  + struct.pack(f"<{len(offs)}H", *offs))
        page.dirty = True
        self.storage.stats["heap_pruned"] += len(offs)
        return True

    def stats(self) -> dict[str, int]:
        rel = self.rel
        return {"n_live_tup": rel.n_live_tup, "n_dead_tup": rel.n_dead_tup,
                "n_tup_ins": rel.n_tup_ins, "n_tup_upd": rel.n_tup_upd,
                "n_tup_del": rel.n_tup_del, "pages": len(rel.blocks)}


def _prune_dead(page: HeapPage, offs: list[int]) -> None:
    tuples = page.tuples
    for off in offs:
        t = tuples[off - 1]
        if t is not None and t is not DEAD_STUB:
            page.used -= t.size
            tuples[off - 1] = DEAD_STUB


def _prune_page(page: HeapPage, offs: list[int]) -> None:
    tuples = page.tuples
    for off in offs:
        if off <= len(tuples) and tuples[off - 1] is not None:
            t = tuples[off - 1]
            page.used -= t.size + ITEM_ID  # type: ignore[union-attr]
            tuples[off - 1] = None
            page.nfree += 1
    # trailing unused slots can go: offsets beyond them are never referenced
    while tuples and tuples[-1] is None:
        tuples.pop()
        page.nfree -= 1
    page.used = max(page.used, 0)
    if not tuples:
        page.full = False


# -- redo ------------------------------------------------------------------------

def _redo_heap(sm: StorageManager, rec: WalRecord) -> None:
    p = rec.payload
    info = rec.info
    end = rec.end_lsn
    if info == XLOG_HEAP_INSERT:
        dboid, relnumber, blkno, off, cid, im = _INS.unpack_from(p, 0)
        rel = sm.redo_relation((dboid, relnumber), "heap")
        page = sm.ensure_block(rel, blkno)
        if page.lsn >= end:
            return
        raw = bytes(p[_INS.size:])
        values = decode_row_at(raw, 0)[0]
        page.put(off, HeapTuple(rec.xid, cid, values, im, raw=raw,  # type: ignore[attr-defined]
                                size=tuple_size(values)))
        page.lsn = end
        page.dirty = True
    elif info == XLOG_HEAP_MULTI_INSERT:
        dboid, relnumber, blkno, cid, n = _MULTI.unpack_from(p, 0)
        rel = sm.redo_relation((dboid, relnumber), "heap")
        page = sm.ensure_block(rel, blkno)
        if page.lsn >= end:
            return
        pos = _MULTI.size
        for _ in range(n):
            off, ln = _MULTI_ENT.unpack_from(p, pos)
            pos += _MULTI_ENT.size
            raw = bytes(p[pos:pos + ln])
            pos += ln
            values = decode_row_at(raw, 0)[0]
            page.put(off, HeapTuple(rec.xid, cid, values, XMAX_INVALID,  # type: ignore[attr-defined]
                                    raw=raw, size=tuple_size(values)))
        page.lsn = end
        page.dirty = True
    elif info == XLOG_HEAP_DELETE:
        dboid, relnumber, blkno, off, cmax, _k = _DEL.unpack_from(p, 0)
        rel = sm.redo_relation((dboid, relnumber), "heap")
        page = sm.ensure_block(rel, blkno)
        if page.lsn >= end:
            return
        t = page.tuples[off - 1]  # type: ignore[attr-defined]
        t.xmax = rec.xid
        t.cmax = cmax
        t.infomask = (t.infomask & ~(XMAX_INVALID | XMAX_COMMITTED | UPDATED)) | KEYS_UPDATED
        t.ctid = 0
        page.lsn = end
        page.dirty = True
    elif info == XLOG_HEAP_UPDATE:
        dboid, relnumber, oblk, ooff, nblk, noff, cid, flags = _UPD.unpack_from(p, 0)
        rel = sm.redo_relation((dboid, relnumber), "heap")
        newpage = sm.ensure_block(rel, nblk)
        page = sm.ensure_block(rel, oblk)
        apply_new = newpage.lsn < end
        apply_old = page.lsn < end
        if apply_new:
            raw = bytes(p[_UPD.size:])
            values = decode_row_at(raw, 0)[0]
            newpage.put(noff, HeapTuple(rec.xid, cid, values, XMAX_INVALID,  # type: ignore[attr-defined]
                                        raw=raw, size=tuple_size(values)))
            newpage.lsn = end
            newpage.dirty = True
        if apply_old:
            t = page.tuples[ooff - 1]  # type: ignore[attr-defined]
            t.xmax = rec.xid
            t.cmax = cid
            t.infomask = (t.infomask & ~(XMAX_INVALID | XMAX_COMMITTED | KEYS_UPDATED)) \
                | UPDATED | (KEYS_UPDATED if flags & 1 else 0)
            t.ctid = (nblk << 16) | noff
            page.lsn = end
            page.dirty = True
    elif info == XLOG_HEAP_PRUNE_DEAD:
        dboid, relnumber, blkno, n = _PRUNE.unpack_from(p, 0)
        rel = sm.redo_relation((dboid, relnumber), "heap")
        page = sm.ensure_block(rel, blkno)
        if page.lsn >= end:
            return
        _prune_dead(page, list(struct.unpack_from(f"<{n}H", p, _PRUNE.size)))  # type: ignore[arg-type]
        page.lsn = end
        page.dirty = True
    elif info == XLOG_HEAP_PRUNE:
        dboid, relnumber, blkno, n = _PRUNE.unpack_from(p, 0)
        rel = sm.redo_relation((dboid, relnumber), "heap")
        page = sm.ensure_block(rel, blkno)
        if page.lsn >= end:
            return
        offs = list(struct.unpack_from(f"<{n}H", p, _PRUNE.size))
        _prune_page(page, offs)  # type: ignore[arg-type]
        page.lsn = end
        page.dirty = True
    else:
        raise PgError(DATA_CORRUPTED, f"unknown heap WAL record {info}")


register_rmgr(walmod.RM_HEAP, _redo_heap)
