"""B-tree indexes over order-preserving byte keys (PostgreSQL's nbtree).

Entries are (key bytes, heap TID), ordered by key then TID (PostgreSQL 12+
uses the TID as a tiebreaker too, so every entry is unique and vacuum can
find an entry by TID).  Keys come from `types.encode_key`, whose byte order
is the SQL order: the tree only compares bytes.

Blocks: 0 is the metapage (root block number); leaves hold parallel lists
`keys`/`tids` and left/right sibling links; internal pages hold separators
`seps` [(key, tid)] and `children` (len(seps) + 1), child i holding entries
in [seps[i-1], seps[i]).  There is one entry per heap tuple version
(HOT-less); visibility is decided by the heap.

Concurrency: everything runs under the engine latch, so a descent needs no
lock coupling.  A scan copies the matching entries of one leaf into a batch
(as PostgreSQL's _bt_readpage does) and, when the batch is used up,
re-descends from the root to the entry after the last one returned: pages
may have split or shrunk while the latch was released.

Uniqueness (_bt_check_unique): before inserting, every entry with an equal
key is checked against its heap tuple with a dirty snapshot: a committed
live tuple (or our own) is a duplicate; one being inserted or deleted by an
in-progress transaction makes us wait for that transaction, then re-check.

Range bounds are prefix-aware, for multi-column keys encoded as the
concatenation of self-delimiting column encodings:
    lo inclusive:  key >= lo          lo exclusive: key > lo, skipping keys that start with lo
    hi inclusive:  key <= hi or key starts with hi       hi exclusive: key < hi
`prefix`: only keys starting with prefix (an equality on leading columns).

WAL: INSERT (leaf block, key, tid) for the common case; page images
(PostgreSQL's full-page images / log_newpage) for splits, new roots, bulk
builds and vacuum.
"""

from __future__ import annotations

import struct
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from tuskdb.access.visibility import HEAPTUPLE_DEAD, satisfies_dirty, satisfies_vacuum
from tuskdb.errors import DATA_CORRUPTED, INDEX_CORRUPTED, PgError
from tuskdb.storage import interrupts
from tuskdb.storage import wal as walmod
from tuskdb.storage.manager import StorageManager, register_rmgr
from tuskdb.storage.relation import Page, Relation, register_page_kind
from tuskdb.storage.wal import WalRecord

if TYPE_CHECKING:
    from tuskdb.access.heap import Heap, HeapTuple
    from tuskdb.txn.xact import Transaction

BT_META = 0
BT_LEAF = 1
BT_INTERNAL = 2
PAGE_BYTES = 8192
ENTRY_OVERHEAD = 16
# deduplication (build only): a TID in a posting list, and the most TIDs in one (a
# posting list tuple is kept within half of the largest index tuple, ~1350 bytes)
POSTING_TID_BYTES = 6
POSTING_MAX = 222
LEAF_FILL_RIGHTMOST = 0.9
MAX_TID = (1 << 48) - 1

XLOG_BTREE_INSERT = 1
XLOG_BTREE_PAGES = 2   # full images of one or more pages
XLOG_BTREE_DELETE = 3  # entries removed from one leaf (dead to every snapshot)

_LOCBLK = struct.Struct("<IIQ")
_INSERT = struct.Struct("<IIQQH")      # dboid, relnumber, blkno, tid, keylen
_PAGES = struct.Struct("<IIH")          # dboid, relnumber, npages
_PAGE_ENT = struct.Struct("<QI")        # blkno, image length
_HDR = struct.Struct("<BIIII")           # kind, left, right, n, root/level
_DELETE = struct.Struct("<IIQI")         # dboid, relnumber, blkno, n; then n x _DEL_ENT + key
_DEL_ENT = struct.Struct("<QH")          # tid, keylen
_ENT = struct.Struct("<HQ")              # keylen, tid


def prefix_successor(prefix: bytes) -> bytes | None:
    """The smallest byte string greater than every string starting with
    prefix (None if there is none: prefix is all 0xff)."""
    p = prefix.rstrip(b"\xff")
    if not p:
        return None
    return p[:-1] + bytes([p[-1] + 1])


class DuplicateKey(Exception):
    """A unique index already holds a live (or committed-in-the-meantime)
    entry with this key.  The SQL layer raises 23505 with the names."""

    def __init__(self, key: bytes, existing_tid: int) -> None:
        super().__init__("duplicate key value violates unique constraint")
        self.key = key
        self.existing_tid = existing_tid


