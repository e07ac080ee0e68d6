"""Transactions: xids, subtransactions, commit/abort, snapshots, waits.

Transaction states (one `Transaction`; subtransactions are levels)::

      begin()
         |
         v        get_xid(): first write assigns the top xid, then the
    +---------+   xid of each open savepoint level (64-bit, never reused)
    | ACTIVE  |------------------------------------------------+
    +---------+                                                |
     |  |  savepoint() pushes a level;  rollback_to(n) aborts   |
     |  |  levels >= n (clog ABORTED, WAL abort record, their   |
     |  |  locks released) and pushes a fresh level n;          |
     |  |  release(n) merges levels >= n into level n-1         |
     |  v                                                       v
     | commit(): COMMIT record -> WAL flush (latch released;  abort(): ABORT
     |   group commit) -> clog COMMITTED -> leave `running`   record (no flush)
     |   -> release locks -> on_commit callbacks              -> clog ABORTED ->
     v                                                        release -> on_abort
    COMMITTED                                                 ABORTED

Visibility of an in-flight commit: until the clog says COMMITTED *and* the
xid left `running`, other backends treat the transaction as in progress
(they wait on it rather than see half of it).
"""

from __future__ import annotations

import itertools
import struct
import time
from collections.abc import Callable, Hashable
from typing import Any

from tuskdb.errors import INVALID_TRANSACTION_STATE, PROGRAM_LIMIT_EXCEEDED, PgError
from tuskdb.storage import wal as walmod
from tuskdb.storage.clog import ABORTED, COMMITTED
from tuskdb.storage.manager import StorageManager, register_rmgr
from tuskdb.storage.wal import WalRecord
from tuskdb.txn.lock import LockManager, RowLocks
from tuskdb.txn.snapshot import Snapshot

XACT_COMMIT = 1
XACT_ABORT = 2

READ_COMMITTED = "read committed"
REPEATABLE_READ = "repeatable read"
SERIALIZABLE = "serializable"
READ_UNCOMMITTED = "read uncommitted"

_XACT_HDR = struct.Struct("<qI")
_MAX_CID = 0xFFFFFFFE
_pids = itertools.count(1)
PG_EPOCH_US = 946684800 * 1_000_000


class SubXact:
    """One level of a transaction: 0 is the top level, 1.. savepoints."""

    __slots__ = ("level", "locks", "on_abort", "on_commit", "rowlocks", "xid", "xids")

    def __init__(self, level: int) -> None:
        self.level = level
        self.xid = 0
        self.xids: list[int] = []       # this level's xid + released children's
        self.locks: list[tuple[tuple, int]] = []
        self.on_commit: list[Callable[[], None]] = []
        self.on_abort: list[Callable[[], None]] = []
        self.rowlocks: list[tuple[tuple, int]] = []  # (row key, xid)


