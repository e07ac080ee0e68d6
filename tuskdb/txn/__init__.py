"""txn layer: transactions, snapshots, clog status, heavyweight and row locks,
deadlock detection (see README.md and docs/contracts.md)."""

from tuskdb.txn.lock import (
                             LOCK_MODE_NAMES,
                             AccessExclusiveLock,
                             AccessShareLock,
                             ExclusiveLock,
                             LockTupleExclusive,
                             LockTupleKeyShare,
                             LockTupleNoKeyExclusive,
                             LockTupleShare,
                             RowExclusiveLock,
                             RowShareLock,
                             ShareLock,
                             ShareRowExclusiveLock,
                             ShareUpdateExclusiveLock,
)
from tuskdb.txn.snapshot import Snapshot
from tuskdb.txn.xact import (
                             READ_COMMITTED,
                             REPEATABLE_READ,
                             SERIALIZABLE,
                             Transaction,
                             TransactionManager,
)

__all__ = [
                             "LOCK_MODE_NAMES",
                             "READ_COMMITTED",
                             "REPEATABLE_READ",
                             "SERIALIZABLE",
                             "AccessExclusiveLock",
                             "AccessShareLock",
                             "ExclusiveLock",
                             "LockTupleExclusive",
                             "LockTupleKeyShare",
                             "LockTupleNoKeyExclusive",
                             "LockTupleShare",
                             "RowExclusiveLock",
                             "RowShareLock",
                             "ShareLock",
                             "ShareRowExclusiveLock",
                             "ShareUpdateExclusiveLock",
                             "Snapshot",
                             "Transaction",
                             "TransactionManager",
]