class BTPage(Page):
    __slots__ = (
        "children",
        "keys",
        "kind",
        "left",
        "level",
        "nbytes",
        "right",
        "root",
        "seps",
        "tids",
    )
    KIND_ID = 2
    FORMAT_VERSION = 2

    def __init__(self, blkno: int, kind: int = BT_LEAF) -> None:
        super().__init__(blkno)
        self.kind = kind
        self.keys: list[bytes] = []
        self.tids: list[int] = []
        self.seps: list[tuple[bytes, int]] = []
        self.children: list[int] = []
        self.left = 0
        self.right = 0
        self.root = 0     # metapage: root block (0 = empty tree)
        self.level = 0    # metapage: root level; others: own level (leaf 0)
        self.nbytes = 0

    @classmethod
    def new(cls, blkno: int, rel: Relation) -> BTPage:
        return cls(blkno, BT_META if blkno == 0 else BT_LEAF)

    # Image payload (format 2, columnar): header (kind, left, right, n,
    # root/level); meta: + u32 level.  Leaf: n x u16 key length, n x u64 tid,
    # concatenated keys.  Internal: (n + 1) x u32 child, n x u16 key length,
    # n x u64 tid, concatenated separator keys.
    def serialize(self) -> bytes:
        kind = self.kind
        if kind == BT_META:
            return _HDR.pack(kind, 0, 0, 0, self.root) + struct.pack("<I", self.level)
        if kind == BT_LEAF:
            keys = self.keys
            tids = self.tids
            pre = [_HDR.pack(kind, self.left, self.right, len(keys), self.level)]
        else:
            keys = [k for k, _ in self.seps]
            tids = [t for _, t in self.seps]
            pre = [_HDR.pack(kind, self.left, self.right, len(keys), self.level),
                   struct.pack(f"<{len(self.children)}I", *self.children)]
        n = len(keys)
        pre.append(struct.pack(f"<{n}H", *map(len, keys)))
        pre.append(struct.pack(f"<{n}Q", *tids))
        pre.extend(keys)
        return b"".join(pre)

    @classmethod
    def deserialize(cls, blkno: int, payload: memoryview) -> BTPage:
        kind, left, right, n, x = _HDR.unpack_from(payload, 0)
        page = cls(blkno, kind)
        pos = _HDR.size
        if kind == BT_META:
            page.root = x
            page.level = struct.unpack_from("<I", payload, pos)[0]
            return page
        if kind not in (BT_LEAF, BT_INTERNAL):
            raise PgError(INDEX_CORRUPTED, f"invalid btree page kind {kind} in block {blkno}")
        page.left = left
        page.right = right
        page.level = x
        if kind == BT_INTERNAL:
            page.children = list(struct.unpack_from(f"<{n + 1}I", payload, pos))
            pos += 4 * (n + 1)
        lens = struct.unpack_from(f"<{n}H", payload, pos)
        pos += 2 * n
        tids = list(struct.unpack_from(f"<{n}Q", payload, pos))
        pos += 8 * n
        blob = bytes(payload[pos:])
        total = sum(lens)
        if total != len(blob):
            raise PgError(INDEX_CORRUPTED, f"invalid btree page in block {blkno}")
        if n and lens.count(lens[0]) == n:
            # all keys of one length (fixed-width key types): one comprehension
            ln0 = lens[0] or 1
            keys = [blob[o:o + ln0] for o in range(0, total, ln0)] if lens[0] else [b""] * n
        else:
            keys = []
            append = keys.append
            off = 0
            for ln in lens:
                append(blob[off:off + ln])
                off += ln
        page.nbytes = total + ENTRY_OVERHEAD * n
        if kind == BT_LEAF:
            page.keys = keys
            page.tids = tids
        else:
            page.seps = list(zip(keys, tids))
        return page

    def copy_from(self, other: BTPage) -> None:
        self.kind = other.kind
        self.keys = other.keys
        self.tids = other.tids
        self.seps = other.seps
        self.children = other.children
        self.left = other.left
        self.right = other.right
        self.root = other.root
        self.level = other.level
        self.nbytes = other.nbytes


register_page_kind("btree", BTPage)