class Transaction:
    """A top-level transaction (see module docstring for its life cycle)."""

    def __init__(self, tm: TransactionManager, isolation: str, read_only: bool) -> None:
        self.tm = tm
        self.isolation = isolation
        self.read_only = read_only
        self.levels: list[SubXact] = [SubXact(0)]
        self.own: set[int] = set()     # live own xids (TransactionIdIsCurrentTransactionId)
        self.cid = 0
        self.cid_used = False
        self.state = "active"
        self.xmin = 0                  # oldest snapshot xmin held (for vacuum horizon)
        self.xact_snapshot: Snapshot | None = None
        self.synchronous_commit = tm.synchronous_commit
        self.wal_flush_lsn = 0         # WAL to flush at commit even without an xid
        self.pid = next(_pids)
        self.start_time = time.time()
        self.commit_lsn = 0
        # relation oid -> the level that created it or gave it a new relfilenode
        # (rd_createSubid / rd_newRelfilelocatorSubid: COPY FREEZE's test)
        self.new_storage: dict[int, SubXact] = {}

    def __repr__(self) -> str:
        return f"<Transaction xid={self.xid} pid={self.pid} {self.state}>"

    # -- identity ----------------------------------------------------------

    @property
    def xid(self) -> int:
        """The top-level xid (0 until the first write)."""
        return self.levels[0].xid

    def get_xid(self) -> int:
        """The current (sub)transaction's xid, assigning it (and parents') now."""
        cur = self.levels[-1]
        if cur.xid:
            return cur.xid
        self._check_active()
        for lv in self.levels:
            if not lv.xid:
                xid = self.tm._assign_xid(self)
                lv.xid = xid
                lv.xids.append(xid)
        return cur.xid

    def get_top_xid(self) -> int:
        """txid_current(): the top xid, assigning it if needed."""
        top = self.levels[0]
        if not top.xid:
            self._check_active()
            top.xid = self.tm._assign_xid(self)
            top.xids.append(top.xid)
        return top.xid

    @property
    def nesting_level(self) -> int:
        return len(self.levels) - 1

    def _check_active(self) -> None:
        if self.state != "active":
            raise PgError(INVALID_TRANSACTION_STATE, f"transaction is {self.state}")

    # -- command ids and snapshots ------------------------------------------

    def command_counter_increment(self) -> None:
        """Make this command's changes visible to the next (CommandCounterIncrement)."""
        if self.cid_used:
            if self.cid >= _MAX_CID:
                raise PgError(PROGRAM_LIMIT_EXCEEDED,
                              "cannot have more than 2^32-2 commands in a transaction")
            self.cid += 1
            self.cid_used = False

    def snapshot(self) -> Snapshot:
        """Snapshot for the next statement: a new one in READ COMMITTED, the
        transaction's first one (with the current command id) otherwise."""
        if self.isolation in (READ_COMMITTED, READ_UNCOMMITTED):
            return self.tm.take_snapshot(self)
        snap = self.xact_snapshot
        if snap is None:
            snap = self.xact_snapshot = self.tm.take_snapshot(self)
            return snap
        if snap.curcid == self.cid:
            return snap
        return snap.with_cid(self.cid)

    @property
    def uses_xact_snapshot(self) -> bool:
        return self.isolation in (REPEATABLE_READ, SERIALIZABLE)

    # -- callbacks -----------------------------------------------------------

    def on_commit(self, fn: Callable[[], None]) -> None:
        """Run fn after a successful commit (dropped if its savepoint rolls back)."""
        self.levels[-1].on_commit.append(fn)

    def on_abort(self, fn: Callable[[], None]) -> None:
        """Run fn when this transaction, or the savepoint level current now, aborts."""
        self.levels[-1].on_abort.append(fn)

    def _note_lock(self, tag: tuple, mode: int) -> None:
        self.levels[-1].locks.append((tag, mode))

    def note_rowlock(self, key: tuple, xid: int) -> None:
        self.levels[-1].rowlocks.append((key, xid))

    # -- heavyweight locks ---------------------------------------------------

    def lock(self, tag: tuple, mode: int, nowait: bool = False) -> bool:
        """Acquire a heavyweight lock until the end of the transaction."""
        return self.tm.locks.acquire(self, tag, mode, nowait)

    def lock_relation(self, dboid: int, reloid: int, mode: int, nowait: bool = False) -> bool:
        return self.tm.locks.acquire(self, ("relation", dboid, reloid), mode, nowait)

    # -- relations created or re-filed in this transaction ----------------------

    def note_new_storage(self, reloid: int) -> None:
        """The relation was created, or got a new relfilenode (TRUNCATE, rewrite), in
        the current subtransaction."""
        self.new_storage[reloid] = self.levels[-1]

    def new_storage_in_current_subxact(self, reloid: int) -> bool:
        """Whether the relation was created or re-filed by the current subtransaction
        (a released savepoint's marks pass to its parent; an aborted one's are lost)."""
        return self.new_storage.get(reloid) is self.levels[-1]

    # -- savepoints ----------------------------------------------------------

    def savepoint(self) -> int:
        """Start a subtransaction; return its level (1 for the first)."""
        self._check_active()
        lv = SubXact(len(self.levels))
        self.levels.append(lv)
        return lv.level

    def rollback_to(self, level: int) -> None:
        """ROLLBACK TO SAVEPOINT: undo levels >= level, keep the savepoint."""
        self._check_active()
        if not 1 <= level < len(self.levels):
            raise PgError(INVALID_TRANSACTION_STATE, f"no savepoint at level {level}")
        while len(self.levels) > level:
            self._abort_level(self.levels.pop())
        self.levels.append(SubXact(level))

    def release(self, level: int) -> None:
        """RELEASE SAVEPOINT: merge levels >= level into their parent."""
        self._check_active()
        if not 1 <= level < len(self.levels):
            raise PgError(INVALID_TRANSACTION_STATE, f"no savepoint at level {level}")
        while len(self.levels) > level:
            sub = self.levels.pop()
            parent = self.levels[-1]
            parent.xids.extend(sub.xids)
            parent.locks.extend(sub.locks)
            parent.on_commit.extend(sub.on_commit)
            parent.on_abort.extend(sub.on_abort)
            parent.rowlocks.extend(sub.rowlocks)
            for oid, lv in self.new_storage.items():
                if lv is sub:
                    self.new_storage[oid] = parent

    def _abort_level(self, sub: SubXact) -> None:
        tm = self.tm
        for oid in [o for o, lv in self.new_storage.items() if lv is sub]:
            del self.new_storage[oid]
        if sub.xids:
            storage = tm.storage
            lsn = storage.wal.insert(walmod.RM_XACT, XACT_ABORT, sub.xids[0],
                                     _encode_xact(sub.xids[1:]))
            del lsn
            clog = storage.clog
            for x in sub.xids:
                clog.set(x, ABORTED)
                tm.running.pop(x, None)
                self.own.discard(x)
                tm._xid_ended(x)
            tm.completions += 1
        for key, xid in sub.rowlocks:
            tm.rowlocks.remove_xid(key, xid)
        lm = tm.locks
        for tag, mode in reversed(sub.locks):
            lm.release(self, tag, mode)
        _run_callbacks(reversed(sub.on_abort))

    # -- commit / abort ------------------------------------------------------

    def commit(self) -> None:
        """Commit; the commit record is durable before return (unless
        synchronous_commit is off).  Concurrent committers share a flush."""
        self._check_active()
        tm = self.tm
        storage = tm.storage
        top = self.levels[0]
        wal = storage.wal
        if top.xid:
            xids = sorted(self.own)
            subxids = [x for x in xids if x != top.xid]
            lsn = wal.insert(walmod.RM_XACT, XACT_COMMIT, top.xid, _encode_xact(subxids))
            self.commit_lsn = lsn
            # Until the clog says COMMITTED, a checkpoint must not take a redo
            # point after this record (it would capture the clog without the
            # commit and never replay it): PostgreSQL's DELAY_CHKPT_START.
            inflight = storage.inflight_commits
            inflight.add(lsn)
            try:
                if self.synchronous_commit or not wal.enabled:
                    # commit_delay / commit_siblings: with enough other
                    # transactions in progress, wait a moment so that their
                    # commits share this fsync
                    if tm.commit_delay and len(tm.active) > tm.commit_siblings:
                        wal.flush(lsn, tm.commit_delay)
                    else:
                        wal.flush(lsn)
                else:
                    wal.last_async_commit_lsn = lsn
                clog = storage.clog
                running = tm.running
                for x in xids:
                    clog.set(x, COMMITTED)
                    running.pop(x, None)
                    tm._xid_ended(x)
                tm.completions += 1
            finally:
                inflight.discard(lsn)
                if storage.checkpointing:
                    storage.ckpt_cond.notify_all()
        elif self.wal_flush_lsn and self.synchronous_commit:
            wal.flush(self.wal_flush_lsn)
        self.state = "committed"
        callbacks = []
        for lv in self.levels:
            callbacks.extend(lv.on_commit)
        self._release_all()
        _run_callbacks(callbacks)

    def abort(self) -> None:
        """Roll back the whole transaction (idempotent)."""
        if self.state != "active":
            return
        tm = self.tm
        storage = tm.storage
        top = self.levels[0]
        if top.xid:
            xids = sorted(self.own)
            subxids = [x for x in xids if x != top.xid]
            storage.wal.insert(walmod.RM_XACT, XACT_ABORT, top.xid, _encode_xact(subxids))
            clog = storage.clog
            running = tm.running
            for x in xids:
                clog.set(x, ABORTED)
                running.pop(x, None)
                tm._xid_ended(x)
            tm.completions += 1
        self.state = "aborted"
        callbacks = []
        for lv in reversed(self.levels):
            callbacks.extend(reversed(lv.on_abort))
        self._release_all()
        _run_callbacks(callbacks)

    rollback = abort

    def _release_all(self) -> None:
        tm = self.tm
        for lv in self.levels:
            for key, xid in lv.rowlocks:
                tm.rowlocks.remove_xid(key, xid)
        for x in list(self.own):
            if tm.running.pop(x, None) is not None:
                tm._xid_ended(x)
        tm.locks.release_all(self)
        tm.active.discard(self)


