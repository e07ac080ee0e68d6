"""txn layer: transactions, snapshots, clog status, heavyweight and row locks,
deadlock detection (see README.md and docs/contracts.md)."""

from tuskdb.txn.lock import (AccessExclusiveLock, AccessShareLock, ExclusiveLock,
                             LOCK_MODE_NAMES, LockTupleExclusive, LockTupleKeyShare,
                             LockTupleNoKeyExclusive, LockTupleShare, RowExclusiveLock,
                             RowShareLock, ShareLock, ShareRowExclusiveLock,
                             ShareUpdateExclusiveLock)
from tuskdb.txn.snapshot import Snapshot
from tuskdb.txn.xact import (READ_COMMITTED, REPEATABLE_READ, SERIALIZABLE, Transaction,
                             TransactionManager)

__all__ = [
    "TransactionManager", "Transaction", "Snapshot", "READ_COMMITTED", "REPEATABLE_READ",
    "SERIALIZABLE", "AccessShareLock", "RowShareLock", "RowExclusiveLock",
    "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock",
    "AccessExclusiveLock", "LOCK_MODE_NAMES", "LockTupleKeyShare", "LockTupleShare",
    "LockTupleNoKeyExclusive", "LockTupleExclusive",
]