class BTree:
    """A B-tree index; see module docstring."""

    def __init__(self, storage: StorageManager, locator: tuple[int, int]) -> None:
        self.storage = storage
        self.locator = (locator[0], locator[1])
        self.rel: Relation = storage.relation(self.locator, "btree")
        self.tm = storage.txn_manager
        if len(self.rel.blocks) == 0:
            self._init_meta()

    @classmethod
    def create(cls, storage: StorageManager, locator: tuple[int, int]) -> BTree:
        storage.create_relation(locator, "btree")  # type: ignore[arg-type]
        return cls(storage, locator)

    def _init_meta(self) -> None:
        meta = self.storage.extend(self.rel)
        assert meta.blkno == 0
        meta.kind = BT_META  # type: ignore[attr-defined]
        self._log_pages([meta])  # type: ignore[list-item]

    # -- page access -----------------------------------------------------------

    def _page(self, blkno: int) -> BTPage:
        rel = self.rel
        page = rel.blocks[blkno]
        if page is None:
            page = self.storage.read_block(rel, blkno)
        page.usage = 1
        return page  # type: ignore[return-value]

    def _meta(self) -> BTPage:
        return self._page(0)

    def _new_page(self, kind: int) -> BTPage:
        page: BTPage = self.storage.extend(self.rel)  # type: ignore[assignment]
        page.kind = kind
        return page

    def _log_pages(self, pages: list[BTPage]) -> None:
        wal = self.storage.wal
        for p in pages:
            p.dirty = True
        if not wal.enabled:
            return
        parts = [_PAGES.pack(self.locator[0], self.locator[1], len(pages))]
        for p in pages:
            img = p.serialize()
            parts.append(_PAGE_ENT.pack(p.blkno, len(img)))
            parts.append(img)
        lsn = wal.insert(walmod.RM_BTREE, XLOG_BTREE_PAGES, 0, b"".join(parts))
        for p in pages:
            p.lsn = lsn

    # -- descent -----------------------------------------------------------------

    def _descend(self, key: bytes, tid: int, path: list[int] | None = None) -> BTPage | None:
        """The leaf where (key, tid) belongs; `path` collects internal blocks."""
        meta = self._meta()
        if not meta.root:
            return None
        page = self._page(meta.root)
        probe = (key, tid)
        while page.kind == BT_INTERNAL:
            if path is not None:
                path.append(page.blkno)
            i = bisect_right(page.seps, probe)
            page = self._page(page.children[i])
        if page.kind != BT_LEAF:
            raise PgError(INDEX_CORRUPTED, f'index "{self.locator[1]}" contains unexpected '
                                           f"page kind in block {page.blkno}")
        return page

    # -- insert ------------------------------------------------------------------

    def insert(self, txn: Transaction | None, key: bytes, tid: int, unique: bool = False,
               heap: Heap | None = None) -> None:
        """Add an entry.  With unique=True (and the heap), raise DuplicateKey
        if an equal key points to a live tuple, after waiting for in-progress
        inserters/deleters.  Callers pass unique=False for keys with NULLs."""
        sm = self.storage
        if sm.nloaded > sm.shared_buffers:
            sm._evict()
        if unique:
            if heap is None:
                raise ValueError("unique insert needs the heap")
            self._check_unique(txn, key, tid, heap)
            if sm.nloaded > sm.shared_buffers:
                sm._evict()
        path: list[int] = []
        leaf = self._descend(key, tid, path)
        if leaf is None:
            leaf = self._new_root_leaf()
        keys = leaf.keys
        lo = bisect_left(keys, key)
        hi = lo
        n = len(keys)
        while hi < n and keys[hi] == key:
            hi += 1
        # about to split a leaf because of another version of an existing
        # key: first remove entries dead to everyone (bottom-up deletion)
        if hi > lo and heap is not None and \
                leaf.nbytes + len(key) + ENTRY_OVERHEAD > PAGE_BYTES and \
                self._bottom_up_delete(leaf, heap):
            keys = leaf.keys
            lo = bisect_left(keys, key)
            hi = lo
            n = len(keys)
            while hi < n and keys[hi] == key:
                hi += 1
        pos = bisect_left(leaf.tids, tid, lo, hi) if hi > lo else lo
        keys.insert(pos, key)
        leaf.tids.insert(pos, tid)
        leaf.nbytes += len(key) + ENTRY_OVERHEAD
        wal = self.storage.wal
        if leaf.nbytes > PAGE_BYTES and len(keys) > 2:
            self._split(leaf, path, pos)
        else:
            if wal.enabled:
                leaf.lsn = wal.insert(walmod.RM_BTREE, XLOG_BTREE_INSERT, 0,
                                      _INSERT.pack(self.locator[0], self.locator[1], leaf.blkno,
                                                   tid, len(key)) + key)
            leaf.dirty = True

    def _new_root_leaf(self) -> BTPage:
        meta = self._meta()
        leaf = self._new_page(BT_LEAF)
        meta.root = leaf.blkno
        meta.level = 0
        self._log_pages([meta, leaf])
        return leaf

    def _split(self, page: BTPage, path: list[int], pos: int) -> None:
        """Split an overfull page, then insert the separator into the parent
        (recursively); all changed pages are logged as images."""
        changed: list[BTPage] = []
        while True:
            right = self._new_page(page.kind)
            right.level = page.level
            if page.kind == BT_LEAF:
                n = len(page.keys)
                if page.right == 0 and pos >= n - 1:
                    mid = max(1, int(n * LEAF_FILL_RIGHTMOST))  # rightmost: pack left full
                else:
                    mid = n // 2
                right.keys = page.keys[mid:]
                right.tids = page.tids[mid:]
                del page.keys[mid:]
                del page.tids[mid:]
                right.nbytes = sum(len(k) for k in right.keys) + ENTRY_OVERHEAD * len(right.keys)
                page.nbytes -= right.nbytes
                sep = (right.keys[0], right.tids[0])
            else:
                n = len(page.seps)
                mid = n // 2
                sep = page.seps[mid]
                right.seps = page.seps[mid + 1:]
                right.children = page.children[mid + 1:]
                del page.seps[mid:]
                del page.children[mid + 1:]
                right.nbytes = sum(len(k) for k, _ in right.seps) + ENTRY_OVERHEAD * len(right.seps)
                page.nbytes -= right.nbytes + len(sep[0]) + ENTRY_OVERHEAD
            right.right = page.right
            right.left = page.blkno
            if page.right:
                nb = self._page(page.right)
                nb.left = right.blkno
                changed.append(nb)
            page.right = right.blkno
            changed.append(page)
            changed.append(right)
            if not path:
                # root split: a new root above
                root = self._new_page(BT_INTERNAL)
                root.level = page.level + 1
                root.seps = [sep]
                root.children = [page.blkno, right.blkno]
                root.nbytes = len(sep[0]) + ENTRY_OVERHEAD
                meta = self._meta()
                meta.root = root.blkno
                meta.level = root.level
                changed.append(root)
                changed.append(meta)
                break
            parent = self._page(path.pop())
            i = bisect_right(parent.seps, sep)
            parent.seps.insert(i, sep)
            parent.children.insert(i + 1, right.blkno)
            parent.nbytes += len(sep[0]) + ENTRY_OVERHEAD
            if parent.nbytes > PAGE_BYTES and len(parent.seps) > 3:
                page = parent
                pos = i
                continue
            changed.append(parent)
            break
        self._log_pages(changed)

    # -- uniqueness --------------------------------------------------------------

    def find_conflict(self, txn: Transaction | None, key: bytes, heap: Heap,
                      exclude_tid: int = 0) -> int:
        """TID of a live tuple with an equal key (0 if none), after waiting
        for in-progress inserters/deleters: INSERT ... ON CONFLICT's
        pre-check.  Under the latch, a check followed by insert() without an
        intervening wait is atomic."""
        try:
            self._check_unique(txn, key, exclude_tid, heap)
        except DuplicateKey as e:
            return e.existing_tid
        return 0

    def find_exclusion_conflict(self, txn: Transaction | None, prefix: bytes, heap: Heap,
                                exclude_tid: int, conflicts: Callable[[HeapTuple], bool]
                                ) -> int:
        """TID of a live tuple among the entries whose key starts with ``prefix`` for
        which ``conflicts(tuple)`` holds (0 if none): an exclusion constraint's check
        (PostgreSQL's check_exclusion_or_unique_constraint).  A conflicting tuple whose
        inserter or deleter is still in progress is waited for, then the search starts
        over, as for uniqueness."""
        tm = self.tm
        while True:
            wait_xid = 0
            for _k, t in self.scan(prefix=prefix):
                if t == exclude_tid:
                    continue
                tup = heap.get_tuple(t)
                if tup is None:
                    continue
                visible, xwait = satisfies_dirty(tup, txn, tm)
                if not visible or not conflicts(tup):
                    continue
                if xwait:
                    wait_xid = xwait
                    break
                return t
            if not wait_xid:
                return 0
            tm.wait_for_xid(txn, wait_xid)

    def _check_unique(self, txn: Transaction | None, key: bytes, tid: int,
                      heap: Heap) -> None:
        tm = self.tm
        while True:
            wait_xid = 0
            dead: list[int] = []
            horizon = tm.oldest_xmin_cached()
            try:
                for _k, t in self._equal_entries(key):
                    if t == tid:
                        continue
                    tup = heap.get_tuple(t, False)
                    if tup is None:
                        dead.append(t)
                        continue
                    visible, xwait = satisfies_dirty(tup, txn, tm)
                    if not visible:
                        # a version dead to every snapshot: its entry can go now
                        # (as PostgreSQL's LP_DEAD hints / simple deletion)
                        if satisfies_vacuum(tup, horizon, tm) == HEAPTUPLE_DEAD:
                            dead.append(t)
                        continue
                    if xwait:
                        wait_xid = xwait
                        break
                    raise DuplicateKey(key, t)
            finally:
                if dead:
                    self._delete_entries([(key, t) for t in dead])
            if not wait_xid:
                return
            tm.wait_for_xid(txn, wait_xid)

    def _bottom_up_delete(self, leaf: BTPage, heap: Heap) -> bool:
        """Remove the leaf's entries whose heap tuples are dead to everyone."""
        tm = self.tm
        horizon = tm.oldest_xmin_cached()
        keep = []
        gone = []
        keys = leaf.keys
        tids = leaf.tids
        for i, t in enumerate(tids):
            tup = heap.get_tuple(t, False)
            if tup is None or satisfies_vacuum(tup, horizon, tm) == HEAPTUPLE_DEAD:
                gone.append(i)
            else:
                keep.append(i)
        if not gone:
            return False
        self._log_delete(leaf, [(keys[i], tids[i]) for i in gone])
        leaf.keys = [keys[i] for i in keep]
        leaf.tids = [tids[i] for i in keep]
        leaf.nbytes = sum(map(len, leaf.keys)) + ENTRY_OVERHEAD * len(keep)
        self.storage.stats["btree_bottom_up_deleted"] += len(gone)
        return True

    def _delete_entries(self, entries: list[tuple[bytes, int]]) -> None:
        """Remove the given (key, tid) entries (each from its leaf)."""
        by_leaf: dict[int, tuple[BTPage, list[tuple[bytes, int]]]] = {}
        for key, t in entries:
            leaf = self._descend(key, t)
            while leaf is not None:
                keys = leaf.keys
                i = bisect_left(keys, key)
                while i < len(keys) and keys[i] == key and leaf.tids[i] < t:
                    i += 1
                if i < len(keys):
                    if keys[i] == key and leaf.tids[i] == t:
                        by_leaf.setdefault(leaf.blkno, (leaf, []))[1].append((key, t))
                    break
                leaf = self._page(leaf.right) if leaf.right else None
        for leaf, ents in by_leaf.values():
            self._log_delete(leaf, ents)
            _remove_entries(leaf, ents)
        self.storage.stats["btree_killed"] += len(entries)

    def _log_delete(self, leaf: BTPage, ents: list[tuple[bytes, int]]) -> None:
        leaf.dirty = True
        wal = self.storage.wal
        if not wal.enabled:
            return
        parts = [_DELETE.pack(self.locator[0], self.locator[1], leaf.blkno, len(ents))]
        for k, t in ents:
            parts.append(_DEL_ENT.pack(t, len(k)))
            parts.append(k)
        leaf.lsn = wal.insert(walmod.RM_BTREE, XLOG_BTREE_DELETE, 0, b"".join(parts))

    def _equal_entries(self, key: bytes) -> list[tuple[bytes, int]]:
        out = []
        page = self._descend(key, 0)
        while page is not None:
            keys = page.keys
            i = bisect_left(keys, key)
            n = len(keys)
            while i < n and keys[i] == key:
                out.append((key, page.tids[i]))
                i += 1
            if i < n or not page.right:
                break
            page = self._page(page.right)
        return out

    # -- scans -------------------------------------------------------------------

    def scan(self, lo: bytes | None = None, lo_incl: bool = True, hi: bytes | None = None,
             hi_incl: bool = True, backward: bool = False,
             prefix: bytes | None = None) -> Iterator[tuple[bytes, int]]:
        """Entries in [lo, hi] (see module docstring for bound semantics) as
        (key, TID), in key order (or reverse).  Restartable across latch
        releases: each leaf's matches are copied into a batch, and the next
        batch is found by re-descending to the entry after the last one."""
        if prefix is not None:
            if lo is None or lo < prefix:
                lo, lo_incl = prefix, True
            succ = prefix_successor(prefix)
            if succ is not None and (hi is None or hi >= succ):
                hi, hi_incl = succ, False
        if backward:
            yield from self._scan_backward(lo, lo_incl, hi, hi_incl)
            return
        if lo is None:
            seek_key, seek_tid = b"", -1
        elif lo_incl:
            seek_key, seek_tid = lo, -1
        else:
            succ = prefix_successor(lo)
            if succ is None:
                return
            seek_key, seek_tid = succ, -1
        sm = self.storage
        blocks = self.rel.blocks
        while True:
            if sm.nloaded > sm.shared_buffers:
                sm._evict()
            page = self._descend(seek_key, seek_tid)
            if page is None:
                return
            keys = page.keys
            tids = page.tids
            i = bisect_left(keys, seek_key)
            while i < len(keys) and keys[i] == seek_key and tids[i] < seek_tid:
                i += 1
            # Entries are yielded straight from the leaf.  After each yield
            # (the latch may have been released) the position is verified:
            # same page object still cached, same lists, same entry at i;
            # otherwise re-descend past the last entry returned.
            while True:
                if i >= len(keys):
                    right = page.right
                    if not right:
                        return
                    if sm.nloaded > sm.shared_buffers:
                        sm._evict()
                    page = self._page(right)
                    keys = page.keys
                    tids = page.tids
                    i = 0
                    continue
                k = keys[i]
                if hi is not None and (k >= hi if not hi_incl else (k > hi and not k.startswith(hi))):
                    return
                t = tids[i]
                yield k, t
                if blocks[page.blkno] is not page or page.keys is not keys \
                        or i >= len(keys) or keys[i] is not k or tids[i] != t:
                    seek_key, seek_tid = k, t + 1
                    break
                i += 1

    def _scan_backward(self, lo: bytes | None, lo_incl: bool, hi: bytes | None,
                       hi_incl: bool) -> Iterator[tuple[bytes, int]]:
        # seek: the last entry <= (seek key, seek tid); None = the very end
        seek: tuple[bytes, int] | None
        if hi is None:
            seek = None
        elif hi_incl:
            succ = prefix_successor(hi)
            seek = None if succ is None else (succ, -1)
        else:
            seek = (hi, -1)
        if lo is not None and not lo_incl:
            lo = prefix_successor(lo)
            if lo is None:
                return
        sm = self.storage
        blocks = self.rel.blocks
        while True:
            if sm.nloaded > sm.shared_buffers:
                sm._evict()
            if seek is None:
                page = self._rightmost_leaf()
            else:
                page = self._descend(seek[0], seek[1])
            if page is None:
                return
            keys = page.keys
            tids = page.tids
            if seek is None:
                i = len(keys) - 1
            else:
                sk, st = seek
                i = bisect_right(keys, sk) - 1
                while i >= 0 and keys[i] == sk and tids[i] > st:
                    i -= 1
            while True:
                if i < 0:
                    left = page.left
                    if not left:
                        return
                    if sm.nloaded > sm.shared_buffers:
                        sm._evict()
                    page = self._page(left)
                    keys = page.keys
                    tids = page.tids
                    i = len(keys) - 1
                    continue
                k = keys[i]
                if lo is not None and k < lo:
                    return
                t = tids[i]
                yield k, t
                if blocks[page.blkno] is not page or page.keys is not keys \
                        or i >= len(keys) or keys[i] is not k or tids[i] != t:
                    seek = (k, t - 1)
                    break
                i -= 1

    def _rightmost_leaf(self) -> BTPage | None:
        meta = self._meta()
        if not meta.root:
            return None
        page = self._page(meta.root)
        while page.kind == BT_INTERNAL:
            page = self._page(page.children[-1])
        return page

    def _leftmost_leaf(self) -> BTPage | None:
        meta = self._meta()
        if not meta.root:
            return None
        page = self._page(meta.root)
        while page.kind == BT_INTERNAL:
            page = self._page(page.children[0])
        return page

    def lookup(self, key: bytes) -> list[int]:
        """TIDs of all entries equal to key (point lookup fast path)."""
        sm = self.storage
        if sm.nloaded > sm.shared_buffers:
            sm._evict()
        meta = self.rel.blocks[0]
        if meta is None:
            meta = self._meta()
        root = meta.root  # type: ignore[attr-defined]
        if not root:
            return []
        blocks = self.rel.blocks
        page = blocks[root] or self._page(root)
        probe = (key, 0)
        while page.kind == BT_INTERNAL:  # type: ignore[union-attr]
            page.usage = 1  # type: ignore[union-attr]
            c = page.children[bisect_right(page.seps, probe)]  # type: ignore[union-attr]
            page = blocks[c] or self._page(c)
        page.usage = 1  # type: ignore[union-attr]
        out = []
        while True:
            keys = page.keys  # type: ignore[union-attr]
            i = bisect_left(keys, key)
            n = len(keys)
            while i < n and keys[i] == key:
                out.append(page.tids[i])  # type: ignore[union-attr]
                i += 1
            if i < n or not page.right:  # type: ignore[union-attr]
                return out
            page = self._page(page.right)  # type: ignore[union-attr]

    # -- maintenance -------------------------------------------------------------

    def bulk_delete(self, dead: set[int]) -> int:
        """Remove entries pointing to the given heap TIDs (vacuum)."""
        removed = 0
        page = self._leftmost_leaf()
        changed: list[BTPage] = []
        while page is not None:
            tids = page.tids
            if any(t in dead for t in tids):
                keep = [i for i, t in enumerate(tids) if t not in dead]
                removed += len(tids) - len(keep)
                page.keys = [page.keys[i] for i in keep]
                page.tids = [tids[i] for i in keep]
                page.nbytes = sum(len(k) for k in page.keys) + ENTRY_OVERHEAD * len(page.keys)
                changed.append(page)
                if len(changed) >= 32:
                    self._log_pages(changed)
                    changed = []
            page = self._page(page.right) if page.right else None
        if changed:
            self._log_pages(changed)
        return removed

    def build(self, entries: Iterable[tuple[bytes, int]], unique: bool = False,
              heap: Heap | None = None, txn: Transaction | None = None,
              dedup: bool = False) -> int:
        """Bulk-load an empty index from (key, TID) pairs (CREATE INDEX).

        Pass entries for every tuple version in the heap (heap.scan_all());
        with unique=True, two equal keys whose tuples are both live (per a
        dirty snapshot) raise DuplicateKey.  With dedup=True, leaves are packed
        as PostgreSQL's deduplicated leaves would be: a duplicate of the previous
        key costs only its TID in a posting list (of at most POSTING_MAX TIDs).
        """
        items = sorted(entries)
        if unique and heap is not None:
            tm = self.tm
            i = 0
            n = len(items)
            while i < n:
                j = i + 1
                while j < n and items[j][0] == items[i][0]:
                    j += 1
                if j - i > 1:
                    live = None
                    for k in range(i, j):
                        tup = heap.get_tuple(items[k][1], False)
                        if tup is None:
                            continue
                        visible, xwait = satisfies_dirty(tup, txn, tm)
                        if xwait and txn is not None:
                            tm.wait_for_xid(txn, xwait)
                            visible, xwait = satisfies_dirty(tup, txn, tm)
                        if visible:
                            if live is not None:
                                raise DuplicateKey(items[k][0], live)
                            live = items[k][1]
                i = j
        meta = self._meta()
        if meta.root:
            for k, t in items:
                self.insert(txn, k, t)
            return len(items)
        if not items:
            # an empty index is its metapage alone (the first insert adds the root)
            self._log_pages([meta])
            return 0
        # fill leaves left to right, then build the levels above
        level_pages: list[BTPage] = []
        pages_out: list[BTPage] = [meta]
        leaf = self._new_page(BT_LEAF)
        level_pages.append(leaf)
        target = int(PAGE_BYTES * LEAF_FILL_RIGHTMOST)
        count = 0
        prev = None
        posting = 0
        for k, t in items:
            if dedup and k == prev and posting < POSTING_MAX:
                sz = POSTING_TID_BYTES
                posting += 1
            else:
                sz = len(k) + ENTRY_OVERHEAD
                posting = 1
            prev = k
            if leaf.nbytes + sz > target and leaf.keys:
                nxt = self._new_page(BT_LEAF)
                nxt.left = leaf.blkno
                leaf.right = nxt.blkno
                leaf = nxt
                level_pages.append(leaf)
                sz = len(k) + ENTRY_OVERHEAD    # a posting list does not span pages
                posting = 1
            leaf.keys.append(k)
            leaf.tids.append(t)
            leaf.nbytes += sz
            count += 1
            if count & 4095 == 0:
                interrupts.check()
        pages_out.extend(level_pages)
        level = 0
        while len(level_pages) > 1:
            level += 1
            parents: list[BTPage] = []
            parent = self._new_page(BT_INTERNAL)
            parent.level = level
            parent.children.append(level_pages[0].blkno)
            parents.append(parent)
            for child in level_pages[1:]:
                sep = self._first_entry(child)
                sz = len(sep[0]) + ENTRY_OVERHEAD
                if parent.nbytes + sz > target:
                    nxt = self._new_page(BT_INTERNAL)
                    nxt.level = level
                    nxt.left = parent.blkno
                    parent.right = nxt.blkno
                    parent = nxt
                    parents.append(parent)
                    parent.children.append(child.blkno)
                    continue
                parent.seps.append(sep)
                parent.children.append(child.blkno)
                parent.nbytes += sz
            pages_out.extend(parents)
            level_pages = parents
        meta.root = level_pages[0].blkno
        meta.level = level
        for i in range(0, len(pages_out), 64):
            self._log_pages(pages_out[i:i + 64])
        return count

    def _first_entry(self, page: BTPage) -> tuple[bytes, int]:
        while page.kind == BT_INTERNAL:
            page = self._page(page.children[0])
        if not page.keys:
            return (b"", 0)
        return page.keys[0], page.tids[0]

    def check(self) -> int:
        """Verify ordering and links (amcheck-lite); return the entry count."""
        page = self._leftmost_leaf()
        prev: tuple[bytes, int] | None = None
        n = 0
        while page is not None:
            for k, t in zip(page.keys, page.tids):
                if prev is not None and (k, t) <= prev:
                    raise PgError(INDEX_CORRUPTED, f"index entries out of order in block "
                                                   f"{page.blkno}")
                prev = (k, t)
                n += 1
            page = self._page(page.right) if page.right else None
        return n


