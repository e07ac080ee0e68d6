"""Tuple visibility (PostgreSQL's heapam_visibility.c).

A tuple version carries xmin/cmin (inserter), xmax/cmax (deleter or
updater), infomask hint bits and t_ctid.  Hint bits cache clog lookups:

    XMIN_COMMITTED / XMIN_INVALID   inserter known committed / aborted
    XMAX_COMMITTED / XMAX_INVALID   deleter known committed / aborted-or-none
    UPDATED                         xmax is an updater; t_ctid -> newer version
    KEYS_UPDATED                    the update changed key columns (FOR KEY SHARE)

Rule for setting XMIN_COMMITTED/XMAX_COMMITTED: only when the commit record
is known flushed (asynchronous commits: `wal.last_async_commit_lsn <=
wal.flushed_lsn`); otherwise a block written before a crash could claim a
commit the WAL lost.  "Aborted" hints are always safe: an xid that is
neither running nor committed never commits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tuskdb.access.tm import TM
from tuskdb.storage.clog import COMMITTED

if TYPE_CHECKING:
    from tuskdb.access.heap import HeapTuple
    from tuskdb.txn.snapshot import Snapshot
    from tuskdb.txn.xact import Transaction, TransactionManager

XMIN_COMMITTED = 0x01
XMIN_INVALID = 0x02
XMAX_COMMITTED = 0x04
XMAX_INVALID = 0x08
UPDATED = 0x10
KEYS_UPDATED = 0x20
HINT_MASK = XMIN_COMMITTED | XMIN_INVALID | XMAX_COMMITTED | XMAX_INVALID

FROZEN_XID = 2
BOOTSTRAP_XID = 1

# HeapTupleSatisfiesVacuum results
HEAPTUPLE_DEAD = 0
HEAPTUPLE_LIVE = 1
HEAPTUPLE_RECENTLY_DEAD = 2
HEAPTUPLE_INSERT_IN_PROGRESS = 3
HEAPTUPLE_DELETE_IN_PROGRESS = 4


def _hint_ok(tm: TransactionManager) -> bool:
    wal = tm.storage.wal
    return wal.last_async_commit_lsn <= wal.flushed_lsn


def xmin_committed(t: HeapTuple, tm: TransactionManager) -> int:
    """1 committed, 0 in progress, -1 aborted (for xmin, not own)."""
    im = t.infomask
    if im & XMIN_COMMITTED:
        return 1
    if im & XMIN_INVALID:
        return -1
    x = t.xmin
    if x <= FROZEN_XID:
        return 1
    if tm.clog.get(x) == COMMITTED:
        if _hint_ok(tm):
            t.infomask = im | XMIN_COMMITTED
        return 1
    if x in tm.running:
        return 0
    t.infomask = im | XMIN_INVALID
    return -1


def xmax_committed(t: HeapTuple, tm: TransactionManager) -> int:
    """1 committed, 0 in progress, -1 aborted/none (for xmax, not own)."""
    im = t.infomask
    if im & XMAX_INVALID or not t.xmax:
        return -1
    if im & XMAX_COMMITTED:
        return 1
    x = t.xmax
    if tm.clog.get(x) == COMMITTED:
        if _hint_ok(tm):
            t.infomask = im | XMAX_COMMITTED
        return 1
    if x in tm.running:
        return 0
    t.infomask = im | XMAX_INVALID
    return -1


def satisfies_mvcc(t: HeapTuple, snap: Snapshot, tm: TransactionManager) -> bool:
    """HeapTupleSatisfiesMVCC."""
    im = t.infomask
    own = snap.own
    if not im & XMIN_COMMITTED:
        if im & XMIN_INVALID:
            return False
        xmin = t.xmin
        if xmin in own:
            if t.cmin >= snap.curcid:
                return False          # inserted after this scan started
            if im & XMAX_INVALID or not t.xmax:
                return True
            if t.xmax in own:
                return t.cmax >= snap.curcid  # deleted after scan started
            # xmax by another transaction on our tuple: only possible when it
            # only locked it or our subtransaction that deleted it aborted
            return xmax_committed(t, tm) != 1
        st = xmin_committed(t, tm)
        if st != 1:
            return False
    xmin = t.xmin
    if xmin >= snap.xmin and (xmin >= snap.xmax or xmin in snap.xip) and xmin > FROZEN_XID:
        return False
    im = t.infomask
    if im & XMAX_INVALID or not t.xmax:
        return True
    xmax = t.xmax
    if xmax in own:
        return t.cmax >= snap.curcid
    if not im & XMAX_COMMITTED:
        st = xmax_committed(t, tm)
        if st != 1:
            return True
    # deleted by a transaction this snapshot still counts as running?
    return xmax >= snap.xmin and (xmax >= snap.xmax or xmax in snap.xip)


def satisfies_update(t: HeapTuple, curcid: int, txn: Transaction,
                     tm: TransactionManager) -> TM:
    """HeapTupleSatisfiesUpdate: can the command with `curcid` modify t?

    Returns Ok, Invisible, SelfModified, BeingModified (xmax in progress),
    Updated or Deleted (xmax committed).
    """
    im = t.infomask
    own = txn.own
    if not im & XMIN_COMMITTED:
        if im & XMIN_INVALID:
            return TM.Invisible
        if t.xmin in own:
            if t.cmin >= curcid:
                return TM.Invisible
            if im & XMAX_INVALID or not t.xmax:
                return TM.Ok
            if t.xmax in own:
                return TM.SelfModified if t.cmax >= curcid else TM.Invisible
            st = xmax_committed(t, tm)
            if st == -1:
                return TM.Ok
            if st == 0:
                return TM.BeingModified
            return TM.Updated if t.infomask & UPDATED else TM.Deleted
        st = xmin_committed(t, tm)
        if st != 1:
            return TM.Invisible
    im = t.infomask
    if im & XMAX_INVALID or not t.xmax:
        return TM.Ok
    if im & XMAX_COMMITTED:
        return TM.Updated if im & UPDATED else TM.Deleted
    if t.xmax in own:
        return TM.SelfModified if t.cmax >= curcid else TM.Invisible
    st = xmax_committed(t, tm)
    if st == 0:
        return TM.BeingModified
    if st == 1:
        return TM.Updated if t.infomask & UPDATED else TM.Deleted
    return TM.Ok


def satisfies_dirty(t: HeapTuple, txn: Transaction | None,
                    tm: TransactionManager) -> tuple[bool, int]:
    """HeapTupleSatisfiesDirty: (visible, xid to wait for or 0).

    Sees committed and in-progress inserts; a tuple deleted by an in-progress
    transaction is still visible (with that xid to wait for).
    """
    own = txn.own if txn is not None else ()
    im = t.infomask
    if not im & XMIN_COMMITTED:
        if im & XMIN_INVALID:
            return False, 0
        if t.xmin in own:
            if im & XMAX_INVALID or not t.xmax:
                return True, 0
            if t.xmax in own:
                return False, 0
            return xmax_committed(t, tm) != 1, 0
        st = xmin_committed(t, tm)
        if st == -1:
            return False, 0
        if st == 0:
            # inserted by an in-progress transaction: a potential conflict
            if im & XMAX_INVALID or not t.xmax:
                return True, t.xmin
            if t.xmax == t.xmin or (t.xmax in tm.running and tm.running[t.xmax] is tm.running.get(t.xmin)):
                return False, 0  # inserted and deleted by the same in-progress xact
            return True, t.xmin
    im = t.infomask
    if im & XMAX_INVALID or not t.xmax:
        return True, 0
    if im & XMAX_COMMITTED:
        return False, 0
    if t.xmax in own:
        return False, 0
    st = xmax_committed(t, tm)
    if st == 0:
        return True, t.xmax
    if st == 1:
        return False, 0
    return True, 0


def satisfies_vacuum(t: HeapTuple, oldest_xmin: int, tm: TransactionManager) -> int:
    """HeapTupleSatisfiesVacuum: DEAD means no snapshot can ever see t."""
    im = t.infomask
    if not im & XMIN_COMMITTED:
        if im & XMIN_INVALID:
            return HEAPTUPLE_DEAD
        st = xmin_committed(t, tm)
        if st == -1:
            return HEAPTUPLE_DEAD
        if st == 0:
            if t.xmax and not im & XMAX_INVALID and tm.running.get(t.xmax) is tm.running.get(t.xmin):
                return HEAPTUPLE_INSERT_IN_PROGRESS
            return HEAPTUPLE_INSERT_IN_PROGRESS
    im = t.infomask
    if im & XMAX_INVALID or not t.xmax:
        return HEAPTUPLE_LIVE
    st = xmax_committed(t, tm)
    if st == 0:
        return HEAPTUPLE_DELETE_IN_PROGRESS
    if st == -1:
        return HEAPTUPLE_LIVE
    if t.xmax < oldest_xmin:
        return HEAPTUPLE_DEAD
    return HEAPTUPLE_RECENTLY_DEAD