def _run_callbacks(callbacks: Any) -> None:
    first: BaseException | None = None
    for fn in callbacks:
        try:
            fn()
        except BaseException as e:  # noqa: BLE001 - run them all, report the first
            if first is None:
                first = e
    if first is not None:
        raise first


def _encode_xact(subxids: list[int]) -> bytes:
    now = int(time.time() * 1_000_000) - PG_EPOCH_US
    return _XACT_HDR.pack(now, len(subxids)) + struct.pack(f"<{len(subxids)}Q", *subxids)


def _decode_xact(payload: memoryview | bytes) -> tuple[int, list[int]]:
    ts, n = _XACT_HDR.unpack_from(payload, 0)
    subs = list(struct.unpack_from(f"<{n}Q", payload, _XACT_HDR.size))
    return ts, subs


class TransactionManager:
    """Running transactions, snapshots, xid waits, locks for one cluster."""

    def __init__(self, storage: StorageManager) -> None:
        self.storage = storage
        self.latch = storage.latch
        self.clog = storage.clog
        self.cond = storage.latch.condition()
        self.running: dict[int, Transaction] = {}   # xid (top or sub) -> transaction
        self.active: set[Transaction] = set()
        self.waiting: dict[Any, Any] = {}
        self.locks = LockManager(self)
        self.rowlocks = RowLocks()
        self.xid_conds: dict[int, Any] = {}
        self.synchronous_commit = True
        self.commit_delay = 0.0      # seconds (PostgreSQL's commit_delay, off by default)
        self.commit_siblings = 5
        self.completions = 0
        self._snap_cache: tuple[int, int, frozenset[int], int] | None = None
        self._ox_completions = -1
        self._ox_value = 0
        storage.txn_manager = self

    def begin(self, isolation: str = READ_COMMITTED, read_only: bool = False) -> Transaction:
        txn = Transaction(self, isolation, read_only)
        self.active.add(txn)
        return txn

    def _assign_xid(self, txn: Transaction) -> int:
        storage = self.storage
        xid = storage.next_xid
        storage.next_xid = xid + 1
        self.running[xid] = txn
        txn.own.add(xid)
        return xid

    def take_snapshot(self, txn: Transaction | None) -> Snapshot:
        storage = self.storage
        xmax = storage.next_xid
        cache = self._snap_cache
        if cache is not None and cache[0] == self.completions and cache[1] == xmax:
            xip, xmin = cache[2], cache[3]
        else:
            xip = frozenset(self.running)
            xmin = min(xip) if xip else xmax
            self._snap_cache = (self.completions, xmax, xip, xmin)
        if txn is None:
            return Snapshot(xmin, xmax, xip, 0, frozenset(), None)
        if not txn.xmin or xmin < txn.xmin:
            txn.xmin = xmin
        return Snapshot(xmin, xmax, xip, txn.cid, txn.own, txn)

    def oldest_xmin(self) -> int:
        """No snapshot of any running transaction sees xids below this as
        running: versions deleted by committed xids < oldest_xmin are dead
        to everyone (GetOldestNonRemovableTransactionId)."""
        m = self.storage.next_xid
        for x in self.running:
            m = min(m, x)
        for t in self.active:
            if t.xmin and t.xmin < m:
                m = t.xmin
        return m

    def oldest_xmin_cached(self) -> int:
        """oldest_xmin(), recomputed only when a transaction ended since the
        last call.  Safe to use stale: the horizon never moves backwards
        (a new snapshot's xmin is at least the horizon of any earlier time)."""
        c = self.completions
        if self._ox_completions != c:
            self._ox_value = self.oldest_xmin()
            self._ox_completions = c
        return self._ox_value

    # -- transaction status ----------------------------------------------------

    def is_in_progress(self, xid: int) -> bool:
        return xid in self.running

    def did_commit(self, xid: int) -> bool:
        return self.clog.get(xid) == COMMITTED

    def owner_of(self, blocker: Any) -> Any:
        if isinstance(blocker, int):
            return self.running.get(blocker, blocker)
        return blocker

    # -- waits -------------------------------------------------------------

    def wait_for_xid(self, me: Hashable, xid: int) -> None:
        """XactLockTableWait: wait (latch released) until xid has ended."""
        running = self.running
        if xid not in running:
            return
        # one condition per awaited xid: a transaction's end wakes only its
        # own waiters (a shared condition made every commit wake everyone)
        cond = self.xid_conds.get(xid)
        if cond is None:
            cond = self.xid_conds[xid] = self.latch.condition()
        self.locks.wait(
            me, lambda: xid not in running,
            lambda: {running[xid]} if xid in running else set(),
            f"ShareLock on transaction {xid}", "Lock:transactionid", cond)

    def _xid_ended(self, xid: int) -> None:
        cond = self.xid_conds.pop(xid, None)
        if cond is not None:
            cond.notify_all()


# -- XACT redo ---------------------------------------------------------------

def _redo_xact(sm: StorageManager, rec: WalRecord) -> None:
    _ts, subs = _decode_xact(rec.payload)
    status = COMMITTED if rec.info == XACT_COMMIT else ABORTED
    sm.clog.set(rec.xid, status)
    for x in subs:
        sm.clog.set(x, status)
        if x >= sm.next_xid:
            sm.next_xid = x + 1


register_rmgr(walmod.RM_XACT, _redo_xact)