def _remove_entries(leaf: BTPage, ents: list[tuple[bytes, int]]) -> None:
    keys = leaf.keys
    tids = leaf.tids
    for key, t in ents:
        i = bisect_left(keys, key)
        while i < len(keys) and keys[i] == key:
            if tids[i] == t:
                del keys[i]
                del tids[i]
                leaf.nbytes -= len(key) + ENTRY_OVERHEAD
                break
            i += 1


# -- redo ------------------------------------------------------------------------

def _redo_btree(sm: StorageManager, rec: WalRecord) -> None:
    p = rec.payload
    end = rec.end_lsn
    if rec.info == XLOG_BTREE_INSERT:
        dboid, relnumber, blkno, tid, klen = _INSERT.unpack_from(p, 0)
        rel = sm.redo_relation((dboid, relnumber), "btree")
        page: BTPage = sm.ensure_block(rel, blkno)  # type: ignore[assignment]
        if page.lsn >= end:
            return
        key = bytes(p[_INSERT.size:_INSERT.size + klen])
        keys = page.keys
        lo = bisect_left(keys, key)
        hi = lo
        while hi < len(keys) and keys[hi] == key:
            hi += 1
        pos = bisect_left(page.tids, tid, lo, hi) if hi > lo else lo
        keys.insert(pos, key)
        page.tids.insert(pos, tid)
        page.nbytes += len(key) + ENTRY_OVERHEAD
        page.lsn = end
        page.dirty = True
    elif rec.info == XLOG_BTREE_PAGES:
        dboid, relnumber, n = _PAGES.unpack_from(p, 0)
        rel = sm.redo_relation((dboid, relnumber), "btree")
        pos = _PAGES.size
        for _ in range(n):
            blkno, ln = _PAGE_ENT.unpack_from(p, pos)
            pos += _PAGE_ENT.size
            page = sm.ensure_block(rel, blkno)  # type: ignore[assignment]
            if page.lsn < end:
                img = BTPage.deserialize(blkno, p[pos:pos + ln])
                page.copy_from(img)
                page.lsn = end
                page.dirty = True
            pos += ln
    elif rec.info == XLOG_BTREE_DELETE:
        dboid, relnumber, blkno, n = _DELETE.unpack_from(p, 0)
        rel = sm.redo_relation((dboid, relnumber), "btree")
        page = sm.ensure_block(rel, blkno)  # type: ignore[assignment]
        if page.lsn >= end:
            return
        pos = _DELETE.size
        ents = []
        for _ in range(n):
            t, kl = _DEL_ENT.unpack_from(p, pos)
            pos += _DEL_ENT.size
            ents.append((bytes(p[pos:pos + kl]), t))
            pos += kl
        _remove_entries(page, ents)
        page.lsn = end
        page.dirty = True
    else:
        raise PgError(DATA_CORRUPTED, f"unknown btree WAL record {rec.info}")


register_rmgr(walmod.RM_BTREE, _redo_btree)

__all__ = ["BTPage", "BTree", "DuplicateKey", "prefix_successor"]
